// SPDX-License-Identifier: GPL-2.0
/* shim_cpu.c: CPU masks and per-CPU time statistics for the cpu module (cpu.rs). */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpumask.h>
#include <linux/kernel_stat.h>

#include "lunatik_rs.h"

static const struct cpumask *lk_cpu_mask(int which)
{
	switch (which) {
	case LK_CPU_PRESENT:
		return cpu_present_mask;
	case LK_CPU_ONLINE:
		return cpu_online_mask;
	default:
		return cpu_possible_mask;
	}
}

unsigned int lk_cpu_count(int which)
{
	return cpumask_weight(lk_cpu_mask(which));
}

/* The first CPU of the mask after prev (-1: the first); nr_cpu_ids if none. */
unsigned int lk_cpu_next(int which, int prev)
{
	return cpumask_next(prev, lk_cpu_mask(which));
}

/*
 * Cumulative times of an online CPU, in nanoseconds, in the order of enum
 * lk_cpu_stat; returns how many were written (0 if the CPU is offline).
 */
int lk_cpu_stats(unsigned int cpu, u64 *out, int n)
{
	static const int index[] = {
		CPUTIME_USER, CPUTIME_NICE, CPUTIME_SYSTEM, CPUTIME_IDLE,
		CPUTIME_IOWAIT, CPUTIME_IRQ, CPUTIME_SOFTIRQ, CPUTIME_STEAL,
		CPUTIME_GUEST, CPUTIME_GUEST_NICE,
#ifdef CONFIG_SCHED_CORE
		CPUTIME_FORCEIDLE,
#endif
	};
	struct kernel_cpustat stat;
	int i;

	if (cpu >= nr_cpu_ids || !cpu_online(cpu))
		return 0;
	kcpustat_cpu_fetch(&stat, cpu);
	for (i = 0; i < n && i < ARRAY_SIZE(index); i++)
		out[i] = stat.cpustat[index[i]];
	return i;
}
