-- Requires a module after load, from an atomic runtime.
return function() return pcall(require, "test.echo") end
