// SPDX-License-Identifier: GPL-2.0
/* shim_linux.c: kernel calls of the linux module (linux.rs). */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpumask.h>
#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/netdevice.h>
#include <linux/random.h>
#include <linux/sched.h>
#include <linux/timekeeping.h>
#include <net/net_namespace.h>

#include "lunatik_rs.h"

s64 lk_time_ns(void)
{
	return ktime_get_real_ns();
}

u64 lk_random_u64(void)
{
	return get_random_u64();
}

/* Sleeps interruptibly; returns the milliseconds left if woken early. */
long lk_schedule_ms(long ms, bool forever)
{
	long timeout = forever ? MAX_SCHEDULE_TIMEOUT : msecs_to_jiffies(ms);

	set_current_state(TASK_INTERRUPTIBLE);
	timeout = schedule_timeout(timeout);
	return forever ? 0 : jiffies_to_msecs(timeout);
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
