/*
 * AArch64 EL1 primitives: system registers, barriers, the virtual
 * counter, interrupt masking and MMIO. With the MMU off every data access
 * is Device-nGnRnE, so MMIO needs no extra barriers; it goes through
 * plain single-register ldr/str so that a hypervisor trapping the access
 * gets a valid syndrome (no writeback, no pair).
 */
#ifndef GUESTS_ARCH_H
#define GUESTS_ARCH_H

#include <stdint.h>

#define sysreg_read(reg)                                      \
	({                                                    \
		uint64_t v_;                                  \
		__asm__ volatile("mrs %0, " #reg : "=r"(v_)); \
		v_;                                           \
	})

#define sysreg_write(reg, val)                                               \
	do {                                                                 \
		uint64_t w_ = (val);                                         \
		__asm__ volatile("msr " #reg ", %0" : : "r"(w_) : "memory"); \
	} while (0)

static inline void isb(void)
{
	__asm__ volatile("isb" : : : "memory");
}

static inline void wfi(void)
{
	__asm__ volatile("wfi" : : : "memory");
}

static inline void irq_enable(void)
{
	__asm__ volatile("msr daifclr, #2" : : : "memory");
}

static inline void irq_disable(void)
{
	__asm__ volatile("msr daifset, #2" : : : "memory");
}

/*
 * The virtual counter. The ISB keeps the read from being done before
 * the instructions that precede it; the IRQ vector reads it without one,
 * as exception entry already synchronises.
 */
static inline uint64_t counter_read(void)
{
	uint64_t v;

	__asm__ volatile("isb\n\tmrs %0, cntvct_el0" : "=r"(v) : : "memory");
	return v;
}

static inline uint32_t mmio_read32(uint64_t addr)
{
	uint32_t v;

	__asm__ volatile("ldr %w0, [%1]" : "=r"(v) : "r"(addr) : "memory");
	return v;
}

static inline void mmio_write32(uint64_t addr, uint32_t v)
{
	__asm__ volatile("str %w0, [%1]" : : "rZ"(v), "r"(addr) : "memory");
}

#endif /* GUESTS_ARCH_H */
