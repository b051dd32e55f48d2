/*
 * Boot: QEMU starts pCPU 0 here at EL2 (virt,virtualization=on) with the
 * MMU off; the others wait until pCPU 0 calls PSCI CPU_ON with
 * secondary_entry and the pCPU index as context. Each pCPU gets its
 * stack from hv_stacks and its exception vectors; C does the rest.
 */
#include "layout.h"

#define STACK_SIZE ARM64_STACK_SIZE

	.section .text.boot
	.global _start
_start:
	mrs	x1, CurrentEL
	cmp	x1, #(2 << 2)
	b.ne	not_el2
	mov	x19, x0			/* a DTB pointer, if QEMU gave one */
	adrp	x0, hv_stacks
	add	x0, x0, :lo12:hv_stacks
	add	sp, x0, #STACK_SIZE
	adrp	x0, __bss_start
	add	x0, x0, :lo12:__bss_start
	adrp	x1, __bss_end
	add	x1, x1, :lo12:__bss_end
1:	cmp	x0, x1
	b.hs	2f
	stp	xzr, xzr, [x0], #16
	b	1b
2:	adrp	x0, hv_vectors
	add	x0, x0, :lo12:hv_vectors
	msr	vbar_el2, x0
	isb
	mov	x0, x19
	bl	hv_boot_cpu0
	b	.

	.global secondary_entry
secondary_entry:
	mov	x19, x0			/* pCPU index (PSCI context) */
	adrp	x1, hv_stacks
	add	x1, x1, :lo12:hv_stacks
	mov	x2, #STACK_SIZE
	madd	x1, x0, x2, x1
	add	sp, x1, #STACK_SIZE
	adrp	x0, hv_vectors
	add	x0, x0, :lo12:hv_vectors
	msr	vbar_el2, x0
	isb
	mov	x0, x19
	bl	hv_boot_secondary
	b	.

not_el2:	/* nothing sensible to do without EL2: stop this pCPU */
	wfe
	b	not_el2

	.section .bss
	.align 12
	.global hv_stacks
hv_stacks:
	.space STACK_SIZE * ARM64_MAX_PCPUS
