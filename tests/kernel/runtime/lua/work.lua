-- A callback that runs `n` loop iterations: many resumes of it add up past one slice.
return function(n)
	local s = 0
	for i = 1, n do s = s + i end
	return s
end
