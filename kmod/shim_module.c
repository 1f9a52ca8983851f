// SPDX-License-Identifier: GPL-2.0
/*
 * shim_module.c: module entry and exit, and the read-only live_allocations
 * and memory_in_use parameters (/sys/module/lunatik/parameters/).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/moduleparam.h>

#include "lunatik_rs.h"
#include "version.h"

static void *lk_module;

static int lk_live_allocations_get(char *buffer,
				   const struct kernel_param *kp)
{
	return sysfs_emit(buffer, "%ld\n", lunatik_rs_live_allocations());
}

static const struct kernel_param_ops lk_live_allocations_ops = {
	.get = lk_live_allocations_get,
};
module_param_cb(live_allocations, &lk_live_allocations_ops, NULL, 0444);
MODULE_PARM_DESC(live_allocations,
		 "Allocations made by the Rust side and not yet freed");

static int lk_memory_in_use_get(char *buffer, const struct kernel_param *kp)
{
	return sysfs_emit(buffer, "%lu\n", lunatik_rs_memory_in_use());
}

static const struct kernel_param_ops lk_memory_in_use_ops = {
	.get = lk_memory_in_use_get,
};
module_param_cb(memory_in_use, &lk_memory_in_use_ops, NULL, 0444);
MODULE_PARM_DESC(memory_in_use,
		 "Bytes allocated by the Rust side and not yet freed (see total_memory_limit)");

static int lk_stack_left_get(char *buffer, const struct kernel_param *kp)
{
	return lunatik_rs_stack_report(buffer, PAGE_SIZE);
}

static const struct kernel_param_ops lk_stack_left_ops = {
	.get = lk_stack_left_get,
};
module_param_cb(stack_left, &lk_stack_left_ops, NULL, 0444);
MODULE_PARM_DESC(stack_left,
		 "Fewest bytes of stack seen left at each kind of runtime entry");

static int __init lk_init(void)
{
	return lunatik_rs_init(&lk_module);
}

static void __exit lk_exit(void)
{
	lunatik_rs_exit(lk_module);
}

module_init(lk_init);
module_exit(lk_exit);
MODULE_LICENSE("GPL");
MODULE_VERSION(LUNATIK_RS_VERSION);
MODULE_DESCRIPTION("Lua scripting in the kernel (lunatik-rs)");
