//! The host `os` library against what C Lua's gives on the same machine.

mod common;

fn lua_ok(name: &str, script: &str) -> String {
    // A fixed zone so local times are predictable.
    common::script_ok(name, r#"TZ=UTC "$LUA" t.lua"#, script).1
}

#[test]
fn time_normalises_the_table() {
    lua_ok(
        "time",
        r#"
        local t = {year = 2020, month = 14, day = 35, hour = 25}
        local secs = os.time(t)
        -- month 14 of 2020 is February 2021; day 35 of it is March 7; hour 25 the 8th
        assert(t.year == 2021 and t.month == 3 and t.day == 8 and t.hour == 1)
        assert(t.yday == 67 and t.wday == 2 and t.isdst == false)
        assert(os.time{year = 1970, month = 1, day = 1, hour = 0} == 0)
        assert(secs == os.time{year = 2021, month = 3, day = 8, hour = 1})
        local ok, e = pcall(os.time, {year = 2000, month = 1, day = 1, hour = 1.5})
        assert(not ok and e:find("field 'hour' is not an integer", 1, true))
        ok, e = pcall(os.time, {year = 2000, month = 1, hour = 1})
        assert(not ok and e:find("field 'day' missing in date table", 1, true))
        ok, e = pcall(os.time, {year = 1 << 40, month = 1, day = 1})
        assert(not ok and e:find("field 'year' is out-of-bound", 1, true))
        assert(math.type(os.time()) == "integer")
        "#,
    );
}

#[test]
fn date_conversions_utc_and_tables() {
    lua_ok(
        "date",
        r#"
        assert(os.date("!%Y-%m-%d %H:%M:%S", 0) == "1970-01-01 00:00:00")
        assert(os.date("!%c", 0) == "Thu Jan  1 00:00:00 1970")
        assert(os.date("!%x|%X|%p|%j|%a|%B|%y|%e|%D|%F|%T|%%", 86400 * 40 + 3600 * 13)
               == "02/10/70|13:00:00|PM|041|Tue|February|70|10|02/10/70|1970-02-10|13:00:00|%")
        assert(os.date("!%Ey|%OH|%G|%V|%u|%w|%Z", 0) == "70|00|1970|01|4|4|GMT")
        local t = os.date("!*t", 3600)
        assert(t.year == 1970 and t.hour == 1 and t.yday == 1 and t.wday == 5)
        assert(t.isdst == false)
        assert(os.date("*t", 0).hour == 0)                   -- TZ is UTC here
        for _, bad in ipairs{"%", "%9", "%Ea", "%O", "%E", "%Q"} do
          local ok, e = pcall(os.date, bad)
          assert(not ok and e:find("invalid conversion specifier '" .. bad .. "'", 1, true),
                 bad)
        end
        local ok, e = pcall(os.date, "%Y", 1.5)
        assert(not ok and e:find("number has no integer representation", 1, true))
        "#,
    );
}

#[test]
fn execute_remove_rename_results() {
    lua_ok(
        "exec",
        r#"
        assert(os.execute() == true)
        local ok, what, code = os.execute("exit 2")
        assert(ok == nil and what == "exit" and code == 2)
        ok, what, code = os.execute("kill -9 $$")
        assert(ok == nil and what == "signal" and code == 9)
        assert(os.execute("true") == true)
        local r, msg, errno = os.remove("nothing-here")
        assert(r == nil and msg == "nothing-here: No such file or directory" and errno == 2)
        r, msg, errno = os.rename("nothing-here", "elsewhere")
        assert(r == nil and msg == "No such file or directory" and errno == 2)
        io.open("x", "w"):close()
        assert(os.rename("x", "y") == true and os.remove("y") == true)
        "#,
    );
}

#[test]
fn tmpname_getenv_setlocale() {
    lua_ok(
        "misc",
        r#"
        local a, b = os.tmpname(), os.tmpname()
        assert(a ~= b and io.open(a) and io.open(b))
        os.remove(a); os.remove(b)
        assert(type(os.getenv("PATH")) == "string" and os.getenv("NO_SUCH_VAR_X") == nil)
        assert(os.setlocale("C") == "C" and os.setlocale() == "C")
        assert(os.setlocale("C", "numeric") == "C")
        assert(os.setlocale("no-such-locale") == nil)
        local ok, e = pcall(os.setlocale, "C", "bad")
        assert(not ok and e:find("invalid option 'bad'", 1, true))
        assert(type(os.clock()) == "number" and os.difftime(10, 4) == 6.0)
        "#,
    );
}
