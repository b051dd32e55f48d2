/*
 * Boot: pCPU 0 reads the device tree, builds the machine (pools,
 * domains, stage-2 maps, trace) from it with the same core calls the sim
 * uses, then starts the other pCPUs with PSCI CPU_ON. Every pCPU ends in
 * leave_hypervisor(), which runs its scheduler.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <hv/guest_abi.h>
#include <hv/irq.h>
#include <hv/machine.h>
#include <hv/sched.h>

#include "arm64.h"
#include "layout.h"
#include "sysreg.h"

#define STACK_SIZE ARM64_STACK_SIZE
#define FDT_MAGIC 0xd00dfeedu
#define BOARD_DTB ((uint64_t)ARM64_RAM_BASE) /* QEMU's, for an ELF */
#define HEAP_END ((uint64_t)ARM64_HEAP_END)
#define PSCI_CPU_ON 0xc4000003u

struct hv hv;
extern char hv_stacks[], __heap_start[];
extern char secondary_entry[];

static uint32_t be32(const void *p)
{
	const uint8_t *b = p;

	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
	       (uint32_t)b[2] << 8 | b[3];
}

static void percpu_init(unsigned int cpu)
{
	struct percpu *p = &hv.pcpu[cpu];

	p->cpu = cpu;
	p->stack_top =
	    (uint64_t)(uintptr_t)(hv_stacks + (cpu + 1) * STACK_SIZE);
	p->timer_deadline = HV_TIME_NEVER;
	p->timer_programmed = HV_TIME_NEVER; /* cpu_setup_el2 clears CNTHP */
	write_sysreg((uint64_t)(uintptr_t)p, tpidr_el2);
	isb();
}

/* EL2 state every pCPU needs before it runs a guest. */
static void cpu_setup_el2(unsigned int cpu)
{
	write_sysreg(0x33ffull, cptr_el2); /* no FP/SIMD traps */
	write_sysreg(1ull, cnthctl_el2); /* EL1 may read CNTPCT; no CNTP */
	write_sysreg(0ull, cntvoff_el2); /* guest virtual = physical count */
	write_sysreg(read_sysreg(midr_el1), vpidr_el2);
	write_sysreg(0ull, cnthp_ctl_el2);
	write_sysreg(0ull, cntv_ctl_el0);
	stage2_init_cpu();
	gic_init_cpu(cpu);
}

static long psci_cpu_on(uint64_t mpidr, uint64_t entry, uint64_t ctx)
{
	register uint64_t x0 __asm__("x0") = PSCI_CPU_ON;
	register uint64_t x1 __asm__("x1") = mpidr;
	register uint64_t x2 __asm__("x2") = entry;
	register uint64_t x3 __asm__("x3") = ctx;

	if (hv.cfg.psci_hvc)
		__asm__ volatile("hvc #0"
				 : "+r"(x0)
				 : "r"(x1), "r"(x2), "r"(x3)
				 : "memory");
	else
		__asm__ volatile("smc #0"
				 : "+r"(x0)
				 : "r"(x1), "r"(x2), "r"(x3)
				 : "memory");
	return (long)x0;
}

/* The device tree's 64-bit pCPU mask (CFG_MAX_PCPUS <= 64). */
static void mask_from_u64(struct cpumask *mask, uint64_t bits)
{
	cpumask_clear(mask);
	for (unsigned int c = 0; c < 64; c++)
		if (bits >> c & 1)
			cpumask_set(mask, c);
}

static int build_pools(struct machine *m)
{
	for (unsigned int i = 0; i < hv.cfg.nr_pools; i++) {
		const struct cfg_pool *p = &hv.cfg.pools[i];
		struct cpumask mask;
		int rc;

		mask_from_u64(&mask, p->cpus);
		rc = pool_create(m, i, p->name, p->sched, &mask, &p->params);
		if (rc) {
			hv_printf("(hv) pool '%s' (%s): cannot create: %d\n",
				  p->name, p->sched, rc);
			return rc;
		}
		if (!strcmp(p->sched, "arinc653")) {
			struct sched_global_params gp = {
			    .sched_id = XEN_SCHEDULER_ARINC653};
			struct scheduler *s = m->pools[i].sched;

			gp.u.a653 = p->a653;
			rc = s->ops->adjust_global(s, &gp);
			if (rc) {
				hv_printf("(hv) pool '%s': ARINC653 schedule "
					  "rejected: %d\n",
					  p->name, rc);
				return rc;
			}
		}
	}
	return 0;
}

static int build_vcpu(struct a64_domain *ad, struct vcpu *v,
		      const struct cfg_vcpu *cv)
{
	struct machine *m = hv.m;
	unsigned int dom = (unsigned int)(ad - hv.doms);
	struct a64_vcpu *c;
	struct cpumask mask;
	int rc;

	mask_from_u64(&mask, cv->affinity);
	rc = vcpu_set_hard_affinity(m, v, &mask);
	if (rc)
		return rc;
	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	v->rt_period = cv->rt_period;
	v->rt_budget = cv->rt_budget;
	v->rt_extratime = cv->rt_extratime;
	v->port_priv = c;
	c->v = v;
	c->d = ad;
	c->irq = dom * CFG_MAX_VCPUS + v->vcpu_id;
	vcpu_ctx_init(c, GUEST_RAM_IPA);
	return irq_route_set(m, c->irq, v, 0);
}

static int build_domains(struct machine *m)
{
	int rc = irq_table_create(m, hv.cfg.nr_domains * CFG_MAX_VCPUS);

	for (unsigned int i = 0; !rc && i < hv.cfg.nr_domains; i++) {
		const struct cfg_domain *cd = &hv.cfg.domains[i];
		struct a64_domain *ad = &hv.doms[i];
		struct domain *d;

		rc = domain_create(m, i, cd->domid, cd->name, cd->pool,
				   cd->nr_vcpus);
		if (rc)
			break;
		d = &m->domains[i];
		d->weight = cd->weight;
		d->cap = cd->cap;
		ad->cfg = cd;
		ad->dom = d;
		ad->vmid = i + 1;
		rc = stage2_build(ad);
		if (rc)
			hv_printf("(hv) domain '%s': RAM at %#lx, %#lx bytes: "
				  "expected 2 MiB aligned, at most 1 GiB, "
				  "below 4 GiB\n",
				  cd->name, (unsigned long)cd->mem_base,
				  (unsigned long)cd->mem_size);
		for (unsigned int j = 0; !rc && j < cd->nr_vcpus; j++)
			rc = build_vcpu(ad, &d->vcpus[j], &cd->vcpus[j]);
		if (rc)
			hv_printf("(hv) domain '%s': cannot build: %d\n",
				  cd->name, rc);
		if (cd->must_finish)
			hv.must_finish++;
	}
	return rc;
}

static void end_of_duration(struct machine *m, struct hv_timer *t)
{
	(void)m, (void)t;
	hv_printf("(hv) duration reached\n");
	hv_end_run(hv_run_status());
}

static const void *find_dtb(uint64_t x0)
{
	if (x0 && be32((const void *)(uintptr_t)x0) == FDT_MAGIC)
		return (const void *)(uintptr_t)x0;
	return (const void *)(uintptr_t)BOARD_DTB;
}

void hv_boot_cpu0(uint64_t x0)
{
	static char err[160];
	const void *dtb;
	hv_time_t now;
	int rc;

	percpu_init(0);
	mmu_init_tables();
	mmu_enable();
	hv_puts("(hv) hvlab arm64 hypervisor\n");
	dtb = find_dtb(x0);
	if (be32(dtb) != FDT_MAGIC) {
		hv_puts("(hv) no device tree at x0 or at the base of RAM\n");
		semihost_exit(HV_EXIT_BAD_CONFIG);
	}
	if (config_parse(dtb, be32((const char *)dtb + 4), &hv.cfg, err,
			 sizeof(err))) {
		hv_printf("(hv) device tree rejected: %s\n", err);
		semihost_exit(HV_EXIT_BAD_CONFIG);
	}
	console_init(hv.cfg.uart_base);
	heap_init(__heap_start, HEAP_END - (uint64_t)(uintptr_t)__heap_start);
	hv.cnt_freq = read_sysreg(cntfrq_el0);
	hv.ns_per_tick = hv.cnt_freq && 1000000000u % hv.cnt_freq == 0
			     ? 1000000000u / hv.cnt_freq
			     : 0;
	gic_init_dist();
	cpu_setup_el2(0);
	hv_printf("(hv) %u pCPUs, counter %lu Hz, %u list registers, "
		  "%u pools, %u domains\n",
		  hv.cfg.nr_pcpus, (unsigned long)hv.cnt_freq, hv.nr_lrs,
		  hv.cfg.nr_pools, hv.cfg.nr_domains);

	hv_lock();
	hv.m =
	    machine_create(hv.cfg.nr_pcpus, hv.cfg.nr_pools, hv.cfg.nr_domains);
	if (!hv.m)
		hv_panic("out of memory building the machine");
	rc = trace_out_setup();
	/* Time 0 is now, once the rings exist: as on the sim, the run's
	 * records, metadata first, start at 0. */
	isb();
	hv.cnt_base = read_sysreg(cntpct_el0);
	if (!rc) {
		trace_out_metadata();
		rc = build_pools(hv.m);
	}
	if (!rc)
		rc = build_domains(hv.m);
	now = arch_clock_now(hv.m);
	if (!rc)
		rc = machine_start(hv.m, now);
	if (rc) {
		hv_printf("(hv) cannot start the machine: %d\n", rc);
		semihost_exit(HV_EXIT_BAD_CONFIG);
	}
	timer_init(&hv.end_timer, 0, end_of_duration, NULL);
	timer_set(hv.m, &hv.end_timer, now + hv.cfg.duration);
	hv.pcpu[0].online = true;
	for (unsigned int cpu = 1; cpu < hv.cfg.nr_pcpus; cpu++) {
		long r = psci_cpu_on(hv.cfg.mpidr[cpu],
				     (uint64_t)(uintptr_t)secondary_entry, cpu);

		if (r)
			hv_panic("PSCI CPU_ON of pCPU %u failed: %ld", cpu, r);
	}
	leave_hypervisor();
}

void hv_boot_secondary(uint64_t cpu)
{
	percpu_init((unsigned int)cpu);
	mmu_enable();
	cpu_setup_el2((unsigned int)cpu);
	hv_lock();
	hv.pcpu[cpu].online = true;
	port_timer_reload();
	leave_hypervisor();
}
