/*
 * probe: the hypervisor's own checks, from the guest side. It makes each
 * kind of bad hypercall once - a console buffer outside its RAM, unknown
 * operations and numbers, indices out of range, another HVC immediate -
 * and checks that each is refused with the documented error rather than
 * crashing anything. It prints one line per call ("probe: NAME: rc R,
 * expected E: ok|WRONG") and finishes with status 0 when every answer was
 * right, 1 otherwise. With no hypervisor there is nothing to probe.
 */
#include "rt.h"

const uint32_t guest_image_kind = GUEST_PROBE;

const struct guest_params guest_params GUEST_PARAMS_SECTION = {
    .magic = GUEST_PARAMS_MAGIC,
    .version = GUEST_PARAMS_VERSION,
    .kind = GUEST_PROBE,
};

void guest_timer_irq(uint64_t stamp)
{
	(void)stamp;
}

static long hvc(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2)
{
	return rt_hypercall(nr, a0, a1, a2, 0, 0);
}

/* HVC with an immediate that is not Xen's. */
static long hvc_other(void)
{
	register uint64_t x0 __asm__("x0") = 0;

	__asm__ volatile("hvc #1" : "+r"(x0) : : "memory");
	return (long)x0;
}

static unsigned int wrong;

static void expect(const char *name, long rc, long want)
{
	rt_printf("probe: %s: rc %ld, expected %ld: %s\n", name, rc, want,
		  rc == want ? "ok" : "WRONG");
	wrong += rc != want;
}

int guest_main(const struct guest_params *p)
{
	/* 64 bytes from 8 below the end of RAM: the start is in, the end
	 * is not (the runner gives the RAM size; else far beyond it) */
	uint64_t straddle =
	    GUEST_RAM_IPA +
	    (p->memory_mib ? (uint64_t)p->memory_mib << 20 : 1ull << 30) - 8;

	if (rt_bare()) {
		rt_puts("probe: no hypervisor, nothing to probe\n");
		return 0;
	}
	expect("console_io outside RAM",
	       hvc(HYPERVISOR_console_io, CONSOLEIO_write, 16, 0x10), -EFAULT);
	expect("console_io across the end of RAM",
	       hvc(HYPERVISOR_console_io, CONSOLEIO_write, 64, straddle),
	       -EFAULT);
	expect("console_io unknown op", hvc(HYPERVISOR_console_io, 99, 0, 0),
	       -ENOSYS);
	expect("unknown hypercall 5", hvc(5, 0, 0, 0), -ENOSYS);
	expect("hvlab unknown op", hvc(HYPERVISOR_hvlab, 77, 0, 0), -ENOSYS);
	expect("hvlab IRQ_SAMPLE irq 70000",
	       hvc(HYPERVISOR_hvlab, HVLAB_OP_IRQ_SAMPLE, 70000, 5), -EINVAL);
	expect("hvlab TASK_RELEASE task 3",
	       hvc(HYPERVISOR_hvlab, HVLAB_OP_TASK_RELEASE, 3, 0), -EINVAL);
	expect("hvlab TASK_COMPLETE task 9",
	       hvc(HYPERVISOR_hvlab, HVLAB_OP_TASK_COMPLETE, 9, 0), -EINVAL);
	expect("HVC #1", hvc_other(), -ENOSYS);
	rt_printf("probe: %u wrong answers\n", wrong);
	return wrong ? 1 : 0;
}
