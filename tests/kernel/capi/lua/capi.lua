-- Globals called through the C API by lunatik_capi_test.ko.
function add(a, b) return a + b end
function len(s) return #s end
function fail() error("capi failure") end
