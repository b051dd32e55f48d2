/*
 * Run metrics from a trace file: one pass over the merged record stream.
 *
 * Design: each record feeds accumulators (a builder, metrics_private.h);
 * metrics_finish.c then turns them into the plain result structs of
 * metrics.h. Sample series go into stats.h collectors, which are exact
 * up to their cap and stream past it, so memory stays bounded; the only
 * other per-sample memory is the optional in-order copy of each domain's
 * IRQ latencies that pWCET needs (capped, see metrics_config).
 *
 * This is the one place that interprets trace records for analysis;
 * summary.c and the report are views of its result.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <hv/types.h>

#include "analysis/metrics_private.h"
#include "tracing/trace_buf.h"
#include "tracing/trace_events.h"
#include "tracing/trace_reader.h"

static int series_init(struct series_acc *s, const struct builder *b)
{
	s->st = stats_create(&b->cfg.stats);
	return s->st ? 0 : -ENOMEM;
}

static int series_add(struct series_acc *s, uint64_t v)
{
	s->sum += v;
	return stats_add(s->st, v);
}

/* Names from a file are printed: keep only printable ASCII. */
static void name_set(char dst[METRICS_NAME_LEN + 1], const uint32_t *words)
{
	trace_name_get(words, dst);
	for (char *p = dst; *p; p++)
		if (*p < 0x20 || *p > 0x7e)
			*p = '?';
}

/*
 * Entities named only by scheduler SWITCH* records stay marked
 * sched_only (the summary, which predates them, leaves them out).
 */
static struct dom_acc *dom_get(struct builder *b, unsigned int dom,
			       bool sched_only)
{
	bool created;
	struct dom_acc *d =
	    metrics_vec_get(&b->doms, sizeof(*d), dom, &created);

	if (!d)
		return NULL;
	if (created) {
		d->res.id = dom;
		snprintf(d->res.name, sizeof(d->res.name), "d%u", dom);
		if (series_init(&d->lat, b) || series_init(&d->resp, b) ||
		    series_init(&d->sched, b))
			return NULL;
	}
	d->res.sched_only = (created || d->res.sched_only) && sched_only;
	return d;
}

/* @key is "dt": dom << 16 | task index. */
static struct task_acc *task_get(struct builder *b, uint32_t key)
{
	struct dom_acc *d = dom_get(b, key >> 16, false);
	struct task_acc *t;
	bool created;

	if (!d)
		return NULL;
	t = metrics_vec_get(&d->tasks, sizeof(*t), key & 0xffff, &created);
	if (t && created) {
		t->res.index = key & 0xffff;
		snprintf(t->res.name, sizeof(t->res.name), "d%ut%u", key >> 16,
			 key & 0xffff);
		if (series_init(&t->resp, b))
			return NULL;
	}
	return t;
}

/* @key is "di": dom << 16 | irq index. */
static struct irq_acc *irq_get(struct builder *b, uint32_t key)
{
	struct dom_acc *d = dom_get(b, key >> 16, false);
	struct irq_acc *irq;
	bool created;

	if (!d)
		return NULL;
	irq = metrics_vec_get(&d->irqs, sizeof(*irq), key & 0xffff, &created);
	if (irq && created) {
		irq->res.index = key & 0xffff;
		snprintf(irq->res.name, sizeof(irq->res.name), "d%ui%u",
			 key >> 16, key & 0xffff);
		if (series_init(&irq->lat, b) || series_init(&irq->resp, b))
			return NULL;
	}
	return irq;
}

/* @dv is dom << 16 | vcpu. */
static struct vcpu_acc *vcpu_get(struct builder *b, uint32_t dv,
				 bool sched_only)
{
	struct dom_acc *d = dom_get(b, dv >> 16, sched_only);
	struct vcpu_acc *v;
	bool created;

	if (!d)
		return NULL;
	v = metrics_vec_get(&d->vcpus, sizeof(*v), dv & 0xffff, &created);
	if (!v)
		return NULL;
	if (created) {
		v->res.id = dv & 0xffff;
		v->state = -1;
		v->last_cpu = -1;
		if (series_init(&v->sched, b))
			return NULL;
	}
	v->res.sched_only = (created || v->res.sched_only) && sched_only;
	return v;
}

/*
 * Order the transitions a vCPU made at one instant. A vCPU can leave one
 * pCPU and start on another in the same nanosecond; the reader merges
 * equal timestamps by pCPU number, which need not be the order in which
 * they happened. Each record names the state it leaves, so chain them:
 * from the current state, take the record that leaves it, and so on.
 * Zero time passes inside the group; only the final state matters.
 */
void metrics_runstate_resolve(struct vcpu_acc *v)
{
	bool used[SAME_INSTANT_MAX] = {false};
	int cur = v->state;

	for (unsigned int k = 0; k < v->grp_n; k++) {
		unsigned int pick = v->grp_n;

		for (unsigned int i = 0; i < v->grp_n; i++)
			if (!used[i] && v->grp_old[i] == cur) {
				pick = i;
				break;
			}
		for (unsigned int i = 0; pick == v->grp_n && i < v->grp_n; i++)
			if (!used[i])
				pick = i; /* broken chain: keep file order */
		used[pick] = true;
		cur = v->grp_new[pick];
	}
	v->state = cur;
	v->grp_n = 0;
}

/*
 * The vCPU in @rec->data[0] is in @old_state until @rec->tsc, then in
 * @new_state. Before its first change it is taken to have been in
 * @old_state since the start of the span (the record says so; nothing
 * earlier does).
 */
static int builder_runstate(struct builder *b, const struct trace_rec *rec,
			    int old_state, int new_state)
{
	struct vcpu_acc *v;

	if (rec->data[0] >> 16 == HV_DOMID_IDLE)
		return 0;
	v = vcpu_get(b, rec->data[0], false);
	if (!v)
		return -ENOMEM;
	if (old_state == TRACE_RUNSTATE_RUNNING) {
		if (new_state == TRACE_RUNSTATE_RUNNABLE && !v->yielded)
			v->res.preemptions++;
		v->yielded = false;
	}
	if (v->state < 0) {
		v->state = old_state;
		v->since = b->run.start;
	}
	if (v->grp_n && (rec->tsc != v->grp_ts || v->grp_n == SAME_INSTANT_MAX))
		metrics_runstate_resolve(v);
	if (!v->grp_n) {
		/* Per-cpu streams are ordered; across cpus, clamp. */
		if (rec->tsc > v->since) {
			v->ticks[v->state] += rec->tsc - v->since;
			v->since = rec->tsc;
		}
		v->grp_ts = rec->tsc;
	}
	v->grp_old[v->grp_n] = (uint8_t)old_state;
	v->grp_new[v->grp_n++] = (uint8_t)new_state;
	return 0;
}

/* Ends @p's stretch at tick @end, as a segment if it meets the window. */
static int segment_close(struct builder *b, unsigned int cpu,
			 const struct pcpu_acc *p, uint64_t end)
{
	uint64_t hz = b->run.hz ? b->run.hz : NS_PER_S;
	uint64_t s, e;
	struct metrics_segment *seg;

	if (!p->known || p->dom == HV_DOMID_IDLE || end <= p->since ||
	    p->since < b->run.start)
		return 0;
	s = metrics_ticks_to_ns(p->since - b->run.start, hz);
	e = metrics_ticks_to_ns(end - b->run.start, hz);
	if (s < b->cfg.window_start_ns)
		s = b->cfg.window_start_ns;
	if (e > b->cfg.window_end_ns)
		e = b->cfg.window_end_ns;
	if (e <= s)
		return 0;
	if (b->nr_segs == METRICS_SEGMENTS_MAX) {
		b->segs_truncated = true;
		return 0;
	}
	if (b->nr_segs == b->cap_segs) {
		void *grown =
		    metrics_grow_array(b->segs, &b->cap_segs, sizeof(*b->segs));

		if (!grown)
			return -ENOMEM;
		b->segs = grown;
	}
	seg = &b->segs[b->nr_segs++];
	*seg = (struct metrics_segment){.start_ns = s,
					.end_ns = e,
					.pcpu = cpu,
					.dom = p->dom,
					.vcpu = p->vcpu};
	return 0;
}

int metrics_timeline_close(struct builder *b)
{
	for (size_t c = 0; b->cfg.timeline && c < b->nr_pcpus; c++)
		if (segment_close(b, (unsigned int)c, &b->pcpus[c], b->run.end))
			return -ENOMEM;
	return 0;
}

/* SWITCH on @rec->cpu: prev stops, next starts (timeline, migrations). */
static int builder_switch(struct builder *b, const struct trace_rec *rec)
{
	const uint32_t *d = rec->data;
	struct pcpu_acc *p;

	if (d[0] > 0xffff || d[2] > 0xffff) {
		b->run.malformed++; /* domain ids are 16 bits */
		return 0;
	}
	if (d[2] != HV_DOMID_IDLE) {
		struct vcpu_acc *v = vcpu_get(b, trace_dv(d[2], d[3]), true);

		if (!v)
			return -ENOMEM;
		v->res.dispatches++;
		if (v->last_cpu >= 0 && (unsigned int)v->last_cpu != rec->cpu)
			v->res.migrations++;
		v->last_cpu = (int)rec->cpu;
	}
	if (!b->cfg.timeline)
		return 0;
	if (rec->cpu >= b->nr_pcpus) {
		size_t n = rec->cpu + 1;
		void *grown = realloc(b->pcpus, n * sizeof(*b->pcpus));

		if (!grown)
			return -ENOMEM;
		b->pcpus = grown;
		memset(b->pcpus + b->nr_pcpus, 0,
		       (n - b->nr_pcpus) * sizeof(*b->pcpus));
		b->nr_pcpus = n;
	}
	p = &b->pcpus[rec->cpu];
	if (!p->known) /* prev ran since the start, as far as we know */
		*p = (struct pcpu_acc){true, d[0], d[1], b->run.start};
	if (segment_close(b, rec->cpu, p, rec->tsc))
		return -ENOMEM;
	*p = (struct pcpu_acc){true, d[2], d[3], rec->tsc};
	return 0;
}

#define NEED(ev)                                 \
	do {                                     \
		if (rec->n < TRC_##ev##_WORDS) { \
			b->run.malformed++;      \
			return 0;                \
		}                                \
	} while (0)

/* Records about a domain's guest: names, IRQs, tasks. */
static int builder_guest(struct builder *b, const struct trace_rec *rec)
{
	const uint32_t *d = rec->data;
	struct task_acc *t;
	struct irq_acc *irq;
	struct dom_acc *dom;

	switch (rec->event) {
	case TRC_HVLAB_NAME_TASK:
		NEED(HVLAB_NAME_TASK);
		t = task_get(b, d[0]);
		if (!t)
			return -ENOMEM;
		name_set(t->res.name, d);
		t->res.named = true;
		return 0;
	case TRC_HVLAB_NAME_IRQ:
		NEED(HVLAB_NAME_IRQ);
		irq = irq_get(b, d[0]);
		if (!irq)
			return -ENOMEM;
		name_set(irq->res.name, d);
		irq->res.named = true;
		return 0;
	case TRC_HVLAB_TASK_INFO:
		NEED(HVLAB_TASK_INFO);
		t = task_get(b, d[0]);
		if (!t)
			return -ENOMEM;
		t->res.has_info = true;
		t->res.vcpu = d[1];
		t->res.period_ns = d[2];
		t->res.deadline_ns = trace_u64(&d[3]);
		t->res.priority = d[5];
		return 0;
	case TRC_HVLAB_GUEST_IRQ_ENTRY:
		NEED(HVLAB_GUEST_IRQ_ENTRY);
		irq = irq_get(b, d[0]);
		dom = dom_get(b, d[0] >> 16, false);
		if (!irq || !dom || series_add(&irq->lat, trace_u64(&d[2])) ||
		    series_add(&dom->lat, trace_u64(&d[2])))
			return -ENOMEM;
		if (!b->cfg.keep_raw)
			return 0;
		if (dom->nr_raw >= b->cfg.raw_cap) {
			dom->res.raw_truncated = true;
			return 0;
		}
		if (dom->nr_raw == dom->cap_raw) {
			uint64_t *grown = metrics_grow_array(
			    dom->raw, &dom->cap_raw, sizeof(*dom->raw));

			if (!grown)
				return -ENOMEM;
			dom->raw = grown;
		}
		dom->raw[dom->nr_raw++] = trace_u64(&d[2]);
		return 0;
	case TRC_HVLAB_GUEST_IRQ_EXIT:
		NEED(HVLAB_GUEST_IRQ_EXIT);
		irq = irq_get(b, d[0]);
		dom = dom_get(b, d[0] >> 16, false);
		if (!irq || !dom || series_add(&irq->resp, trace_u64(&d[2])))
			return -ENOMEM;
		return series_add(&dom->resp, trace_u64(&d[2]));
	case TRC_HVLAB_TASK_RELEASE:
		NEED(HVLAB_TASK_RELEASE);
		t = task_get(b, d[0]);
		if (!t)
			return -ENOMEM;
		t->res.released++;
		return 0;
	case TRC_HVLAB_TASK_COMPLETE:
		NEED(HVLAB_TASK_COMPLETE);
		t = task_get(b, d[0]);
		if (!t)
			return -ENOMEM;
		t->res.completed++;
		t->res.misses += d[4] != 0;
		return series_add(&t->resp, trace_u64(&d[2]));
	default: return 0;
	}
}

/* Scheduler records: waits, yields, switches, null's waiting list. */
static int builder_sched(struct builder *b, const struct trace_rec *rec)
{
	const uint32_t *d = rec->data;
	struct vcpu_acc *v;

	switch (rec->event) {
	case TRC_SWITCH_INFNEXT:
		NEED(SWITCH_INFNEXT);
		if (d[0] > 0xffff) {
			b->run.malformed++;
			return 0;
		}
		if (d[0] == HV_DOMID_IDLE)
			return 0;
		v = vcpu_get(b, trace_dv(d[0], d[1]), true);
		if (!v || series_add(&v->sched, d[2]))
			return -ENOMEM;
		return 0;
	case TRC_YIELD:
		NEED(YIELD);
		if (d[0] > 0xffff || d[0] == HV_DOMID_IDLE)
			return 0;
		v = vcpu_get(b, trace_dv(d[0], d[1]), true);
		if (!v)
			return -ENOMEM;
		v->yielded = true;
		return 0;
	case TRC_SWITCH: NEED(SWITCH); return builder_switch(b, rec);
	case TRC_HVLAB_NULL_WAITING:
		NEED(HVLAB_NULL_WAITING);
		v = vcpu_get(b, d[0], false);
		if (!v)
			return -ENOMEM;
		v->res.null_waiting = true;
		return 0;
	default: return 0;
	}
}

static int builder_add(struct builder *b, const struct trace_rec *rec)
{
	const uint32_t *d = rec->data;
	struct dom_acc *dom;

	b->run.records++;
	if (!b->seen_any) {
		b->seen_any = true;
		b->run.start = rec->tsc;
	}
	if (rec->tsc > b->run.end && !b->run.has_run_end)
		b->run.end = rec->tsc;
	if (rec->cpu >= b->nr_cpus_seen)
		b->nr_cpus_seen = rec->cpu + 1;

	switch (rec->event) {
	case TRC_LOST_RECORDS:
		NEED(LOST_RECORDS);
		b->run.lost += d[0];
		return 0;
	case TRC_HVLAB_HEADER:
		NEED(HVLAB_HEADER);
		b->run.has_header = true;
		b->run.version = d[0];
		b->run.hz = trace_u64(&d[1]);
		b->run.pcpus = d[3];
		b->run.backend = d[4];
		b->run.scenario_hash = trace_u64(&d[5]);
		b->run.start = 0; /* hvlab runs span [0, end] */
		return 0;
	case TRC_HVLAB_RUN_END:
		NEED(HVLAB_RUN_END);
		b->run.has_run_end = true;
		b->run.end = trace_u64(&d[0]);
		return 0;
	case TRC_HVLAB_NAME_DOMAIN:
		NEED(HVLAB_NAME_DOMAIN);
		if (d[0] > 0xffff) {
			b->run.malformed++; /* domain ids are 16 bits */
			return 0;
		}
		dom = dom_get(b, d[0], false);
		if (!dom)
			return -ENOMEM;
		name_set(dom->res.name, d);
		dom->res.named = true;
		return 0;
	default: break;
	}
	if (rec->event >> 16 == TRC_CLS_HVLAB >> 16 &&
	    rec->event != TRC_HVLAB_NULL_WAITING)
		return builder_guest(b, rec);
	/* The 16 RUNSTATE_CHANGE IDs; the check keeps other IDs O(1). */
	if ((rec->event & ~0xff0u) == TRC_RUNSTATE_BASE) {
		const struct trace_event_desc *desc =
		    trace_event_find(rec->event);

		if (desc && desc->runstate_old >= 0 &&
		    rec->n < desc->nr_words) {
			b->run.malformed++;
			return 0;
		}
		if (desc && desc->runstate_old >= 0)
			return builder_runstate(b, rec, desc->runstate_old,
						desc->runstate_new);
		return 0;
	}
	return builder_sched(b, rec);
}

int metrics_from_trace(const char *trace_path, const struct metrics_config *cfg,
		       struct metrics **out, FILE *err)
{
	struct builder b = {.run = {.start = 0}};
	struct metrics *m = NULL;
	struct trace_reader *r;
	struct trace_rec rec;
	struct stats *probe;
	char msg[256];
	int ret;

	if (cfg)
		b.cfg = *cfg;
	if (!b.cfg.raw_cap)
		b.cfg.raw_cap = METRICS_RAW_CAP_DEFAULT;
	probe = stats_create(&b.cfg.stats);
	if (!probe ||
	    (b.cfg.timeline && b.cfg.window_end_ns <= b.cfg.window_start_ns)) {
		stats_free(probe);
		if (err)
			fprintf(err, "%s: bad metrics configuration\n",
				trace_path);
		return -EINVAL;
	}
	stats_free(probe);
	ret = trace_reader_open(trace_path, &r, msg, sizeof(msg));
	if (ret)
		goto fail;
	while ((ret = trace_reader_next(r, &rec)) == 1)
		if (builder_add(&b, &rec)) {
			ret = -ENOMEM;
			break;
		}
	if (ret < 0 && ret != -ENOMEM)
		snprintf(msg, sizeof(msg), "%s", trace_reader_error(r));
	trace_reader_close(r);
	if (!ret) {
		m = calloc(1, sizeof(*m));
		ret = m ? metrics_build_finish(&b, m) : -ENOMEM;
	}
	metrics_build_free(&b);
	if (!ret) {
		*out = m;
		return 0;
	}
	metrics_free(m);
	if (ret == -ENOMEM)
		snprintf(msg, sizeof(msg), "%s: out of memory", trace_path);
fail:
	if (err)
		fprintf(err, "%s\n", msg);
	return ret;
}
