/*
 * The sim's one source of randomness: xoshiro256** seeded through
 * splitmix64 (both public-domain algorithms by Blackman and Vigna,
 * re-implemented here). Every random draw in a run comes from the one
 * generator in struct sim, so a scenario and a seed fix the whole run.
 */
#ifndef HV_SIM_RNG_H
#define HV_SIM_RNG_H

#include <hv/types.h>

struct rng {
	uint64_t s[4];
};

void rng_seed(struct rng *r, uint64_t seed);
uint64_t rng_next(struct rng *r);

/* Uniform integer in [lo, hi] (inclusive), without modulo bias. */
int64_t rng_range(struct rng *r, int64_t lo, int64_t hi);

/* Uniform double in [0, 1). */
double rng_unit(struct rng *r);

/* Standard normal variate (Marsaglia's polar method). */
double rng_normal(struct rng *r);

#endif /* HV_SIM_RNG_H */
