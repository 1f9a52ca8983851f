-- A thread body that never checks thread.shouldstop(): unloading must still stop it.
return function() while true do end end
