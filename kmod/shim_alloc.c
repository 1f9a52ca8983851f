// SPDX-License-Identifier: GPL-2.0
/*
 * shim_alloc.c: the kmalloc family for the Rust global allocator, and the
 * per-CPU atomic scope that makes allocations use GFP_ATOMIC (alloc.rs).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/percpu.h>
#include <linux/preempt.h>
#include <linux/slab.h>

#include "lunatik_rs.h"

/*
 * Depth of atomic scopes on this CPU. A scope disables preemption for its
 * whole life, so the count is only ever non-zero on the CPU that entered it,
 * and code that nests on top of it (an interrupt) sees it too.
 */
static DEFINE_PER_CPU(unsigned int, lk_atomic_depth);

static inline gfp_t lk_gfp(bool atomic)
{
	return (atomic ? GFP_ATOMIC : GFP_KERNEL) | __GFP_NOWARN;
}

void *lk_kmalloc(size_t size, bool atomic)
{
	return kmalloc(size, lk_gfp(atomic));
}

void *lk_krealloc(void *ptr, size_t size, bool atomic)
{
	return krealloc(ptr, size, lk_gfp(atomic));
}

void lk_kfree(const void *ptr)
{
	kfree(ptr);
}

/*
 * True inside an atomic scope, and wherever the kernel knows it may not
 * sleep (both Debian kernels have CONFIG_PREEMPT_COUNT, so this covers
 * spin locks, softirq and hardirq taken by code that is not ours).
 */
bool lk_cannot_sleep(void)
{
	return this_cpu_read(lk_atomic_depth) != 0 || !preemptible();
}

void lk_atomic_scope_enter(void)
{
	preempt_disable();
	this_cpu_inc(lk_atomic_depth);
}

void lk_atomic_scope_exit(void)
{
	this_cpu_dec(lk_atomic_depth);
	preempt_enable();
}
