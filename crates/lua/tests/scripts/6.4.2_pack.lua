-- §6.4.2 string.pack, string.unpack and string.packsize: every format option,
-- endianness, alignment, limits and errors.

local function err(f, expect, what)
  local ok, msg = pcall(f)
  assert(not ok, what .. ": expected an error")
  msg = tostring(msg):gsub("^[^:]*:%d+: ", "")
  assert(msg == expect, what .. ": got error '" .. msg .. "', expected '" .. expect .. "'")
end

local function bytes(s) return table.concat({s:byte(1, -1)}, " ") end
local pack, unpack, packsize = string.pack, string.unpack, string.packsize

-- Integers of every size, both endiannesses.
do
  assert(bytes(pack("<i4", 1)) == "1 0 0 0", "little-endian i4")
  assert(bytes(pack(">i4", 1)) == "0 0 0 1", "big-endian i4")
  assert(bytes(pack("<i2", -2)) == "254 255", "negative i2")
  assert(bytes(pack(">I2", 0xABCD)) == "171 205", "unsigned I2")
  assert(bytes(pack("<i8", math.mininteger)) == "0 0 0 0 0 0 0 128", "mininteger")
  assert(bytes(pack("b", -1)) == "255" and bytes(pack("B", 255)) == "255", "b and B")
  assert(bytes(pack("<i3", -1)) == "255 255 255", "3-byte integer")
  assert(bytes(pack("<i16", -1)) == ("255 "):rep(15) .. "255", "16-byte integer sign-extends")
  assert(bytes(pack("<I16", 1)) == "1" .. (" 0"):rep(15), "16-byte unsigned")
  for _, size in ipairs({1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 16}) do
    for _, v in ipairs({0, 1, -1, 127, -128}) do
      for _, e in ipairs({"<", ">", "="}) do
        local fmt = e .. "i" .. size
        local s = pack(fmt, v)
        assert(#s == size, fmt .. " size")
        local got, nextpos = unpack(fmt, s)
        assert(got == v and nextpos == size + 1, string.format("%s round-trip of %d", fmt, v))
      end
    end
  end
  for _, v in ipairs({0, 1, 0x7f, 0x7fff, 0x7fffffff, math.maxinteger, math.mininteger, -0x80000000}) do
    assert(unpack("<j", pack("<j", v)) == v and unpack(">J", pack(">J", v)) == v, "j/J round-trip of " .. v)
  end
  assert(unpack("<i3", "\255\255\255") == -1 and unpack("<I3", "\255\255\255") == 16777215, "sign of 3-byte values")
  assert(unpack("<i9", ("\255"):rep(9)) == -1, "9-byte -1 fits")
  err(function() return unpack("<i9", ("\0"):rep(8) .. "\1") end, "9-byte integer does not fit into Lua Integer", "9-byte overflow")
  err(function() return pack("i1", 200) end, "bad argument #2 to 'pack' (integer overflow)", "i1 overflow")
  err(function() return pack("i2", 40000) end, "bad argument #2 to 'pack' (integer overflow)", "i2 overflow")
  err(function() return pack("I1", -1) end, "bad argument #2 to 'pack' (unsigned overflow)", "I1 with -1")
  err(function() return pack("i17", 1) end, "integral size (17) out of limits [1,16]", "i17")
  err(function() return pack("i0", 1) end, "integral size (0) out of limits [1,16]", "i0")
  err(function() return pack("i4", "x") end, "bad argument #2 to 'pack' (number expected, got string)", "non-number")
  err(function() return pack("i4", 1.5) end, "bad argument #2 to 'pack' (number has no integer representation)", "non-integral float")
  assert(unpack("i4", pack("i4", "12")) == 12, "numeric string argument")
  assert(unpack("i4", pack("i4", 3.0)) == 3, "integral float argument")
end

-- Native sizes.
do
  assert(packsize("b") == 1 and packsize("h") == 2 and packsize("i") == 4, "b h i")
  assert(packsize("l") == 8 and packsize("j") == 8 and packsize("T") == 8, "l j T on a 64-bit host")
  assert(packsize("f") == 4 and packsize("d") == 8 and packsize("n") == 8, "f d n")
  assert(packsize("") == 0 and packsize("i4i8") == 12, "no alignment by default")
  assert(packsize("!8i4i8") == 16, "!8 aligns i8")
  assert(packsize("!i1i8") == 16, "! uses the native maximum alignment")
  assert(packsize("<i2 >i2 =i2") == 6, "spaces are ignored")
  assert(packsize("c10") == 10 and packsize("x") == 1 and packsize("i4x") == 5, "c and x")
  assert(packsize("bBhHlLjJTfdn") == 66, "every fixed option")
  err(function() return packsize("s") end, "bad argument #1 to 'packsize' (variable-length format)", "packsize of s")
  err(function() return packsize("z") end, "bad argument #1 to 'packsize' (variable-length format)", "packsize of z")
  err(function() return packsize("y") end, "invalid format option 'y'", "unknown option")
  err(function() return packsize("!17") end, "integral size (17) out of limits [1,16]", "alignment too large")
end

-- Floats.
do
  for _, v in ipairs({0.0, -0.0, 1.5, -2.25, 1e100, -1e-100, math.huge, -math.huge, math.pi}) do
    assert(unpack("<d", pack("<d", v)) == v, "d round-trip")
    assert(unpack(">n", pack(">n", v)) == v, "n round-trip")
  end
  assert(unpack("<f", pack("<f", 1.5)) == 1.5 and unpack(">f", pack(">f", -0.25)) == -0.25, "f round-trip of exact values")
  assert(math.abs(unpack("f", pack("f", 0.1)) - 0.1) < 1e-7, "f rounds to single precision")
  local nan = unpack("d", pack("d", 0 / 0))
  assert(nan ~= nan, "NaN round-trip")
  assert(bytes(pack(">d", 1.0)) == "63 240 0 0 0 0 0 0", "big-endian double 1.0")
  assert(bytes(pack("<f", 1.0)) == "0 0 128 63", "little-endian float 1.0")
  assert(math.type(unpack("d", pack("d", 3))) == "float", "integers are packed as floats by d")
end

-- Strings: s[n], z, c[n].
do
  local s = pack("s1", "hello")
  assert(bytes(s) == "5 104 101 108 108 111", "s1 has a one-byte length")
  assert(unpack("s1", s) == "hello", "s1 round-trip")
  assert(unpack("<s2", pack("<s2", ("x"):rep(300))) == ("x"):rep(300), "s2 with a long string")
  assert(#pack("s", "abc") == 8 + 3, "s uses size_t")
  assert(pack("z", "abc") == "abc\0" and unpack("z", "abc\0rest") == "abc", "z")
  assert(pack("c5", "ab") == "ab\0\0\0", "c pads with zeros")
  assert(unpack("c3", "abcdef") == "abc", "c unpack")
  assert(pack("c0", "") == "", "c0")
  local a, b, c, nxt = unpack("z s1 c2", pack("z s1 c2", "one", "two", "xy"))
  assert(a == "one" and b == "two" and c == "xy" and nxt == 4 + 4 + 2 + 1, "mixed strings")
  err(function() return pack("z", "a\0b") end, "bad argument #2 to 'pack' (string contains zeros)", "z with a zero")
  err(function() return pack("s1", ("x"):rep(256)) end, "bad argument #2 to 'pack' (string length does not fit in given size)", "s1 too long")
  err(function() return pack("c2", "abc") end, "bad argument #2 to 'pack' (string longer than given size)", "c2 too long")
  err(function() return unpack("z", "abc") end, "bad argument #2 to 'unpack' (unfinished string for format 'z')", "unterminated z")
  err(function() return unpack("c", "abc") end, "missing size for format option 'c'", "c without size")
end

-- Alignment and padding.
do
  assert(bytes(pack(">!4 i1 Xi4 i4", 1, 2)) == "1 0 0 0 0 0 0 2", "X aligns to the next option")
  assert(bytes(pack("<!4 i1 i4", 1, 2)) == "1 0 0 0 2 0 0 0", "! aligns i4 to 4")
  assert(bytes(pack("<!2 i1 i4", 1, 2)) == "1 0 2 0 0 0", "! caps alignment at 2")
  assert(bytes(pack("i1 x i1", 1, 2)) == "1 0 2", "x adds a zero byte")
  assert(bytes(pack("<!2 i1 Xi2", 1)) == "1 0" and bytes(pack("<i1 Xi2", 1)) == "1", "Xi2 pads only up to the maximum alignment")
  local a, b = unpack("<!4 i1 i4", pack("<!4 i1 i4", 7, 9))
  assert(a == 7 and b == 9, "aligned unpack")
  err(function() return pack("Xz", 1) end, "bad argument #1 to 'pack' (invalid next option for option 'X')", "X before z")
  err(function() return pack("!3 i4", 1) end, "bad argument #1 to 'pack' (format asks for alignment not power of 2)", "alignment of 3")
end

-- unpack positions.
do
  local s = pack("i1 i1 i1", 1, 2, 3)
  local v, p = unpack("i1", s, 2)
  assert(v == 2 and p == 3, "unpack from a position")
  v, p = unpack("i1", s, -1)
  assert(v == 3 and p == 4, "negative position")
  local r = table.pack(unpack("i1 i1 i1", s))
  assert(r.n == 4 and r[4] == 4, "unpack returns the next position last")
  assert(select("#", unpack("", "abc")) == 1 and unpack("", "abc") == 1, "empty format")
  assert(unpack("", "abc", 4) == 4, "position #s+1")
  err(function() return unpack("b", "x", 3) end, "bad argument #3 to 'unpack' (initial position out of string)", "position past the end")
  err(function() return unpack("i4", "abc") end, "bad argument #2 to 'unpack' (data string too short)", "data too short")
  err(function() return unpack("i4", "abcd", 2) end, "bad argument #2 to 'unpack' (data string too short)", "data too short from a position")
end
