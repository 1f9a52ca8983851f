-- Writes into a data object it receives: a runtime sharing its creator's buffer.
return function(d, off, v)
	d:setuint8(off, v)
	return d:getuint8(off), #d
end
