error("bad body")
