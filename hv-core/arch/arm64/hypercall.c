/*
 * Hypercalls, in Xen's arm64 convention (guest_abi.h): console output
 * and version as Xen has them, so the same guest binary also boots as
 * dom0 on Xen, plus the hvlab set through which a guest puts its
 * measurements into the trace and says it has finished.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>

#include <hv/guest_abi.h>
#include <hv/sched.h>
#include <hv/trace.h>

#include "arm64.h"

#define CONSOLE_MAX 1024u /* bytes per console_io call */
#define REJECT_REPORTS 8u /* console lines per domain, then silence */

/*
 * A hypercall the hypervisor refuses: the guest gets @rc, and the console
 * says why (the first REJECT_REPORTS per domain: a guest looping on a bad
 * call must not flood the console or slow the machine).
 */
static long __attribute__((format(printf, 3, 4)))
reject(struct a64_vcpu *c, long rc, const char *fmt, ...)
{
	struct a64_domain *d = c->d;
	char msg[160];
	va_list ap;

	if (d->rejected++ >= REJECT_REPORTS)
		return rc;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	hv_printf("(hv) d%u vcpu %u: hypercall %lu refused (%ld): %s%s\n",
		  d->cfg->domid, c->v->vcpu_id, (unsigned long)c->regs.x[16],
		  rc, msg,
		  d->rejected == REJECT_REPORTS ? "; not reporting more" : "");
	return rc;
}

/* Guest RAM at @ipa for @len bytes, as a hypervisor pointer, or NULL. */
static const char *guest_ptr(struct a64_domain *d, uint64_t ipa, uint64_t len)
{
	uint64_t size = d->cfg->mem_size;

	if (ipa < GUEST_RAM_IPA || len > size ||
	    ipa - GUEST_RAM_IPA > size - len)
		return NULL;
	return (const char *)(uintptr_t)(d->cfg->mem_base + ipa -
					 GUEST_RAM_IPA);
}

/* Console output, one "(dN) " prefixed line at a time. */
static long console_write(struct a64_vcpu *c, uint64_t len, uint64_t ipa)
{
	struct a64_domain *d = c->d;
	const char *s;

	if (len > CONSOLE_MAX)
		len = CONSOLE_MAX;
	s = guest_ptr(d, ipa, len);
	if (!s)
		return reject(c, -EFAULT,
			      "console_io: buffer %#lx, %lu bytes: expected "
			      "inside the domain's RAM [%#lx, +%#lx)",
			      (unsigned long)ipa, (unsigned long)len,
			      (unsigned long)GUEST_RAM_IPA,
			      (unsigned long)d->cfg->mem_size);
	for (uint64_t i = 0; i < len; i++) {
		char ch = s[i];
		bool flush = ch == '\n' || d->line_len + 1 >= sizeof(d->line);

		if (ch != '\n' && ch != '\r')
			d->line[d->line_len++] = ch;
		if (flush) {
			d->line[d->line_len] = 0;
			hv_printf("(d%u) %s\n", d->cfg->domid, d->line);
			d->line_len = 0;
		}
	}
	return (long)len;
}

static long finish(struct a64_vcpu *c, uint64_t status)
{
	struct a64_domain *d = c->d;

	if (c->finished)
		return reject(c, -EINVAL, "FINISH: this vCPU already finished");
	c->finished = true;
	hv_printf("(hv) d%u vcpu %u finished, status %lu\n", d->cfg->domid,
		  c->v->vcpu_id, (unsigned long)status);
	hv_vcpu_sleep(hv.m, c->v);
	if (++d->finished_vcpus == d->dom->nr_vcpus && d->cfg->must_finish)
		domain_done();
	return 0;
}

static long bad_task(struct a64_vcpu *c, const char *op, uint64_t task)
{
	return reject(c, -EINVAL, "%s: task %lu, the domain has %u", op,
		      (unsigned long)task, c->d->cfg->nr_tasks);
}

static long hvlab_op(struct a64_vcpu *c, const uint64_t *x)
{
	struct machine *m = hv.m;
	unsigned int dom = c->d->cfg->domid;
	uint32_t dv = trace_dv(dom, c->v->vcpu_id);

	switch (x[0]) {
	case HVLAB_OP_IRQ_SAMPLE:
		if (x[1] > 0xffff)
			return reject(c, -EINVAL,
				      "IRQ_SAMPLE: irq index %lu, expected "
				      "at most 65535",
				      (unsigned long)x[1]);
		HV_TRACE(m, HVLAB_GUEST_IRQ_ENTRY, trace_dv(dom, x[1]), dv,
			 (uint32_t)x[2], (uint32_t)(x[2] >> 32));
		if (x[3])
			HV_TRACE(m, HVLAB_GUEST_IRQ_EXIT, trace_dv(dom, x[1]),
				 dv, (uint32_t)x[3], (uint32_t)(x[3] >> 32));
		return 0;
	case HVLAB_OP_TASK_RELEASE:
		if (x[1] >= c->d->cfg->nr_tasks)
			return bad_task(c, "TASK_RELEASE", x[1]);
		HV_TRACE(m, HVLAB_TASK_RELEASE, trace_dv(dom, x[1]),
			 (uint32_t)x[2]);
		return 0;
	case HVLAB_OP_TASK_COMPLETE:
		if (x[1] >= c->d->cfg->nr_tasks)
			return bad_task(c, "TASK_COMPLETE", x[1]);
		HV_TRACE(m, HVLAB_TASK_COMPLETE, trace_dv(dom, x[1]),
			 (uint32_t)x[2], (uint32_t)x[3], (uint32_t)(x[3] >> 32),
			 x[4] ? 1u : 0u);
		return 0;
	case HVLAB_OP_FINISH: return finish(c, x[1]);
	}
	return reject(c, -ENOSYS, "unknown hvlab operation %lu, expected 1..4",
		      (unsigned long)x[0]);
}

void do_hypercall(struct a64_vcpu *c)
{
	uint64_t *x = c->regs.x;
	long rc;

	switch (x[16]) {
	case HYPERVISOR_xen_version:
		rc = x[0] == XENVER_version ? 1l << 16 : -ENOSYS;
		break;
	case HYPERVISOR_console_io:
		rc = x[0] == CONSOLEIO_write
			 ? console_write(c, x[1], x[2])
			 : reject(c, -ENOSYS,
				  "console_io: only CONSOLEIO_write");
		break;
	case HYPERVISOR_hvlab: rc = hvlab_op(c, x); break;
	default:
		rc = reject(c, -ENOSYS,
			    "unknown hypercall; expected 17 (xen_version), "
			    "18 (console_io) or 48 (hvlab)");
	}
	x[0] = (uint64_t)rc;
}
