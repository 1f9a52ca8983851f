// SPDX-License-Identifier: GPL-2.0
/*
 * shim_runtime.c: what runtime.rs needs from the scheduler (cond_resched,
 * signals, the context it runs in), the module parameters that size a
 * runtime, and the work item that drops objects released in atomic context.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/hardirq.h>
#include <linux/irqflags.h>
#include <linux/moduleparam.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/workqueue.h>

#include <linux/mm.h>

#include "lunatik_rs.h"

static unsigned long memory_limit = 4UL << 20;
module_param(memory_limit, ulong, 0644);
MODULE_PARM_DESC(memory_limit,
		 "Bytes a new runtime may allocate (0: no limit; default 4 MiB)");

static unsigned long fuel_slice = 100000;
module_param(fuel_slice, ulong, 0644);
MODULE_PARM_DESC(fuel_slice,
		 "Instructions a runtime runs before it yields or aborts (default 100000)");

static bool allow_binary;
module_param(allow_binary, bool, 0644);
MODULE_PARM_DESC(allow_binary,
		 "Runtimes created from now on load binary chunks (checked by the bytecode verifier)");

static bool stats = true;
module_param(stats, bool, 0644);
MODULE_PARM_DESC(stats,
		 "Count entries, time and instructions per runtime (lunatik list -v; default Y)");

static unsigned long total_memory_limit;
module_param(total_memory_limit, ulong, 0444);
MODULE_PARM_DESC(total_memory_limit,
		 "Bytes all of lunatik may allocate, read at load (0, the default: a quarter of RAM)");

void lk_cond_resched(void)
{
	cond_resched();
}

bool lk_fatal_signal_pending(void)
{
	return fatal_signal_pending(current);
}

bool lk_irqs_disabled(void)
{
	return irqs_disabled();
}

bool lk_in_hardirq(void)
{
	return in_hardirq() || in_nmi();
}

void *lk_current_task(void)
{
	return current;
}

unsigned long lk_param_memory_limit(void)
{
	return READ_ONCE(memory_limit);
}

bool lk_param_allow_binary(void)
{
	return READ_ONCE(allow_binary);
}

bool lk_param_stats(void)
{
	return READ_ONCE(stats);
}

unsigned long lk_param_total_memory_limit(void)
{
	if (total_memory_limit)
		return total_memory_limit;
	return (totalram_pages() << PAGE_SHIFT) / 4;
}

unsigned long lk_param_fuel_slice(void)
{
	return READ_ONCE(fuel_slice);
}

static void lk_work_fn(struct work_struct *work)
{
	lunatik_rs_deferred_work();
}

static DECLARE_WORK(lk_work, lk_work_fn);

void lk_work_schedule(void)
{
	schedule_work(&lk_work);
}

void lk_work_flush(void)
{
	flush_work(&lk_work);
}
