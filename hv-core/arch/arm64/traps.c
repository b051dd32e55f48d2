/*
 * Guest exits. Every exit from a guest arrives here with its registers
 * already saved (entry.S), takes the hypervisor lock, does its work and
 * leaves through leave_hypervisor(), which runs the scheduler if asked
 * and enters whichever vCPU is now current.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>

#include <hv/guest_abi.h>
#include <hv/sched.h>
#include <hv/trace.h>

#include "arm64.h"
#include "sysreg.h"

#define ESR_IL (1u << 25)
#define ESR_ISV (1u << 24)
#define PSCI_VERSION 0x84000000u
#define PSCI_SYSTEM_OFF 0x84000008u
#define PSCI_NOT_SUPPORTED (-1l)

static void skip_insn(struct a64_vcpu *c, uint64_t esr)
{
	c->regs.elr += (esr & ESR_IL) ? 4 : 2;
}

static void domain_crash(struct a64_domain *d, const char *why)
{
	struct machine *m = hv.m;

	if (d->crashed)
		return;
	d->crashed = true;
	hv.crashed_any = true;
	hv_printf("(hv) d%u (%s): %s; domain stopped\n", d->cfg->domid,
		  d->cfg->name, why);
	for (unsigned int i = 0; i < d->dom->nr_vcpus; i++)
		hv_vcpu_sleep(m, &d->dom->vcpus[i]);
	if (d->cfg->must_finish && d->finished_vcpus < d->dom->nr_vcpus) {
		d->finished_vcpus = d->dom->nr_vcpus;
		domain_done();
	}
}

static void __attribute__((format(printf, 2, 3)))
crashf(struct a64_vcpu *c, const char *fmt, ...)
{
	char msg[128];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	domain_crash(c->d, msg);
}

/* A data abort at stage 2: an emulated GIC register, or a stray access. */
static void data_abort(struct a64_vcpu *c, uint64_t esr)
{
	uint64_t ipa = (read_sysreg(hpfar_el2) & 0xffffffffff0ull) << 8 |
		       (read_sysreg(far_el2) & 0xfff);
	bool write = esr & (1u << 6);
	unsigned int size = 1u << ((esr >> 22) & 3), rt = (esr >> 16) & 31;
	uint64_t val = 0;

	if (esr & ESR_ISV) {
		if (write)
			val = rt == 31 ? 0 : c->regs.x[rt];
		if (vgic_mmio(c, ipa, write, size, &val)) {
			if (!write && rt != 31)
				c->regs.x[rt] =
				    size == 8
					? val
					: val & ((1ull << (8 * size)) - 1);
			skip_insn(c, esr);
			return;
		}
	}
	crashf(c, "stage-2 fault: %s IPA %#lx at PC %#lx",
	       write ? "write to" : "read of", (unsigned long)ipa,
	       (unsigned long)c->regs.elr);
}

/* WFI trapped (vwfi=trap): block until the next interrupt. */
static void trap_wfi(struct a64_vcpu *c, uint64_t esr)
{
	skip_insn(c, esr);
	if (vgic_has_pending(c) || vtimer_due(c))
		return;
	hv_vcpu_block(hv.m, c->v);
}

static void smc(struct a64_vcpu *c, uint64_t esr)
{
	uint32_t fn = (uint32_t)c->regs.x[0];

	skip_insn(c, esr); /* a trapped SMC returns to itself */
	if (fn == PSCI_VERSION) {
		c->regs.x[0] = 1u << 16; /* PSCI 1.0 */
	} else if (fn == PSCI_SYSTEM_OFF) {
		crashf(c, "PSCI SYSTEM_OFF before finishing (fn %#x)", fn);
	} else {
		c->regs.x[0] = (uint64_t)PSCI_NOT_SUPPORTED;
	}
}

void trap_guest_sync(void)
{
	struct a64_vcpu *c;
	uint64_t esr;

	hv_lock();
	c = this_percpu()->loaded;
	esr = read_sysreg(esr_el2);
	HV_TRACE(hv.m, HVLAB_TRAP, trace_dv(c->d->cfg->domid, c->v->vcpu_id),
		 (uint32_t)esr);
	switch (esr >> 26) {
	case EC_HVC64:
		if ((esr & 0xffff) == HVC_XEN_IMM)
			do_hypercall(c);
		else
			c->regs.x[0] = (uint64_t)-ENOSYS;
		break;
	case EC_SMC64: smc(c, esr); break;
	case EC_WFX:
		if (esr & 1) /* WFE is never trapped; be safe anyway */
			skip_insn(c, esr);
		else
			trap_wfi(c, esr);
		break;
	case EC_DABT_LOW: data_abort(c, esr); break;
	case EC_IABT_LOW:
		crashf(c, "stage-2 fault: instruction fetch at %#lx (ESR %#lx)",
		       (unsigned long)c->regs.elr, (unsigned long)esr);
		break;
	case EC_SYSREG: /* e.g. the EL1 physical timer: RAZ/WI */
		if (esr & 1) {
			unsigned int rt = (esr >> 5) & 31;

			if (rt != 31)
				c->regs.x[rt] = 0;
		}
		skip_insn(c, esr);
		break;
	default:
		crashf(c, "unhandled exception class %#lx at PC %#lx",
		       (unsigned long)(esr >> 26), (unsigned long)c->regs.elr);
	}
	leave_hypervisor();
}

static void handle_phys_irq(uint32_t intid, bool group0)
{
	struct percpu *p = this_percpu();

	if (group0 && intid == INTID_HYP_TIMER) {
		port_timer_fired();
		gic_eoi(intid, group0);
		hv_timer_interrupt(hv.m, p->cpu);
		return;
	}
	/* the vCPU whose timer this is: running here, or held lazily */
	if (!group0 && intid == INTID_VTIMER && p->loaded) {
		vtimer_hw_irq(p->loaded);
		gic_eoi(intid, group0);
		return;
	}
	gic_eoi(intid, group0);
	if (group0 && intid == SGI_SCHEDULE) {
		port_timer_reload();
		return; /* the softirq flag says what to do */
	}
	hv.m->spurious_irqs++;
}

/* Every interrupt pending at this pCPU, either group (lock held). */
void hv_poll_interrupts(void)
{
	bool group0;
	uint32_t id;

	while ((id = gic_ack(&group0)) < INTID_SPURIOUS)
		handle_phys_irq(id, group0);
}

/* An IRQ or an FIQ from the guest: both vectors come here. */
void trap_guest_irq(void)
{
	hv_lock();
	hv_poll_interrupts();
	leave_hypervisor();
}
