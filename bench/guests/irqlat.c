/*
 * irqlat: virtual-timer interrupt latency, the measurement Xen's tbm
 * guest_irq_latency test makes. Each sample arms CNTV_CVAL_EL0 a random
 * delay ahead ("due"), sleeps in WFI, and takes the counter read at the
 * IRQ vector: latency = stamp - due - the cost of one counter read
 * (measured at start). The response adds the handler: the counter after
 * the EOI, minus due, minus the same cost. Samples are reported with
 * HVLAB_OP_IRQ_SAMPLE from the main loop, after the handler, so the
 * hypercall never delays the next sample; every latency is also kept
 * for the percentiles printed at the end (README.md, "irqlat").
 */
#include "rt.h"

#define IRQLAT_WINDOW 100000u /* samples kept for percentiles */
#define COUNTER_READ_PROBES 64

const uint32_t guest_image_kind = GUEST_IRQLAT;

const struct guest_params guest_params GUEST_PARAMS_SECTION = {
    .magic = GUEST_PARAMS_MAGIC,
    .version = GUEST_PARAMS_VERSION,
    .kind = GUEST_IRQLAT,
    .samples = 1000,
    .delta_min_ns = 20000,
    .delta_max_ns = 100000,
    .seed = 1,
};

struct irqlat_stat {
	uint64_t n, min, max, sum;
};

static struct {
	volatile bool fired; /* set by the handler */
	volatile uint64_t stamp; /* the counter at the IRQ vector */
	uint64_t read_cost_ns;
	uint64_t prng;
	struct irqlat_stat lat, resp;
	uint32_t window_len;
	uint32_t window[IRQLAT_WINDOW]; /* latencies, ns */
} irqlat;

/* splitmix64: a full-period 64-bit generator, one state word. */
static uint64_t prng_next(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* Uniform in [lo, hi] (modulo bias is below 2^-40 for spans < 2^24). */
static uint64_t prng_range(uint64_t *state, uint64_t lo, uint64_t hi)
{
	uint64_t span = hi - lo;
	uint64_t r = prng_next(state);

	return span == UINT64_MAX ? r : lo + r % (span + 1);
}

/* The cost of one counter read (ISB + MRS), over back-to-back reads. */
static uint64_t counter_read_cost_ns(void)
{
	uint64_t t0 = rt_now(), t1 = t0;
	int i;

#pragma GCC unroll 64
	for (i = 0; i < COUNTER_READ_PROBES; i++)
		t1 = rt_now();
	return rt_ticks_to_ns(t1 - t0) / COUNTER_READ_PROBES;
}

void guest_timer_irq(uint64_t stamp)
{
	irqlat.stamp = stamp;
	irqlat.fired = true;
}

static void stat_add(struct irqlat_stat *s, uint64_t v)
{
	if (!s->n || v < s->min)
		s->min = v;
	if (v > s->max)
		s->max = v;
	s->sum += v;
	s->n++;
}

/* ns from @due to @t, less one counter read; 0 if that is negative. */
static uint64_t since_due_ns(uint64_t t, uint64_t due)
{
	uint64_t ns = t > due ? rt_ticks_to_ns(t - due) : 0;

	return ns > irqlat.read_cost_ns ? ns - irqlat.read_cost_ns : 0;
}

static void sift_down(uint32_t *a, size_t root, size_t n)
{
	for (;;) {
		size_t child = 2 * root + 1;
		uint32_t tmp;

		if (child >= n)
			return;
		if (child + 1 < n && a[child + 1] > a[child])
			child++;
		if (a[root] >= a[child])
			return;
		tmp = a[root];
		a[root] = a[child];
		a[child] = tmp;
		root = child;
	}
}

/* Heapsort: in place, no recursion, O(n log n) at 100000 samples. */
static void sort_u32(uint32_t *a, size_t n)
{
	size_t i;

	for (i = n / 2; i-- > 0;)
		sift_down(a, i, n);
	for (i = n; i-- > 1;) {
		uint32_t tmp = a[0];

		a[0] = a[i];
		a[i] = tmp;
		sift_down(a, 0, i);
	}
}

/* Nearest-rank percentile @q (1..100) of the sorted @a[0..n-1]. */
static uint32_t percentile(const uint32_t *a, size_t n, unsigned int q)
{
	return a[(q * n + 99) / 100 - 1];
}

/* Print the summary lines; the window restarts after. */
static void irqlat_report(void)
{
	const struct irqlat_stat *l = &irqlat.lat, *r = &irqlat.resp;
	size_t n = irqlat.window_len;

	if (!n)
		return; /* nothing since the last report */
	sort_u32(irqlat.window, n);
	rt_printf("irqlat: samples %lu min %lu avg %lu p50 %u p99 %u max %lu "
		  "ns\n",
		  (unsigned long)l->n, (unsigned long)l->min,
		  (unsigned long)(l->sum / l->n),
		  percentile(irqlat.window, n, 50),
		  percentile(irqlat.window, n, 99), (unsigned long)l->max);
	rt_printf("irqlat: response min %lu avg %lu max %lu ns\n",
		  (unsigned long)r->min, (unsigned long)(r->sum / r->n),
		  (unsigned long)r->max);
	irqlat.window_len = 0;
}

static void irqlat_sample(uint64_t dmin, uint64_t dmax)
{
	uint64_t delta = prng_range(&irqlat.prng, dmin, dmax);
	uint64_t due, lat, resp;

	irqlat.fired = false;
	due = rt_now() + rt_ns_to_ticks(delta);
	rt_vtimer_arm(due);
	rt_wait_flag(&irqlat.fired);

	lat = since_due_ns(irqlat.stamp, due);
	/* 0 would mean "not measured" to the hypervisor */
	resp = since_due_ns(rt_irq_last_end(), due);
	if (!resp)
		resp = 1;
	rt_hvlab(HVLAB_OP_IRQ_SAMPLE, 0, lat, resp, 0);

	stat_add(&irqlat.lat, lat);
	stat_add(&irqlat.resp, resp);
	irqlat.window[irqlat.window_len++] =
	    lat > UINT32_MAX ? UINT32_MAX : (uint32_t)lat;
}

int guest_main(const struct guest_params *p)
{
	uint64_t i;

	if (p->delta_max_ns < p->delta_min_ns) {
		rt_printf("irqlat: delta_max_ns %lu < delta_min_ns %lu\n",
			  (unsigned long)p->delta_max_ns,
			  (unsigned long)p->delta_min_ns);
		return 2;
	}
	irqlat.prng = p->seed;
	irqlat.read_cost_ns = counter_read_cost_ns();
	rt_printf("irqlat: counter %lu Hz, read cost %lu ns, samples %lu, "
		  "delta %lu..%lu ns, seed %lu\n",
		  (unsigned long)rt_counter_hz(),
		  (unsigned long)irqlat.read_cost_ns, (unsigned long)p->samples,
		  (unsigned long)p->delta_min_ns,
		  (unsigned long)p->delta_max_ns, (unsigned long)p->seed);

	for (i = 0; !p->samples || i < p->samples; i++) {
		irqlat_sample(p->delta_min_ns, p->delta_max_ns);
		if (irqlat.window_len == IRQLAT_WINDOW)
			irqlat_report();
	}
	irqlat_report();
	return 0;
}
