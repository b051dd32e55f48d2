/*
 * Exception handlers (entered from vectors.S) and the IRQ wait.
 *
 * Synchronous: an HVC or SMC that nothing above EL1 implements is
 * UNDEFINED (EC 0); it is stepped over and flagged, which is how the
 * runtime detects bare metal and falls back between PSCI conduits. Any
 * other synchronous exception is fatal.
 *
 * IRQ: acknowledge, stop the timer, hand it to the guest, EOI, and
 * account the handler's time (the counter at the vector to the counter
 * after the EOI).
 */
#include "private.h"

#define ESR_EC_SHIFT 26
#define ESR_EC_UNKNOWN 0x00u
#define INSN_HVC_SMC_MASK 0xffe0001eu /* imm16 and the low bit cleared */
#define INSN_HVC_SMC 0xd4000002u /* HVC #imm is ...02, SMC #imm ...03 */
#define GIC_SPURIOUS_FIRST 1020u

static bool is_hvc_or_smc(uint64_t pc)
{
	uint32_t insn = *(const volatile uint32_t *)(uintptr_t)pc;

	return (insn & INSN_HVC_SMC_MASK) == INSN_HVC_SMC;
}

void rt_sync(struct rt_frame *f)
{
	uint64_t esr = sysreg_read(esr_el1);

	if ((esr >> ESR_EC_SHIFT) == ESR_EC_UNKNOWN && is_hvc_or_smc(f->elr)) {
		rt.call_undefined = true;
		f->elr += 4;
		return;
	}
	rt_fatal("synchronous exception", f);
}

void rt_irq(uint64_t stamp)
{
	uint32_t intid = rt_gic_ack();

	if (intid >= GIC_SPURIOUS_FIRST)
		return;
	if (intid == GUEST_VTIMER_INTID) {
		rt_vtimer_stop();
		guest_timer_irq(stamp);
	}
	rt_gic_eoi(intid);
	rt.irq_last_end = counter_read();
}

_Noreturn void rt_unexpected(struct rt_frame *f, uint64_t index)
{
	rt_printf("hvlab-guest: exception through vector %lu\n",
		  (unsigned long)index);
	rt_fatal("unexpected exception", f);
}

uint64_t rt_irq_last_end(void)
{
	return rt.irq_last_end;
}

void rt_wait_flag(const volatile bool *flag)
{
	while (!*flag) {
		irq_disable();
		if (!*flag)
			wfi();
		irq_enable();
	}
}
