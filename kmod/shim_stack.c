// SPDX-License-Identifier: GPL-2.0
/* shim_stack.c: bounds of the stack the caller runs on, for stack.rs. */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/sched.h>
#include <linux/sched/task_stack.h>
#include <asm/asm.h>

#include "compat.h"
#include "lunatik_rs.h"

/*
 * Lowest usable address of the current stack: the task's stack, or the
 * per-CPU IRQ stack where the kernel exposes it; 0 when unknown.
 */
unsigned long lk_stack_bottom(void)
{
	unsigned long sp = current_stack_pointer;
	unsigned long task = (unsigned long)task_stack_page(current);

	if (sp - task < THREAD_SIZE)
		return task;
	return lk_compat_irq_stack_bottom(sp);
}
