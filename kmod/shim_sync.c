// SPDX-License-Identifier: GPL-2.0
/*
 * shim_sync.c: mutexes and spin locks for sync.rs, completions for the
 * completion module. Rust allocates the memory
 * (lk_*_size() bytes, 8-byte aligned) and never moves it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/build_bug.h>
#include <linux/completion.h>
#include <linux/jiffies.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>

#include "lunatik_rs.h"

static_assert(__alignof__(struct mutex) <= 8);
static_assert(__alignof__(spinlock_t) <= 8);
static_assert(__alignof__(struct completion) <= 8);

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

int lk_mutex_trylock(struct mutex *lock)
{
	return mutex_trylock(lock);
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

bool lk_spin_trylock_bh(spinlock_t *lock)
{
	return spin_trylock_bh(lock);
}

bool lk_spin_trylock_irqsave(spinlock_t *lock, unsigned long *flags)
{
	unsigned long saved;

	if (!spin_trylock_irqsave(lock, saved))
		return false;
	*flags = saved;
	return true;
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

size_t lk_completion_size(void)
{
	return sizeof(struct completion);
}

void lk_completion_init(struct completion *c)
{
	init_completion(c);
}

void lk_complete(struct completion *c)
{
	complete(c);
}

/*
 * Waits for c at most ms milliseconds (0 polls): > 0 once completed, 0 on
 * timeout, -ERESTARTSYS if a signal came first.
 */
long lk_completion_wait(struct completion *c, unsigned int ms)
{
	return wait_for_completion_interruptible_timeout(c, msecs_to_jiffies(ms));
}
