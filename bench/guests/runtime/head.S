/*
 * The Image header and the boot path of every bench guest.
 *
 * The first 64 bytes are a Linux arm64 Image header, so Xen takes the
 * binary as a dom0 kernel; struct guest_params follows at offset 64 (the
 * guest's own .params section, placed there by guest.lds). The entry
 * runs at EL1 with the MMU off at whatever address the image was loaded
 * (4 KiB aligned: adrp is used throughout): it masks exceptions, sets the
 * stack, zeroes bss, applies R_AARCH64_RELATIVE relocations and installs
 * the vectors, then calls rt_main(), which never returns. x0 (a DTB
 * under Xen, 0 under hvlab, QEMU's reset value bare) is ignored.
 */

#define R_AARCH64_NONE 0
#define R_AARCH64_RELATIVE 1027
/* flags: little endian, 4 KiB pages, may be placed anywhere in RAM */
#define IMAGE_FLAGS ((0 << 0) | (1 << 1) | (1 << 3))

	.section .head, "ax"
	.global _head
_head:
	b	guest_entry		/* code0 */
	.long	0			/* code1 */
	.quad	0			/* text_offset: loaded at the RAM base */
	.quad	__image_size		/* image_size: file, bss and stack */
	.quad	IMAGE_FLAGS
	.quad	0			/* res2 */
	.quad	0			/* res3 */
	.quad	0			/* res4 */
	.ascii	"ARM\x64"		/* magic, GUEST_IMAGE_MAGIC */
	.long	0			/* res5: no PE header */

	.section .text.entry, "ax"
	.type	guest_entry, %function
guest_entry:
	msr	daifset, #0xf
	adrp	x1, __stack_top
	add	x1, x1, :lo12:__stack_top
	mov	sp, x1

	/* bss is 16-byte aligned and sized (guest.lds) */
	adrp	x1, __bss_start
	add	x1, x1, :lo12:__bss_start
	adrp	x2, __bss_end
	add	x2, x2, :lo12:__bss_end
1:	cmp	x1, x2
	b.hs	2f
	stp	xzr, xzr, [x1], #16
	b	1b

	/*
	 * Elf64_Rela { r_offset, r_info, r_addend }: the image is linked at
	 * 0, so the load address is the whole displacement. Writing base +
	 * addend (not adding) keeps a second boot of the same copy correct.
	 */
2:	adrp	x0, _head
	adrp	x1, __rela_start
	add	x1, x1, :lo12:__rela_start
	adrp	x2, __rela_end
	add	x2, x2, :lo12:__rela_end
3:	cmp	x1, x2
	b.hs	5f
	ldp	x3, x4, [x1], #16	/* r_offset, r_info */
	ldr	x5, [x1], #8		/* r_addend */
	cbz	w4, 3b			/* R_AARCH64_NONE, left by ld */
	cmp	w4, #R_AARCH64_RELATIVE
	b.ne	4f
	add	x5, x5, x0
	str	x5, [x0, x3]
	b	3b
4:	b	4b			/* any other kind: the build rejects it */

5:	adrp	x1, rt_vectors
	add	x1, x1, :lo12:rt_vectors
	msr	vbar_el1, x1
	isb
	bl	rt_main
6:	wfi
	b	6b
	.size	guest_entry, . - guest_entry
