-- Yields back what it is given ("table" yields a table); "fail" raises instead.
return function(what)
	while true do
		if what == "fail" then
			error("failed on purpose")
		end
		what = coroutine.yield(what == "table" and {} or what)
	end
end
