-- A softirq runtime whose body makes a socket: refused although the body runs in process context.
local socket = require("socket")
local sk = require("linux.socket")
socket.new(sk.af.INET, sk.sock.DGRAM, sk.ipproto.UDP)
