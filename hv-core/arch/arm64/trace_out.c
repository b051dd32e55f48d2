/*
 * The arm64 port's xentrace: the per-pCPU rings (tracing/trace_ring.c,
 * the same code as the sim's) are drained into trace.xt on the host
 * through semihosting, in the trace file format of docs/trace-format.md.
 *
 * Draining happens at the end of the run, and during it only when a
 * ring crosses its high-water mark (the rings are sized so that a
 * normal run never does: a drain costs guest-visible time). Producers
 * and the consumer both run with the hypervisor lock held.
 */
#include <errno.h>

#include <hv/machine.h>
#include <hv/trace.h>

#include "arm64.h"
#include "tracing/trace_events.h"
#include "tracing/trace_file.h"
#include "tracing/trace_ring.h"

#define TRACE_FILE "trace.xt"

_Static_assert(HV_TRACE_MASK_ALL == TRACE_RING_MASK_ALL, "Xen's TRC_ALL");

static struct trace_ring *rings;
static long trace_fd = -1;
static bool write_failed;

static void put(const void *p, uint64_t len)
{
	if (len && !write_failed && semihost_write(trace_fd, p, len) != 0)
		write_failed = true;
}

static void sink(void *ctx, unsigned int cpu, const void *a, size_t alen,
		 const void *b, size_t blen)
{
	uint32_t hdr[3];

	(void)ctx;
	trace_file_window_header(hdr, cpu, (uint32_t)(alen + blen));
	put(hdr, sizeof(hdr));
	put(a, alen);
	put(b, blen);
}

static void drain_all(void)
{
	for (unsigned int cpu = 0; cpu < hv.m->nr_pcpus; cpu++)
		if (trace_ring_drain(rings, cpu, sink, NULL) < 0)
			hv_trace_disable(hv.m);
}

static void notify(void *ctx, unsigned int cpu)
{
	(void)ctx, (void)cpu;
	drain_all();
}

int trace_out_setup(void)
{
	uint64_t bytes = hv.cfg.trace_ring_bytes;

	if (!bytes)
		return 0;
	rings = trace_ring_create(hv.m->nr_pcpus, bytes);
	if (!rings) {
		hv_printf("(hv) trace: cannot allocate %u rings of %lu bytes\n",
			  hv.m->nr_pcpus, (unsigned long)bytes);
		return -ENOMEM;
	}
	trace_fd = semihost_open(TRACE_FILE, true);
	if (trace_fd < 0) {
		hv_printf("(hv) trace: cannot create %s on the host "
			  "(is semihosting enabled?)\n",
			  TRACE_FILE);
		return -EIO;
	}
	trace_ring_set_notify(rings, notify, NULL);
	return hv_trace_attach(hv.m, rings);
}

/* What the analysis needs to name things: as the sim writes it. */
void trace_out_metadata(void)
{
	struct machine *m = hv.m;
	const struct hv_config *cfg = &hv.cfg;
	const uint64_t hz = 1000000000u; /* the core's clock counts ns */

	if (!rings)
		return;
	HV_TRACE(m, HVLAB_HEADER, HVLAB_TRACE_VERSION, (uint32_t)hz,
		 (uint32_t)(hz >> 32), m->nr_pcpus, HVLAB_BACKEND_QEMU,
		 (uint32_t)cfg->scenario_hash,
		 (uint32_t)(cfg->scenario_hash >> 32));
	for (unsigned int i = 0; i < cfg->nr_domains; i++) {
		const struct cfg_domain *d = &cfg->domains[i];

		hv_trace_name(hv.m, TRC_HVLAB_NAME_DOMAIN, d->domid, d->name);
		for (unsigned int j = 0; j < d->nr_tasks; j++) {
			const struct cfg_task *t = &d->tasks[j];
			uint64_t dl = (uint64_t)t->deadline;

			hv_trace_name(hv.m, TRC_HVLAB_NAME_TASK,
				      trace_dv(d->domid, j), t->name);
			HV_TRACE(m, HVLAB_TASK_INFO, trace_dv(d->domid, j),
				 t->vcpu, (uint32_t)t->period, (uint32_t)dl,
				 (uint32_t)(dl >> 32), (uint32_t)t->priority);
		}
		if (d->irq_name[0])
			hv_trace_name(hv.m, TRC_HVLAB_NAME_IRQ,
				      trace_dv(d->domid, 0), d->irq_name);
	}
	drain_all(); /* the header opens the file */
	hv_trace_set_event_mask(m, hv.cfg.trace_event_mask);
}

void trace_out_finish(void)
{
	struct trace_ring_stats st;
	hv_time_t now = arch_clock_now(hv.m);

	if (!rings)
		return;
	drain_all();
	hv_trace_set_event_mask(hv.m, HV_TRACE_MASK_ALL); /* for RUN_END */
	for (unsigned int cpu = 0; cpu < hv.m->nr_pcpus; cpu++)
		trace_ring_write_lost_note(rings, cpu, (uint64_t)now);
	HV_TRACE(hv.m, HVLAB_RUN_END, (uint32_t)now,
		 (uint32_t)((uint64_t)now >> 32));
	drain_all();
	trace_ring_get_stats(rings, -1u, &st);
	if (semihost_close(trace_fd) != 0)
		write_failed = true;
	hv_printf("(hv) trace: %lu records, %lu lost%s\n",
		  (unsigned long)st.stored, (unsigned long)st.lost,
		  write_failed ? ", WRITE TO THE HOST FAILED" : "");
}
