/*
 * hog: a CPU- and memory-bound loop that never finishes, the noisy
 * neighbour of the other guests. Each pass multiplies through a 256 KiB
 * buffer in its own image, one word per 64-byte line. With
 * fault_after_ns set, once that much counter time has passed it writes
 * outside its RAM (GUEST_RAM_IPA + 1 GiB): under hvlab a stage-2 fault,
 * and the hypervisor stops the domain. Bare, the write is an external
 * abort and the runtime powers off.
 */
#include "rt.h"

#define HOG_BUF_WORDS (256 * 1024 / 8)
#define HOG_STRIDE_WORDS 8 /* one 64-byte line */
#define HOG_FAULT_IPA (GUEST_RAM_IPA + (1ull << 30))

const uint32_t guest_image_kind = GUEST_HOG;

const struct guest_params guest_params GUEST_PARAMS_SECTION = {
    .magic = GUEST_PARAMS_MAGIC,
    .version = GUEST_PARAMS_VERSION,
    .kind = GUEST_HOG,
    .seed = 1,
};

static uint64_t hog_buf[HOG_BUF_WORDS];

/* The timer is never armed. */
void guest_timer_irq(uint64_t stamp)
{
	(void)stamp;
}

static void hog_fault(void)
{
	rt_printf("hog: writing outside RAM at 0x%lx\n",
		  (unsigned long)HOG_FAULT_IPA);
	*(volatile uint64_t *)(uintptr_t)HOG_FAULT_IPA = 0xdeadull;
	rt_puts("hog: the write did not fault; hogging on\n");
}

int guest_main(const struct guest_params *p)
{
	uint64_t fault_at = 0, x = p->seed | 1;
	size_t i;

	if (p->fault_after_ns) {
		fault_at = rt_now() + rt_ns_to_ticks(p->fault_after_ns);
		rt_printf("hog: running, fault after %lu ns\n",
			  (unsigned long)p->fault_after_ns);
	} else {
		rt_puts("hog: running, never faults\n");
	}
	for (;;) {
		for (i = 0; i < HOG_BUF_WORDS; i += HOG_STRIDE_WORDS) {
			/* a 64-bit LCG (Knuth's MMIX constants) */
			x = x * 6364136223846793005ull + 1442695040888963407ull;
			hog_buf[i] = hog_buf[i] * 3 + x;
		}
		if (fault_at && rt_now() >= fault_at) {
			hog_fault();
			fault_at = 0;
		}
	}
}
