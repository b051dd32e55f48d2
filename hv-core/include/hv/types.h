/*
 * Basic types shared by the core, the schedulers, the ports and the tools.
 *
 * Time is signed 64-bit nanoseconds everywhere in the core (Xen's s_time_t):
 * signed so that "time until" can be negative and HV_TIME_NEVER can be a
 * sentinel far in the future without overflow games.
 */
#ifndef HV_TYPES_H
#define HV_TYPES_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

typedef int64_t hv_time_t;

#define HV_TIME_NEVER INT64_MAX
#define HV_NS(x) ((hv_time_t)(x))
#define HV_US(x) ((hv_time_t)(x)*1000)
#define HV_MS(x) ((hv_time_t)(x)*1000000)
#define HV_S(x) ((hv_time_t)(x)*1000000000)

/* Upper bounds sized for the 64-pCPU / 1,024-vCPU benchmark with headroom. */
#define HV_MAX_PCPUS 128
#define HV_MAX_VCPUS_PER_DOMAIN 128
#define HV_NAME_MAX 32

/* Xen's DOMID_IDLE: idle vCPUs are reported as this domain in traces. */
#define HV_DOMID_IDLE 32767

/* A fixed-size set of pCPUs (hard affinity, pool membership, free masks). */
struct cpumask {
	uint64_t bits[HV_MAX_PCPUS / 64];
};

static inline void cpumask_clear(struct cpumask *m)
{
	memset(m, 0, sizeof(*m));
}

static inline void cpumask_set(struct cpumask *m, unsigned int cpu)
{
	m->bits[cpu / 64] |= UINT64_C(1) << (cpu % 64);
}

static inline void cpumask_unset(struct cpumask *m, unsigned int cpu)
{
	m->bits[cpu / 64] &= ~(UINT64_C(1) << (cpu % 64));
}

static inline bool cpumask_test(const struct cpumask *m, unsigned int cpu)
{
	return cpu < HV_MAX_PCPUS && ((m->bits[cpu / 64] >> (cpu % 64)) & 1);
}

static inline bool cpumask_empty(const struct cpumask *m)
{
	for (unsigned int i = 0; i < HV_MAX_PCPUS / 64; i++)
		if (m->bits[i])
			return false;
	return true;
}

static inline unsigned int cpumask_weight(const struct cpumask *m)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < HV_MAX_PCPUS / 64; i++)
		n += (unsigned int)__builtin_popcountll(m->bits[i]);
	return n;
}

/* dst = a & b; returns true when the result is non-empty. */
static inline bool cpumask_and(struct cpumask *dst, const struct cpumask *a,
			       const struct cpumask *b)
{
	uint64_t any = 0;

	for (unsigned int i = 0; i < HV_MAX_PCPUS / 64; i++) {
		dst->bits[i] = a->bits[i] & b->bits[i];
		any |= dst->bits[i];
	}
	return any != 0;
}

/* True when every CPU of @sub is also in @super. */
static inline bool cpumask_subset(const struct cpumask *sub,
				  const struct cpumask *super)
{
	for (unsigned int i = 0; i < HV_MAX_PCPUS / 64; i++)
		if (sub->bits[i] & ~super->bits[i])
			return false;
	return true;
}

/* First CPU >= @from in @m, or HV_MAX_PCPUS when there is none. */
static inline unsigned int cpumask_next(const struct cpumask *m,
					unsigned int from)
{
	while (from < HV_MAX_PCPUS) {
		uint64_t w = m->bits[from / 64] >> (from % 64);

		if (w)
			return from + (unsigned int)__builtin_ctzll(w);
		from = (from / 64 + 1) * 64;
	}
	return HV_MAX_PCPUS;
}

static inline unsigned int cpumask_first(const struct cpumask *m)
{
	return cpumask_next(m, 0);
}

#define for_each_cpu(cpu, mask)                                 \
	for ((cpu) = cpumask_first(mask); (cpu) < HV_MAX_PCPUS; \
	     (cpu) = cpumask_next((mask), (cpu) + 1))

#endif /* HV_TYPES_H */
