/*
 * A guest vCPU's EL1 context: created at boot, saved when it leaves a
 * pCPU, loaded when it comes back. Registers x0-x30, ELR and SPSR are
 * not here: entry.S keeps them in the context on every exit already.
 *
 * The virtual timer belongs to the vCPU. While the vCPU is loaded it is
 * the hardware's (CNTV_*_EL0, PPI 27, taken to EL2 and injected); when
 * the vCPU leaves, the hardware timer is switched off and a hypervisor
 * timer stands in for it, so a blocked vCPU still wakes at its deadline.
 */
#include <hv/irq.h>

#include "arm64.h"
#include "sysreg.h"

#define CNTV_ENABLE 1u
#define CNTV_IMASK 2u
#define SPSR_EL1H_MASKED 0x3c5u /* EL1h, D A I F masked */
#define SCTLR_EL1_RES1 0x30d00800u

static void vtimer_fire(struct machine *m, struct hv_timer *t);

void vcpu_ctx_init(struct a64_vcpu *c, uint64_t entry_ipa)
{
	const struct cfg_domain *cfg = c->d->cfg;

	c->regs.elr = entry_ipa;
	c->regs.spsr = SPSR_EL1H_MASKED;
	c->sys.sctlr = SCTLR_EL1_RES1;
	c->sys.cpacr = 3u << 20; /* FP/SIMD usable at EL1 and EL0 */
	c->sys.vmpidr = 1ull << 31 | c->v->vcpu_id;
	c->hcr =
	    HCR_VM | HCR_SWIO | HCR_FMO | HCR_IMO | HCR_AMO | HCR_TSC | HCR_RW;
	if (!cfg->wfi_native)
		c->hcr |= HCR_TWI;
	if (cfg->direct_irq)
		c->hcr &= ~HCR_IMO; /* Group 1 IRQs go straight to EL1 */
	vgic_vcpu_init(c);
	timer_init(&c->vtimer, c->v->processor, vtimer_fire, c);
}

#define SAVE(f, r) c->sys.f = read_sysreg(r)
#define LOAD(f, r) write_sysreg(c->sys.f, r)

void vcpu_ctx_save(struct a64_vcpu *c)
{
	struct machine *m = hv.m;

	SAVE(sctlr, sctlr_el1);
	SAVE(ttbr0, ttbr0_el1);
	SAVE(ttbr1, ttbr1_el1);
	SAVE(tcr, tcr_el1);
	SAVE(mair, mair_el1);
	SAVE(amair, amair_el1);
	SAVE(vbar, vbar_el1);
	SAVE(contextidr, contextidr_el1);
	SAVE(tpidr_el0, tpidr_el0);
	SAVE(tpidrro_el0, tpidrro_el0);
	SAVE(tpidr_el1, tpidr_el1);
	SAVE(sp_el0, sp_el0);
	SAVE(sp_el1, sp_el1);
	SAVE(elr_el1, elr_el1);
	SAVE(spsr_el1, spsr_el1);
	SAVE(esr, esr_el1);
	SAVE(far, far_el1);
	SAVE(afsr0, afsr0_el1);
	SAVE(afsr1, afsr1_el1);
	SAVE(par, par_el1);
	SAVE(cpacr, cpacr_el1);
	SAVE(cntkctl, cntkctl_el1);
	SAVE(csselr, csselr_el1);
	c->cntv_ctl = read_sysreg(cntv_ctl_el0);
	c->cntv_cval = read_sysreg(cntv_cval_el0);
	write_sysreg(0, cntv_ctl_el0); /* the next guest starts with it off */
	vgic_save(c);
	fp_save(c->fp);
	c->loaded = false;
	/* An armed, unmasked timer keeps running as a hypervisor timer. */
	if ((c->cntv_ctl & (CNTV_ENABLE | CNTV_IMASK)) == CNTV_ENABLE &&
	    !c->v->offline) {
		c->vtimer.cpu = this_percpu()->cpu;
		timer_set(m, &c->vtimer, ticks_to_ns(c->cntv_cval));
	}
}

void vcpu_ctx_load(struct a64_vcpu *c)
{
	timer_stop(hv.m, &c->vtimer);
	LOAD(sctlr, sctlr_el1);
	LOAD(ttbr0, ttbr0_el1);
	LOAD(ttbr1, ttbr1_el1);
	LOAD(tcr, tcr_el1);
	LOAD(mair, mair_el1);
	LOAD(amair, amair_el1);
	LOAD(vbar, vbar_el1);
	LOAD(contextidr, contextidr_el1);
	LOAD(tpidr_el0, tpidr_el0);
	LOAD(tpidrro_el0, tpidrro_el0);
	LOAD(tpidr_el1, tpidr_el1);
	LOAD(sp_el0, sp_el0);
	LOAD(sp_el1, sp_el1);
	LOAD(elr_el1, elr_el1);
	LOAD(spsr_el1, spsr_el1);
	LOAD(esr, esr_el1);
	LOAD(far, far_el1);
	LOAD(afsr0, afsr0_el1);
	LOAD(afsr1, afsr1_el1);
	LOAD(par, par_el1);
	LOAD(cpacr, cpacr_el1);
	LOAD(cntkctl, cntkctl_el1);
	LOAD(csselr, csselr_el1);
	write_sysreg(c->sys.vmpidr, vmpidr_el2);
	write_sysreg(c->d->vttbr, vttbr_el2);
	write_sysreg(c->hcr, hcr_el2);
	write_sysreg(c->cntv_cval, cntv_cval_el0);
	write_sysreg(c->cntv_ctl, cntv_ctl_el0);
	vgic_restore(c);
	fp_restore(c->fp);
	isb();
	c->loaded = true;
}

/* The deadline of a descheduled vCPU's virtual timer has come. */
static void vtimer_fire(struct machine *m, struct hv_timer *t)
{
	struct a64_vcpu *c = t->data;

	if (c->loaded || c->v->offline)
		return;
	c->cntv_ctl |= CNTV_IMASK; /* as the hardware path leaves it */
	hv_irq_raise(m, c->irq);
}

/* The hardware virtual timer fired while @c runs here: PPI 27. */
void vtimer_hw_irq(struct a64_vcpu *c)
{
	if (c->v->offline) { /* a stopped domain's timer: silence it */
		write_sysreg(0, cntv_ctl_el0);
		isb();
		return;
	}
	write_sysreg(read_sysreg(cntv_ctl_el0) | CNTV_IMASK, cntv_ctl_el0);
	isb();
	hv_irq_raise(hv.m, c->irq);
}

/* True when @c's timer condition holds: an interrupt is due now. */
bool vtimer_due(struct a64_vcpu *c)
{
	uint64_t ctl = c->loaded ? read_sysreg(cntv_ctl_el0) : c->cntv_ctl;

	return (ctl & 7u) == (CNTV_ENABLE | 4u); /* ENABLE, ISTATUS, !IMASK */
}
