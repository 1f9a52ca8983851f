local function a(...) return select('#', ...) end
local function b(x, ...) local y, z = ... return x, y, z end
local function c(...) local t = {...} local u = {..., 1} local v = {1, ...} return t, u, v end
local function d(...) print(...) print(..., 1) print((...)) end
local function e(...) return ... end
local function f(...) local a, b = ... ; a, b = ... end
print(...)
local x, y = ...
