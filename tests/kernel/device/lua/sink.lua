-- Takes whatever it is given.
return function(...) return select("#", ...) end
