local s = "The quick brown fox"
return s:upper(), s:lower(), s:len(), s:sub(-3), s:sub(5, 9), s:sub(0), s:sub(100), s:byte(1, -1), string.char(72, 105), s:reverse(), ("%d"):format(3), ("x"):rep(3, ", "), #tostring(12345), tostring(nil), tostring(true), s < "Z", "a" < "b", "" == "", "\u{48}\65\x42\z
        end", pcall(string.char, 256), pcall(string.char, -1)
