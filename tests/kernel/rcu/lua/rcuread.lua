-- Reads entry `k` of a shared table (for the class guard of objects in atomic runtimes).
return function(t, k)
	return t[k]
end
