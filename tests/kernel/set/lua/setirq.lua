-- Looks up a shared set from a hardirq runtime.
return function(s, l)
	return s:has("b"), l:match("x.example.com"), #s
end
