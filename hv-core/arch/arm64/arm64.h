/*
 * The arm64 port's private state: per-pCPU data, guest vCPU contexts and
 * domains. The port interface itself (hv/port.h) is in port.c; the files
 * of this folder are split by concern:
 *   start.S entry.S   boot, exception vectors, guest entry
 *   boot.c            bring-up of pCPUs, machine build from the config
 *   mmu.c             EL2 stage-1 identity map, stage-2 per domain
 *   gic.c             the physical GICv3 (distributor, redistributors,
 *                     CPU interface, SGIs) and the list registers
 *   vgic.c            the guests' virtual GIC: pending vIRQs, LR flush
 *   vgic_mmio.c       the emulated distributor and redistributors
 *   config.c fdt.c    the device tree reader (docs/arm64.md, binding)
 *   layout.h          memory layout and limits (also the runner's)
 *   vcpu.c            EL1 context and virtual timer save/restore
 *   traps.c           guest exits: HVC, WFI, aborts, interrupts
 *   hypercall.c       Xen-compatible and hvlab hypercalls
 *   port.c            arch_* for the core, the hypervisor lock, idle
 *   trace_out.c       draining the trace rings to the host (semihosting)
 *   console.c         PL011 output, hv_printf
 *   semihost.c        Arm semihosting calls
 */
#ifndef HV_ARM64_H
#define HV_ARM64_H

#include <stdbool.h>
#include <stdint.h>

#include <hv/machine.h>
#include <hv/port.h>
#include <hv/timer.h>

#include <hv/guest_abi.h>

#include "config.h"

#define MAX_LRS 16
#define VGIC_NR_LOCAL 32 /* SGIs and PPIs */

/* Layout known to entry.S: x0-x30, then ELR, then SPSR. */
struct guest_regs {
	uint64_t x[31];
	uint64_t elr, spsr;
};

struct el1_sysregs {
	uint64_t sctlr, ttbr0, ttbr1, tcr, mair, amair, vbar, contextidr;
	uint64_t tpidr_el0, tpidrro_el0, tpidr_el1, sp_el0, sp_el1;
	uint64_t elr_el1, spsr_el1, esr, far, afsr0, afsr1, par, cpacr;
	uint64_t cntkctl, csselr, vmpidr;
};

struct vgic_cpu {
	uint64_t lr[MAX_LRS]; /* saved list registers */
	uint64_t vmcr, ap0r0, ap1r0;
	uint32_t enabled; /* SGI/PPI enable bits, as the guest set them */
	uint32_t pending; /* raised, not yet in a list register */
	uint8_t prio[VGIC_NR_LOCAL];
	uint32_t group; /* IGROUPR0 as written */
	uint32_t cfg[2]; /* ICFGR0/1 as written */
	bool asleep; /* GICR_WAKER.ProcessorSleep */
};

struct a64_domain;

/* A guest vCPU: the core's struct vcpu's port_priv. */
struct a64_vcpu {
	struct guest_regs regs; /* first: SP_EL2 points here in the guest */
	struct el1_sysregs sys;
	uint64_t hcr; /* HCR_EL2 while this vCPU runs */
	uint64_t cntv_ctl, cntv_cval; /* saved virtual timer */
	struct hv_timer vtimer; /* fires the vtimer while descheduled */
	struct vgic_cpu gic;
	uint64_t fp[66]; /* q0-q31, FPCR, FPSR */
	bool loaded; /* its state is in this pCPU's registers */
	bool finished; /* HVLAB_OP_FINISH seen */
	unsigned int irq; /* its virtual timer's machine IRQ (boot.c) */
	struct vcpu *v;
	struct a64_domain *d;
};

struct a64_domain {
	const struct cfg_domain *cfg;
	struct domain *dom;
	unsigned int vmid;
	uint64_t vttbr; /* its stage-2 level-1 table and VMID */
	uint32_t spi_enabled[2]; /* SPIs 32..95, as the guest set them */
	uint32_t gicd_ctlr;
	bool crashed;
	unsigned int finished_vcpus;
	unsigned int rejected; /* hypercalls refused, for the console */
	char line[128]; /* console line being assembled */
	unsigned int line_len;
};

/* Per-pCPU data; TPIDR_EL2 points here. stack_top must stay first. */
struct percpu {
	uint64_t stack_top;
	unsigned int cpu;
	struct a64_vcpu *loaded; /* guest whose state is in the registers */
	bool online;
	hv_time_t timer_deadline; /* what CNTHP should hold */
	hv_time_t timer_programmed; /* what it holds */
};

struct hv {
	struct hv_config cfg;
	struct machine *m;
	struct percpu pcpu[CFG_MAX_PCPUS];
	struct a64_domain doms[CFG_MAX_DOMAINS];
	uint64_t cnt_freq; /* CNTFRQ_EL0 */
	uint64_t ns_per_tick; /* 1e9 / cnt_freq when exact (1 GHz: 1,
				 62.5 MHz: 16), else 0 */
	uint64_t cnt_base; /* CNTPCT_EL0 at boot: core time 0 */
	unsigned int nr_lrs;
	unsigned int must_finish, finished; /* domains */
	bool crashed_any;
	struct hv_timer end_timer;
};

extern struct hv hv;

static inline struct percpu *this_percpu(void)
{
	struct percpu *p;

	__asm__ volatile("mrs %0, tpidr_el2" : "=r"(p));
	return p;
}

static inline struct a64_vcpu *a64_vcpu_of(struct vcpu *v)
{
	return v->port_priv;
}

/* port.c */
void hv_lock(void);
_Noreturn void leave_hypervisor(void);
uint64_t ns_to_ticks(hv_time_t ns);
hv_time_t ticks_to_ns(uint64_t ticks);
void hv_end_run(int status);
int hv_run_status(void);
void port_timer_reload(void);
void port_timer_fired(void);

/* console.c */
void console_init(uint64_t uart_base);
void hv_puts(const char *s);
void hv_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
_Noreturn void hv_panic(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

/* semihost.c */
long semihost_open(const char *path, bool write);
long semihost_write(long fd, const void *buf, uint64_t len);
long semihost_close(long fd);
_Noreturn void semihost_exit(int status);

/* mmu.c */
void mmu_init_tables(void);
void mmu_enable(void);
int stage2_build(struct a64_domain *d);
void stage2_init_cpu(void);

/* gic.c */
void gic_init_dist(void);
void gic_init_cpu(unsigned int cpu);
void gic_send_sgi(unsigned int cpu, unsigned int sgi);
uint32_t gic_ack(bool *group0);
void gic_eoi(uint32_t intid, bool group0);
uint64_t gic_read_lr(unsigned int n);
void gic_write_lr(unsigned int n, uint64_t v);

/* vgic.c */
void vgic_vcpu_init(struct a64_vcpu *c);
void vgic_raise(struct a64_vcpu *c, unsigned int intid);
void vgic_flush(struct a64_vcpu *c);
bool vgic_has_pending(struct a64_vcpu *c);
void vgic_save(struct a64_vcpu *c);
void vgic_restore(struct a64_vcpu *c);
bool vgic_mmio(struct a64_vcpu *c, uint64_t ipa, bool write, unsigned int size,
	       uint64_t *val);

/* vcpu.c */
void vcpu_ctx_init(struct a64_vcpu *c, uint64_t entry_ipa);
void vcpu_ctx_save(struct a64_vcpu *c);
void vcpu_ctx_load(struct a64_vcpu *c);
void vtimer_hw_irq(struct a64_vcpu *c);
bool vtimer_due(struct a64_vcpu *c);

/* traps.c */
void trap_guest_sync(void);
void trap_guest_irq(void);
void domain_done(void);
void hv_poll_interrupts(void);

/* hypercall.c */
void do_hypercall(struct a64_vcpu *c);

/* trace_out.c */
int trace_out_setup(void);
void trace_out_metadata(void);
void trace_out_finish(void);

/* boot.c, console.c: entered from assembly */
void hv_boot_cpu0(uint64_t x0);
void hv_boot_secondary(uint64_t cpu);
void hv_bad_exception(uint64_t kind, uint64_t esr, uint64_t elr, uint64_t far);
void hv_panic_returned(void);
_Noreturn void hv_assert_fail(const char *expr, const char *file, int line);

/* entry.S */
_Noreturn void guest_enter(struct guest_regs *regs);
void fp_save(uint64_t *area);
void fp_restore(uint64_t *area);
extern char hv_vectors[];

/* The SGI the port uses to make a pCPU run its softirqs. */
#define SGI_SCHEDULE 0u
#define INTID_HYP_TIMER 26u /* CNTHP, EL2 physical timer */
#define INTID_VTIMER GUEST_VTIMER_INTID /* EL1 virtual timer */
#define INTID_SPURIOUS 1020u /* and above: nothing pending */
#define PRIO_HYP 0x20u
#define PRIO_GUEST 0xa0u

#endif /* HV_ARM64_H */
