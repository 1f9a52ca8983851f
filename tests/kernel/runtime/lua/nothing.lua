-- A script that returns no function.
local x = 1
