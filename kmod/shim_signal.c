// SPDX-License-Identifier: GPL-2.0
/* shim_signal.c: signals of the current task, for the signal module (signal.rs). */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/irqflags.h>
#include <linux/pid.h>
#include <linux/rcupdate.h>
#include <linux/sched/signal.h>
#include <linux/signal.h>

#include "lunatik_rs.h"

/* Blocks (how 0), unblocks (1) or sets the mask to (2) just sig. */
int lk_signal_mask(int sig, int how)
{
	sigset_t set;

	if (sig < 1 || sig > _NSIG)
		return -EINVAL;
	/* sigprocmask takes siglock with spin_lock_irq: never with IRQs off. */
	if (irqs_disabled())
		return -EPERM;
	sigemptyset(&set);
	sigaddset(&set, sig);
	return sigprocmask(how, &set, NULL);
}

bool lk_signal_pending(void)
{
	return signal_pending(current);
}

/* Whether sig is blocked (which 0) or pending (1) for the current task. */
bool lk_signal_state(int sig, int which)
{
	if (sig < 1 || sig > _NSIG)
		return false;
	if (which == 0)
		return sigismember(&current->blocked, sig);
	return sigismember(&current->pending.signal, sig) ||
	       sigismember(&current->signal->shared_pending.signal, sig);
}

/* Sends sig to the process pid of the current pid namespace. */
int lk_signal_kill(int pid, int sig)
{
	struct pid *p;
	int ret;

	rcu_read_lock();
	p = find_vpid(pid);
	ret = p ? kill_pid(p, sig, 1) : -ESRCH;
	rcu_read_unlock();
	return ret;
}
