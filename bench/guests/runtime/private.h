/*
 * The runtime's internals: its one state struct and the hooks between
 * its files. Guests include rt.h only.
 */
#ifndef GUESTS_RT_PRIVATE_H
#define GUESTS_RT_PRIVATE_H

#include "rt.h"

#pragma GCC visibility push(hidden)

#define RT_CONSOLE_LINE 128

/* An exception frame, as vectors.S lays it out (192 bytes). */
struct rt_frame {
	uint64_t x[19]; /* x0..x18 */
	uint64_t fp; /* x29 */
	uint64_t lr; /* x30 */
	uint64_t elr;
	uint64_t spsr;
	uint64_t pad;
};

/* What the xen_version probe at boot found. */
enum rt_probe {
	RT_PROBE_HYPERVISOR, /* a Xen-ABI hypervisor answered */
	RT_PROBE_UNDEFINED, /* HVC is UNDEFINED: nothing at EL2 */
	RT_PROBE_REFUSED, /* a negative answer: firmware's SMCCC, not Xen */
};

/*
 * All mutable runtime state. Written at boot by rt_main() (single
 * threaded, IRQs masked) except where noted.
 */
struct rt_state {
	struct guest_params params; /* validated copy of the image's block */
	enum rt_probe hv_probe; /* anything but HYPERVISOR: bare, PL011
				   console, no hvlab calls */
	bool hvlab_ok; /* hvlab hypercalls still worth making */
	bool hvlab_enosys; /* one answered -ENOSYS: a Xen, not hvlab */
	bool in_fatal; /* rt_fatal() running: no recursion */
	/* set by rt_sync() when an HVC/SMC was UNDEFINED and skipped */
	volatile bool call_undefined;
	long xen_version; /* XENVER_version's answer */
	uint64_t counter_hz;
	/* written by rt_irq(), read by the guest at any time */
	volatile uint64_t irq_last_end;
	/* the console line being assembled (hypervisor console only) */
	unsigned int line_len;
	char line[RT_CONSOLE_LINE];
};

extern struct rt_state rt;

/* boot.c */
void rt_main(void);
_Noreturn void rt_fatal(const char *what, const struct rt_frame *f);

/* exceptions.c, called from vectors.S */
void rt_sync(struct rt_frame *f);
void rt_irq(uint64_t stamp);
_Noreturn void rt_unexpected(struct rt_frame *f, uint64_t index);

/* hypercall.c */
void rt_hv_probe(void);
long rt_console_io_write(const char *buf, unsigned int len);
void rt_psci_system_off(void);

/* console.c */
void rt_console_flush(void);

/* gic.c */
int rt_gic_init(void);
uint32_t rt_gic_ack(void);
void rt_gic_eoi(uint32_t intid);

/* timer.c */
int rt_timer_init(void);

#pragma GCC visibility pop

#endif /* GUESTS_RT_PRIVATE_H */
