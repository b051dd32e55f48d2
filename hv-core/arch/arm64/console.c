/*
 * The hypervisor console: the board's PL011, polled. Output happens with
 * the hypervisor lock held (or before the other pCPUs are up), so lines
 * from different pCPUs never interleave.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "arm64.h"
#include "sysreg.h"

#define UARTDR 0x000
#define UARTFR 0x018
#define UARTFR_TXFF (1u << 5)

static uint64_t uart = 0x09000000; /* QEMU virt's, until the DT says */

void console_init(uint64_t uart_base)
{
	if (uart_base)
		uart = uart_base;
}

static void putc_raw(char c)
{
	while (mmio_read32(uart + UARTFR) & UARTFR_TXFF)
		;
	mmio_write32(uart + UARTDR, (unsigned char)c);
}

void hv_puts(const char *s)
{
	for (; *s; s++) {
		if (*s == '\n')
			putc_raw('\r');
		putc_raw(*s);
	}
}

void hv_printf(const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	hv_puts(buf);
}

void hv_panic(const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	hv_puts("(hv) PANIC: ");
	hv_puts(buf);
	hv_puts("\n");
	semihost_exit(HV_EXIT_PANIC);
}

void hv_assert_fail(const char *expr, const char *file, int line)
{
	hv_panic("assertion '%s' failed at %s:%d", expr, file, line);
}

void abort(void)
{
	hv_panic("abort()");
}

/* An exception the hypervisor cannot take: its own fault. */
void hv_bad_exception(uint64_t kind, uint64_t esr, uint64_t elr, uint64_t far)
{
	hv_panic("unexpected exception %lu on pCPU %lu: ESR %#lx ELR %#lx "
		 "FAR %#lx",
		 (unsigned long)kind,
		 (unsigned long)(read_sysreg(mpidr_el1) & 0xff),
		 (unsigned long)esr, (unsigned long)elr, (unsigned long)far);
}

void hv_panic_returned(void)
{
	hv_panic("a trap handler returned");
}
