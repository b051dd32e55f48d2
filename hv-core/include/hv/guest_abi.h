/*
 * The guest ABI of the arm64 port: what a guest binary may rely on, and
 * what the host runner patches into it. Guests (bench/guests/) and the
 * hypervisor (hv-core/arch/arm64/) both include this file; it is plain C
 * with fixed-width types so it compiles for either side.
 *
 * Hypercalls use Xen's arm64 convention, so the same guest also runs as
 * dom0 on a real Xen: HVC #0xEA1, the hypercall number in x16, arguments
 * in x0..x4, the result in x0 (negative errno on failure).
 */
#ifndef HV_GUEST_ABI_H
#define HV_GUEST_ABI_H

#include <stdint.h>

/* ---- Xen-compatible hypercalls ---- */
#define HVC_XEN_IMM 0xea1u /* the HVC immediate Xen uses */
#define HYPERVISOR_console_io 18u /* Xen's __HYPERVISOR_console_io */
#define HYPERVISOR_xen_version 17u /* Xen's __HYPERVISOR_xen_version */
#define CONSOLEIO_write 0u /* x1 = length, x2 = buffer (guest address) */
#define XENVER_version 0u /* returns major << 16 | minor */

/*
 * ---- hvlab hypercalls ----
 * Number 48 is the first of Xen's arch-specific slots (__HYPERVISOR_arch_0)
 * which Xen on arm64 leaves unused: a guest that makes this call on Xen
 * gets -ENOSYS and carries on. x0 is the operation.
 */
#define HYPERVISOR_hvlab 48u
enum hvlab_op {
	/* x1 = irq index in the domain, x2 = latency in ns, x3 = response
	 * (handler end minus due time) in ns, 0 if not measured. Traced as
	 * HVLAB_GUEST_IRQ_ENTRY (and _EXIT when x3 != 0). */
	HVLAB_OP_IRQ_SAMPLE = 1,
	/* x1 = task index in the domain, x2 = job number. */
	HVLAB_OP_TASK_RELEASE = 2,
	/* x1 = task index, x2 = job, x3 = response ns, x4 = 1 if missed. */
	HVLAB_OP_TASK_COMPLETE = 3,
	/* x1 = exit status (0 = success). The calling vCPU goes offline;
	 * when every vCPU of every domain is done, the run ends. */
	HVLAB_OP_FINISH = 4,
};

/* The Linux arm64 Image header, which Xen requires of dom0. */
#define GUEST_IMAGE_MAGIC 0x644d5241u /* "ARM\x64" at offset 56 */

/*
 * ---- guest parameters ----
 * Every guest image carries this block at byte offset 64, right after the
 * Image header, with the guest's built-in defaults. The runner writes the
 * scenario's values into a copy of the image; the guest reads the block
 * through a PC-relative address, so nothing else needs relocating.
 */
#define GUEST_PARAMS_OFFSET 64u
#define GUEST_PARAMS_MAGIC 0x50475648u /* "HVGP" */
#define GUEST_PARAMS_VERSION 1u
#define GUEST_MAX_TASKS 8u

enum guest_kind {
	GUEST_IRQLAT = 1,
	GUEST_HOG = 2,
	GUEST_TASKS = 3,
	GUEST_PROBE = 4, /* the hypervisor's checks: every hypercall wrong */
};

/*
 * Each kind's name: the image build/arm64/guests/NAME.bin and the
 * scenario's guest.image value; NULL for a number that is no kind. A
 * switch, not a table of pointers, so position-independent guests can
 * call it without relocations.
 */
static inline const char *guest_kind_name(uint32_t kind)
{
	switch (kind) {
	case GUEST_IRQLAT: return "irqlat";
	case GUEST_HOG: return "hog";
	case GUEST_TASKS: return "tasks";
	case GUEST_PROBE: return "probe";
	}
	return 0;
}

struct guest_task_params {
	uint64_t period_ns;
	uint64_t deadline_ns; /* relative */
	uint64_t offset_ns; /* first release, from the guest's start */
	uint64_t exec_ns; /* execution time of every job */
	uint32_t priority; /* larger = more urgent */
	uint32_t reserved;
};

struct guest_params {
	uint32_t magic; /* GUEST_PARAMS_MAGIC */
	uint32_t version; /* GUEST_PARAMS_VERSION */
	uint32_t kind; /* enum guest_kind, checked against the image */
	uint32_t domid; /* for console prefixes only */
	uint64_t samples; /* irqlat: samples to take; tasks: jobs of the
			     lowest-priority task; 0 = run until stopped */
	uint64_t delta_min_ns; /* irqlat: timer delay range */
	uint64_t delta_max_ns;
	uint64_t seed; /* irqlat: delay sequence */
	uint64_t fault_after_ns; /* hog: write outside RAM after this
				    long; 0 = never */
	uint32_t nr_tasks;
	uint32_t memory_mib; /* the guest's RAM, from GUEST_RAM_IPA; 0 when
				not given (bare, Xen) */
	struct guest_task_params tasks[GUEST_MAX_TASKS];
};

/*
 * ---- the guest's view of the machine (IPA) ----
 * The same as QEMU virt's physical map, so one binary runs bare, as
 * Xen's dom0 and under hvlab. The guest starts at EL1, MMU off, at the
 * first byte of its image, with x0 = 0 under hvlab (a DTB under Xen).
 */
#define GUEST_RAM_IPA 0x40000000ull
#define GUEST_GICD_IPA 0x08000000ull
#define GUEST_GICR_IPA 0x080a0000ull /* vCPU n's frames at + n * 0x20000 */
#define GUEST_UART_IPA 0x09000000ull /* PL011: only used with no hypervisor */
#define GUEST_VTIMER_INTID 27u /* EL1 virtual timer PPI */

#endif /* HV_GUEST_ABI_H */
