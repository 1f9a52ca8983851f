// SPDX-License-Identifier: GPL-2.0
/*
 * shim_sync.c: mutexes and spin locks for sync.rs. Rust allocates the memory
 * (lk_*_size() bytes, 8-byte aligned) and never moves it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/build_bug.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>

#include "lunatik_rs.h"

static_assert(__alignof__(struct mutex) <= 8);
static_assert(__alignof__(spinlock_t) <= 8);

size_t lk_mutex_size(void)
{
	return sizeof(struct mutex);
}

/* All our mutexes share this call site's lockdep class. */
void lk_mutex_init(struct mutex *lock)
{
	mutex_init(lock);
}

void lk_mutex_destroy(struct mutex *lock)
{
	mutex_destroy(lock);
}

void lk_mutex_lock(struct mutex *lock)
{
	mutex_lock(lock);
}

int lk_mutex_lock_interruptible(struct mutex *lock)
{
	return mutex_lock_interruptible(lock);
}

void lk_mutex_unlock(struct mutex *lock)
{
	mutex_unlock(lock);
}

size_t lk_spinlock_size(void)
{
	return sizeof(spinlock_t);
}

void lk_spin_lock_init(spinlock_t *lock)
{
	spin_lock_init(lock);
}

void lk_spin_lock_bh(spinlock_t *lock)
{
	spin_lock_bh(lock);
}

void lk_spin_unlock_bh(spinlock_t *lock)
{
	spin_unlock_bh(lock);
}

unsigned long lk_spin_lock_irqsave(spinlock_t *lock)
{
	unsigned long flags;

	spin_lock_irqsave(lock, flags);
	return flags;
}

void lk_spin_unlock_irqrestore(spinlock_t *lock, unsigned long flags)
{
	spin_unlock_irqrestore(lock, flags);
}
