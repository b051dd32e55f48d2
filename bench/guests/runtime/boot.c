/*
 * From the entry in head.S to guest_main(): take a copy of the
 * parameter block, find out whether a hypervisor is there (which picks
 * the console), check the block, bring up the timer and the GIC, and run
 * the guest. Also the one place that stops a guest on a fatal error.
 */
#include "private.h"

struct rt_state rt;

/* The image's own block, by a PC-relative address the compiler cannot
 * see through: the runner patches it after the build. */
static const struct guest_params *image_params(void)
{
	const struct guest_params *p;

	__asm__("adrp %0, guest_params\n\tadd %0, %0, :lo12:guest_params"
		: "=r"(p));
	return p;
}

static uint64_t image_base(void)
{
	uint64_t base;

	__asm__("adrp %0, _head" : "=r"(base));
	return base;
}

static const char *kind_name(uint32_t kind)
{
	const char *name = guest_kind_name(kind);

	return name ? name : "unknown";
}

/* 0 if the block is usable by this image, else -1 after a message. */
static int params_check(const struct guest_params *p)
{
	if (p->magic != GUEST_PARAMS_MAGIC) {
		rt_printf("hvlab-guest: parameter magic 0x%x, expected 0x%x\n",
			  p->magic, GUEST_PARAMS_MAGIC);
		return -1;
	}
	if (p->version != GUEST_PARAMS_VERSION) {
		rt_printf("hvlab-guest: parameter version %u, expected %u\n",
			  p->version, GUEST_PARAMS_VERSION);
		return -1;
	}
	if (p->kind != guest_image_kind) {
		rt_printf("hvlab-guest: parameters of kind %u (%s) in the "
			  "%s image\n",
			  p->kind, kind_name(p->kind),
			  kind_name(guest_image_kind));
		return -1;
	}
	return 0;
}

void rt_main(void)
{
	const struct guest_params *p = &rt.params;

	memcpy(&rt.params, image_params(), sizeof(rt.params));
	rt_hv_probe();
	if (rt.hv_probe == RT_PROBE_UNDEFINED)
		rt_printf("hvlab-guest: %s d%u, bare metal (HVC undefined)\n",
			  kind_name(guest_image_kind), p->domid);
	else if (rt.hv_probe == RT_PROBE_REFUSED)
		rt_printf(
		    "hvlab-guest: %s d%u, bare metal (HVC answered %ld)\n",
		    kind_name(guest_image_kind), p->domid, rt.xen_version);
	else
		rt_printf("hvlab-guest: %s d%u, hypervisor version %lu.%lu\n",
			  kind_name(guest_image_kind), p->domid,
			  (unsigned long)rt.xen_version >> 16,
			  (unsigned long)rt.xen_version & 0xffff);
	if (params_check(p) < 0)
		rt_finish(2);
	if (rt_timer_init() < 0 || rt_gic_init() < 0)
		rt_finish(3);
	irq_enable();
	rt_finish(guest_main(p));
}

_Noreturn void rt_fatal(const char *what, const struct rt_frame *f)
{
	uint64_t esr = sysreg_read(esr_el1), far = sysreg_read(far_el1);

	if (rt.in_fatal)
		rt_halt();
	rt.in_fatal = true;
	rt_console_flush();
	rt_printf("hvlab-guest: %s: ESR 0x%lx ELR 0x%lx (image +0x%lx) "
		  "FAR 0x%lx\n",
		  what, (unsigned long)esr, (unsigned long)f->elr,
		  (unsigned long)(f->elr - image_base()), (unsigned long)far);
	/* A hog is stopped by its hypervisor, never finished. */
	if (guest_image_kind == GUEST_HOG)
		rt_halt();
	rt_finish(1);
}
