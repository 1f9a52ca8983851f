local a, b = 1, 2
local x = a == b; x = a ~= b; x = a < b; x = a <= b; x = a > b; x = a >= b
x = a == 1; x = a ~= 1; x = a < 1; x = a <= 1; x = a > 1; x = a >= 1
x = 1 == a; x = 1 < a; x = 1 <= a; x = 1 > a; x = 1 >= a
x = a == "s"; x = "s" == a; x = a == nil; x = a == true; x = a == 1.5; x = a == 2.0
x = a < 2.0; x = a < 1.5; x = a < 1000; x = 1000 < a
x = a and b; x = a or b; x = a and b or x; x = (a or b) and (x or a)
x = not (a == b); x = not (a < b) and b
if a == b then x = 1 end
if a ~= b then x = 1 else x = 2 end
if a < b and b < x then x = 3 end
if a or b then x = 4 end
if not a then x = 5 end
if a == nil or b == false then x = 6 end
while a < b do a = a + 1 end
x = a == b and "yes" or "no"
x = a > 0 and a or -a
local y = a and nil
local z = nil and a
local w = false or a
x = (a and b) == (b or a)
x = a < b == true
