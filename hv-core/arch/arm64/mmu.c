/*
 * Translation: the hypervisor's own stage-1 map at EL2 and one stage-2
 * map per domain. Both use the 4 KiB granule with a 39-bit address
 * space, starting at level 1 (one 512-entry table).
 *
 * EL2 maps the first 4 GiB 1:1 in 1 GiB blocks: below 1 GiB (QEMU virt's
 * devices) as Device-nGnRE, RAM as Normal write-back.
 *
 * A domain's stage 2 maps exactly its RAM: IPA GUEST_RAM_IPA onwards,
 * in 2 MiB blocks, to the physical range the runner placed it at.
 * Nothing else is mapped, so any other guest access, devices included,
 * takes a stage-2 abort to EL2: the emulated GIC frames are handled
 * there, everything else stops the domain.
 */
#include <errno.h>
#include <string.h>

#include <hv/guest_abi.h>

#include "arm64.h"
#include "layout.h"
#include "sysreg.h"

#define PTE_VALID (1ull << 0)
#define PTE_TABLE (1ull << 1) /* at levels 1-2: next-level table */
#define PTE_AF (1ull << 10)
#define PTE_SH_INNER (3ull << 8)
#define S1_ATTR(i) ((uint64_t)(i) << 2)
#define S1_AP_RW_EL2 (0ull << 6)
#define S2_MEMATTR_NORMAL_WB (0xfull << 2)
#define S2_AP_RW (3ull << 6)

#define GIB (1ull << 30)
#define MIB2 (2ull << 20)
#define EL2_MAPPED ((uint64_t)ARM64_EL2_MAPPED)

static uint64_t el2_l1[512] __attribute__((aligned(4096)));
static uint64_t s2_pages[CFG_MAX_DOMAINS][2][512]
    __attribute__((aligned(4096)));

void mmu_init_tables(void)
{
	for (uint64_t pa = 0; pa < EL2_MAPPED; pa += GIB) {
		if (pa < GIB) /* QEMU virt's devices */
			el2_l1[pa / GIB] = pa | PTE_VALID | PTE_AF | S1_ATTR(0);
		else
			el2_l1[pa / GIB] = pa | PTE_VALID | PTE_AF |
					   PTE_SH_INNER | S1_ATTR(1) |
					   S1_AP_RW_EL2;
	}
}

void mmu_enable(void)
{
	/* attr0 Device-nGnRE, attr1 Normal inner/outer WB RW-allocate */
	write_sysreg(0xff04ull, mair_el2);
	/* T0SZ 25 (39 bits), IRGN0/ORGN0 WB, SH0 inner, TG0 4K, PS 40 bits,
	 * RES1 bits 31 and 23 */
	write_sysreg(25ull | 1ull << 8 | 1ull << 10 | 3ull << 12 | 2ull << 16 |
			 1ull << 23 | 1ull << 31,
		     tcr_el2);
	write_sysreg((uint64_t)(uintptr_t)el2_l1, ttbr0_el2);
	dsb(sy);
	__asm__ volatile("tlbi alle2" : : : "memory");
	dsb(sy);
	isb();
	/* SCTLR_EL2: RES1 bits | M | C | I */
	write_sysreg(0x30c50830ull | 1ull << 0 | 1ull << 2 | 1ull << 12,
		     sctlr_el2);
	isb();
}

void stage2_init_cpu(void)
{
	/* T0SZ 25, SL0 1 (start at level 1), IRGN0/ORGN0 WB, SH0 inner,
	 * TG0 4K, PS 40 bits, RES1 bit 31 */
	write_sysreg(25ull | 1ull << 6 | 1ull << 8 | 1ull << 10 | 3ull << 12 |
			 2ull << 16 | 1ull << 31,
		     vtcr_el2);
	isb();
	__asm__ volatile("tlbi alle1" : : : "memory");
	dsb(sy);
}

int stage2_build(struct a64_domain *d)
{
	unsigned int idx = (unsigned int)(d - hv.doms);
	uint64_t *l1 = s2_pages[idx][0], *l2 = s2_pages[idx][1];
	uint64_t size = d->cfg->mem_size, base = d->cfg->mem_base;

	/* EL2 maps the first 4 GiB: guest RAM must be there for the
	 * hypervisor to read it (console_io) */
	if (!size || size > GIB || size % MIB2 || base % MIB2 ||
	    base + size > EL2_MAPPED)
		return -EINVAL;
	memset(l1, 0, 4096);
	memset(l2, 0, 4096);
	/* the RAM's gigabyte, GUEST_RAM_IPA / 1 GiB, gets a level-2 table */
	l1[GUEST_RAM_IPA / GIB] =
	    (uint64_t)(uintptr_t)l2 | PTE_VALID | PTE_TABLE;
	for (uint64_t off = 0; off < size; off += MIB2)
		l2[off / MIB2] = (base + off) | PTE_VALID | PTE_AF |
				 PTE_SH_INNER | S2_MEMATTR_NORMAL_WB | S2_AP_RW;
	dsb(sy);
	d->vttbr = (uint64_t)(uintptr_t)l1 | (uint64_t)d->vmid << 48;
	return 0;
}
