/*
 * Console output. Bare, characters go straight to the PL011 (polling
 * UARTFR.TXFF; "\n" becomes "\r\n" for terminals in raw mode). Under a
 * hypervisor they are collected into a line and written with one
 * console_io hypercall per line (or per RT_CONSOLE_LINE characters), so
 * a line is never split between two domains' output.
 */
#include <stdarg.h>

#include "private.h"

#define PL011_DR 0x00u
#define PL011_FR 0x18u
#define PL011_FR_TXFF (1u << 5)

static void pl011_putc(char c)
{
	while (mmio_read32(GUEST_UART_IPA + PL011_FR) & PL011_FR_TXFF)
		;
	mmio_write32(GUEST_UART_IPA + PL011_DR, (unsigned char)c);
}

void rt_console_flush(void)
{
	if (rt.line_len)
		rt_console_io_write(rt.line, rt.line_len);
	rt.line_len = 0;
}

void rt_putc(char c)
{
	if (rt_bare()) {
		if (c == '\n')
			pl011_putc('\r');
		pl011_putc(c);
		return;
	}
	rt.line[rt.line_len++] = c;
	if (c == '\n' || rt.line_len == RT_CONSOLE_LINE)
		rt_console_flush();
}

void rt_puts(const char *s)
{
	while (*s)
		rt_putc(*s++);
}

/* @v in @base, padded on the left with @pad to @width characters. */
static void put_uint(uint64_t v, unsigned int base, int width, char pad)
{
	char digits[24];
	int n = 0;

	do {
		unsigned int d = (unsigned int)(v % base);

		digits[n++] = (char)(d < 10 ? '0' + d : 'a' + d - 10);
		v /= base;
	} while (v);
	for (; width > n; width--)
		rt_putc(pad);
	while (n)
		rt_putc(digits[--n]);
}

void rt_printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	for (; *fmt; fmt++) {
		char pad = ' ';
		int width = 0, longs = 0;

		if (*fmt != '%') {
			rt_putc(*fmt);
			continue;
		}
		fmt++;
		if (*fmt == '0') {
			pad = '0';
			fmt++;
		}
		for (; *fmt >= '0' && *fmt <= '9'; fmt++)
			width = width * 10 + (*fmt - '0');
		for (; *fmt == 'l' || *fmt == 'z'; fmt++)
			longs++;

		switch (*fmt) {
		case 'c': rt_putc((char)va_arg(ap, int)); break;
		case 's': rt_puts(va_arg(ap, const char *)); break;
		case 'd': {
			int64_t v = longs ? va_arg(ap, long) : va_arg(ap, int);

			if (v < 0) {
				rt_putc('-');
				put_uint(-(uint64_t)v, 10, width - 1, pad);
			} else {
				put_uint((uint64_t)v, 10, width, pad);
			}
			break;
		}
		case 'u':
		case 'x': {
			uint64_t v = longs ? va_arg(ap, unsigned long)
					   : va_arg(ap, unsigned int);

			put_uint(v, *fmt == 'x' ? 16 : 10, width, pad);
			break;
		}
		case '%': rt_putc('%'); break;
		case '\0':
			fmt--; /* the loop stops on the terminator */
			break;
		default:
			rt_putc('%');
			rt_putc(*fmt);
			break;
		}
	}
	va_end(ap);
}
