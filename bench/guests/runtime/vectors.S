/*
 * EL1 exception vectors. The guest runs in EL1h (SP_EL1), so only the
 * "current EL with SPx" row is expected: synchronous exceptions (an HVC
 * or SMC without a handler above us, or a fault) and IRQs. Anything else
 * is reported by rt_unexpected() and stops the guest.
 *
 * The IRQ entry reads the virtual counter as its second instruction,
 * before anything else is saved: that stamp is what irqlat measures.
 * Frames hold x0..x18, x29, x30, ELR and SPSR (struct rt_frame in
 * private.h); the C code is built with -mgeneral-regs-only, so there is
 * no FP/SIMD state to keep.
 */

#define FRAME_SIZE 192

	.macro	save_rest
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x29, [sp, #144]
	mrs	x2, elr_el1
	mrs	x3, spsr_el1
	stp	x30, x2, [sp, #160]
	str	x3, [sp, #176]
	.endm

	.macro	restore_all
	ldp	x30, x2, [sp, #160]
	ldr	x3, [sp, #176]
	msr	elr_el1, x2
	msr	spsr_el1, x3
	ldp	x18, x29, [sp, #144]
	ldp	x16, x17, [sp, #128]
	ldp	x14, x15, [sp, #112]
	ldp	x12, x13, [sp, #96]
	ldp	x10, x11, [sp, #80]
	ldp	x8, x9, [sp, #64]
	ldp	x6, x7, [sp, #48]
	ldp	x4, x5, [sp, #32]
	ldp	x2, x3, [sp, #16]
	ldp	x0, x1, [sp], #FRAME_SIZE
	eret
	.endm

	/* An entry we do not expect: x1 = its index in the table. */
	.macro	vec_bad index
	.balign	0x80
	stp	x0, x1, [sp, #-FRAME_SIZE]!
	mov	x1, #\index
	b	el1_bad
	.endm

	.section .vectors, "ax"
	.balign	2048
	.global	rt_vectors
rt_vectors:
	vec_bad	0	/* current EL, SP0: sync */
	vec_bad	1	/* IRQ */
	vec_bad	2	/* FIQ */
	vec_bad	3	/* SError */

	.balign	0x80	/* current EL, SPx: sync */
	stp	x0, x1, [sp, #-FRAME_SIZE]!
	b	el1_sync

	.balign	0x80	/* current EL, SPx: IRQ */
	stp	x0, x1, [sp, #-FRAME_SIZE]!
	mrs	x0, cntvct_el0
	b	el1_irq

	vec_bad	6	/* FIQ */
	vec_bad	7	/* SError */
	vec_bad	8	/* lower EL, AArch64 */
	vec_bad	9
	vec_bad	10
	vec_bad	11
	vec_bad	12	/* lower EL, AArch32 */
	vec_bad	13
	vec_bad	14
	vec_bad	15

	.text
el1_sync:
	save_rest
	mov	x0, sp
	bl	rt_sync
	restore_all

el1_irq:
	save_rest
	bl	rt_irq		/* x0 = the counter at entry */
	restore_all

el1_bad:
	save_rest
	mov	x0, sp
	bl	rt_unexpected	/* does not return */
1:	wfi
	b	1b
