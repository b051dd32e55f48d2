/*
 * tasks: periodic tasks under a preemptive fixed-priority scheduler
 * inside the guest.
 *
 * Design: the virtual timer is armed for the earliest next release; its
 * handler only counts the releases that are due and re-arms. Jobs run
 * in the main loop with IRQs enabled. The dispatcher reports new
 * releases (HVLAB_OP_TASK_RELEASE), then runs the highest-priority task
 * with a pending job (ties: the lower index); a job of one task waits
 * for that task's previous job. A job "executes" exec_ns of real work:
 * a fixed chunk of instructions, repeated as many times as exec_ns of
 * them take on this CPU (calibrated at boot, fastest of several tries).
 * Work only progresses while the job runs, so time in the guest's own
 * interrupt handlers and time the hypervisor gives to other vCPUs both
 * delay the job, as they would real code: the response time under a
 * hypervisor is what the WCRT analysis bounds. A job checks for a new
 * release after every chunk, so the dispatcher can preempt it.
 *
 * Job j of a task is released at start + offset + j * period, exactly;
 * its response is its completion minus that instant (so it includes the
 * timer interrupt's latency), and it missed if that exceeds the
 * deadline. The run ends after `samples` jobs of the lowest-priority
 * task (0: never).
 */
#include "rt.h"

const uint32_t guest_image_kind = GUEST_TASKS;

const struct guest_params guest_params GUEST_PARAMS_SECTION = {
    .magic = GUEST_PARAMS_MAGIC,
    .version = GUEST_PARAMS_VERSION,
    .kind = GUEST_TASKS,
    .samples = 20,
    .nr_tasks = 3,
    .tasks =
	{
	    {.period_ns = 1000000,
	     .deadline_ns = 1000000,
	     .exec_ns = 100000,
	     .priority = 3},
	    {.period_ns = 2000000,
	     .deadline_ns = 2000000,
	     .exec_ns = 300000,
	     .priority = 2},
	    {.period_ns = 5000000,
	     .deadline_ns = 5000000,
	     .exec_ns = 1000000,
	     .priority = 1},
	},
};

struct task {
	/* from the parameters; times in counter ticks */
	uint64_t period, exec, first_release;
	uint64_t deadline_ns;
	uint32_t priority;
	/* written by the timer handler only */
	volatile uint64_t next_release;
	volatile uint64_t released;
	/* main loop only */
	uint64_t reported; /* releases reported; jobs below are runnable */
	uint64_t completed;
	uint64_t remaining; /* work chunks left of job `completed` */
	uint64_t max_response_ns, misses;
};

static struct {
	unsigned int nr;
	unsigned int lowest; /* the task whose jobs end the run */
	uint64_t per_1024; /* counter ticks per 1024 work chunks */
	volatile bool release_seen; /* set by the handler */
	struct task t[GUEST_MAX_TASKS];
} tasks;

static uint64_t tasks_next_release(void)
{
	uint64_t next = UINT64_MAX;
	unsigned int i;

	for (i = 0; i < tasks.nr; i++)
		if (tasks.t[i].next_release < next)
			next = tasks.t[i].next_release;
	return next;
}

void guest_timer_irq(uint64_t stamp)
{
	uint64_t now = rt_now();
	unsigned int i;

	(void)stamp;
	for (i = 0; i < tasks.nr; i++) {
		struct task *t = &tasks.t[i];

		while (t->next_release <= now) {
			t->released++;
			t->next_release += t->period;
		}
	}
	tasks.release_seen = true;
	rt_vtimer_arm(tasks_next_release());
}

static void tasks_report_releases(void)
{
	unsigned int i;

	for (i = 0; i < tasks.nr; i++) {
		struct task *t = &tasks.t[i];
		uint64_t released = t->released;

		for (; t->reported < released; t->reported++)
			rt_hvlab(HVLAB_OP_TASK_RELEASE, i, t->reported, 0, 0);
	}
}

/* The highest-priority task with a reported, unfinished job, or NULL. */
static struct task *tasks_pick(void)
{
	struct task *best = NULL;
	unsigned int i;

	for (i = 0; i < tasks.nr; i++) {
		struct task *t = &tasks.t[i];

		if (t->completed < t->reported &&
		    (!best || t->priority > best->priority))
			best = t;
	}
	return best;
}

/* One unit of work: a fixed number of instructions, never optimised out. */
#define CHUNK_LOOPS 64u
static void work_chunk(void)
{
	for (unsigned int i = 0; i < CHUNK_LOOPS; i++)
		__asm__ volatile("" ::: "memory");
}

/*
 * Counter ticks per 1024 chunks: the fastest of 8 tries, so a try that
 * was interrupted or descheduled does not count. At least 1.
 */
static uint64_t calibrate(void)
{
	uint64_t best = UINT64_MAX;

	for (unsigned int n = 0; n < 8; n++) {
		uint64_t t0 = rt_now(), dt;

		for (unsigned int i = 0; i < 1024; i++)
			work_chunk();
		dt = rt_now() - t0;
		if (dt < best)
			best = dt;
	}
	return best ? best : 1;
}

/* Work chunks that take @ticks of counter time on this CPU. */
static uint64_t chunks_for(uint64_t ticks, uint64_t per_1024)
{
	uint64_t n = (ticks * 1024 + per_1024 / 2) / per_1024;

	return n ? n : 1;
}

/*
 * Run @t's current job until it is done (true, with the counter at
 * completion in *@done_at) or a release is signalled (false).
 */
static bool tasks_run(struct task *t, uint64_t *done_at)
{
	while (t->remaining) {
		work_chunk();
		t->remaining--;
		if (t->remaining && tasks.release_seen)
			return false;
	}
	*done_at = rt_now();
	return true;
}

static void tasks_complete(struct task *t, uint64_t done_at)
{
	unsigned int idx = (unsigned int)(t - tasks.t);
	uint64_t job = t->completed;
	uint64_t release = t->first_release + job * t->period;
	uint64_t response = rt_ticks_to_ns(done_at - release);
	bool missed = response > t->deadline_ns;

	rt_hvlab(HVLAB_OP_TASK_COMPLETE, idx, job, response, missed);
	if (response > t->max_response_ns)
		t->max_response_ns = response;
	t->misses += missed;
	t->completed++;
	t->remaining = t->exec;
}

/* Convert, check and print the task table; -1 if unusable. */
static int tasks_setup(const struct guest_params *p)
{
	unsigned int i;

	if (p->nr_tasks < 1 || p->nr_tasks > GUEST_MAX_TASKS) {
		rt_printf("tasks: nr_tasks %u, expected 1..%u\n", p->nr_tasks,
			  GUEST_MAX_TASKS);
		return -1;
	}
	tasks.nr = p->nr_tasks;
	tasks.per_1024 = calibrate();
	rt_printf("tasks: 1024 work chunks take %lu counter ticks\n",
		  (unsigned long)tasks.per_1024);
	for (i = 0; i < tasks.nr; i++) {
		const struct guest_task_params *tp = &p->tasks[i];
		struct task *t = &tasks.t[i];

		t->period = rt_ns_to_ticks(tp->period_ns);
		if (!t->period) {
			rt_printf("tasks: task %u: period %lu ns is under one "
				  "counter tick\n",
				  i, (unsigned long)tp->period_ns);
			return -1;
		}
		t->exec =
		    chunks_for(rt_ns_to_ticks(tp->exec_ns), tasks.per_1024);
		t->deadline_ns =
		    tp->deadline_ns ? tp->deadline_ns : tp->period_ns;
		t->priority = tp->priority;
		t->remaining = t->exec;
		if (t->priority <= tasks.t[tasks.lowest].priority)
			tasks.lowest = i;
		rt_printf("tasks: task %u prio %u period %lu deadline %lu "
			  "offset %lu exec %lu ns\n",
			  i, tp->priority, (unsigned long)tp->period_ns,
			  (unsigned long)t->deadline_ns,
			  (unsigned long)tp->offset_ns,
			  (unsigned long)tp->exec_ns);
	}
	return 0;
}

int guest_main(const struct guest_params *p)
{
	uint64_t start, done_at;
	unsigned int i;

	if (tasks_setup(p) < 0)
		return 2;
	rt_printf("tasks: %u tasks, until %lu jobs of task %u\n", tasks.nr,
		  (unsigned long)p->samples, tasks.lowest);
	/* Time 0 of the offsets: now, after the (slow, bare) printing. */
	start = rt_now();
	for (i = 0; i < tasks.nr; i++) {
		struct task *t = &tasks.t[i];

		t->first_release =
		    start + rt_ns_to_ticks(p->tasks[i].offset_ns);
		t->next_release = t->first_release;
	}
	rt_vtimer_arm(tasks_next_release());

	for (;;) {
		struct task *t;

		tasks.release_seen = false;
		tasks_report_releases();
		t = tasks_pick();
		if (!t) {
			rt_wait_flag(&tasks.release_seen);
			continue;
		}
		if (!tasks_run(t, &done_at))
			continue;
		tasks_complete(t, done_at);
		if (p->samples && tasks.t[tasks.lowest].completed >= p->samples)
			break;
	}
	rt_vtimer_stop();

	for (i = 0; i < tasks.nr; i++) {
		const struct task *t = &tasks.t[i];

		rt_printf("tasks: task %u prio %u jobs %lu max response %lu ns "
			  "misses %lu\n",
			  i, t->priority, (unsigned long)t->completed,
			  (unsigned long)t->max_response_ns,
			  (unsigned long)t->misses);
	}
	return 0;
}
