-- A thread body whose error message is longer than one stack-formatted log line.
return function()
	error(string.rep("x", 600) .. "END")
end
