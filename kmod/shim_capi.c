// SPDX-License-Identifier: GPL-2.0
/*
 * shim_capi.c: the C API of include/lunatik.h, exported to other modules.
 * Each function passes straight to capi.rs.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/export.h>
#include <linux/string.h>

#include "lunatik.h"
#include "lunatik_rs.h"

int lunatik_runtime_create(const char *script, enum lunatik_context context,
			   struct lunatik_runtime **runtime)
{
	return lunatik_rs_capi_create(script, strlen(script), context,
				      (void **)runtime);
}
EXPORT_SYMBOL_GPL(lunatik_runtime_create);

int lunatik_runtime_call(struct lunatik_runtime *runtime, const char *function,
			 const struct lunatik_arg *args, size_t nargs,
			 long long *result)
{
	return lunatik_rs_capi_call(runtime, function, strlen(function), args,
				    nargs, result);
}
EXPORT_SYMBOL_GPL(lunatik_runtime_call);

void lunatik_runtime_stop(struct lunatik_runtime *runtime)
{
	lunatik_rs_capi_stop(runtime);
}
EXPORT_SYMBOL_GPL(lunatik_runtime_stop);
