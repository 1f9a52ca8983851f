-- Reports what a runtime sees of io: its type, package.loaded.io, whether require finds it.
return function()
	return type(io), package.loaded.io == io, (pcall(require, "io"))
end
