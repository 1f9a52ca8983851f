local function a() return end
local function b() return 1 end
local function c() return 1, 2 end
local function d(...) return ... end
local function e() return f() end
local function g() return (f()) end
local function h() return f(), 1 end
local function i(x) return x end
local function j(x) local y <close> = x; return f() end
local function k(x) return x.y end
local function l(...) local t = {...} return t end
local function m() do return end end
local function n(x) if x then return 1 else return 2 end end
local function o(x, ...) return x, ... end
