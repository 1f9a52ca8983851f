-- Compiled by `lunatik compile` in the guest, then run from its binary chunk.
local n = 0
for i = 1, 10 do
	n = n + i
end
print("compiled body ran", n)
return function(x)
	return x * n
end
