// SPDX-License-Identifier: GPL-2.0
/*
 * shim_worker.c: runs a function on a worker of system_unbound_wq, on a fresh
 * stack, while the caller waits (worker.rs): how a runtime created from inside
 * another runtime's script loads its own script without stacking on its
 * creator's kernel stack.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/completion.h>
#include <linux/jiffies.h>
#include <linux/sched/signal.h>
#include <linux/workqueue.h>

#include "lunatik_rs.h"

struct lk_job {
	struct work_struct work;
	struct completion done;
	void (*fn)(void *arg);
	void *arg;
};

static void lk_job_run(struct work_struct *work)
{
	struct lk_job *job = container_of(work, struct lk_job, work);

	job->fn(job->arg);
	complete(&job->done);
}

/*
 * Runs fn(arg) on a worker and waits for it. If the caller gets a fatal signal
 * first, abort(arg) asks fn to finish early, and the wait goes on (in one-second
 * steps, so that a long abort is not reported as a hung task).
 */
void lk_run_on_worker(void (*fn)(void *arg), void (*abort)(void *arg), void *arg)
{
	struct lk_job job = { .fn = fn, .arg = arg };

	INIT_WORK_ONSTACK(&job.work, lk_job_run);
	init_completion(&job.done);
	queue_work(system_unbound_wq, &job.work);
	if (wait_for_completion_killable(&job.done)) {
		abort(arg);
		while (!wait_for_completion_timeout(&job.done, HZ))
			;
	}
	destroy_work_on_stack(&job.work);
}
