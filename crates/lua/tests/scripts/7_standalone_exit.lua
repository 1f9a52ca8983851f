-- §7/§6.9 os.exit ends the script with the given status; pending output is flushed.
--[[ expect:
exiting
]]
-- expect-status: 3
io.write("exiting\n")
os.exit(3)
print("not reached")
