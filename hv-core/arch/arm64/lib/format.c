/*
 * vsnprintf for the hypervisor: %d %i %u %x %X %p %s %c %% with the
 * l, ll, z and h length modifiers, a width, '0' padding and '-'. That is
 * every conversion the core, the schedulers and the port use.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct out {
	char *buf;
	size_t size, len;
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void put_num(struct out *o, uint64_t v, unsigned int base, bool upper,
		    bool neg, int width, char pad, bool left)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0, total;

	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v);
	total = n + (neg ? 1 : 0);
	if (neg && pad == '0')
		put(o, '-');
	for (; !left && total < width; total++)
		put(o, pad);
	if (neg && pad != '0')
		put(o, '-');
	while (n)
		put(o, tmp[--n]);
	for (; left && total < width; total++)
		put(o, ' ');
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = {buf, size, 0};

	for (; *fmt; fmt++) {
		int width = 0, lng = 0;
		char pad = ' ';
		bool left = false, alt = false;

		if (*fmt != '%') {
			put(&o, *fmt);
			continue;
		}
		fmt++;
		for (; *fmt == '0' || *fmt == '-' || *fmt == '#'; fmt++) {
			if (*fmt == '0')
				pad = '0';
			else if (*fmt == '-')
				left = true;
			else
				alt = true;
		}
		for (; *fmt >= '0' && *fmt <= '9'; fmt++)
			width = width * 10 + (*fmt - '0');
		for (; *fmt == 'l' || *fmt == 'z' || *fmt == 'h'; fmt++)
			if (*fmt != 'h')
				lng++;
		switch (*fmt) {
		case 'd':
		case 'i': {
			int64_t v = lng ? va_arg(ap, int64_t) : va_arg(ap, int);

			put_num(&o, v < 0 ? -(uint64_t)v : (uint64_t)v, 10,
				false, v < 0, width, pad, left);
			break;
		}
		case 'u':
		case 'x':
		case 'X': {
			uint64_t v = lng ? va_arg(ap, uint64_t)
					 : va_arg(ap, unsigned int);

			if (alt && *fmt != 'u' && v) {
				put(&o, '0');
				put(&o, 'x');
			}
			put_num(&o, v, *fmt == 'u' ? 10 : 16, *fmt == 'X',
				false, width, pad, left);
			break;
		}
		case 'p':
			put(&o, '0');
			put(&o, 'x');
			put_num(&o, (uintptr_t)va_arg(ap, void *), 16, false,
				false, width, pad, left);
			break;
		case 's': {
			const char *s = va_arg(ap, const char *);
			int n = 0;

			if (!s)
				s = "(null)";
			for (const char *t = s; *t; t++)
				n++;
			for (; !left && n < width; width--)
				put(&o, ' ');
			while (*s)
				put(&o, *s++);
			for (; left && n < width; width--)
				put(&o, ' ');
			break;
		}
		case 'c': put(&o, (char)va_arg(ap, int)); break;
		case '%': put(&o, '%'); break;
		default: /* unknown: print it as written */
			put(&o, '%');
			if (*fmt)
				put(&o, *fmt);
			else
				fmt--;
		}
	}
	if (size)
		buf[o.len < size ? o.len : size - 1] = 0;
	return (int)o.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
