/*
 * Run summary from a trace file.
 *
 * Design: one pass over the merged record stream feeds accumulators (a
 * builder); a final step turns them into the plain result structs of
 * summary.h and frees the raw samples. Percentiles are exact: every
 * sample is kept until then, so memory is proportional to the samples
 * (8 bytes each); a streaming estimator can replace struct samples later
 * without touching the result structs or the output formats.
 *
 * Lookups go through arrays sorted by id and grown on demand, never arrays
 * indexed by an id read from the file, so a hostile trace costs memory in
 * proportion to its records, not to the ids it names.
 *
 * Output is integer-formatted (no floating point) so that the text is the
 * same on every host.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <hv/types.h>

#include "analysis/summary.h"
#include "tracing/trace_buf.h"
#include "tracing/trace_decode.h"
#include "tracing/trace_events.h"
#include "tracing/trace_reader.h"

#define NS_PER_S 1000000000ull

struct samples {
	uint64_t *v;
	size_t nr, cap;
};

/* Sorted array of structs whose first member is an unsigned int key. */
struct vec {
	unsigned char *items;
	size_t nr, cap;
};

struct irq_acc {
	unsigned int key;
	struct summary_irq res;
	struct samples lat, resp;
};

struct task_acc {
	unsigned int key;
	struct summary_task res;
	struct samples resp;
};

/* Transitions of one vCPU stamped with the same instant (see below). */
#define SAME_INSTANT_MAX 8

struct vcpu_acc {
	unsigned int key;
	struct summary_vcpu res;
	int state; /* -1 until the first RUNSTATE_CHANGE */
	uint64_t since; /* ticks */
	uint64_t ticks[TRACE_NR_RUNSTATES];
	/* transitions at instant grp_ts, not yet ordered */
	uint8_t grp_old[SAME_INSTANT_MAX], grp_new[SAME_INSTANT_MAX];
	unsigned int grp_n;
	uint64_t grp_ts;
};

struct dom_acc {
	unsigned int key;
	struct summary_domain res;
	struct samples lat, resp; /* all IRQs together */
	struct vec irqs, tasks, vcpus;
};

struct builder {
	struct summary_run run;
	struct vec doms;
	bool seen_any;
	unsigned int nr_cpus_seen;
};

struct summary {
	struct summary_run run;
	size_t nr_domains;
	struct summary_domain *domains;
};

/* Doubles the capacity of array @p. Return: the new array, NULL: ENOMEM. */
static void *grow_array(void *p, size_t *cap, size_t size)
{
	size_t new_cap = *cap ? *cap * 2 : 16;

	p = new_cap <= SIZE_MAX / size ? realloc(p, new_cap * size) : NULL;
	if (p)
		*cap = new_cap;
	return p;
}

static int samples_add(struct samples *s, uint64_t v)
{
	if (s->nr == s->cap) {
		uint64_t *grown = grow_array(s->v, &s->cap, sizeof(*s->v));

		if (!grown)
			return -ENOMEM;
		s->v = grown;
	}
	s->v[s->nr++] = v;
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* Sorts @v in place. */
static struct summary_stats stats_compute(uint64_t *v, size_t n)
{
	struct summary_stats st = {0};
	unsigned __int128 sum = 0;

	if (!n)
		return st;
	qsort(v, n, sizeof(*v), cmp_u64);
	for (size_t i = 0; i < n; i++)
		sum += v[i];
	st.n = n;
	st.min = v[0];
	st.max = v[n - 1];
	st.mean = (uint64_t)((sum + n / 2) / n);
	/* Nearest rank: ceil(0.99 n), in integers to stay exact. */
	st.p99 = v[((unsigned __int128)n * 99 + 99) / 100 - 1];
	return st;
}

/*
 * Binary search in an array sorted by its elements' first member, an
 * unsigned int. Return: the index of @key, or of where it would go.
 */
static size_t sorted_search(const void *base, size_t nr, size_t size,
			    unsigned int key)
{
	size_t lo = 0, hi = nr;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		unsigned int k;

		memcpy(&k, (const unsigned char *)base + mid * size, sizeof(k));
		if (k < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * Finds @key in @v, inserting a zeroed element (key set, *@created true)
 * if absent. Return: the element, or NULL when out of memory.
 */
static void *vec_get(struct vec *v, size_t size, unsigned int key,
		     bool *created)
{
	size_t pos = sorted_search(v->items, v->nr, size, key);
	unsigned char *at = v->items + pos * size;

	*created = false;
	if (pos < v->nr && !memcmp(at, &key, sizeof(key)))
		return at;
	if (v->nr == v->cap) {
		unsigned char *grown = grow_array(v->items, &v->cap, size);

		if (!grown)
			return NULL;
		v->items = grown;
	}
	at = v->items + pos * size;
	memmove(at + size, at, (v->nr - pos) * size);
	memset(at, 0, size);
	memcpy(at, &key, sizeof(key));
	v->nr++;
	*created = true;
	return at;
}

#define VEC_AT(v, type, i) ((type *)(void *)((v)->items + (i) * sizeof(type)))

/* Names from a file are printed: keep only printable ASCII. */
static void name_set(char dst[SUMMARY_NAME_LEN + 1], const uint32_t *words)
{
	trace_name_get(words, dst);
	for (char *p = dst; *p; p++)
		if (*p < 0x20 || *p > 0x7e)
			*p = '?';
}

static struct dom_acc *dom_get(struct builder *b, unsigned int dom)
{
	bool created;
	struct dom_acc *d = vec_get(&b->doms, sizeof(*d), dom, &created);

	if (d && created) {
		d->res.id = dom;
		snprintf(d->res.name, sizeof(d->res.name), "d%u", dom);
	}
	return d;
}

/* @key is "dt": dom << 16 | task index. */
static struct task_acc *task_get(struct builder *b, uint32_t key)
{
	struct dom_acc *d = dom_get(b, key >> 16);
	struct task_acc *t;
	bool created;

	if (!d)
		return NULL;
	t = vec_get(&d->tasks, sizeof(*t), key & 0xffff, &created);
	if (t && created) {
		t->res.index = key & 0xffff;
		snprintf(t->res.name, sizeof(t->res.name), "d%ut%u", key >> 16,
			 key & 0xffff);
	}
	return t;
}

/* @key is "di": dom << 16 | irq index. */
static struct irq_acc *irq_get(struct builder *b, uint32_t key)
{
	struct dom_acc *d = dom_get(b, key >> 16);
	struct irq_acc *irq;
	bool created;

	if (!d)
		return NULL;
	irq = vec_get(&d->irqs, sizeof(*irq), key & 0xffff, &created);
	if (irq && created) {
		irq->res.index = key & 0xffff;
		snprintf(irq->res.name, sizeof(irq->res.name), "d%ui%u",
			 key >> 16, key & 0xffff);
	}
	return irq;
}

/* @dv is dom << 16 | vcpu. */
static struct vcpu_acc *vcpu_get(struct builder *b, uint32_t dv)
{
	struct dom_acc *d = dom_get(b, dv >> 16);
	struct vcpu_acc *v;
	bool created;

	if (!d)
		return NULL;
	v = vec_get(&d->vcpus, sizeof(*v), dv & 0xffff, &created);
	if (v && created) {
		v->res.id = dv & 0xffff;
		v->state = -1;
	}
	return v;
}

static uint64_t u64_of(const uint32_t *lo_hi)
{
	return (uint64_t)lo_hi[1] << 32 | lo_hi[0];
}

/*
 * The vCPU in @rec->data[0] is in @old_state until @rec->tsc, then in
 * @new_state. Before its first change it is taken to have been in
 * @old_state since the start of the span (the record says so; nothing
 * earlier does).
 */
/*
 * Order the transitions a vCPU made at one instant. A vCPU can leave one
 * pCPU and start on another in the same nanosecond; the reader merges
 * equal timestamps by pCPU number, which need not be the order in which
 * they happened. Each record names the state it leaves, so chain them:
 * from the current state, take the record that leaves it, and so on.
 * Zero time passes inside the group; only the final state matters.
 */
static void runstate_group_resolve(struct vcpu_acc *v)
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

static int builder_runstate(struct builder *b, const struct trace_rec *rec,
			    int old_state, int new_state)
{
	struct vcpu_acc *v;

	if (rec->data[0] >> 16 == HV_DOMID_IDLE)
		return 0;
	v = vcpu_get(b, rec->data[0]);
	if (!v)
		return -ENOMEM;
	if (v->state < 0) {
		v->state = old_state;
		v->since = b->run.start;
	}
	if (v->grp_n && (rec->tsc != v->grp_ts || v->grp_n == SAME_INSTANT_MAX))
		runstate_group_resolve(v);
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

#define NEED(ev)                                 \
	do {                                     \
		if (rec->n < TRC_##ev##_WORDS) { \
			b->run.malformed++;      \
			return 0;                \
		}                                \
	} while (0)

static int builder_add(struct builder *b, const struct trace_rec *rec)
{
	const uint32_t *d = rec->data;
	struct task_acc *t;
	struct irq_acc *irq;
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
		b->run.hz = u64_of(&d[1]);
		b->run.pcpus = d[3];
		b->run.backend = d[4];
		b->run.scenario_hash = u64_of(&d[5]);
		b->run.start = 0; /* hvlab runs span [0, end] */
		return 0;
	case TRC_HVLAB_RUN_END:
		NEED(HVLAB_RUN_END);
		b->run.has_run_end = true;
		b->run.end = u64_of(&d[0]);
		return 0;
	case TRC_HVLAB_NAME_DOMAIN:
		NEED(HVLAB_NAME_DOMAIN);
		if (d[0] > 0xffff) {
			b->run.malformed++; /* domain ids are 16 bits */
			return 0;
		}
		dom = dom_get(b, d[0]);
		if (!dom)
			return -ENOMEM;
		name_set(dom->res.name, d);
		dom->res.named = true;
		return 0;
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
		t->res.deadline_ns = u64_of(&d[3]);
		t->res.priority = d[5];
		return 0;
	case TRC_HVLAB_GUEST_IRQ_ENTRY:
		NEED(HVLAB_GUEST_IRQ_ENTRY);
		irq = irq_get(b, d[0]);
		dom = dom_get(b, d[0] >> 16);
		if (!irq || !dom || samples_add(&irq->lat, u64_of(&d[2])))
			return -ENOMEM;
		return samples_add(&dom->lat, u64_of(&d[2]));
	case TRC_HVLAB_GUEST_IRQ_EXIT:
		NEED(HVLAB_GUEST_IRQ_EXIT);
		irq = irq_get(b, d[0]);
		dom = dom_get(b, d[0] >> 16);
		if (!irq || !dom || samples_add(&irq->resp, u64_of(&d[2])))
			return -ENOMEM;
		return samples_add(&dom->resp, u64_of(&d[2]));
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
		return samples_add(&t->resp, u64_of(&d[2]));
	case TRC_HVLAB_NULL_WAITING: {
		struct vcpu_acc *v;

		NEED(HVLAB_NULL_WAITING);
		v = vcpu_get(b, d[0]);
		if (!v)
			return -ENOMEM;
		v->res.null_waiting = true;
		return 0;
	}
	default: break;
	}
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
	}
	return 0;
}

static uint64_t ticks_to_ns(uint64_t ticks, uint64_t hz)
{
	unsigned __int128 ns = (unsigned __int128)ticks * NS_PER_S / hz;

	return ns > UINT64_MAX ? UINT64_MAX : (uint64_t)ns;
}

static void builder_free(struct builder *b)
{
	for (size_t i = 0; i < b->doms.nr; i++) {
		struct dom_acc *d = VEC_AT(&b->doms, struct dom_acc, i);

		for (size_t k = 0; k < d->irqs.nr; k++) {
			free(VEC_AT(&d->irqs, struct irq_acc, k)->lat.v);
			free(VEC_AT(&d->irqs, struct irq_acc, k)->resp.v);
		}
		for (size_t k = 0; k < d->tasks.nr; k++) {
			free(VEC_AT(&d->tasks, struct task_acc, k)->resp.v);
		}
		free(d->lat.v);
		free(d->resp.v);
		free(d->irqs.items);
		free(d->tasks.items);
		free(d->vcpus.items);
	}
	free(b->doms.items);
}

/* Turns the accumulators of one domain into its result arrays. */
static int finish_domain(const struct summary_run *run, struct dom_acc *d,
			 struct summary_domain *out)
{
	struct summary_irq *irqs = calloc(d->irqs.nr + 1, sizeof(*irqs));
	struct summary_task *tasks = calloc(d->tasks.nr + 1, sizeof(*tasks));
	struct summary_vcpu *vcpus = calloc(d->vcpus.nr + 1, sizeof(*vcpus));
	uint64_t span = run->end - run->start;

	*out = d->res;
	out->irqs = irqs;
	out->tasks = tasks;
	out->vcpus = vcpus;
	if (!irqs || !tasks || !vcpus)
		return -ENOMEM;
	out->irq_latency = stats_compute(d->lat.v, d->lat.nr);
	out->irq_response = stats_compute(d->resp.v, d->resp.nr);
	out->nr_irqs = d->irqs.nr;
	out->nr_tasks = d->tasks.nr;
	out->nr_vcpus = d->vcpus.nr;

	for (size_t i = 0; i < d->irqs.nr; i++) {
		struct irq_acc *irq = VEC_AT(&d->irqs, struct irq_acc, i);

		irqs[i] = irq->res;
		irqs[i].latency = stats_compute(irq->lat.v, irq->lat.nr);
		irqs[i].response = stats_compute(irq->resp.v, irq->resp.nr);
	}
	for (size_t i = 0; i < d->tasks.nr; i++) {
		struct task_acc *t = VEC_AT(&d->tasks, struct task_acc, i);

		tasks[i] = t->res;
		tasks[i].response = stats_compute(t->resp.v, t->resp.nr);
		/*
		 * An hvlab trace covers the whole run and completes a job
		 * once, so every completion matches an earlier release.
		 */
		if (t->res.released > t->res.completed)
			tasks[i].unfinished =
			    t->res.released - t->res.completed;
	}
	for (size_t i = 0; i < d->vcpus.nr; i++) {
		struct vcpu_acc *v = VEC_AT(&d->vcpus, struct vcpu_acc, i);

		if (v->grp_n)
			runstate_group_resolve(v);
		/* The last state lasts until the end of the span. */
		if (v->state >= 0 && run->end > v->since)
			v->ticks[v->state] += run->end - v->since;
		vcpus[i] = v->res;
		for (unsigned int k = 0; k < TRACE_NR_RUNSTATES; k++)
			vcpus[i].runstate_ns[k] =
			    ticks_to_ns(v->ticks[k], run->hz);
		if (span) {
			unsigned __int128 bp =
			    ((unsigned __int128)v->ticks[0] * 10000 +
			     span / 2) /
			    span;

			vcpus[i].share_bp =
			    bp > UINT32_MAX ? UINT32_MAX : (uint32_t)bp;
		}
	}
	return 0;
}

static int builder_finish(struct builder *b, struct summary *s)
{
	s->run = b->run;
	if (!s->run.hz)
		s->run.hz = NS_PER_S;
	if (!s->run.has_header)
		s->run.pcpus = b->nr_cpus_seen;
	if (s->run.end < s->run.start)
		s->run.end = s->run.start;
	s->run.span_ns = ticks_to_ns(s->run.end - s->run.start, s->run.hz);

	s->domains = calloc(b->doms.nr + 1, sizeof(*s->domains));
	if (!s->domains)
		return -ENOMEM;
	for (size_t i = 0; i < b->doms.nr; i++) {
		s->nr_domains++;
		if (finish_domain(&s->run, VEC_AT(&b->doms, struct dom_acc, i),
				  &s->domains[i]))
			return -ENOMEM;
	}
	return 0;
}

int summary_from_trace(const char *trace_path, struct summary **out, FILE *err)
{
	struct builder b = {.run = {.start = 0}};
	struct summary *s = NULL;
	struct trace_reader *r;
	struct trace_rec rec;
	char msg[256];
	int ret;

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
		s = calloc(1, sizeof(*s));
		ret = s ? builder_finish(&b, s) : -ENOMEM;
	}
	builder_free(&b);
	if (!ret) {
		*out = s;
		return 0;
	}
	summary_free(s);
	if (ret == -ENOMEM)
		snprintf(msg, sizeof(msg), "%s: out of memory", trace_path);
fail:
	if (err)
		fprintf(err, "%s\n", msg);
	return ret;
}

void summary_free(struct summary *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->nr_domains; i++) {
		free((void *)s->domains[i].irqs);
		free((void *)s->domains[i].tasks);
		free((void *)s->domains[i].vcpus);
	}
	free(s->domains);
	free(s);
}

const struct summary_run *summary_run_info(const struct summary *s)
{
	return &s->run;
}

size_t summary_nr_domains(const struct summary *s)
{
	return s->nr_domains;
}

const struct summary_domain *summary_domain_at(const struct summary *s,
					       size_t i)
{
	return i < s->nr_domains ? &s->domains[i] : NULL;
}

/* Result arrays are sorted by their first member, an unsigned int id. */
static int cmp_id(const void *key, const void *elem)
{
	unsigned int k = *(const unsigned int *)key, id;

	memcpy(&id, elem, sizeof(id));
	return (k > id) - (k < id);
}

const struct summary_domain *summary_domain(const struct summary *s,
					    unsigned int dom)
{
	return bsearch(&dom, s->domains, s->nr_domains, sizeof(*s->domains),
		       cmp_id);
}

const struct summary_task *summary_task(const struct summary_domain *d,
					unsigned int index)
{
	return bsearch(&index, d->tasks, d->nr_tasks, sizeof(*d->tasks),
		       cmp_id);
}

const struct summary_irq *summary_irq(const struct summary_domain *d,
				      unsigned int index)
{
	return bsearch(&index, d->irqs, d->nr_irqs, sizeof(*d->irqs), cmp_id);
}

const struct summary_vcpu *summary_vcpu(const struct summary_domain *d,
					unsigned int vcpu)
{
	return bsearch(&vcpu, d->vcpus, d->nr_vcpus, sizeof(*d->vcpus), cmp_id);
}

void summary_print(const struct summary *s,
		   const struct summary_output_ops *ops, FILE *out)
{
	if (ops->run)
		ops->run(out, &s->run);
	for (size_t i = 0; i < s->nr_domains; i++) {
		const struct summary_domain *d = &s->domains[i];

		if (ops->domain_begin)
			ops->domain_begin(out, d);
		for (size_t k = 0; ops->irq && k < d->nr_irqs; k++)
			ops->irq(out, d, &d->irqs[k]);
		for (size_t k = 0; ops->task && k < d->nr_tasks; k++)
			ops->task(out, d, &d->tasks[k]);
		for (size_t k = 0; ops->vcpu && k < d->nr_vcpus; k++)
			ops->vcpu(out, d, &d->vcpus[k]);
		if (ops->domain_end)
			ops->domain_end(out, d);
	}
	if (ops->end)
		ops->end(out, &s->run);
}
