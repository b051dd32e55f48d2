/*
 * Discrete-time cross-check simulator (see wcrt_sim.h).
 *
 * Design: per task, jobs are numbered k = 0, 1, ...; the state is the next
 * job to release, the oldest unfinished job and its remaining work, so
 * arrival, release and deadline of any job follow from k and nothing is
 * queued. Each step runs the chosen job for one unit; idle stretches with
 * nothing pending jump to the next release.
 */
#include <errno.h>
#include <stdlib.h>

#include "analysis/wcrt_sim.h"

struct sim_task {
	hv_time_t next; /* next job to release */
	hv_time_t head; /* oldest unfinished job */
	hv_time_t rem; /* remaining work of the head job */
};

static hv_time_t arrival(const struct wcrt_task *t, bool burst, hv_time_t k)
{
	return k * t->period - (burst ? t->jitter : 0);
}

static hv_time_t release(const struct wcrt_task *t, bool burst, hv_time_t k)
{
	hv_time_t a = arrival(t, burst, k);

	return a < 0 ? 0 : a;
}

static bool available(const struct wcrt_sim_supply *sup, hv_time_t t)
{
	hv_time_t p;

	if (!sup || sup->period == 0)
		return true;
	p = (t + sup->phase) % sup->period;
	for (size_t i = 0; i < sup->nr_windows; i++)
		if (p >= sup->windows[i].offset &&
		    p < sup->windows[i].offset + sup->windows[i].len)
			return true;
	return false;
}

static bool opts_valid(const struct wcrt_sim_opts *o)
{
	const struct wcrt_sim_supply *s = o->supply;

	if (o->end <= 0 || o->release_until < 0)
		return false;
	if (!s || s->period == 0)
		return true;
	if (s->period < 0 || s->phase < 0 || (s->nr_windows && !s->windows))
		return false;
	for (size_t i = 0; i < s->nr_windows; i++)
		if (s->windows[i].offset < 0 || s->windows[i].len <= 0 ||
		    s->windows[i].offset + s->windows[i].len > s->period)
			return false;
	return true;
}

/* Index of the task to run, or n if nothing is pending. */
static size_t pick(const struct wcrt_task *tasks, const struct sim_task *st,
		   size_t n, const struct wcrt_sim_opts *o)
{
	size_t best = n;
	hv_time_t best_dl = 0;

	for (size_t i = 0; i < n; i++) {
		hv_time_t dl;

		if (st[i].head >= st[i].next)
			continue;
		dl = arrival(&tasks[i], o->jitter_burst, st[i].head) +
		     tasks[i].deadline;
		if (best == n || (o->policy == WCRT_POLICY_FP
				      ? tasks[i].priority > tasks[best].priority
				      : dl < best_dl)) {
			best = i;
			best_dl = dl;
		}
	}
	return best;
}

static void note_miss(struct wcrt_sim_result *r, hv_time_t deadline)
{
	r->misses++;
	if (r->first_miss < 0 || deadline < r->first_miss)
		r->first_miss = deadline;
}

int wcrt_sim_run(const struct wcrt_task *tasks, size_t n,
		 const struct wcrt_sim_opts *o, struct wcrt_sim_result *res)
{
	struct sim_task *st;
	hv_time_t t = 0;

	if (!o || !res || wcrt_tasks_valid(tasks, n, NULL) || !opts_valid(o))
		return -EINVAL;
	st = calloc(n ? n : 1, sizeof(*st));
	if (!st)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		res[i] = (struct wcrt_sim_result){.first_miss = -1};
		st[i].rem = tasks[i].wcet;
	}

	while (t < o->end) {
		hv_time_t wake = o->end;
		size_t run;

		for (size_t i = 0; i < n; i++) {
			const struct wcrt_task *ti = &tasks[i];
			hv_time_t r;

			while ((r = release(ti, o->jitter_burst, st[i].next)) <=
				   t &&
			       r < o->release_until)
				st[i].next++;
			if (r < o->release_until && r < wake)
				wake = r;
		}
		run = pick(tasks, st, n, o);
		if (run == n) {
			if (wake >= o->end)
				break; /* nothing left to release */
			t = wake;
			continue;
		}
		if (available(o->supply, t)) {
			struct sim_task *s = &st[run];
			const struct wcrt_task *ti = &tasks[run];

			if (--s->rem == 0) {
				hv_time_t a =
				    arrival(ti, o->jitter_burst, s->head);

				if (t + 1 - a > res[run].max_response)
					res[run].max_response = t + 1 - a;
				if (t + 1 > a + ti->deadline)
					note_miss(&res[run], a + ti->deadline);
				res[run].jobs++;
				s->head++;
				s->rem = ti->wcet;
			}
		}
		t++;
	}

	for (size_t i = 0; i < n; i++) {
		for (hv_time_t k = st[i].head; k < st[i].next; k++) {
			hv_time_t a = arrival(&tasks[i], o->jitter_burst, k);

			res[i].unfinished++;
			if (o->end - a > res[i].max_response)
				res[i].max_response = o->end - a;
			if (a + tasks[i].deadline < o->end)
				note_miss(&res[i], a + tasks[i].deadline);
		}
	}
	free(st);
	return 0;
}
