/* SPDX-License-Identifier: GPL-2.0 */
/*
 * compat.h: the only file that tests LINUX_VERSION_CODE or CONFIG_*; the .c
 * files call these helpers unconditionally. Supported: Debian's 6.1 and 6.12.
 */
#ifndef LK_COMPAT_H
#define LK_COMPAT_H

#include <linux/version.h>
#include <linux/percpu.h>
#include <asm/page.h>

/*
 * Lowest address of the per-CPU IRQ stack (hardirqs and softirqs run there)
 * if @sp lies on it, else 0.
 *
 * 6.2 moved hardirq_stack_ptr into the exported per-CPU struct pcpu_hot;
 * 6.15 dissolved pcpu_hot again. 6.1 does not export hardirq_stack_ptr, so
 * there (and outside 6.2..6.14) the caller falls back to a budget counted
 * from its entry stack pointer. The pointer holds the stack's top minus 8
 * (arch/x86/kernel/irq_64.c: map_irq_stack()).
 */
#if defined(CONFIG_X86_64) && \
	LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0) && \
	LINUX_VERSION_CODE < KERNEL_VERSION(6, 15, 0)
#include <asm/current.h>
static inline unsigned long lk_compat_irq_stack_bottom(unsigned long sp)
{
	unsigned long top, bottom;

	top = (unsigned long)this_cpu_read(pcpu_hot.hardirq_stack_ptr) + 8;
	bottom = top - IRQ_STACK_SIZE;
	return sp - bottom < IRQ_STACK_SIZE ? bottom : 0;
}
#else
static inline unsigned long lk_compat_irq_stack_bottom(unsigned long sp)
{
	return 0;
}
#endif

/* 6.4 removed the owner argument of class_create(). */
#include <linux/device.h>
#include <linux/module.h>
static inline struct class *lk_compat_class_create(const char *name)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 4, 0)
	return class_create(name);
#else
	return class_create(THIS_MODULE, name);
#endif
}

/* 6.2 made the device argument of struct class's devnode() const. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
#define LK_COMPAT_DEVNODE_CONST const
#else
#define LK_COMPAT_DEVNODE_CONST
#endif

/* 6.12 made hid_driver.report_fixup return a const descriptor. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
#define lk_compat_hid_rdesc const __u8
#else
#define lk_compat_hid_rdesc __u8
#endif

#endif /* LK_COMPAT_H */
