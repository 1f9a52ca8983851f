-- Pushes into a queue from a hardirq runtime.
return function(q, s)
	q:push(s)
	return q:pop(1)
end
