/*
 * The host side of "hvlab run --backend qemu", part one: where things go
 * in the QEMU virt machine (qemu_layout()) and the device tree that tells
 * the arm64 hypervisor what to run (qemu_dt_build()). The tree is QEMU's
 * own board tree plus a /hvlab node, which hv-core/arch/arm64/config.c
 * reads back into struct hv_config; docs/arm64.md, "Device tree
 * binding", documents it.
 *
 * Physical memory of QEMU virt as the arm64 port uses it:
 *
 *   0x40000000 +-----------------------------+ RAM base
 *              | the DTB (QEMU puts it here) |  at most 2 MiB
 *   0x40200000 +-----------------------------+ QEMU_HV_BASE
 *              | hypervisor image and heap,  |  ELF linked here
 *              | trace rings included        |
 *   0x47e00000 +-----------------------------+ QEMU_HV_END
 *              | unused                      |
 *   0x48000000 +-----------------------------+ RAM base + 128 MiB:
 *              | kept clear for QEMU         |  QEMU may load here
 *   0x50000000 +-----------------------------+ QEMU_GUEST_BASE
 *              | guest RAM, domain by domain |  2 MiB aligned
 *              | ...                         |
 *              +-----------------------------+ RAM base + machine.qemu.memory
 */
#ifndef HV_QEMU_DT_H
#define HV_QEMU_DT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <hv/types.h>

#include "hv-core/arch/arm64/config.h"

struct scenario;

#define QEMU_RAM_BASE ((uint64_t)ARM64_RAM_BASE)
#define QEMU_HV_BASE ((uint64_t)ARM64_HV_BASE)
#define QEMU_HV_END ((uint64_t)ARM64_HEAP_END)
#define QEMU_GUEST_BASE ((uint64_t)ARM64_GUEST_BASE)
/* The hypervisor maps the first 4 GiB at EL2; guest RAM must be below. */
#define QEMU_EL2_MAPPED ((uint64_t)ARM64_EL2_MAPPED)
/* The DTB sits below the hypervisor's image. */
#define QEMU_DTB_MAX (QEMU_HV_BASE - QEMU_RAM_BASE)

/* Everything the runner decides before it starts QEMU. */
struct qemu_layout {
	char cpu[16]; /* -cpu */
	uint64_t memory; /* -m, bytes */
	unsigned int smp; /* -smp: the scenario's pCPUs */
	hv_time_t timeout; /* host wall-clock limit of the run, ns */
	uint64_t trace_ring_bytes; /* per pCPU; 0 = no trace */
	uint32_t trace_event_mask; /* Xen's event mask, machine.qemu.trace */
	unsigned int nr_domains;
	/* per domain, in file order: physical address of its guest RAM
	 * (2 MiB aligned) and its size (a multiple of 2 MiB) */
	uint64_t mem_base[CFG_MAX_DOMAINS];
	uint64_t mem_size[CFG_MAX_DOMAINS];
};

/*
 * qemu_layout() - place @s on QEMU virt: guest RAM of each domain in
 * file order from QEMU_GUEST_BASE up, and the machine's settings from
 * machine.qemu. Checks what only this backend limits: pCPUs, pools,
 * domains and vCPUs within struct hv_config's arrays, a guest in every
 * domain, the guests inside RAM.
 * Return: 0 and *@out; -EINVAL after one "path:line: ..." line per
 * problem on @err (stderr when NULL).
 */
int qemu_layout(const struct scenario *s, struct qemu_layout *out, FILE *err);

/*
 * qemu_dt_build() - the device tree for the hypervisor: @board_dtb
 * (@board_len bytes, as "qemu-system-aarch64 ... -machine dumpdtb=FILE"
 * writes it) with a /hvlab node describing @s placed by @l. An existing
 * /hvlab node is replaced.
 * Return: 0 and *@out (malloc'ed, free() it) of *@out_len bytes, packed;
 * -EINVAL after a message on @err (a bad board tree, a tree larger than
 * QEMU_DTB_MAX, a scenario qemu_layout() refuses); -ENOMEM.
 */
int qemu_dt_build(const struct scenario *s, const struct qemu_layout *l,
		  const void *board_dtb, size_t board_len, void **out,
		  size_t *out_len, FILE *err);

#endif /* HV_QEMU_DT_H */
