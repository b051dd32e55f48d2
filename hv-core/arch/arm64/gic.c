/*
 * The physical GICv3, driven directly.
 *
 * Interrupt groups keep the hypervisor in control even of a pCPU whose
 * guest receives interrupts directly: the hypervisor's own interrupts
 * (the schedule SGI and the EL2 timer) are Group 0, signalled as FIQ and
 * taken to EL2 (HCR_EL2.FMO is always set); guest-owned interrupts (the
 * virtual timer) are Group 1, signalled as IRQ and taken to EL2 when
 * HCR_EL2.IMO is set, or straight to the guest when it is not.
 * QEMU's GIC has security disabled (GICD_CTLR.DS = 1), so both groups
 * are available to EL2 without EL3.
 */
#include "arm64.h"
#include "sysreg.h"

#define GICD_CTLR 0x0000
#define GICD_CTLR_RWP (1u << 31)
#define GICD_CTLR_ARE (1u << 4)
#define GICD_CTLR_GRP1 (1u << 1)
#define GICD_CTLR_GRP0 (1u << 0)
#define GICD_TYPER 0x0004
#define GICD_ICENABLER 0x0180

#define GICR_WAKER 0x0014
#define GICR_WAKER_SLEEP (1u << 1)
#define GICR_WAKER_ASLEEP (1u << 2)
#define GICR_SGI 0x10000 /* the SGI/PPI frame */
#define GICR_IGROUPR0 (GICR_SGI + 0x080)
#define GICR_ISENABLER0 (GICR_SGI + 0x100)
#define GICR_ICENABLER0 (GICR_SGI + 0x180)
#define GICR_IPRIORITYR (GICR_SGI + 0x400)

static uint64_t gicr_of(unsigned int cpu)
{
	return hv.cfg.gicr_base + (uint64_t)cpu * hv.cfg.gicr_stride;
}

void gic_init_dist(void)
{
	uint64_t d = hv.cfg.gicd_base;
	unsigned int lines = (mmio_read32(d + GICD_TYPER) & 0x1f) + 1;

	mmio_write32(d + GICD_CTLR, 0);
	while (mmio_read32(d + GICD_CTLR) & GICD_CTLR_RWP)
		;
	for (unsigned int i = 1; i < lines; i++) /* every SPI off */
		mmio_write32(d + GICD_ICENABLER + 4 * i, 0xffffffffu);
	mmio_write32(d + GICD_CTLR,
		     GICD_CTLR_ARE | GICD_CTLR_GRP1 | GICD_CTLR_GRP0);
	while (mmio_read32(d + GICD_CTLR) & GICD_CTLR_RWP)
		;
}

static void gic_set_ppi(unsigned int cpu, unsigned int intid, bool enable,
			bool group0, uint8_t prio)
{
	uint64_t r = gicr_of(cpu);
	uint32_t bit = 1u << intid, grp = mmio_read32(r + GICR_IGROUPR0);
	volatile uint8_t *p =
	    (volatile uint8_t *)(uintptr_t)(r + GICR_IPRIORITYR + intid);

	mmio_write32(r + GICR_ICENABLER0, bit);
	mmio_write32(r + GICR_IGROUPR0, group0 ? grp & ~bit : grp | bit);
	*p = prio;
	if (enable)
		mmio_write32(r + GICR_ISENABLER0, bit);
}

void gic_init_cpu(unsigned int cpu)
{
	uint64_t r = gicr_of(cpu);

	mmio_write32(r + GICR_WAKER,
		     mmio_read32(r + GICR_WAKER) & ~GICR_WAKER_SLEEP);
	while (mmio_read32(r + GICR_WAKER) & GICR_WAKER_ASLEEP)
		;
	mmio_write32(r + GICR_ICENABLER0, 0xffffffffu);
	gic_set_ppi(cpu, SGI_SCHEDULE, true, true, PRIO_HYP);
	gic_set_ppi(cpu, INTID_HYP_TIMER, true, true, PRIO_HYP);
	gic_set_ppi(cpu, INTID_VTIMER, true, false, PRIO_GUEST);

	/* EL2 uses the system-register interface and lets EL1 use it too */
	write_sysreg(0xfull, icc_sre_el2);
	isb();
	write_sysreg(0xffull, icc_pmr_el1);
	write_sysreg(0ull, icc_ctlr_el1); /* EOImode 0: EOI deactivates */
	write_sysreg(1ull, icc_igrpen0_el1);
	write_sysreg(1ull, icc_igrpen1_el1);
	write_sysreg(1ull, ich_hcr_el2); /* virtual CPU interface on */
	isb();
	hv.nr_lrs = (unsigned int)(read_sysreg(ich_vtr_el2) & 0x1f) + 1;
	if (hv.nr_lrs > MAX_LRS)
		hv.nr_lrs = MAX_LRS;
}

void gic_send_sgi(unsigned int cpu, unsigned int sgi)
{
	uint64_t mpidr = hv.cfg.mpidr[cpu];
	uint64_t aff1 = (mpidr >> 8) & 0xff, aff2 = (mpidr >> 16) & 0xff;
	uint64_t aff3 = (mpidr >> 32) & 0xff;

	dsb(ishst); /* the state the target will read is visible first */
	write_sysreg((uint64_t)sgi << 24 | aff3 << 48 | aff2 << 32 |
			 aff1 << 16 | 1ull << (mpidr & 0xf),
		     icc_sgi0r_el1);
	isb();
}

/* Acknowledge the highest-priority pending interrupt, Group 0 first. */
uint32_t gic_ack(bool *group0)
{
	uint32_t id = (uint32_t)read_sysreg(icc_iar0_el1) & 0xffffff;

	*group0 = id < INTID_SPURIOUS;
	if (*group0)
		return id;
	return (uint32_t)read_sysreg(icc_iar1_el1) & 0xffffff;
}

void gic_eoi(uint32_t intid, bool group0)
{
	if (group0)
		write_sysreg(intid, icc_eoir0_el1);
	else
		write_sysreg(intid, icc_eoir1_el1);
	isb();
}

#define LR_CASE(n) \
	case n: return read_sysreg(ich_lr##n##_el2)
uint64_t gic_read_lr(unsigned int n)
{
	switch (n) {
		LR_CASE(0);
		LR_CASE(1);
		LR_CASE(2);
		LR_CASE(3);
		LR_CASE(4);
		LR_CASE(5);
		LR_CASE(6);
		LR_CASE(7);
		LR_CASE(8);
		LR_CASE(9);
		LR_CASE(10);
		LR_CASE(11);
		LR_CASE(12);
		LR_CASE(13);
		LR_CASE(14);
		LR_CASE(15);
	}
	return 0;
}

#define LR_WCASE(n) \
	case n: write_sysreg(v, ich_lr##n##_el2); break
void gic_write_lr(unsigned int n, uint64_t v)
{
	switch (n) {
		LR_WCASE(0);
		LR_WCASE(1);
		LR_WCASE(2);
		LR_WCASE(3);
		LR_WCASE(4);
		LR_WCASE(5);
		LR_WCASE(6);
		LR_WCASE(7);
		LR_WCASE(8);
		LR_WCASE(9);
		LR_WCASE(10);
		LR_WCASE(11);
		LR_WCASE(12);
		LR_WCASE(13);
		LR_WCASE(14);
		LR_WCASE(15);
	}
}
