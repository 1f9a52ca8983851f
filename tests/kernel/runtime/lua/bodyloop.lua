-- A body that never ends.
while true do end
