/*
 * EL2 entry and exit.
 *
 * While a guest runs, SP_EL2 points at its saved-register block (struct
 * guest_regs), so an exception from the guest stores x0-x30, ELR and
 * SPSR there with no scratch register and no copy. Then the stack moves
 * to this pCPU's hypervisor stack (percpu.stack_top, via TPIDR_EL2) and
 * C takes over; C never returns here but leaves through guest_enter(),
 * which loads a block and ERETs. A context switch is therefore just a
 * different block in guest_enter().
 */
#define REGS_ELR (31 * 8)
#define REGS_SPSR (32 * 8)

.macro save_guest
	stp	x0, x1, [sp, #16 * 0]
	stp	x2, x3, [sp, #16 * 1]
	stp	x4, x5, [sp, #16 * 2]
	stp	x6, x7, [sp, #16 * 3]
	stp	x8, x9, [sp, #16 * 4]
	stp	x10, x11, [sp, #16 * 5]
	stp	x12, x13, [sp, #16 * 6]
	stp	x14, x15, [sp, #16 * 7]
	stp	x16, x17, [sp, #16 * 8]
	stp	x18, x19, [sp, #16 * 9]
	stp	x20, x21, [sp, #16 * 10]
	stp	x22, x23, [sp, #16 * 11]
	stp	x24, x25, [sp, #16 * 12]
	stp	x26, x27, [sp, #16 * 13]
	stp	x28, x29, [sp, #16 * 14]
	mrs	x0, elr_el2
	mrs	x1, spsr_el2
	stp	x30, x0, [sp, #16 * 15]
	str	x1, [sp, #REGS_SPSR]
	mrs	x0, tpidr_el2
	ldr	x1, [x0]		/* percpu.stack_top is the first field */
	mov	sp, x1
.endm

.macro vector_guest handler
	.align 7
	save_guest
	bl	\handler
	b	hv_panic_returned
.endm

.macro vector_bad kind
	.align 7
	mov	x0, #\kind
	mrs	x1, esr_el2
	mrs	x2, elr_el2
	mrs	x3, far_el2
	b	hv_bad_exception
.endm

	.section .text
	.align 11
	.global hv_vectors
hv_vectors:
	vector_bad 0	/* current EL, SP0 */
	vector_bad 1
	vector_bad 2
	vector_bad 3
	vector_bad 4	/* current EL, SPx: the hypervisor faulted */
	vector_bad 5
	vector_bad 6
	vector_bad 7
	vector_guest trap_guest_sync	/* lower EL, AArch64 */
	vector_guest trap_guest_irq
	vector_guest trap_guest_irq	/* FIQ: Group 0, the same path */
	vector_bad 11
	vector_bad 12	/* lower EL, AArch32: never enabled */
	vector_bad 13
	vector_bad 14
	vector_bad 15

/* void guest_enter(struct guest_regs *regs) __noreturn */
	.global guest_enter
guest_enter:
	mov	sp, x0
	ldr	x1, [sp, #REGS_SPSR]
	ldp	x30, x0, [sp, #16 * 15]
	msr	elr_el2, x0
	msr	spsr_el2, x1
	ldp	x0, x1, [sp, #16 * 0]
	ldp	x2, x3, [sp, #16 * 1]
	ldp	x4, x5, [sp, #16 * 2]
	ldp	x6, x7, [sp, #16 * 3]
	ldp	x8, x9, [sp, #16 * 4]
	ldp	x10, x11, [sp, #16 * 5]
	ldp	x12, x13, [sp, #16 * 6]
	ldp	x14, x15, [sp, #16 * 7]
	ldp	x16, x17, [sp, #16 * 8]
	ldp	x18, x19, [sp, #16 * 9]
	ldp	x20, x21, [sp, #16 * 10]
	ldp	x22, x23, [sp, #16 * 11]
	ldp	x24, x25, [sp, #16 * 12]
	ldp	x26, x27, [sp, #16 * 13]
	ldp	x28, x29, [sp, #16 * 14]
	eret

/* void fp_save(uint64_t *area) / fp_restore: q0-q31, then FPCR, FPSR. */
	.global fp_save
fp_save:
	stp	q0, q1, [x0, #32 * 0]
	stp	q2, q3, [x0, #32 * 1]
	stp	q4, q5, [x0, #32 * 2]
	stp	q6, q7, [x0, #32 * 3]
	stp	q8, q9, [x0, #32 * 4]
	stp	q10, q11, [x0, #32 * 5]
	stp	q12, q13, [x0, #32 * 6]
	stp	q14, q15, [x0, #32 * 7]
	stp	q16, q17, [x0, #32 * 8]
	stp	q18, q19, [x0, #32 * 9]
	stp	q20, q21, [x0, #32 * 10]
	stp	q22, q23, [x0, #32 * 11]
	stp	q24, q25, [x0, #32 * 12]
	stp	q26, q27, [x0, #32 * 13]
	stp	q28, q29, [x0, #32 * 14]
	stp	q30, q31, [x0, #32 * 15]
	mrs	x1, fpcr
	mrs	x2, fpsr
	add	x0, x0, #32 * 16
	stp	x1, x2, [x0]
	ret

	.global fp_restore
fp_restore:
	ldp	q0, q1, [x0, #32 * 0]
	ldp	q2, q3, [x0, #32 * 1]
	ldp	q4, q5, [x0, #32 * 2]
	ldp	q6, q7, [x0, #32 * 3]
	ldp	q8, q9, [x0, #32 * 4]
	ldp	q10, q11, [x0, #32 * 5]
	ldp	q12, q13, [x0, #32 * 6]
	ldp	q14, q15, [x0, #32 * 7]
	ldp	q16, q17, [x0, #32 * 8]
	ldp	q18, q19, [x0, #32 * 9]
	ldp	q20, q21, [x0, #32 * 10]
	ldp	q22, q23, [x0, #32 * 11]
	ldp	q24, q25, [x0, #32 * 12]
	ldp	q26, q27, [x0, #32 * 13]
	ldp	q28, q29, [x0, #32 * 14]
	ldp	q30, q31, [x0, #32 * 15]
	add	x0, x0, #32 * 16
	ldp	x1, x2, [x0]
	msr	fpcr, x1
	msr	fpsr, x2
	ret
