/*
 * The port interface (hv/port.h) on arm64, the hypervisor lock, and the
 * way out of the hypervisor.
 *
 * Locking: one ticket lock serialises the core. Every exit from a guest
 * takes it before touching shared state and drops it just before
 * entering a guest or waiting for an interrupt, so the core and the
 * schedulers see the single-threaded world they were written for (the
 * sim's), and every decision is ordered. Waiters sleep in WFE; the
 * releaser's SEV wakes them.
 *
 * Time: the core's clock is the physical counter in ns (CNTPCT_EL0 at
 * CNTFRQ_EL0); under QEMU -icount shift=0 with -cpu max that is one
 * nanosecond per instruction.
 */
#include <assert.h>
#include <stdatomic.h>

#include <hv/port.h>
#include <hv/sched.h>
#include <hv/timer.h>

#include "arm64.h"
#include "sysreg.h"

static _Atomic uint32_t lock_next, lock_owner;

void hv_lock(void)
{
	uint32_t me =
	    atomic_fetch_add_explicit(&lock_next, 1, memory_order_relaxed);

	while (atomic_load_explicit(&lock_owner, memory_order_acquire) != me)
		wfe();
}

static void hv_unlock(void)
{
	atomic_store_explicit(
	    &lock_owner,
	    atomic_load_explicit(&lock_owner, memory_order_relaxed) + 1,
	    memory_order_release);
	dsb(ishst);
	sev();
}

/*
 * Counter value <-> core time. Core time 0 is the counter at boot
 * (hv.cnt_base), so a run spans [0, end] as on the sim.
 */
hv_time_t ticks_to_ns(uint64_t ticks)
{
	ticks = ticks > hv.cnt_base ? ticks - hv.cnt_base : 0;
	if (hv.ns_per_tick) /* QEMU's 1 GHz and 62.5 MHz: exact */
		return (hv_time_t)(ticks * hv.ns_per_tick);
	return (hv_time_t)((unsigned __int128)ticks * 1000000000u /
			   hv.cnt_freq);
}

/* Rounded up, so a deadline never fires early. */
uint64_t ns_to_ticks(hv_time_t ns)
{
	if (hv.ns_per_tick)
		return ((uint64_t)ns + hv.ns_per_tick - 1) / hv.ns_per_tick +
		       hv.cnt_base;
	return (uint64_t)(((unsigned __int128)ns * hv.cnt_freq + 999999999u) /
			  1000000000u) +
	       hv.cnt_base;
}

hv_time_t arch_clock_now(struct machine *m)
{
	(void)m;
	isb(); /* the counter is read in program order */
	return ticks_to_ns(read_sysreg(cntpct_el0));
}

unsigned int arch_cpu_id(struct machine *m)
{
	(void)m;
	return this_percpu()->cpu;
}

/* Program this pCPU's CNTHP for @deadline, unless it holds it already. */
static void timer_hw_program(struct percpu *p, hv_time_t deadline)
{
	if (deadline == p->timer_programmed)
		return;
	p->timer_programmed = deadline;
	if (deadline == HV_TIME_NEVER) {
		write_sysreg(0, cnthp_ctl_el2);
	} else {
		write_sysreg(ns_to_ticks(deadline < 0 ? 0 : deadline),
			     cnthp_cval_el2);
		write_sysreg(1, cnthp_ctl_el2); /* enabled, unmasked */
	}
	isb();
}

/* Another pCPU changed this pCPU's deadline, or it just came online. */
void port_timer_reload(void)
{
	struct percpu *p = this_percpu();

	timer_hw_program(p, p->timer_deadline);
}

/* The timer fired: CNTHP is off until it is programmed again. */
void port_timer_fired(void)
{
	write_sysreg(0, cnthp_ctl_el2); /* drop the line before the EOI */
	isb();
	this_percpu()->timer_programmed = HV_TIME_NEVER;
}

/* Make another online pCPU look at its softirq, timer and vIRQs. */
static void kick(unsigned int cpu)
{
	if (cpu != this_percpu()->cpu && hv.pcpu[cpu].online)
		gic_send_sgi(cpu, SGI_SCHEDULE);
}

void arch_timer_program(struct machine *m, unsigned int cpu, hv_time_t deadline)
{
	struct percpu *p = &hv.pcpu[cpu];

	(void)m;
	p->timer_deadline = deadline;
	if (p == this_percpu())
		timer_hw_program(p, deadline);
	else
		kick(cpu);
}

void arch_ipi_send(struct machine *m, unsigned int cpu)
{
	(void)m;
	kick(cpu);
}

/*
 * Lazy switching: a vCPU pinned to this pCPU alone that leaves for the
 * idle vCPU keeps its state in the registers, virtual timer armed, so
 * when it comes back (the usual case: it blocked in WFI and its own
 * interrupt wakes it) there is nothing to restore, and its timer's PPI
 * reaches the idle loop directly. Any other vCPU that wants the pCPU
 * saves it first. A vCPU that may run elsewhere is always saved, so its
 * state is never in two places.
 */
static bool keep_loaded(const struct vcpu *v, unsigned int cpu)
{
	return !v->offline && cpumask_weight(&v->hard_affinity) == 1 &&
	       cpumask_test(&v->hard_affinity, cpu);
}

void arch_context_switch(struct machine *m, unsigned int cpu, struct vcpu *prev,
			 struct vcpu *next)
{
	struct percpu *p = &hv.pcpu[cpu];
	struct a64_vcpu *held = p->loaded;

	(void)m, (void)prev;
	if (held && (next->is_idle ? !keep_loaded(held->v, cpu)
				   : a64_vcpu_of(next) != held)) {
		vcpu_ctx_save(held);
		p->loaded = NULL;
	}
	if (!next->is_idle && !p->loaded) {
		vcpu_ctx_load(a64_vcpu_of(next));
		p->loaded = a64_vcpu_of(next);
	}
}

void arch_virq_inject(struct machine *m, struct vcpu *v, unsigned int virq)
{
	struct a64_vcpu *c = a64_vcpu_of(v);

	(void)m;
	(void)virq;
	assert(virq == 0); /* the domain's only routed IRQ: its vtimer */
	vgic_raise(c, INTID_VTIMER);
	/* Running elsewhere: that pCPU flushes it on its way back in. */
	if (v->is_running)
		kick(v->processor);
}

void arch_cpu_idle(struct machine *m, unsigned int cpu)
{
	(void)m, (void)cpu; /* leave_hypervisor() waits, with the lock off */
}

/*
 * Leave the hypervisor (lock held): run what the softirq asks, then
 * enter the current vCPU, or wait for an interrupt while idle.
 */
void leave_hypervisor(void)
{
	struct percpu *p = this_percpu();

	for (;;) {
		struct vcpu *curr;

		hv_do_softirq(hv.m, p->cpu);
		curr = hv.m->pcpus[p->cpu].curr;
		if (!curr->is_idle) {
			struct a64_vcpu *c = a64_vcpu_of(curr);

			vgic_flush(c);
			hv_unlock();
			guest_enter(&c->regs);
		}
		hv_unlock();
		wfi(); /* wakes on a pending interrupt even though masked */
		hv_lock();
		hv_poll_interrupts();
	}
}

/* How the run stands: what hv_end_run() would say now. */
int hv_run_status(void)
{
	if (hv.finished < hv.must_finish)
		return HV_EXIT_TIMEOUT;
	return hv.crashed_any ? HV_EXIT_DOMAIN_CRASHED : HV_EXIT_DONE;
}

/* A domain the run waits for is done (finished or stopped). */
void domain_done(void)
{
	if (++hv.finished == hv.must_finish)
		hv_end_run(hv_run_status());
}

/* The end of the run: RUN_END, the trace to the host, QEMU's exit. */
void hv_end_run(int status)
{
	hv_time_t now = arch_clock_now(hv.m);

	trace_out_finish();
	hv_printf("(hv) run ended at %lu ns: %s\n", (unsigned long)now,
		  hv_exit_status_text(status));
	semihost_exit(status);
}
