-- A callback the instruction budget aborts in an atomic runtime.
return function() while true do end end
