return function() error("inside") end
