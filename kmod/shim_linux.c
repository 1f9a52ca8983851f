// SPDX-License-Identifier: GPL-2.0
/* shim_linux.c: kernel calls of the linux module (linux.rs). */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpumask.h>
#include <linux/kernel.h>
#include <linux/kprobes.h>
#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/netdevice.h>
#include <linux/random.h>
#include <linux/sched.h>
#include <linux/timekeeping.h>
#include <net/net_namespace.h>
#include <asm/ibt.h>

#include "lunatik_rs.h"

s64 lk_time_ns(void)
{
	return ktime_get_real_ns();
}

/* Monotonic nanoseconds, for time spent inside runtimes. */
u64 lk_clock_ns(void)
{
	return ktime_get_ns();
}

u64 lk_random_u64(void)
{
	return get_random_u64();
}

/*
 * Sleeps in state (TASK_INTERRUPTIBLE, the default for -1, _UNINTERRUPTIBLE,
 * _KILLABLE or _IDLE);
 * returns the milliseconds left if woken early, -EINVAL for another state.
 */
long lk_schedule_ms(long ms, bool forever, int state)
{
	long timeout = forever ? MAX_SCHEDULE_TIMEOUT : msecs_to_jiffies(ms);

	if (state < 0)
		state = TASK_INTERRUPTIBLE;
	if (state != TASK_INTERRUPTIBLE && state != TASK_UNINTERRUPTIBLE &&
	    state != TASK_KILLABLE && state != TASK_IDLE)
		return -EINVAL;
	set_current_state(state);
	timeout = schedule_timeout(timeout);
	return forever ? 0 : jiffies_to_msecs(timeout);
}

/* Turns tracing on (1) or off (0), or leaves it (-1); whether it is on now. */
bool lk_tracing(int on)
{
	if (on > 0)
		tracing_on();
	else if (on == 0)
		tracing_off();
	return tracing_is_on();
}

/*
 * The address of a kernel function, found by registering a disabled kprobe on
 * it (nothing is patched); 0 if there is none or it cannot be probed. Sleeps.
 */
unsigned long lk_lookup(const char *name)
{
	struct kprobe kp = { .symbol_name = name, .flags = KPROBE_FLAG_DISABLED };
	unsigned long addr;

	if (register_kprobe(&kp))
		return 0;
	addr = (unsigned long)kp.addr;
	unregister_kprobe(&kp);
	/* With IBT, kprobes sit after the function's ENDBR: give its start. */
	if (IS_ENABLED(CONFIG_X86_KERNEL_IBT) && is_endbr(*(u32 *)(addr - ENDBR_INSN_SIZE)))
		addr -= ENDBR_INSN_SIZE;
	return addr;
}

/* Copies the hardware address of interface ifindex; its length, or -ENODEV. */
int lk_ifaddr(int ifindex, u8 *buf, size_t len)
{
	struct net_device *dev = dev_get_by_index(&init_net, ifindex);
	int n;

	if (!dev)
		return -ENODEV;
	n = min_t(size_t, dev->addr_len, len);
	memcpy(buf, dev->dev_addr, n);
	dev_put(dev);
	return n;
}

int lk_ifindex(const char *name)
{
	struct net_device *dev = dev_get_by_name(&init_net, name);
	int ifindex;

	if (!dev)
		return -ENODEV;
	ifindex = dev->ifindex;
	dev_put(dev);
	return ifindex;
}

unsigned int lk_numcpus(void)
{
	return nr_cpu_ids;
}
