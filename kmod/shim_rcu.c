// SPDX-License-Identifier: GPL-2.0
/*
 * shim_rcu.c: RCU read sections, grace-period callbacks and bucket arrays for
 * the rcu module (modules/rcu.rs). The entries and their lists are Rust's; C
 * only brackets readers, queues the callback and allocates the array.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/build_bug.h>
#include <linux/gfp.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>

#include "lunatik_rs.h"

/* Rust reserves LK_RCU_HEAD_SIZE bytes, 8-aligned, for each entry's head. */
static_assert(sizeof(struct rcu_head) == LK_RCU_HEAD_SIZE);
static_assert(__alignof__(struct rcu_head) <= 8);

void lk_rcu_read_lock(void)
{
	rcu_read_lock();
}

void lk_rcu_read_unlock(void)
{
	rcu_read_unlock();
}

static void lk_rcu_callback(struct rcu_head *head)
{
	lunatik_rs_rcu_free(head);
}

void lk_call_rcu(struct rcu_head *head)
{
	call_rcu(head, lk_rcu_callback);
}

void lk_rcu_barrier(void)
{
	rcu_barrier();
}

/*
 * A zeroed array of n elements of size bytes; vmalloc may serve it only where
 * the caller may sleep (kvmalloc falls back to kmalloc alone otherwise).
 */
void *lk_kvcalloc(size_t n, size_t size, bool atomic)
{
	return kvcalloc(n, size, (atomic ? GFP_ATOMIC : GFP_KERNEL) | __GFP_NOWARN);
}

void lk_kvfree(const void *ptr)
{
	kvfree(ptr);
}
