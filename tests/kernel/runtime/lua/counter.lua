-- Keeps a running sum across resumes by yielding it: runtime:resume continues a coroutine.
return function(x)
	local sum = 0
	while x do
		sum = sum + x
		x = coroutine.yield(sum)
	end
	return "done", sum
end
