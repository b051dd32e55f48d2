/*
 * The guests' virtual GIC.
 *
 * Delivery uses the GICv3 virtualization interface: a vIRQ raised for a
 * vCPU is kept in its pending set and moved into a free list register
 * (vgic_flush) just before the vCPU enters the guest, on the pCPU it
 * runs on. The guest acknowledges and EOIs through ICV_* registers
 * without trapping.
 *
 * The emulated distributor and redistributors are in vgic_mmio.c.
 */

#include "arm64.h"
#include "sysreg.h"

#define LR_STATE_MASK (3ull << 62)
#define LR_PENDING (1ull << 62)
#define LR_GROUP1 (1ull << 60)
#define LR_PRIO_SHIFT 48

void vgic_vcpu_init(struct a64_vcpu *c)
{
	for (unsigned int i = 0; i < VGIC_NR_LOCAL; i++)
		c->gic.prio[i] = PRIO_GUEST;
	c->gic.asleep = true;
	c->gic.group = 0xffffffffu;
	c->gic.vmcr = 0;
}

void vgic_raise(struct a64_vcpu *c, unsigned int intid)
{
	if (intid < VGIC_NR_LOCAL)
		c->gic.pending |= 1u << intid;
}

/* Move enabled pending vIRQs into free list registers (c is loaded). */
void vgic_flush(struct a64_vcpu *c)
{
	uint32_t todo = c->gic.pending & c->gic.enabled;
	unsigned int lr = 0;

	while (todo) {
		unsigned int id = (unsigned int)__builtin_ctz(todo);
		uint64_t val;

		todo &= todo - 1;
		for (; lr < hv.nr_lrs; lr++)
			if (!(gic_read_lr(lr) & LR_STATE_MASK))
				break;
		if (lr == hv.nr_lrs)
			return; /* stays pending until a list register frees */
		val = LR_PENDING | LR_GROUP1 |
		      (uint64_t)c->gic.prio[id] << LR_PRIO_SHIFT | id;
		gic_write_lr(lr++, val);
		c->gic.pending &= ~(1u << id);
	}
}

bool vgic_has_pending(struct a64_vcpu *c)
{
	if (c->gic.pending & c->gic.enabled)
		return true;
	for (unsigned int i = 0; i < hv.nr_lrs; i++) {
		uint64_t lr = c->loaded ? gic_read_lr(i) : c->gic.lr[i];

		if ((lr & LR_STATE_MASK) == LR_PENDING)
			return true;
	}
	return false;
}

void vgic_save(struct a64_vcpu *c)
{
	for (unsigned int i = 0; i < hv.nr_lrs; i++) {
		c->gic.lr[i] = gic_read_lr(i);
		gic_write_lr(i, 0);
	}
	c->gic.vmcr = read_sysreg(ich_vmcr_el2);
	c->gic.ap0r0 = read_sysreg(ich_ap0r0_el2);
	c->gic.ap1r0 = read_sysreg(ich_ap1r0_el2);
}

void vgic_restore(struct a64_vcpu *c)
{
	for (unsigned int i = 0; i < hv.nr_lrs; i++)
		gic_write_lr(i, c->gic.lr[i]);
	write_sysreg(c->gic.vmcr, ich_vmcr_el2);
	write_sysreg(c->gic.ap0r0, ich_ap0r0_el2);
	write_sysreg(c->gic.ap1r0, ich_ap1r0_el2);
}
