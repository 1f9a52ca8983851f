-- A tiny harness for the host tests of lua/: `test(name, fn)` runs `fn` and reports it,
-- `done()` prints the count and exits non-zero if anything failed.
local testing = {}

local passed, failed = 0, 0

function testing.test(name, fn)
	local ok, err = pcall(fn)
	if ok then
		passed = passed + 1
	else
		failed = failed + 1
		io.stderr:write("FAIL ", name, ": ", tostring(err), "\n")
	end
end

-- `fn(...)` must raise an error whose message matches the Lua pattern `pattern`.
function testing.raises(pattern, fn, ...)
	local ok, err = pcall(fn, ...)
	assert(not ok, "no error raised")
	assert(type(err) == "string" and string.find(err, pattern),
		"error " .. tostring(err) .. " does not match " .. pattern)
	return err
end

-- `got == want`, or an error naming both.
function testing.same(got, want)
	if got ~= want then
		error(string.format("got %q, want %q", tostring(got), tostring(want)), 2)
	end
end

function testing.done()
	print(string.format("%d passed, %d failed", passed, failed))
	os.exit(failed == 0 and 0 or 1)
end

return testing
