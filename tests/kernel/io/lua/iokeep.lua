-- Opens files and keeps them open in a global: stopping the runtime must close them.
kept = {}
for i = 1, 10 do
	kept[i] = io.open("/tmp/io/keep" .. i, "w+")
	kept[i]:write("kept ", i)
end
kept.reader = io.open("/tmp/io/keep1")
kept.reader:read(1)
return function()
	return #kept
end
