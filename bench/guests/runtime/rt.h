/*
 * The runtime the bench guests share (bench/guests/README.md): boot at
 * EL1 with the MMU off, exception vectors, console, hypercalls, GICv3 and
 * the virtual timer. A guest is one C file that defines the four symbols
 * below; it links with the runtime into one flat, position-independent
 * image.
 */
#ifndef GUESTS_RT_H
#define GUESTS_RT_H

/*
 * Every symbol is local to the image: without this, -fpie would reach
 * extern data through the GOT, i.e. through absolute addresses.
 */
#pragma GCC visibility push(hidden)

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <hv/guest_abi.h>

#include "arch.h"

/* ---- what each guest defines ---- */

/*
 * The parameter block at image offset 64, with the guest's defaults. The
 * runner patches it after the build, so only the runtime reads it (by
 * address); the guest gets the copy passed to guest_main().
 */
#define GUEST_PARAMS_SECTION __attribute__((section(".params"), used))
extern const struct guest_params guest_params;

/* The guest_kind this image implements, checked against the block. */
extern const uint32_t guest_image_kind;

/*
 * The guest proper, called once the console, GIC and timer are up, with
 * the validated parameters. Returns the status for HVLAB_OP_FINISH.
 */
int guest_main(const struct guest_params *p);

/*
 * Called in IRQ context for the virtual timer, which the runtime has
 * already stopped (CNTV_CTL_EL0 = 0), with @stamp the counter read at
 * the vector. The guest may arm the timer again. The runtime EOIs after.
 */
void guest_timer_irq(uint64_t stamp);

/* ---- console (console.c) ---- */

void rt_putc(char c);
void rt_puts(const char *s);
/* %c %s %d %u %x with l/ll/z, a width and the 0 flag; no floats. */
void rt_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* ---- hypercalls and the end of a run (hypercall.c) ---- */

/* True when no hypervisor answered the xen_version probe. */
bool rt_bare(void);

/* The hypervisor's error numbers (Linux's, as Xen's and hvlab's). */
#define EFAULT 14
#define EINVAL 22
#define ENOSYS 38

/* A raw Xen-convention hypercall (HVC #0xEA1): no checks, no skipping. */
long rt_hypercall(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2,
		  uint64_t a3, uint64_t a4);

/*
 * An hvlab hypercall (guest_abi.h). Skipped bare, and after the first
 * negative result (a Xen without hvlab): returns the hypervisor's result,
 * or -ENOSYS (-38) when skipped.
 */
long rt_hvlab(uint64_t op, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4);

/*
 * End the run: HVLAB_OP_FINISH(@status); if that returns, print
 * "hvlab-guest: done", then power off when bare or idle for good.
 */
_Noreturn void rt_finish(int status);

/* Stop for good without FINISH (a hog, or a broken guest). */
_Noreturn void rt_halt(void);

/* ---- time (timer.c) ---- */

static inline uint64_t rt_now(void)
{
	return counter_read();
}

uint64_t rt_counter_hz(void);
uint64_t rt_ticks_to_ns(uint64_t ticks);
uint64_t rt_ns_to_ticks(uint64_t ns);

/* Fire the virtual timer when the counter reaches @cval. */
void rt_vtimer_arm(uint64_t cval);
void rt_vtimer_stop(void);

/* ---- interrupts (exceptions.c) ---- */

/* The counter when the last IRQ handler finished, after its EOI. */
uint64_t rt_irq_last_end(void);

/*
 * Sleep in WFI until *@flag is true. The flag is tested with IRQs masked
 * and WFI wakes on a pending IRQ even so, so a handler that sets the
 * flag just before the WFI cannot be missed; the IRQ is then taken one
 * instruction after the wake-up.
 */
void rt_wait_flag(const volatile bool *flag);

/* ---- freestanding helpers (lib.c) ---- */

void *memset(void *s, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);

#pragma GCC visibility pop

#endif /* GUESTS_RT_H */
