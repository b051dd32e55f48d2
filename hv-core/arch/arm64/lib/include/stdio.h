/* Formatting only (lib/format.c): the hypervisor has no files. */
#ifndef HV_ARM64_STDIO_H
#define HV_ARM64_STDIO_H
#include <stdarg.h>
#include <stddef.h>
int snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
#endif
