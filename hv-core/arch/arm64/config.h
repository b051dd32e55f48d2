/*
 * The arm64 hypervisor's configuration, read from the device tree QEMU
 * hands it (the /hvlab node the runner adds to QEMU's own tree, plus the
 * board's /cpus, GIC and UART nodes). docs/arm64.md, "Device tree
 * binding", is the reference for every property.
 *
 * config_parse() is plain C over a flattened tree in memory, with no
 * libc beyond string functions, so the host unit tests run it on trees
 * written by the runner (qemu/qemu_dt.c).
 */
#ifndef HV_ARM64_CONFIG_H
#define HV_ARM64_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include <hv/sched.h>
#include <hv/types.h>

#include <hv/guest_abi.h>

#include "layout.h"

#define CFG_MAX_PCPUS ARM64_MAX_PCPUS
#define CFG_MAX_POOLS 8
#define CFG_MAX_DOMAINS 16
#define CFG_MAX_VCPUS 4 /* per domain */
#define CFG_MAX_TASKS GUEST_MAX_TASKS /* per domain */

/* The /hvlab node's "compatible" and "version": the binding's revision. */
#define HV_CONFIG_DT_COMPATIBLE "hvlab,config"
#define HV_CONFIG_DT_VERSION 1

struct cfg_vcpu {
	uint64_t affinity; /* pCPU bit mask; never 0 after parsing */
	hv_time_t rt_period, rt_budget; /* RTDS; 0 = default */
	int rt_extratime; /* -1 default, 0 off, 1 on */
};

struct cfg_task { /* names and figures for trace metadata only */
	char name[HV_NAME_MAX];
	unsigned int vcpu;
	hv_time_t period, deadline;
	int priority;
};

struct cfg_domain {
	char name[HV_NAME_MAX];
	unsigned int domid;
	unsigned int pool; /* index into hv_config.pools */
	unsigned int nr_vcpus;
	struct cfg_vcpu vcpus[CFG_MAX_VCPUS];
	unsigned int weight, cap; /* credit2; 0 = default */
	uint64_t mem_base; /* physical address of guest RAM (2 MiB aligned) */
	uint64_t mem_size; /* bytes, multiple of 2 MiB */
	bool wfi_native; /* vwfi=native: WFI not trapped */
	bool direct_irq; /* physical IRQs straight to the guest (null only) */
	bool must_finish; /* the run waits for it (irqlat, tasks; not hog) */
	char irq_name[HV_NAME_MAX]; /* the domain's timer IRQ, index 0 */
	unsigned int nr_tasks;
	struct cfg_task tasks[CFG_MAX_TASKS];
};

struct cfg_pool {
	char name[HV_NAME_MAX];
	char sched[HV_NAME_MAX]; /* sched= token */
	uint64_t cpus; /* pCPU bit mask */
	struct sched_pool_params params;
	struct a653_schedule a653; /* arinc653 only; domid, vcpu, runtime */
};

struct hv_config {
	/* from the board */
	unsigned int nr_pcpus; /* /cpus/cpu@N nodes */
	uint64_t mpidr[CFG_MAX_PCPUS]; /* their reg values */
	uint64_t gicd_base, gicr_base, gicr_stride;
	uint64_t uart_base;
	bool psci_hvc; /* PSCI method "hvc" (else "smc") */
	uint64_t ram_base, ram_size; /* the first memory node's reg[0] */

	/* from /hvlab */
	uint64_t scenario_hash;
	hv_time_t duration; /* end of run, ns of guest time */
	uint64_t trace_ring_bytes; /* per pCPU; 0 = no trace */
	uint32_t trace_event_mask; /* Xen's event mask after the metadata */
	unsigned int nr_pools;
	struct cfg_pool pools[CFG_MAX_POOLS];
	unsigned int nr_domains;
	struct cfg_domain domains[CFG_MAX_DOMAINS];
};

/*
 * Event masks (Xen's set_evt_mask: class bits 27..16, sub-class bits
 * 15..12). GUEST keeps only the guests' own records (class 0x0100,
 * sub-class 4: HVLAB_GUEST_IRQ_*, HVLAB_TASK_*), so that a latency
 * benchmark pays one test per trace point and nothing more.
 */
#define HV_TRACE_MASK_ALL 0x0ffff000u
#define HV_TRACE_MASK_GUEST 0x01004000u

/*
 * How the hypervisor ends a run: its semihosting exit status, which is
 * QEMU's exit status.
 */
enum hv_exit_status {
	HV_EXIT_DONE = 0, /* every must_finish domain finished */
	HV_EXIT_DOMAIN_CRASHED = 1, /* as DONE, but a domain was stopped */
	HV_EXIT_BAD_CONFIG = 2, /* the device tree was rejected */
	HV_EXIT_TIMEOUT = 3, /* duration passed before the guests finished */
	HV_EXIT_PANIC = 4, /* a hypervisor bug: see the console */
};

/* Words for an exit status, on the console and in the runner's errors. */
static inline const char *hv_exit_status_text(int status)
{
	switch (status) {
	case HV_EXIT_DONE: return "every guest finished";
	case HV_EXIT_DOMAIN_CRASHED: return "a domain was stopped";
	case HV_EXIT_BAD_CONFIG: return "device tree rejected";
	case HV_EXIT_TIMEOUT:
		return "duration passed before the guests finished";
	case HV_EXIT_PANIC: return "hypervisor panic";
	}
	return "unknown status";
}

/*
 * Fill @cfg from the flattened device tree at @fdt (@len bytes at most,
 * checked against the header). On error returns -EINVAL and writes a
 * message naming the node and property into @err.
 */
int config_parse(const void *fdt, size_t len, struct hv_config *cfg, char *err,
		 size_t errlen);

#endif /* HV_ARM64_CONFIG_H */
