-- Reads and writes a shared table from a softirq or hardirq runtime: sets `k` to `v`
-- (nil: removes it) and returns what it reads back, and the table's `shared` entry.
return function(t, k, v)
	t[k] = v
	return t[k], t.shared
end
