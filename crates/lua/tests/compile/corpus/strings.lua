local s1 = "hello\n\t\"world\"\\"
local s2 = 'single \'quoted\''
local s3 = [[long
string]]
local s4 = [==[with ]] inside]==]
local s5 = "\65\066\x43\u{44}\u{20AC}\z
            continued"
local s6 = "\0\1\127\200\255"
local s7 = "\a\b\f\v\r"
local s8 = [[
first newline skipped]]
--[[ long
comment ]] local s9 = "after comment"
--[==[ another ]==]
local s10 = "a" .. 'b' .. [[c]]
