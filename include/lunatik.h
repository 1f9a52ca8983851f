/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lunatik.h: the C API of lunatik.ko for other kernel modules.
 *
 * A runtime runs /lib/modules/lua/<script>.lua when created (process context);
 * its globals can then be called, with integer and string arguments, under the
 * runtime's lock, from any context its kind allows (process runtimes: where
 * sleeping is allowed; softirq runtimes: with interrupts on; hardirq: anywhere).
 * Every function returns 0 or a negative errno. Symbols are EXPORT_SYMBOL_GPL.
 */
#ifndef LUNATIK_H
#define LUNATIK_H

#include <linux/types.h>

struct lunatik_runtime;

enum lunatik_context {
	LUNATIK_PROCESS = 0,	/* mutex, GFP_KERNEL, may sleep */
	LUNATIK_SOFTIRQ = 1,	/* spin_lock_bh, GFP_ATOMIC */
	LUNATIK_HARDIRQ = 2,	/* spin_lock_irqsave, GFP_ATOMIC */
};

enum lunatik_arg_type {
	LUNATIK_ARG_INTEGER = 0,
	LUNATIK_ARG_STRING = 1,
};

/* One argument of lunatik_runtime_call(). */
struct lunatik_arg {
	enum lunatik_arg_type type;
	long long integer;	/* LUNATIK_ARG_INTEGER */
	const char *string;	/* LUNATIK_ARG_STRING: @len bytes, NUL not needed */
	size_t len;
};

/*
 * Creates a runtime for @script in @context and runs the script's body.
 * Process context. Errors: -EINVAL (bad name or context), -ENOEXEC (the
 * script failed: its message and traceback are logged), -ENOMEM.
 */
int lunatik_runtime_create(const char *script, enum lunatik_context context,
			   struct lunatik_runtime **runtime);

/*
 * Calls the global function @function of @runtime with @nargs arguments under
 * the runtime's lock. If @result is not NULL it receives the first result when
 * that is an integer (else it is left alone). Errors: -ENOENT (no such global
 * function), -ECANCELED (the function raised an error, logged), -ESHUTDOWN
 * (runtime stopped), -EPERM (wrong context for this runtime), -EDEADLK (called
 * from inside the runtime), -EINTR, -ENOMEM.
 */
int lunatik_runtime_call(struct lunatik_runtime *runtime, const char *function,
			 const struct lunatik_arg *args, size_t nargs,
			 long long *result);

/*
 * Stops @runtime (waiting for a call in progress) and drops the caller's
 * reference; @runtime must not be used afterwards. Process context.
 */
void lunatik_runtime_stop(struct lunatik_runtime *runtime);

#endif /* LUNATIK_H */
