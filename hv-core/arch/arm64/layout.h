/*
 * Where the arm64 hypervisor lives in QEMU virt's physical memory, and
 * its per-pCPU limits: one place for the hypervisor (C and assembly) and
 * the runner that places guests around it (qemu/qemu_dt.h). link.ld
 * repeats ARM64_HV_BASE, which the linker cannot take from here. The map
 * is in docs/arm64.md, "Memory map". Plain defines: assembly includes it.
 */
#ifndef HV_ARM64_LAYOUT_H
#define HV_ARM64_LAYOUT_H

#define ARM64_RAM_BASE 0x40000000 /* QEMU's DTB for an ELF kernel */
#define ARM64_HV_BASE 0x40200000 /* the image (link.ld) */
#define ARM64_HEAP_END 0x47e00000 /* image + heap end below RAM + 128 MiB */
#define ARM64_GUEST_BASE 0x50000000 /* guest RAM from here up */
#define ARM64_EL2_MAPPED 0x100000000 /* EL2 maps the first 4 GiB */

#define ARM64_MAX_PCPUS 8 /* stacks and per-pCPU data */
#define ARM64_STACK_SIZE (16 * 1024) /* per pCPU */

#endif /* HV_ARM64_LAYOUT_H */
