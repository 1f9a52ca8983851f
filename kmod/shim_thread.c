// SPDX-License-Identifier: GPL-2.0
/* shim_thread.c: kernel threads of the thread module (thread.rs). */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/err.h>
#include <linux/kthread.h>
#include <linux/sched.h>
#include <linux/sched/task.h>

#include "lunatik_rs.h"

/*
 * Runs the script, then waits for kthread_stop(), so that the thread is alive
 * whenever it is stopped.
 */
static int lk_thread_fn(void *cookie)
{
	lunatik_rs_thread(cookie);
	for (;;) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (kthread_should_stop())
			break;
		schedule();
	}
	__set_current_state(TASK_RUNNING);
	return 0;
}

/*
 * Starts a thread running lunatik_rs_thread(cookie) and keeps a reference to
 * its task, so that lk_thread_stop() is valid even after the thread returned.
 */
int lk_thread_run(void *cookie, const char *name, struct task_struct **out)
{
	struct task_struct *task;

	task = kthread_create(lk_thread_fn, cookie, "%s", name);
	if (IS_ERR(task))
		return PTR_ERR(task);
	get_task_struct(task);
	*out = task;
	wake_up_process(task);
	return 0;
}

/* Stops the thread, waits for it to return and drops the task reference. */
int lk_thread_stop(struct task_struct *task)
{
	int ret = kthread_stop(task);

	put_task_struct(task);
	return ret;
}

bool lk_thread_should_stop(void)
{
	return kthread_should_stop();
}

bool lk_is_kthread(void)
{
	return current->flags & PF_KTHREAD;
}
