/*
 * From a scenario to the QEMU machine and the hypervisor's device tree
 * (see qemu_dt.h). The /hvlab node carries what the sim's builder
 * (hv-core/arch/sim/build.c) takes from the scenario, with the same
 * meaning: pools with their scheduler parameters and ARINC653 tables,
 * domains with pinning, credit2 and RTDS parameters, plus what only real
 * hardware needs: where each guest's RAM is and how its vCPU traps.
 * docs/arm64.md, "Device tree binding", lists every property;
 * hv-core/arch/arm64/config.c reads them back, and the unit test checks
 * the round trip.
 *
 * libfdt edits the tree in place in a buffer with room to spare; when
 * the room runs out (-FDT_ERR_NOSPACE) the whole node is built again in
 * a buffer twice as large, so no size has to be guessed right.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include <hv/guest_abi.h>

#include "qemu/qemu_dt.h"
#include "scenario/scenario.h"

#define SZ_1M (UINT64_C(1) << 20)
#define SZ_2M (UINT64_C(2) << 20)
/* Largest buffer tried while building: far above QEMU_DTB_MAX. */
#define BUILD_MAX (64u << 20)

_Static_assert(CFG_MAX_PCPUS <= 64, "pCPU masks are 64-bit cells");

/* ---- Layout ------------------------------------------------------------ */

/* What struct hv_config can hold; false after reporting each problem. */
static bool check_limits(const struct scenario *s, FILE *err)
{
	bool ok = true;

	if (s->machine.pcpus > CFG_MAX_PCPUS) {
		fprintf(err,
			"%s: machine.pcpus is %u; the qemu backend runs at "
			"most %d pCPUs\n",
			s->path, s->machine.pcpus, CFG_MAX_PCPUS);
		ok = false;
	}
	if (s->nr_pools > CFG_MAX_POOLS) {
		fprintf(err,
			"%s: %u cpupools; the qemu backend takes at most %d\n",
			s->path, s->nr_pools, CFG_MAX_POOLS);
		ok = false;
	}
	if (s->nr_domains > CFG_MAX_DOMAINS) {
		fprintf(err,
			"%s: %u domains; the qemu backend takes at most %d\n",
			s->path, s->nr_domains, CFG_MAX_DOMAINS);
		return false;
	}
	for (unsigned int i = 0; i < s->nr_domains; i++) {
		const struct scn_domain *d = &s->domains[i];

		if (d->guest.image == SCN_GUEST_NONE) {
			fprintf(
			    err,
			    "%s:%d: domain '%s' has no guest; the qemu "
			    "backend runs a guest image in every domain "
			    "(guest: {image: irqlat, hog, tasks or probe})\n",
			    s->path, d->line, d->name);
			ok = false;
		} else if (d->nr_vcpus > CFG_MAX_VCPUS) {
			fprintf(err,
				"%s:%d: domain '%s' has %u vCPUs; the qemu "
				"backend takes at most %d\n",
				s->path, d->line, d->name, d->nr_vcpus,
				CFG_MAX_VCPUS);
			ok = false;
		}
	}
	return ok;
}

int qemu_layout(const struct scenario *s, struct qemu_layout *out, FILE *err)
{
	const struct scn_qemu *q = &s->machine.qemu;
	/* Guests go where the hypervisor's EL2 map reaches: the first
	 * 4 GiB (hv-core/arch/arm64/mmu.c), however much RAM QEMU has. */
	uint64_t ram_end = QEMU_RAM_BASE + q->memory < QEMU_EL2_MAPPED
			       ? QEMU_RAM_BASE + q->memory
			       : QEMU_EL2_MAPPED;
	uint64_t base = QEMU_GUEST_BASE;

	err = err ? err : stderr;
	memset(out, 0, sizeof(*out));
	if (!check_limits(s, err))
		return -EINVAL;
	snprintf(out->cpu, sizeof(out->cpu), "%s", q->cpu);
	out->memory = q->memory;
	out->smp = s->machine.pcpus;
	out->timeout = q->timeout;
	out->trace_ring_bytes = q->trace_ring;
	out->trace_event_mask =
	    strcmp(q->trace, "guest") ? HV_TRACE_MASK_ALL : HV_TRACE_MASK_GUEST;
	out->nr_domains = s->nr_domains;
	for (unsigned int i = 0; i < s->nr_domains; i++) {
		const struct scn_domain *d = &s->domains[i];
		uint64_t mem = d->guest.memory;

		base = (base + SZ_2M - 1) & ~(SZ_2M - 1);
		out->mem_base[i] = base;
		out->mem_size[i] = mem;
		if (mem <= ram_end - base) {
			base += mem;
			continue;
		}
		/* Say how much RAM every guest needs, not just this one. */
		for (unsigned int j = i; j < s->nr_domains; j++)
			base = ((base + SZ_2M - 1) & ~(SZ_2M - 1)) +
			       s->domains[j].guest.memory;
		fprintf(err,
			"%s:%d: domain '%s': its guest RAM does not fit in "
			"machine.qemu.memory %" PRIu64
			"MiB below 4GiB; guests start at 0x%" PRIx64
			", so these need at least %" PRIu64 "MiB\n",
			s->path, d->guest.line, d->name, q->memory / SZ_1M,
			QEMU_GUEST_BASE,
			(base - QEMU_RAM_BASE + SZ_1M - 1) / SZ_1M);
		return -EINVAL;
	}
	return 0;
}

/* ---- The /hvlab node --------------------------------------------------- */

/* A node being written: the tree and where libfdt failed, if it did. */
struct dtw {
	void *fdt;
	int rc; /* first libfdt error, 0 when none */
};

static void set_u32(struct dtw *w, int node, const char *name, uint32_t v)
{
	if (!w->rc)
		w->rc = fdt_setprop_u32(w->fdt, node, name, v);
}

static void set_u64(struct dtw *w, int node, const char *name, uint64_t v)
{
	if (!w->rc)
		w->rc = fdt_setprop_u64(w->fdt, node, name, v);
}

static void set_str(struct dtw *w, int node, const char *name, const char *v)
{
	if (!w->rc)
		w->rc = fdt_setprop_string(w->fdt, node, name, v);
}

static void set_flag(struct dtw *w, int node, const char *name, bool v)
{
	if (!w->rc && v)
		w->rc = fdt_setprop_empty(w->fdt, node, name);
}

/* @n big-endian 32-bit cells. */
static void set_cells(struct dtw *w, int node, const char *name,
		      const fdt32_t *cells, unsigned int n)
{
	if (!w->rc)
		w->rc = fdt_setprop(w->fdt, node, name, cells,
				    (int)(n * sizeof(*cells)));
}

/* Store @v as two cells at @cells. */
static void put_u64(fdt32_t *cells, uint64_t v)
{
	cells[0] = cpu_to_fdt32((uint32_t)(v >> 32));
	cells[1] = cpu_to_fdt32((uint32_t)v);
}

/*
 * A child "@base@@index" of @parent with reg = <@index>, or -1 with
 * w->rc set. libfdt adds a subnode in front of its siblings, so callers
 * add children last to first.
 */
static int add_child(struct dtw *w, int parent, const char *base,
		     unsigned int index)
{
	char name[32];
	int node;

	if (w->rc)
		return -1;
	snprintf(name, sizeof(name), "%s@%u", base, index);
	node = fdt_add_subnode(w->fdt, parent, name);
	if (node < 0) {
		w->rc = node;
		return -1;
	}
	set_u32(w, node, "reg", index);
	return node;
}

/* Only CPUs below 64 exist here (check_limits()). */
static uint64_t mask64(const struct cpumask *m)
{
	return m->bits[0];
}

static void add_pool(struct dtw *w, int pools, const struct scenario *s,
		     unsigned int i)
{
	const struct scn_pool *p = &s->pools[i];
	int node = add_child(w, pools, "pool", i);
	fdt32_t win[4 * A653_MAX_WINDOWS];

	set_str(w, node, "label", p->name);
	set_str(w, node, "sched", p->sched);
	set_u64(w, node, "cpus", mask64(&p->cpus));
	if (!strcmp(p->sched, "credit2")) {
		/* As in the scenario and Xen: ratelimit 0 is off. */
		set_u64(w, node, "ratelimit-ns", (uint64_t)p->ratelimit);
		set_str(w, node, "runqueue", scn_c2_runqueue_name(p->runqueue));
		set_u32(w, node, "max-cpus-runqueue", p->max_cpus_runqueue);
	}
	if (strcmp(p->sched, "arinc653") || p->nr_a653 > A653_MAX_WINDOWS)
		return;
	set_u64(w, node, "major-frame-ns", (uint64_t)p->major_frame);
	for (unsigned int k = 0; k < p->nr_a653; k++) {
		const struct scn_a653_entry *e = &p->a653[k];

		win[4 * k] = cpu_to_fdt32(s->domains[e->domain].domid);
		win[4 * k + 1] = cpu_to_fdt32(e->vcpu);
		put_u64(&win[4 * k + 2], (uint64_t)e->runtime);
	}
	set_cells(w, node, "windows", win, 4 * p->nr_a653);
}

static void add_task(struct dtw *w, int dom, const struct scn_task *t,
		     unsigned int i)
{
	int node = add_child(w, dom, "task", i);

	set_str(w, node, "label", t->name);
	set_u32(w, node, "vcpu", t->vcpu);
	set_u64(w, node, "period-ns", (uint64_t)t->period);
	set_u64(w, node, "deadline-ns", (uint64_t)t->deadline);
	set_u32(w, node, "priority", (uint32_t)t->priority);
}

/* Per-vCPU arrays: pinning for every pool, RTDS servers in rtds pools. */
static void add_vcpus(struct dtw *w, int node, const struct scn_domain *d)
{
	fdt32_t a[2 * CFG_MAX_VCPUS], b[2 * CFG_MAX_VCPUS];
	unsigned int n = d->nr_vcpus;

	for (unsigned int v = 0; v < n; v++)
		put_u64(&a[2 * v], mask64(&d->hard_affinity[v]));
	set_cells(w, node, "affinity", a, 2 * n);
	if (!d->rtds)
		return;
	for (unsigned int v = 0; v < n; v++) {
		put_u64(&a[2 * v], (uint64_t)d->rtds[v].period);
		put_u64(&b[2 * v], (uint64_t)d->rtds[v].budget);
	}
	set_cells(w, node, "rtds-period-ns", a, 2 * n);
	set_cells(w, node, "rtds-budget-ns", b, 2 * n);
	for (unsigned int v = 0; v < n; v++)
		a[v] = cpu_to_fdt32(d->rtds[v].extratime);
	set_cells(w, node, "rtds-extratime", a, n);
}

static void add_domain(struct dtw *w, int domains, const struct scenario *s,
		       const struct qemu_layout *l, unsigned int i)
{
	const struct scn_domain *d = &s->domains[i];
	const struct scn_guest *g = &d->guest;
	int node = add_child(w, domains, "domain", i);

	set_str(w, node, "label", d->name);
	set_u32(w, node, "domid", d->domid);
	set_u32(w, node, "pool", d->pool);
	set_u32(w, node, "vcpus", d->nr_vcpus);
	add_vcpus(w, node, d);
	if (!strcmp(s->pools[d->pool].sched, "credit2")) {
		set_u32(w, node, "weight", d->weight);
		set_u32(w, node, "cap", d->cap);
	}
	set_u64(w, node, "mem-base", l->mem_base[i]);
	set_u64(w, node, "mem-size", l->mem_size[i]);
	set_flag(w, node, "wfi-native", g->wfi_native);
	set_flag(w, node, "direct-irq", g->direct_irq);
	set_flag(w, node, "must-finish", g->image != SCN_GUEST_HOG);
	if (g->image == SCN_GUEST_IRQLAT)
		set_str(w, node, "irq-name", "vtimer");
	if (g->image != SCN_GUEST_TASKS)
		return;
	/* task@N's reg is an index, as /hvlab's children's are. */
	set_u32(w, node, "#address-cells", 1);
	set_u32(w, node, "#size-cells", 0);
	for (unsigned int t = d->nr_tasks; t-- > 0;)
		add_task(w, node, &d->tasks[t], t);
}

/* A container of @base@N children (pools, domains), or -1 with w->rc. */
static int add_container(struct dtw *w, int parent, const char *name)
{
	int node;

	if (w->rc)
		return -1;
	node = fdt_add_subnode(w->fdt, parent, name);
	if (node < 0) {
		w->rc = node;
		return -1;
	}
	/* Its children's reg is an index. */
	set_u32(w, node, "#address-cells", 1);
	set_u32(w, node, "#size-cells", 0);
	return node;
}

static int add_hvlab(void *fdt, const struct scenario *s,
		     const struct qemu_layout *l)
{
	struct dtw w = {.fdt = fdt};
	int old = fdt_path_offset(fdt, "/hvlab");
	int hvlab, node;

	if (old >= 0 && (w.rc = fdt_del_node(fdt, old)))
		return w.rc;
	hvlab = fdt_add_subnode(fdt, 0, "hvlab");
	if (hvlab < 0)
		return hvlab;
	set_str(&w, hvlab, "compatible", HV_CONFIG_DT_COMPATIBLE);
	set_u32(&w, hvlab, "version", HV_CONFIG_DT_VERSION);
	set_u64(&w, hvlab, "scenario-hash", s->hash);
	set_u64(&w, hvlab, "duration-ns", (uint64_t)s->duration);
	set_u64(&w, hvlab, "trace-ring-bytes", l->trace_ring_bytes);
	set_u32(&w, hvlab, "trace-event-mask", l->trace_event_mask);
	/* Last to first: each new child goes in front (add_child()). */
	node = add_container(&w, hvlab, "domains");
	for (unsigned int i = s->nr_domains; i-- > 0;)
		add_domain(&w, node, s, l, i);
	node = add_container(&w, hvlab, "pools");
	for (unsigned int i = s->nr_pools; i-- > 0;)
		add_pool(&w, node, s, i);
	return w.rc;
}

/* The layout must be the scenario's: same domains, RAM 2 MiB aligned. */
static bool layout_matches(const struct scenario *s,
			   const struct qemu_layout *l, FILE *err)
{
	if (l->nr_domains != s->nr_domains) {
		fprintf(err, "%s: the layout has %u domains, the scenario %u\n",
			s->path, l->nr_domains, s->nr_domains);
		return false;
	}
	for (unsigned int i = 0; i < l->nr_domains; i++) {
		if (l->mem_base[i] % SZ_2M || !l->mem_size[i] ||
		    l->mem_size[i] % SZ_2M) {
			fprintf(err,
				"%s: domain '%s': guest RAM 0x%" PRIx64
				"+0x%" PRIx64 " is not in whole 2MiB blocks\n",
				s->path, s->domains[i].name, l->mem_base[i],
				l->mem_size[i]);
			return false;
		}
	}
	return true;
}

/*
 * QEMU's board dump carries fresh random seeds in /chosen for a guest
 * kernel's KASLR and RNG. The hypervisor uses neither; dropping them makes
 * machine.dtb, like the trace, the same bytes on every run.
 */
static int drop_random_seeds(void *fdt)
{
	static const char *const props[] = {"rng-seed", "kaslr-seed"};
	int chosen = fdt_path_offset(fdt, "/chosen");

	if (chosen == -FDT_ERR_NOTFOUND)
		return 0;
	if (chosen < 0)
		return chosen;
	for (size_t i = 0; i < sizeof(props) / sizeof(props[0]); i++) {
		int rc = fdt_delprop(fdt, chosen, props[i]);

		if (rc && rc != -FDT_ERR_NOTFOUND)
			return rc;
	}
	return 0;
}

int qemu_dt_build(const struct scenario *s, const struct qemu_layout *l,
		  const void *board_dtb, size_t board_len, void **out,
		  size_t *out_len, FILE *err)
{
	size_t size;
	void *buf = NULL;
	int rc;

	err = err ? err : stderr;
	*out = NULL;
	*out_len = 0;
	if (!check_limits(s, err) || !layout_matches(s, l, err))
		return -EINVAL;
	rc = board_len < sizeof(struct fdt_header)
		 ? -FDT_ERR_TRUNCATED
		 : fdt_check_header(board_dtb);
	if (!rc && fdt_totalsize(board_dtb) > board_len)
		rc = -FDT_ERR_TRUNCATED;
	if (rc) {
		fprintf(err, "board device tree: %s\n", fdt_strerror(rc));
		return -EINVAL;
	}
	for (size = fdt_totalsize(board_dtb) + 16384;; size *= 2) {
		void *grown = realloc(buf, size);

		if (!grown) {
			free(buf);
			return -ENOMEM;
		}
		buf = grown;
		rc = fdt_open_into(board_dtb, buf, (int)size);
		if (!rc)
			rc = drop_random_seeds(buf);
		if (!rc)
			rc = add_hvlab(buf, s, l);
		if (rc != -FDT_ERR_NOSPACE || size >= BUILD_MAX)
			break;
	}
	if (!rc)
		rc = fdt_pack(buf);
	if (rc) {
		fprintf(err, "%s: cannot build the device tree: %s\n", s->path,
			fdt_strerror(rc));
		free(buf);
		return -EINVAL;
	}
	if (fdt_totalsize(buf) > QEMU_DTB_MAX) {
		fprintf(
		    err,
		    "%s: the device tree is %u bytes, more than the %" PRIu64
		    " below the hypervisor at 0x%" PRIx64 "\n",
		    s->path, fdt_totalsize(buf), QEMU_DTB_MAX, QEMU_HV_BASE);
		free(buf);
		return -EINVAL;
	}
	*out_len = fdt_totalsize(buf);
	*out = buf;
	return 0;
}
