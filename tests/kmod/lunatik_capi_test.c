// SPDX-License-Identifier: GPL-2.0
/*
 * lunatik_capi_test.c: uses the C API of lunatik.ko at load and logs each
 * result as "lunatik_capi_test: <case>: <ret> <value>" for tests/kernel/capi.
 * Calls a softirq runtime from a timer (softirq context) and checks that a
 * process runtime refuses that context.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/completion.h>
#include <linux/module.h>
#include <linux/timer.h>

#include "lunatik.h"

static struct lunatik_runtime *process_rt;
static struct lunatik_runtime *softirq_rt;
static struct timer_list timer;
static DECLARE_COMPLETION(timer_done);
static int softirq_ret, process_from_softirq_ret;
static long long softirq_sum;

static void timer_fn(struct timer_list *t)
{
	struct lunatik_arg args[] = {
		{ .type = LUNATIK_ARG_INTEGER, .integer = 20 },
		{ .type = LUNATIK_ARG_INTEGER, .integer = 22 },
	};

	softirq_ret = lunatik_runtime_call(softirq_rt, "add", args, 2,
					   &softirq_sum);
	process_from_softirq_ret = lunatik_runtime_call(process_rt, "add",
							args, 2, NULL);
	complete(&timer_done);
}

static int __init capi_test_init(void)
{
	struct lunatik_arg ints[] = {
		{ .type = LUNATIK_ARG_INTEGER, .integer = 40 },
		{ .type = LUNATIK_ARG_INTEGER, .integer = 2 },
	};
	struct lunatik_arg str[] = {
		{ .type = LUNATIK_ARG_STRING, .string = "hello", .len = 5 },
	};
	struct lunatik_runtime *missing;
	long long value = 0;
	int ret;

	ret = lunatik_runtime_create("test/capi", LUNATIK_PROCESS, &process_rt);
	pr_info("create: %d\n", ret);
	if (ret)
		return ret;
	ret = lunatik_runtime_call(process_rt, "add", ints, 2, &value);
	pr_info("add: %d %lld\n", ret, value);
	value = 0;
	ret = lunatik_runtime_call(process_rt, "len", str, 1, &value);
	pr_info("len: %d %lld\n", ret, value);
	ret = lunatik_runtime_call(process_rt, "nosuch", NULL, 0, NULL);
	pr_info("missing function: %d\n", ret);
	ret = lunatik_runtime_call(process_rt, "fail", NULL, 0, NULL);
	pr_info("failing function: %d\n", ret);
	ret = lunatik_runtime_create("test/nosuch", LUNATIK_PROCESS, &missing);
	pr_info("missing script: %d\n", ret);
	ret = lunatik_runtime_create("test/capi", 7, &missing);
	pr_info("bad context: %d\n", ret);

	ret = lunatik_runtime_create("test/capi", LUNATIK_SOFTIRQ, &softirq_rt);
	pr_info("create softirq: %d\n", ret);
	if (ret) {
		lunatik_runtime_stop(process_rt);
		return ret;
	}
	timer_setup(&timer, timer_fn, 0);
	mod_timer(&timer, jiffies + 1);
	wait_for_completion(&timer_done);
	pr_info("softirq add: %d %lld\n", softirq_ret, softirq_sum);
	pr_info("process runtime from softirq: %d\n", process_from_softirq_ret);
	return 0;
}

static void __exit capi_test_exit(void)
{
	del_timer_sync(&timer);
	lunatik_runtime_stop(softirq_rt);
	lunatik_runtime_stop(process_rt);
	pr_info("stopped\n");
}

module_init(capi_test_init);
module_exit(capi_test_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Test of the lunatik C API");
