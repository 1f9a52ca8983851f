local a, b, c, d = {setmetatable({}, {__sub = function(p1, p2)
local n3 = 0
while n3 < 5 do
n3 = n3 + 1
error((-9223372036854775808))
if n3 then break end
end
n3[ p1 ], n3[ n3 ] = n3
return p2
end, }), ...}, a, a, a
local t = {1, 2, 3, x = 1, [-1] = 'neg', [2^53] = 'big'}
t[ t ], t[ t ] = t
t[ t ], t[ t ] = t
c = setmetatable(a, {__gc = function(p4, p5, ...)
local function fn6(p7, p8, ...)
local l9 = (...)
local co10 = coroutine.create(function()
a = (0.5)
p7 = p5
l9[ l9 ] = l9
return l9
end)
for _ = 1, 4 do if not coroutine.resume(co10, l9) then break end end
return p8
end
fn6[ fn6 ], fn6 = {[ (36) ] = (true)[ (math.pi) ]; f11 = string.pack('x', true), [ (nil)[ '-7' ] ] = {c, (...), ...}, [ function(p12, p13)
p4 = (10)
return a
end ] = setmetatable({}, {__sub = function(p14, ...)
b = p14
end, }), ...}, true
return (51)
end, __gc = function()
local n15 = 0
while n15 < 5 do
n15 = n15 + 1
d[ setmetatable({}, {__bxor = function(p16, p17, ...)
b = (0/0)
a[ a ] = a
a[ a ] = a
a[ a ] = a
end, __close = function(...)
c[ c ] = c
c[ c ] = c
c[ c ] = c
c[ c ] = c
end, __close = function(...)
c[ c ] = c
c[ c ] = c
c[ c ] = c
c[ c ] = c
end, }) ], c[ string.pack('x', c) ] = string.pack('x', d), string.pack('x', c)
if string.pack('x', string.pack('x', d)) then break end
end
return a, nil, string.format('%.3f', coroutine.close(setmetatable({}, {__sub = function(p18, p19)
a = nil
end, __band = function()
c = b
t = a
a = t
return '-7', nil
end, })))
end, __bor = function(p20, p21, ...)
do return (string.pack('x', false) <= coroutine.wrap(function(p22, p23)
p21[ nil ] = p21
t = false
return p21, (0x10p-1), c
end)), (math.mininteger - 1) end
table.move(d, ((1e308))[ {(math.pi), } ], ipairs((math.maxinteger + 1)), string.format('%.3f', utf8.len('\65\066', nil, (-math.huge), a)), coroutine.close(coroutine.status((math.pi), p20)))
for k24, v25 in pairs(coroutine.close(a)) do
do
if (...):rep(k24) then goto skip26 end
local n27 = 0
while n27 < 5 do
n27 = n27 + 1
d[ (-math.huge) ] = d
p20 = n27
end
::skip26::
end
end
end, __div = function(p28, p29)
local l30 = c
l30 = ((b)[ (0xffffffffffffffff) ] .. (10))
return debug.getinfo({f31 = {(math.pi), }, }, table.unpack(setmetatable({}, {__bor = function(p32, p33, ...)
p33[ '-7' ] = false
p28[ (35) ] = nil
p28 = c
end, }), tostring((-23)), utf8.codepoint(b, b, c), {[ d ] = (-32), [ nil ] = (-math.huge), })), string.char(t, nil), string.format('%.3f', coroutine.running(tostring((-32))))
end, })
pcall(function(...)
local k34 <close> = setmetatable({}, {__close = function(p35)
local n36 = 0
while n36 < 5 do
n36 = n36 + 1
t[ {(math.pi), } ] = d
local function fn37(p38, p39, ...)
fn37[ (math.pi) ] = true
return '%d', a, ...
end
coroutine.yield({(math.pi), })
if (pcall((3.0)))[ (c)[ (2^63) ] ] then break end
end
do return (n36)[ b ] end
return p35, coroutine.close((-32))
end})
local l40 = (setmetatable({}, {__close = function(p41, p42)
do
b = (-3.5)
end
do
if (36) then goto skip43 end
a = nil
::skip43::
end
local k44 <const> = d
end, __eq = function()
local n45 = 0
while n45 < 5 do
n45 = n45 + 1
c = (-3.5)
end
t, d = (-math.huge), a
coroutine.yield((-3))
return (false <= (-32)), (d % (math.pi)), c
end, __le = function(p46, p47)
local function fn48(p49, ...)
p49 = b
return fn48
end
return string.reverse(nil, t), ((2^53 + 1))('\65\066', '\65\066'), (~ '\65\066')
end, }))((~ (~ (~ '\65\066'))), (~ (~ (~ '\65\066'))))
error((~ l40), 0)
end, t)
t, c = function(p50, p51)
repeat
local r52 = table.insert((127), true, (1/0), b)
local co53 = coroutine.create(function()
r52 = (0.5)
p51 = r52
r52[ r52 ] = r52
return r52
end)
for _ = 1, 4 do if not coroutine.resume(co53, (-0.0)) then break end end
until r52 or true
local l54 = (36)
return setmetatable({}, {__call = function(p55, p56)
p50[ true ] = false
p55[ p56 ] = (math.pi)
d[ b ] = c
a = c
return (3), b, false
end, __call = function(p57, p58)
p50[ (math.pi) ] = b
end, __sub = function(p59)
t = nil
return (math.maxinteger + 1), false, (51)
end, }), coroutine.running(), (collectgarbage(c))(pcall((3.0)))
end
pcall(function(...)
for k60, v61 in pairs(string.pack('x', string.pack('x', string.pack('x', string.pack('x', t))))) do
do
if string.pack('x', string.pack('x', string.pack('x', d))) then goto skip62 end
do
if string.pack('x', string.pack('x', d)) then goto skip63 end
do
if string.pack('x', d) then goto skip64 end
do
if d then goto skip65 end
d[ d ] = d
d[ d ] = d
::skip65::
end
do
if d then goto skip66 end
d[ d ] = d
d[ d ] = d
::skip66::
end
::skip64::
end
do
if string.pack('x', d) then goto skip67 end
do
if d then goto skip68 end
d[ d ] = d
d[ d ] = d
::skip68::
end
do
if d then goto skip69 end
t = (1)
c[ (...) ] = ...
::skip69::
end
::skip67::
end
::skip63::
end
c, b = (36)
::skip62::
end
end
coroutine.yield({setmetatable({}, {__sub = function(p70)
local n71 = 0
while n71 < 5 do
n71 = n71 + 1
p70 = n71
end
local n72 = 0
while n72 < 5 do
n72 = n72 + 1
c = t
end
return true
end, }), ...})
end, (51))
pcall(function(...)
local function fn73(p74, p75)
local k76 <close> = tonumber(tonumber(a, a), tonumber(a, a))
local k77 <close> = tonumber(tonumber(a, a), tonumber(a, a))
local k78 <close> = tonumber(tonumber(k76, k76), tonumber(k76, k76))
end
end, tonumber(tonumber(tonumber(tonumber(string.rep((35), nil, t, c)), b), d), string.format('%a', coroutine.running())))
pcall(function(...)
table.move(d, ((1e308))[ {setmetatable({}, {__sub = function(p79, p80)
c[ (math.maxinteger + 1) ] = (3)
c = '\65\066'
end, }), ...} ], string.format('%.3f', utf8.len(((t >> (math.pi)) ^ tostring(false)), (ipairs((0x10p-1)))(setmetatable({}, {__index = t, __index = t, })), t)), t, t)
end, t)
t[ a ], a = ((127))[ setmetatable({}, {__call = function(p81, p82)
t = (1e308)
do return '-7', false end
if b then
c = false
t = p82
t = false
elseif (10) then
d[ '-7' ] = false
end
coroutine.yield('%')
return setmetatable({}, {__call = function(p83)
p81[ b ] = 'k'
p81 = false
end, })
end, __bnot = function(p84, p85)
p84, a = (0/0)
do
if d then goto skip86 end
d[ d ] = d
d[ d ] = d
::skip86::
end
end, __close = function(...)
do
if t then goto skip87 end
t[ t ] = t
t[ t ] = t
::skip87::
end
do
if t then goto skip88 end
t[ t ] = t
t = t
::skip88::
end
do
if (191) then goto skip89 end
t[ t ] = t
t[ t ] = t
::skip89::
end
do
if t then goto skip90 end
t[ t ] = t
t[ t ] = t
::skip90::
end
end, }) ], string.pack('x', string.pack('x', string.pack('x', string.pack('x', t))))
pcall(function(...)
do
if string.pack('x', string.pack('T', string.pack('x', string.pack('x', t)))) then goto skip91 end
do
if string.packsize('x') then goto skip92 end
local n93 = 0
while n93 < 5 do
n93 = n93 + 1
local n94 = 0
while n94 < 5 do
n94 = n94 + 1
do
if nil then goto skip95 end
b = nil
::skip95::
end
if d then break end
end
t = string.reverse(false, (-32))
c[ function(p96, p97)
a = a
p96 = '-7'
return a
end ] = setmetatable(setmetatable({}, {__call = function(p98, p99)
n93[ false ] = p98
a = (53)
n94[ nil ] = n94
t = false
return n94, (0x10p-1), c
end, __bor = function(p100, ...)
p100 = (-3.5)
c = false
return t
end, __band = function()
c = c
a = (3)
c = '\65\066'
n94 = t
return (-3.5), (44), (-54)
end, }), {__bxor = function(p101, p102, ...)
b[ a ] = b
d = (0xffffffffffffffff)
a[ (-math.huge) ] = b
d = (-32)
end, __index = ((39) // (0xffffffffffffffff)), __mode = 'v', __div = function()
c = a
end, })
end
::skip92::
end
d = string.format('%c', ((50))[ t ])
::skip91::
end
end, string.format('%#o', string.format('%.3f', debug.getinfo({f103 = {(math.pi), ...}, }, table.unpack(setmetatable({}, {__bor = function(p104, p105, ...)
d[ '-7' ] = false
c[ (35) ] = nil
a = t
end, }), tostring((-23)), utf8.codepoint(t, d, (...)), {[ d ] = (-32), [ nil ] = (-math.huge), ...})))))
do
if (a)[ nil ] then goto skip106 end
c[ '\xff\xfe' ] = (debug.getinfo(coroutine.isyieldable(), function(p107, p108, ...)
t = nil
p107 = false
a = (3)
return (-3.5), (...), p107
end, setmetatable({}, {__call = function(p109)
c = t
a[ (1e308) ] = nil
end, })) >= {setmetatable({}, {__bxor = function(p110, p111, ...)
b = true
p111[ b ] = (-3.5)
p111[ b ] = b
b = c
return (...), t, (...)
end, __newindex = (-32), __div = function(p112, ...)
a = c
c[ '\65\066' ] = '\65\066'
c[ '\u{10FFFF}' ] = '\65\066'
end, }); (~ '\65\066'); ...})
::skip106::
end
pcall(function(...)
do
c = {setmetatable({}, {__sub = function(p113, p114, ...)
p113 = (0xffffffffffffffff)
return (-3.5), (2^63)
end, }), }
local co115 = coroutine.create(function(p116)
c = setmetatable((3), {__bor = function(p117, p118)
c = p116
b = (-3.5)
b = (-3.5)
end, })
b = true
if debug.getmetatable('k', '\65\066') then
d = d
elseif ('__index'):len(false, a) then
local n119 = 0
while n119 < 5 do
n119 = n119 + 1
t = false
end
end
return (53)
end)
for _ = 1, 4 do if not coroutine.resume(co115, (string.sub((- (-23)), (t)[ t ], t, t))[ t ]) then break end end
co115[ co115 ] = co115
end
t[ t ] = t
end, t)
return a, b, c, d, t
