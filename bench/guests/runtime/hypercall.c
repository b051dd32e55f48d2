/*
 * Calls to the hypervisor, and the end of a run.
 *
 * Xen's arm64 convention: HVC #0xEA1, number in x16, arguments in
 * x0..x4, result in x0. A debug Xen overwrites the argument registers
 * and x16 on return, so they are all outputs here.
 *
 * With no EL2 an HVC is UNDEFINED (unless firmware emulation takes it,
 * see rt_hv_probe()): the synchronous vector sees EC 0 at an HVC or SMC,
 * sets rt.call_undefined and steps over it (exceptions.c). The
 * xen_version probe at boot tells "bare" from "under a hypervisor".
 */
#include "private.h"

#define PSCI_0_2_SYSTEM_OFF 0x84000008u

long rt_hypercall(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2,
		  uint64_t a3, uint64_t a4)
{
	register uint64_t x0 __asm__("x0") = a0;
	register uint64_t x1 __asm__("x1") = a1;
	register uint64_t x2 __asm__("x2") = a2;
	register uint64_t x3 __asm__("x3") = a3;
	register uint64_t x4 __asm__("x4") = a4;
	register uint64_t x5 __asm__("x5");
	register uint64_t x16 __asm__("x16") = nr;

	__asm__ volatile("hvc %[imm]"
			 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4),
			   "=r"(x5), "+r"(x16)
			 : [imm] "i"(HVC_XEN_IMM)
			 : "memory");
	return (long)x0;
}

/*
 * Bare when the HVC is UNDEFINED, and also when it answers negative:
 * QEMU 10's virt board without EL2 takes every HVC as an SMCCC call for
 * its built-in PSCI and answers NOT_SUPPORTED (-1), where a Xen or hvlab
 * returns major << 16 | minor.
 */
void rt_hv_probe(void)
{
	long v;

	rt.call_undefined = false;
	v = rt_hypercall(HYPERVISOR_xen_version, XENVER_version, 0, 0, 0, 0);
	if (rt.call_undefined)
		rt.hv_probe = RT_PROBE_UNDEFINED;
	else if (v < 0)
		rt.hv_probe = RT_PROBE_REFUSED;
	else
		rt.hv_probe = RT_PROBE_HYPERVISOR;
	rt.hvlab_ok = rt.hv_probe == RT_PROBE_HYPERVISOR;
	rt.xen_version = v;
}

bool rt_bare(void)
{
	return rt.hv_probe != RT_PROBE_HYPERVISOR;
}

long rt_console_io_write(const char *buf, unsigned int len)
{
	return rt_hypercall(HYPERVISOR_console_io, CONSOLEIO_write, len,
			    (uint64_t)(uintptr_t)buf, 0, 0);
}

long rt_hvlab(uint64_t op, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4)
{
	long r;

	if (!rt.hvlab_ok)
		return -ENOSYS;
	r = rt_hypercall(HYPERVISOR_hvlab, op, a1, a2, a3, a4);
	if (r < 0) {
		/* A Xen without hvlab: measure on, report nothing more. */
		rt.hvlab_ok = false;
		rt.hvlab_enosys = r == -ENOSYS;
		rt_printf("hvlab-guest: hvlab hypercall %lu returned %ld: "
			  "going on without hvlab hypercalls\n",
			  (unsigned long)op, r);
	}
	return r;
}

/* An SMCCC call with the given instruction; false if it was UNDEFINED. */
#define PSCI_CALL(insn, fn, ret)                                             \
	do {                                                                 \
		register uint64_t x0_ __asm__("x0") = (fn);                  \
		rt.call_undefined = false;                                   \
		__asm__ volatile(insn                                        \
				 : "+r"(x0_)                                 \
				 :                                           \
				 : "x1", "x2", "x3", "x4", "x5", "x6", "x7", \
				   "x8", "x9", "x10", "x11", "x12", "x13",   \
				   "x14", "x15", "x16", "x17", "memory");    \
		(ret) = (long)x0_;                                           \
	} while (0)

/*
 * PSCI SYSTEM_OFF, bare or under a Xen. QEMU's virt board with no EL2
 * and no EL3 firmware implements PSCI itself with the HVC conduit (SMC
 * is the conduit only with virtualization=on, and is UNDEFINED here), so
 * HVC comes first and SMC is the fallback for other boards. A Xen takes
 * HVC #0 as its guests' PSCI conduit; from dom0, SYSTEM_OFF powers the
 * machine off. Returns only if both failed.
 */
void rt_psci_system_off(void)
{
	long hvc_ret, smc_ret;
	bool hvc_undef;

	PSCI_CALL("hvc #0", PSCI_0_2_SYSTEM_OFF, hvc_ret);
	hvc_undef = rt.call_undefined;
	PSCI_CALL("smc #0", PSCI_0_2_SYSTEM_OFF, smc_ret);
	rt_printf(
	    "hvlab-guest: PSCI SYSTEM_OFF failed: hvc %s %ld, smc %s %ld\n",
	    hvc_undef ? "undefined" : "returned", hvc_ret,
	    rt.call_undefined ? "undefined" : "returned", smc_ret);
}

_Noreturn void rt_halt(void)
{
	irq_disable();
	rt_vtimer_stop();
	rt_console_flush();
	/* Not under hvlab: its guests finish, and SYSTEM_OFF is a crash. */
	if (rt_bare() || rt.hvlab_enosys)
		rt_psci_system_off();
	for (;;)
		wfi();
}

_Noreturn void rt_finish(int status)
{
	rt_vtimer_stop();
	rt_console_flush();
	/* Under hvlab this does not return: the vCPU goes offline. */
	rt_hvlab(HVLAB_OP_FINISH, (uint64_t)(int64_t)status, 0, 0, 0);
	if (status)
		rt_printf("hvlab-guest: done, status %d\n", status);
	else
		rt_puts("hvlab-guest: done\n");
	rt_halt();
}
