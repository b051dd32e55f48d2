/*
 * Perfetto format: Chrome's trace-event JSON, which Perfetto and
 * chrome://tracing both load.
 *
 *   {"traceEvents":[
 *   {"ph":"M","pid":0,"tid":1,"name":"thread_name","args":{"name":"pCPU 1"}},
 *   {"ph":"X","pid":0,"tid":1,"ts":1.200,"dur":448.200,"name":"ctrl v0",...},
 *   {"ph":"i","s":"t","pid":0,"tid":1,"ts":10.000,"name":"irq raise adc",...}
 *   ],"displayTimeUnit":"ns"}
 *
 * Design: one track (thread) per pCPU. Each pCPU remembers which vCPU it
 * runs and since when; a SWITCH or RUNSTATE_CHANGE that changes it closes
 * the running interval as a complete event ("X") and opens the next. A
 * hvlab trace has both kinds of record for one switch and a Xen trace may
 * have either, so a record that confirms what is already known is a no-op.
 * The idle domain gets no slices. Intervals still open at the end of the
 * trace end there. Interrupts and ARINC653 windows are instant events.
 *
 * Chrome wants "ts" and "dur" in microseconds; decimals keep the ns.
 */
#include <errno.h>
#include <stdlib.h>

#include <hv/types.h>

#include "tracing/export.h"
#include "tracing/trace_events.h"

#define NOBODY UINT32_MAX

struct pcpu_track {
	uint32_t dv; /* vCPU running, NOBODY for idle or unknown */
	uint64_t since_ns;
};

static void perfetto_us(FILE *out, const char *key, uint64_t ns)
{
	fprintf(out, ",\"%s\":%llu.%03llu", key,
		(unsigned long long)(ns / 1000),
		(unsigned long long)(ns % 1000));
}

/* Every event but the first of the array starts with ",\n". */
static void perfetto_open(struct trace_export *x, const char *ph,
			  unsigned int cpu)
{
	fprintf(x->out, ",\n{\"ph\":\"%s\",\"pid\":0,\"tid\":%u", ph, cpu);
}

static int perfetto_begin(struct trace_export *x)
{
	struct pcpu_track *t = calloc(x->nr_cpus + 1, sizeof(*t));

	if (!t)
		return -ENOMEM;
	for (unsigned int cpu = 0; cpu <= x->nr_cpus; cpu++)
		t[cpu].dv = NOBODY;
	x->priv = t;
	fputs("{\"traceEvents\":[\n{\"ph\":\"M\",\"pid\":0,\"name\":"
	      "\"process_name\",\"args\":{\"name\":\"hvlab pCPUs\"}}",
	      x->out);
	for (unsigned int cpu = 0; cpu < x->nr_cpus; cpu++) {
		if (!x->cpu_has_records[cpu])
			continue;
		perfetto_open(x, "M", cpu);
		fprintf(x->out,
			",\"name\":\"thread_name\",\"args\":{\"name\":"
			"\"pCPU %u\"}}",
			cpu);
		perfetto_open(x, "M", cpu);
		fprintf(x->out,
			",\"name\":\"thread_sort_index\",\"args\":{"
			"\"sort_index\":%u}}",
			cpu);
	}
	return 0;
}

static void perfetto_slice(struct trace_export *x, unsigned int cpu,
			   const struct pcpu_track *t, uint64_t end_ns)
{
	char name[64];

	if (end_ns <= t->since_ns)
		return; /* nothing ran */
	perfetto_open(x, "X", cpu);
	perfetto_us(x->out, "ts", t->since_ns);
	perfetto_us(x->out, "dur", end_ns - t->since_ns);
	fputs(",\"name\":", x->out);
	trace_export_json_string(
	    x->out, trace_export_vcpu_name(x, t->dv, name, sizeof(name)));
	fprintf(x->out, ",\"cat\":\"vcpu\",\"args\":{\"dom\":%u,\"vcpu\":%u}}",
		(unsigned int)(t->dv >> 16), (unsigned int)(t->dv & 0xffff));
}

/* @cpu runs @dv (NOBODY: idle) from @now on. */
static void perfetto_switch(struct trace_export *x, unsigned int cpu,
			    uint32_t dv, uint64_t now)
{
	struct pcpu_track *t = (struct pcpu_track *)x->priv + cpu;

	if (t->dv == dv)
		return;
	if (t->dv != NOBODY)
		perfetto_slice(x, cpu, t, now);
	t->dv = dv;
	t->since_ns = now;
}

static uint32_t dv_or_nobody(uint32_t dom, uint32_t vcpu)
{
	if (dom == HV_DOMID_IDLE || dom > 0xffff || vcpu > 0xffff)
		return NOBODY;
	return trace_dv(dom, vcpu);
}

static void perfetto_instant(struct trace_export *x,
			     const struct trace_export_rec *r, const char *what,
			     const char *cat)
{
	const uint32_t *d = r->rec->data;
	const char *irq;
	char name[96], vcpu[64];

	if (r->desc->id == TRC_HVLAB_A653_WINDOW) {
		snprintf(name, sizeof(name), "a653 window %u %s",
			 (unsigned int)d[1],
			 trace_export_vcpu_name(x, d[2], vcpu, sizeof(vcpu)));
	} else if ((irq = trace_names_irq(x->names, d[0]))) {
		snprintf(name, sizeof(name), "irq %s %s", what, irq);
	} else {
		snprintf(name, sizeof(name), "irq %s d%ui%u", what,
			 (unsigned int)(d[0] >> 16),
			 (unsigned int)(d[0] & 0xffff));
	}
	perfetto_open(x, "i", r->rec->cpu);
	fputs(",\"s\":\"t\"", x->out);
	perfetto_us(x->out, "ts", r->time_ns);
	fputs(",\"name\":", x->out);
	trace_export_json_string(x->out, name);
	fprintf(x->out, ",\"cat\":\"%s\",\"args\":", cat);
	trace_export_json_fields(x->out, r);
	fputc('}', x->out);
}

static int perfetto_record(struct trace_export *x,
			   const struct trace_export_rec *r)
{
	const struct trace_event_desc *desc = r->desc;
	const struct trace_rec *rec = r->rec;
	const uint32_t *d = rec->data;

	/* Short records lack the words read below: skip them. */
	if (!desc || rec->n < desc->nr_words || rec->cpu >= x->nr_cpus)
		return 0;
	if (desc->runstate_old >= 0) {
		uint32_t dv = dv_or_nobody(d[0] >> 16, d[0] & 0xffff);
		struct pcpu_track *t = (struct pcpu_track *)x->priv + rec->cpu;

		if (dv == NOBODY)
			return 0;
		if (desc->runstate_new == TRACE_RUNSTATE_RUNNING)
			perfetto_switch(x, rec->cpu, dv, r->time_ns);
		else if (desc->runstate_old == TRACE_RUNSTATE_RUNNING &&
			 t->dv == dv)
			perfetto_switch(x, rec->cpu, NOBODY, r->time_ns);
		return 0;
	}
	switch (desc->id) {
	case TRC_SWITCH:
		perfetto_switch(x, rec->cpu, dv_or_nobody(d[2], d[3]),
				r->time_ns);
		break;
	case TRC_HVLAB_IRQ_RAISE: perfetto_instant(x, r, "raise", "irq"); break;
	case TRC_HVLAB_GUEST_IRQ_ENTRY:
		perfetto_instant(x, r, "entry", "irq");
		break;
	case TRC_HVLAB_GUEST_IRQ_EXIT:
		perfetto_instant(x, r, "exit", "irq");
		break;
	case TRC_HVLAB_A653_WINDOW:
		perfetto_instant(x, r, "window", "a653");
		break;
	default: break;
	}
	return 0;
}

static int perfetto_end(struct trace_export *x)
{
	for (unsigned int cpu = 0; cpu < x->nr_cpus; cpu++)
		perfetto_switch(x, cpu, NOBODY, x->end_ns);
	fputs("\n],\"displayTimeUnit\":\"ns\"}\n", x->out);
	return 0;
}

static void perfetto_release(struct trace_export *x)
{
	free(x->priv);
	x->priv = NULL;
}

const struct trace_export_ops trace_export_perfetto = {
    .name = "perfetto",
    .begin = perfetto_begin,
    .record = perfetto_record,
    .end = perfetto_end,
    .release = perfetto_release,
};
