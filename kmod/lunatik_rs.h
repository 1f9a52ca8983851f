/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lunatik_rs.h: the whole border between the C shim and the Rust staticlib.
 *
 * lk_* functions are implemented in C (kmod/shim_*.c) and called from Rust;
 * lunatik_rs_* functions are implemented in Rust (crates/kernel) and called
 * from C. crates/kernel/src/ffi.rs mirrors this file: change both together.
 * Only scalars and opaque pointers cross; C never sees a Rust type and Rust
 * never sees a kernel struct's layout.
 */
#ifndef LUNATIK_RS_H
#define LUNATIK_RS_H

#include <linux/types.h>
#include <linux/compiler.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>

/* Log levels of lk_printk(). */
enum lk_log_level {
	LK_LOG_ERR = 3,
	LK_LOG_WARNING = 4,
	LK_LOG_INFO = 6,
	LK_LOG_DEBUG = 7,
};

/* shim_alloc.c: kmalloc family, always with __GFP_NOWARN. */
void *lk_kmalloc(size_t size, bool atomic);
void *lk_krealloc(void *ptr, size_t size, bool atomic);
void lk_kfree(const void *ptr);
bool lk_cannot_sleep(void);
void lk_atomic_scope_enter(void);
void lk_atomic_scope_exit(void);

/* shim_print.c */
void lk_printk(int level, const char *text, size_t len);
/* Declared as returning: see panic.rs for why. */
void lk_bug(void);

/* shim_stack.c */
unsigned long lk_stack_bottom(void);

/* shim_sync.c: the caller owns the memory (size from lk_*_size(), align 8). */
size_t lk_mutex_size(void);
void lk_mutex_init(struct mutex *lock);
void lk_mutex_destroy(struct mutex *lock);
void lk_mutex_lock(struct mutex *lock);
int lk_mutex_lock_interruptible(struct mutex *lock);
void lk_mutex_unlock(struct mutex *lock);
size_t lk_spinlock_size(void);
void lk_spin_lock_init(spinlock_t *lock);
void lk_spin_lock_bh(spinlock_t *lock);
void lk_spin_unlock_bh(spinlock_t *lock);
unsigned long lk_spin_lock_irqsave(spinlock_t *lock);
void lk_spin_unlock_irqrestore(spinlock_t *lock, unsigned long flags);

/* shim_control.c: /dev/lunatik and user copies. */
int lk_control_register(void *control);
void lk_control_deregister(void);
unsigned long lk_copy_from_user(void *dst, const void __user *src,
				unsigned long len);
unsigned long lk_copy_to_user(void __user *dst, const void *src,
			      unsigned long len);

/* Rust entry points (crates/kernel). */
int lunatik_rs_init(void **module);
void lunatik_rs_exit(void *module);
long lunatik_rs_live_allocations(void);
int lunatik_rs_open(void *control, void **file);
void lunatik_rs_release(void *control, void *file);
ssize_t lunatik_rs_read(void *control, void *file, char __user *buf,
			size_t len);
ssize_t lunatik_rs_write(void *control, void *file, const char __user *buf,
			 size_t len);

#endif /* LUNATIK_RS_H */
