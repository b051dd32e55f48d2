/*
 * The EL1 virtual timer and the virtual counter. Counter frequencies
 * differ by CPU model (1 GHz with QEMU's -cpu max, 62.5 MHz with
 * cortex-a53), so every conversion splits the value into whole seconds
 * and a remainder: each product then stays below 2^62 for any 32-bit
 * CNTFRQ_EL0, with no 128-bit arithmetic (which would need libgcc).
 */
#include "private.h"

#define NSEC_PER_SEC 1000000000ull
#define CNTV_CTL_ENABLE (1u << 0)

int rt_timer_init(void)
{
	rt.counter_hz = sysreg_read(cntfrq_el0) & 0xffffffffu;
	if (!rt.counter_hz) {
		rt_puts("hvlab-guest: CNTFRQ_EL0 is 0: no counter frequency\n");
		return -1;
	}
	rt_vtimer_stop();
	return 0;
}

uint64_t rt_counter_hz(void)
{
	return rt.counter_hz;
}

/* Rounds down. */
uint64_t rt_ticks_to_ns(uint64_t ticks)
{
	uint64_t hz = rt.counter_hz;

	return ticks / hz * NSEC_PER_SEC + ticks % hz * NSEC_PER_SEC / hz;
}

/* Rounds down. */
uint64_t rt_ns_to_ticks(uint64_t ns)
{
	uint64_t hz = rt.counter_hz;

	return ns / NSEC_PER_SEC * hz + ns % NSEC_PER_SEC * hz / NSEC_PER_SEC;
}

void rt_vtimer_arm(uint64_t cval)
{
	sysreg_write(cntv_cval_el0, cval);
	sysreg_write(cntv_ctl_el0, CNTV_CTL_ENABLE);
	isb();
}

/* Disabling (not just masking) drops the level-sensitive PPI at once. */
void rt_vtimer_stop(void)
{
	sysreg_write(cntv_ctl_el0, 0);
	isb();
}
