-- A runtime that keeps 3 MiB.
big = string.rep("x", 3 << 20)
