/*
 * Arm semihosting (HLT #0xF000 at EL2; QEMU -semihosting-config
 * enable=on,target=native): how the trace reaches a file on the host and
 * how a run ends with a status. Paths are relative to QEMU's working
 * directory, which the runner sets to the run's output directory.
 */
#include <stdint.h>
#include <string.h>

#include "arm64.h"

#define SYS_OPEN 0x01
#define SYS_CLOSE 0x02
#define SYS_WRITE 0x05
#define SYS_EXIT 0x18
#define ADP_Stopped_ApplicationExit 0x20026

static long semihost_call(uint64_t op, const void *arg)
{
	register uint64_t x0 __asm__("x0") = op;
	register uint64_t x1 __asm__("x1") = (uint64_t)(uintptr_t)arg;

	__asm__ volatile("hlt #0xf000" : "+r"(x0) : "r"(x1) : "memory");
	return (long)x0;
}

long semihost_open(const char *path, bool write)
{
	uint64_t blk[3] = {(uintptr_t)path, write ? 5 : 1, strlen(path)};

	return semihost_call(SYS_OPEN, blk); /* modes 5 "wb", 1 "rb" */
}

long semihost_write(long fd, const void *buf, uint64_t len)
{
	uint64_t blk[3] = {(uint64_t)fd, (uintptr_t)buf, len};

	return semihost_call(SYS_WRITE, blk); /* bytes NOT written */
}

long semihost_close(long fd)
{
	uint64_t blk[1] = {(uint64_t)fd};

	return semihost_call(SYS_CLOSE, blk);
}

void semihost_exit(int status)
{
	uint64_t blk[2] = {ADP_Stopped_ApplicationExit, (uint64_t)status};

	for (;;)
		semihost_call(SYS_EXIT, blk);
}
