/*
 * The guests' emulated GIC distributor and redistributors.
 *
 * They sit at the board's addresses (guest_abi.h); stage 2 leaves them
 * unmapped, so each access traps to EL2 and arrives here. Only the
 * subset a small guest needs is modelled: enables, priorities, groups and
 * trigger configuration of SGIs, PPIs and the first 64 SPIs (stored, read
 * back), WAKER, TYPER and the ID registers; everything else reads as zero
 * and ignores writes. Plain C with no register access, so the host unit
 * test (tests/unit/test_vgic_mmio.c) runs it.
 */
#include <hv/guest_abi.h>

#include "arm64.h"

#define GICD_SIZE 0x10000ull
#define GICR_FRAME 0x20000ull

/* ---- distributor ---- */

/* A set (@set) or clear register, enables or pendings, over @reg. */
static void set_clear_bits(uint32_t *reg, bool set, bool write, uint64_t *val)
{
	if (!write)
		*val = *reg;
	else if (set)
		*reg |= (uint32_t)*val;
	else
		*reg &= ~(uint32_t)*val;
}

static void gicd_access(struct a64_domain *d, uint64_t off, bool write,
			uint64_t *val)
{
	if (off == 0x0000) { /* GICD_CTLR: ARE always on, DS set */
		if (write)
			d->gicd_ctlr = (uint32_t)*val & 0x3;
		else
			*val = d->gicd_ctlr | 1u << 4 | 1u << 6;
	} else if (off == 0x0004 && !write) { /* TYPER: 96 lines, 10 bits */
		*val = 2u | 9u << 19;
	} else if (off == 0xffe8 && !write) { /* PIDR2: GICv3 */
		*val = 3u << 4;
	} else if (off >= 0x104 && off < 0x10c) { /* ISENABLER1-2 */
		set_clear_bits(&d->spi_enabled[(off - 0x104) / 4], true, write,
			       val);
	} else if (off >= 0x184 && off < 0x18c) { /* ICENABLER1-2 */
		set_clear_bits(&d->spi_enabled[(off - 0x184) / 4], false, write,
			       val);
	} else if (!write) {
		*val = 0; /* RAZ/WI */
	}
}

/* ---- the redistributor of vCPU @t ---- */

static void gicr_access(struct a64_vcpu *t, uint64_t off, bool write,
			unsigned int size, uint64_t *val)
{
	struct vgic_cpu *g = &t->gic;
	unsigned int id = t->v->vcpu_id;

	if (off == 0x0008 && !write) { /* TYPER */
		bool last = id + 1 == t->d->dom->nr_vcpus;

		*val = (uint64_t)id << 32 | (uint64_t)id << 8 |
		       (last ? 1u << 4 : 0);
		if (size == 4)
			*val &= 0xffffffffu;
	} else if (off == 0x000c && !write) { /* TYPER, upper half */
		*val = id;
	} else if (off == 0x0014) { /* WAKER */
		if (write)
			g->asleep = *val & 2;
		else
			*val = g->asleep ? 6 : 0;
	} else if (off == 0xffe8 && !write) {
		*val = 3u << 4;
	} else if (off == 0x10080) {
		if (write)
			g->group = (uint32_t)*val;
		else
			*val = g->group;
	} else if (off == 0x10100 || off == 0x10180) {
		set_clear_bits(&g->enabled, off == 0x10100, write, val);
	} else if (off == 0x10200 || off == 0x10280) {
		set_clear_bits(&g->pending, off == 0x10200, write, val);
	} else if (off >= 0x10400 && off < 0x10420) {
		unsigned int n = (unsigned int)(off - 0x10400);

		for (unsigned int i = 0; i < size && n + i < 32; i++) {
			if (write)
				g->prio[n + i] = (uint8_t)(*val >> (8 * i));
			else if (!i)
				*val = 0;
			if (!write)
				*val |= (uint64_t)g->prio[n + i] << (8 * i);
		}
	} else if (off == 0x10c00 || off == 0x10c04) {
		uint32_t *r = &g->cfg[(off - 0x10c00) / 4];

		if (write)
			*r = (uint32_t)*val;
		else
			*val = *r;
	} else if (!write) {
		*val = 0;
	}
}

bool vgic_mmio(struct a64_vcpu *c, uint64_t ipa, bool write, unsigned int size,
	       uint64_t *val)
{
	struct domain *dom = c->d->dom;

	if (ipa >= GUEST_GICD_IPA && ipa < GUEST_GICD_IPA + GICD_SIZE) {
		gicd_access(c->d, ipa - GUEST_GICD_IPA, write, val);
		return true;
	}
	if (ipa >= GUEST_GICR_IPA &&
	    ipa < GUEST_GICR_IPA + GICR_FRAME * dom->nr_vcpus) {
		uint64_t off = ipa - GUEST_GICR_IPA;
		struct vcpu *t = &dom->vcpus[off / GICR_FRAME];

		gicr_access(a64_vcpu_of(t), off % GICR_FRAME, write, size, val);
		return true;
	}
	return false;
}
