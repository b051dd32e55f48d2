/*
 * GICv3 at EL1, through the system register CPU interface: just enough
 * for one PPI (the virtual timer, INTID 27) on vCPU 0. The same writes
 * work on QEMU's GIC without security extensions (GICD_CTLR.DS = 1,
 * where bit 1 is EnableGrp1) and on a hypervisor's virtual GIC seen from
 * the non-secure side (where bit 1 is EnableGrp1A and ARE is RAO/WI).
 */
#include "private.h"

#define GICD_CTLR 0x0000u
#define GICD_CTLR_ENABLE_G1 (1u << 1)
#define GICD_CTLR_ARE (1u << 4)
#define GICD_CTLR_RWP (1u << 31)

/* redistributor: RD_base frame, then SGI_base 64 KiB above */
#define GICR_CTLR 0x0000u
#define GICR_CTLR_RWP (1u << 3)
#define GICR_WAKER 0x0014u
#define GICR_WAKER_PROCESSOR_SLEEP (1u << 1)
#define GICR_WAKER_CHILDREN_ASLEEP (1u << 2)
#define GICR_SGI_BASE 0x10000u
#define GICR_IGROUPR0 (GICR_SGI_BASE + 0x0080u)
#define GICR_ISENABLER0 (GICR_SGI_BASE + 0x0100u)
#define GICR_ICENABLER0 (GICR_SGI_BASE + 0x0180u)
#define GICR_ICPENDR0 (GICR_SGI_BASE + 0x0280u)
#define GICR_IPRIORITYR (GICR_SGI_BASE + 0x0400u)

#define ICC_SRE_SRE (1u << 0)
#define ICC_SRE_DFB (1u << 1)
#define ICC_SRE_DIB (1u << 2)
#define ICC_CTLR_EOIMODE (1u << 1)

#define GIC_INTID_MASK 0xffffffu
#define VTIMER_PRIORITY 0x80u /* any value below ICC_PMR_EL1 = 0xff */
#define GIC_POLL_LIMIT 1000000u

/* Wait until (@reg & @mask) == 0; -1 (and a message) if it never is. */
static int gic_wait_clear(uint64_t reg, uint32_t mask, const char *what)
{
	unsigned int i;

	for (i = 0; i < GIC_POLL_LIMIT; i++)
		if (!(mmio_read32(reg) & mask))
			return 0;
	rt_printf("hvlab-guest: GIC: %s did not clear\n", what);
	return -1;
}

static int gic_dist_init(void)
{
	uint64_t ctlr = GUEST_GICD_IPA + GICD_CTLR;
	uint32_t v = mmio_read32(ctlr);

	/* Affinity routing must be on before Group 1 is enabled. */
	if (!(v & GICD_CTLR_ARE)) {
		v |= GICD_CTLR_ARE;
		mmio_write32(ctlr, v);
		if (gic_wait_clear(ctlr, GICD_CTLR_RWP, "GICD_CTLR.RWP") < 0)
			return -1;
	}
	mmio_write32(ctlr, v | GICD_CTLR_ENABLE_G1);
	return gic_wait_clear(ctlr, GICD_CTLR_RWP, "GICD_CTLR.RWP");
}

static int gic_redist_init(uint64_t rd)
{
	uint32_t bit = 1u << GUEST_VTIMER_INTID;
	uint64_t prio = rd + GICR_IPRIORITYR + (GUEST_VTIMER_INTID & ~3u);
	unsigned int shift = (GUEST_VTIMER_INTID & 3u) * 8;
	uint32_t v;

	v = mmio_read32(rd + GICR_WAKER);
	mmio_write32(rd + GICR_WAKER, v & ~GICR_WAKER_PROCESSOR_SLEEP);
	if (gic_wait_clear(rd + GICR_WAKER, GICR_WAKER_CHILDREN_ASLEEP,
			   "GICR_WAKER.ChildrenAsleep") < 0)
		return -1;

	mmio_write32(rd + GICR_ICENABLER0, bit);
	if (gic_wait_clear(rd + GICR_CTLR, GICR_CTLR_RWP, "GICR_CTLR.RWP") < 0)
		return -1;
	/* Group 1: with DS = 1 a group 0 PPI would arrive as an FIQ. */
	mmio_write32(rd + GICR_IGROUPR0, mmio_read32(rd + GICR_IGROUPR0) | bit);
	v = mmio_read32(prio) & ~(0xffu << shift);
	mmio_write32(prio, v | VTIMER_PRIORITY << shift);
	mmio_write32(rd + GICR_ICPENDR0, bit);
	mmio_write32(rd + GICR_ISENABLER0, bit);
	return 0;
}

/* Returns 0, or -1 after printing what failed. */
int rt_gic_init(void)
{
	sysreg_write(icc_sre_el1, sysreg_read(icc_sre_el1) | ICC_SRE_SRE |
				      ICC_SRE_DFB | ICC_SRE_DIB);
	isb();
	if (!(sysreg_read(icc_sre_el1) & ICC_SRE_SRE)) {
		rt_puts("hvlab-guest: GIC: ICC_SRE_EL1.SRE stays 0: "
			"no GICv3 system registers\n");
		return -1;
	}
	if (gic_dist_init() < 0 || gic_redist_init(GUEST_GICR_IPA) < 0)
		return -1;

	sysreg_write(icc_pmr_el1, 0xff);
	sysreg_write(icc_bpr1_el1, 0);
	/* EOImode 0: one write to ICC_EOIR1_EL1 drops and deactivates. */
	sysreg_write(icc_ctlr_el1,
		     sysreg_read(icc_ctlr_el1) & ~ICC_CTLR_EOIMODE);
	sysreg_write(icc_igrpen1_el1, 1);
	isb();
	return 0;
}

/* Acknowledge: the INTID, 1023 when nothing is pending. */
uint32_t rt_gic_ack(void)
{
	return (uint32_t)sysreg_read(icc_iar1_el1) & GIC_INTID_MASK;
}

void rt_gic_eoi(uint32_t intid)
{
	sysreg_write(icc_eoir1_el1, intid);
	isb();
}
