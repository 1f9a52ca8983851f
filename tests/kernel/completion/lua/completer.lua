-- Completes a completion from an atomic runtime, or tries to wait there.
return function(c, wait)
	if wait then
		return c:wait(0)
	end
	c:complete()
	return true
end
