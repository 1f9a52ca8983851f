// SPDX-License-Identifier: GPL-2.0
/* shim_thread.c: kernel threads of the thread module (thread.rs). */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/err.h>
#include <linux/kthread.h>
#include <linux/pid.h>
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

/* The current task, with a reference for lk_task_put(). */
struct task_struct *lk_task_get_current(void)
{
	get_task_struct(current);
	return current;
}

void lk_task_put(struct task_struct *task)
{
	put_task_struct(task);
}

/*
 * The task's pid and tgid (in the initial namespace), the CPU it runs or last
 * ran on, and its command (NUL-terminated, at most len bytes with the NUL).
 */
void lk_task_info(struct task_struct *task, int *pid, int *tgid, int *cpu,
		  char *comm, size_t len)
{
	*pid = task_pid_nr(task);
	*tgid = task_tgid_nr(task);
	*cpu = task_cpu(task);
	__get_task_comm(comm, len, task);
}
