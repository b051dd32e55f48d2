/*
 * config_parse(): the hypervisor's configuration from the device tree
 * (config.h). docs/arm64.md, "Device tree binding", describes every node
 * and property read here; the runner writes them (qemu/qemu_dt.c).
 *
 * Design: two passes. The first reads every property into struct
 * hv_config, checking each one's presence, length and range on its own;
 * the second checks what relates several nodes (pinning inside pools,
 * pools disjoint, windows naming vCPUs of their pool, guest RAM inside
 * the board's RAM and not shared). The tree comes from outside the
 * hypervisor, so nothing in it is trusted: the first problem found is
 * reported, naming the node and the property, and config_parse() fails.
 *
 * Freestanding: no allocation; of stdio only vsnprintf() for messages,
 * which the hypervisor's lib/format.c provides.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "fdt.h"

#define SZ_2M (UINT64_C(2) << 20)
#define GICR_STRIDE_DEFAULT UINT64_C(0x20000)
#define GICR_FRAME UINT64_C(0x10000)
#define MAX_WEIGHT 65535u
#define MAX_DOMID 32766u /* below Xen's DOMID_IDLE (32767) */

struct cfg_ctx {
	struct dt dt;
	struct hv_config *cfg;
	char *err;
	size_t errlen;
	bool failed; /* keep the first message */
};

/* ---- Messages ---------------------------------------------------------- */

/*
 * Report "PATH: PROP: message" (no PROP: when @prop is NULL) for @node,
 * unless a message was already written. Returns -EINVAL.
 */
static int __attribute__((format(printf, 4, 5)))
cfg_fail(struct cfg_ctx *c, int node, const char *prop, const char *fmt, ...)
{
	char path[DT_PATH_MAX];
	size_t used;
	va_list ap;
	int n;

	if (c->failed || !c->err || !c->errlen)
		goto out;
	if (node < 0 || dt_node_path(&c->dt, node, path, sizeof(path)))
		memcpy(path, "device tree", sizeof("device tree"));
	n = snprintf(c->err, c->errlen, "%s: %s%s", path, prop ? prop : "",
		     prop ? ": " : "");
	used = n < 0 ? 0 : (size_t)n;
	if (used < c->errlen) {
		va_start(ap, fmt);
		vsnprintf(c->err + used, c->errlen - used, fmt, ap);
		va_end(ap);
	}
out:
	c->failed = true;
	return -EINVAL;
}

/* ---- Properties -------------------------------------------------------- */

/* 0: found; 1: absent and optional; -EINVAL: reported. */
static int get_prop(struct cfg_ctx *c, int node, const char *name,
		    struct dt_prop *p, bool required)
{
	int rc = dt_prop(&c->dt, node, name, p);

	if (!rc)
		return 0;
	if (rc == -ENOENT && !required)
		return 1;
	if (rc == -ENOENT)
		return cfg_fail(c, node, name, "missing; it is required");
	return cfg_fail(c, node, name, "malformed node");
}

static int get_sized(struct cfg_ctx *c, int node, const char *name,
		     struct dt_prop *p, uint32_t bytes, bool required,
		     const char *what)
{
	int rc = get_prop(c, node, name, p, required);

	if (rc)
		return rc;
	if (p->len != bytes)
		return cfg_fail(c, node, name, "expected %s (%u bytes), got %u",
				what, bytes, p->len);
	return 0;
}

static int read_u32(struct cfg_ctx *c, int node, const char *name, uint32_t *v,
		    bool required)
{
	struct dt_prop p;
	int rc = get_sized(c, node, name, &p, 4, required, "one cell");

	if (!rc)
		*v = dt_cell(&p, 0);
	return rc;
}

static int read_u64(struct cfg_ctx *c, int node, const char *name, uint64_t *v,
		    bool required)
{
	struct dt_prop p;
	int rc = get_sized(c, node, name, &p, 8, required,
			   "a 64-bit value in two cells");

	if (!rc)
		*v = dt_cells(&p, 0, 2);
	return rc;
}

/* A time in ns (u64, at most INT64_MAX); @positive: > 0. */
static int read_time(struct cfg_ctx *c, int node, const char *name,
		     hv_time_t *t, bool required, bool positive)
{
	uint64_t v;
	int rc = read_u64(c, node, name, &v, required);

	if (rc)
		return rc;
	if (v > INT64_MAX || (positive && !v))
		return cfg_fail(c, node, name,
				"expected a time in ns from %d to 2^63-1, got "
				"%llu",
				positive ? 1 : 0, (unsigned long long)v);
	*t = (hv_time_t)v;
	return 0;
}

/* A string of 1 to @size - 1 characters into @dst. */
static int read_string(struct cfg_ctx *c, int node, const char *name, char *dst,
		       size_t size, bool required)
{
	struct dt_prop p;
	int rc = get_prop(c, node, name, &p, required);

	if (rc)
		return rc;
	if (!dt_prop_is_string(&p) || p.len < 2 || p.len > size)
		return cfg_fail(c, node, name,
				"expected one string of 1 to %zu characters",
				size - 1);
	memcpy(dst, p.data, p.len);
	return 0;
}

/* A boolean: an empty property, present or not. */
static int read_flag(struct cfg_ctx *c, int node, const char *name, bool *v)
{
	struct dt_prop p;
	int rc = get_prop(c, node, name, &p, false);

	*v = false;
	if (rc)
		return rc < 0 ? rc : 0;
	if (p.len)
		return cfg_fail(c, node, name,
				"expected an empty property (a flag), got %u "
				"bytes",
				p.len);
	*v = true;
	return 0;
}

/* @n values of @cells cells each (1 or 2), exactly. */
static int read_array(struct cfg_ctx *c, int node, const char *name,
		      struct dt_prop *p, uint32_t n, uint32_t cells,
		      bool required)
{
	int rc = get_prop(c, node, name, p, required);

	if (rc)
		return rc;
	if (p->len != n * cells * 4)
		return cfg_fail(c, node, name,
				"expected %u value%s of %u cell%s (%u bytes), "
				"got %u bytes",
				n, n == 1 ? "" : "s", cells,
				cells == 1 ? "" : "s", n * cells * 4, p->len);
	return 0;
}

/* The reg entry @index of @node, in its parent's address and size cells. */
static int read_reg(struct cfg_ctx *c, int node, uint32_t index, uint64_t *addr,
		    uint64_t *size)
{
	uint32_t ac = 2, sc = 1, entry; /* DTSpec's defaults */
	int parent = dt_parent(&c->dt, node);
	struct dt_prop p;
	int rc;

	if (parent < 0)
		return cfg_fail(c, node, "reg", "the node has no parent");
	if (read_u32(c, parent, "#address-cells", &ac, false) < 0 ||
	    read_u32(c, parent, "#size-cells", &sc, false) < 0)
		return -EINVAL;
	if (ac < 1 || ac > 2)
		return cfg_fail(c, parent, "#address-cells",
				"expected 1 or 2, got %u", ac);
	if (sc > 2)
		return cfg_fail(c, parent, "#size-cells",
				"expected 0, 1 or 2, got %u", sc);
	rc = get_prop(c, node, "reg", &p, true);
	if (rc)
		return rc;
	entry = (ac + sc) * 4;
	if (p.len % entry || p.len / entry <= index)
		return cfg_fail(c, node, "reg",
				"expected at least %u entr%s of %u+%u cells, "
				"got %u bytes",
				index + 1, index ? "ies" : "y", ac, sc, p.len);
	*addr = dt_cells(&p, index * (ac + sc), ac);
	*size = sc ? dt_cells(&p, index * (ac + sc) + ac, sc) : 0;
	return 0;
}

/* After a loop over children ends with @rc: -ENOENT is the normal end. */
static int walk_end(struct cfg_ctx *c, int parent, int rc)
{
	return rc == -ENOENT ? 0
			     : cfg_fail(c, parent, NULL, "malformed subnodes");
}

/* "cpu@3" is a @base ("cpu") node. */
static bool node_is(const struct dt *dt, int node, const char *base)
{
	const char *name = dt_name(dt, node);
	size_t n = strlen(base);

	return !strncmp(name, base, n) && (!name[n] || name[n] == '@');
}

/* ---- The board --------------------------------------------------------- */

static bool has_device_type(const struct dt *dt, int node, const char *type)
{
	struct dt_prop p;

	return !dt_prop(dt, node, "device_type", &p) && dt_prop_is_string(&p) &&
	       !strcmp((const char *)p.data, type);
}

/* pCPU n is the n-th cpu node in the tree, as Linux numbers them. */
static int parse_cpus(struct cfg_ctx *c)
{
	struct hv_config *cfg = c->cfg;
	int cpus = dt_path(&c->dt, "/cpus");
	uint32_t ac = 2;
	int node;

	if (cpus < 0)
		return cfg_fail(c, c->dt.root, NULL,
				"no /cpus node; expected one with a cpu@N "
				"node per pCPU");
	if (read_u32(c, cpus, "#address-cells", &ac, false) < 0)
		return -EINVAL;
	if (ac < 1 || ac > 2)
		return cfg_fail(c, cpus, "#address-cells",
				"expected 1 or 2, got %u", ac);
	for (node = dt_first_child(&c->dt, cpus); node >= 0;
	     node = dt_next_sibling(&c->dt, node)) {
		struct dt_prop reg;
		uint64_t mpidr;

		if (!has_device_type(&c->dt, node, "cpu"))
			continue; /* cpu-map and the like */
		if (cfg->nr_pcpus == CFG_MAX_PCPUS)
			return cfg_fail(c, cpus, NULL,
					"more than %u cpu nodes; the "
					"hypervisor runs at most %u pCPUs",
					CFG_MAX_PCPUS, CFG_MAX_PCPUS);
		if (read_array(c, node, "reg", &reg, 1, ac, true))
			return -EINVAL;
		mpidr = dt_cells(&reg, 0, ac);
		for (unsigned int i = 0; i < cfg->nr_pcpus; i++)
			if (cfg->mpidr[i] == mpidr)
				return cfg_fail(c, node, "reg",
						"MPIDR 0x%llx is also pCPU "
						"%u's",
						(unsigned long long)mpidr, i);
		cfg->mpidr[cfg->nr_pcpus++] = mpidr;
	}
	if (walk_end(c, cpus, node))
		return -EINVAL;
	if (!cfg->nr_pcpus)
		return cfg_fail(c, cpus, NULL,
				"no cpu node (device_type \"cpu\")");
	return 0;
}

static int parse_gic(struct cfg_ctx *c)
{
	struct hv_config *cfg = c->cfg;
	int gic = dt_find_compatible(&c->dt, -1, "arm,gic-v3");
	uint64_t gicd_size, gicr_size;

	if (gic < 0)
		return cfg_fail(c, c->dt.root, NULL,
				"no enabled node compatible with "
				"\"arm,gic-v3\"; the hypervisor needs a "
				"GICv3 (QEMU: -machine virt,gic-version=3)");
	if (read_reg(c, gic, 0, &cfg->gicd_base, &gicd_size) ||
	    read_reg(c, gic, 1, &cfg->gicr_base, &gicr_size))
		return -EINVAL;
	cfg->gicr_stride = GICR_STRIDE_DEFAULT;
	if (read_u64(c, gic, "redistributor-stride", &cfg->gicr_stride, false) <
	    0)
		return -EINVAL;
	if (!cfg->gicr_stride || cfg->gicr_stride % GICR_FRAME)
		return cfg_fail(c, gic, "redistributor-stride",
				"expected a non-zero multiple of 64KiB, got "
				"0x%llx",
				(unsigned long long)cfg->gicr_stride);
	if (gicd_size < GICR_FRAME)
		return cfg_fail(c, gic, "reg",
				"the distributor (entry 0) is 0x%llx bytes; "
				"expected at least 64KiB",
				(unsigned long long)gicd_size);
	if (gicr_size / cfg->gicr_stride < cfg->nr_pcpus)
		return cfg_fail(c, gic, "reg",
				"the redistributors (entry 1) are 0x%llx "
				"bytes: too few for %u pCPUs of 0x%llx",
				(unsigned long long)gicr_size, cfg->nr_pcpus,
				(unsigned long long)cfg->gicr_stride);
	return 0;
}

static int parse_uart(struct cfg_ctx *c)
{
	int uart = dt_find_compatible(&c->dt, -1, "arm,pl011");
	uint64_t size;

	if (uart < 0)
		return cfg_fail(c, c->dt.root, NULL,
				"no enabled node compatible with "
				"\"arm,pl011\"; the hypervisor's console is "
				"a PL011");
	return read_reg(c, uart, 0, &c->cfg->uart_base, &size);
}

static int parse_psci(struct cfg_ctx *c)
{
	static const char *const compats[] = {"arm,psci-1.0", "arm,psci-0.2",
					      "arm,psci"};
	int psci = dt_path(&c->dt, "/psci");
	struct dt_prop p;

	for (unsigned int i = 0; psci < 0 && i < 3; i++)
		psci = dt_find_compatible(&c->dt, -1, compats[i]);
	if (psci < 0)
		return cfg_fail(c, c->dt.root, NULL,
				"no /psci node; expected one with method "
				"\"hvc\" or \"smc\"");
	if (get_prop(c, psci, "method", &p, true))
		return -EINVAL;
	if (dt_prop_is_string(&p) && !strcmp((const char *)p.data, "hvc"))
		c->cfg->psci_hvc = true;
	else if (!dt_prop_is_string(&p) || strcmp((const char *)p.data, "smc"))
		return cfg_fail(c, psci, "method",
				"expected \"hvc\" or \"smc\"");
	return 0;
}

static int parse_memory(struct cfg_ctx *c)
{
	int node;

	for (node = dt_first_child(&c->dt, c->dt.root); node >= 0;
	     node = dt_next_sibling(&c->dt, node)) {
		if (!has_device_type(&c->dt, node, "memory"))
			continue;
		if (read_reg(c, node, 0, &c->cfg->ram_base, &c->cfg->ram_size))
			return -EINVAL;
		if (!c->cfg->ram_size ||
		    c->cfg->ram_base + c->cfg->ram_size < c->cfg->ram_base)
			return cfg_fail(c, node, "reg",
					"expected a non-empty range that does "
					"not wrap");
		return 0;
	}
	if (walk_end(c, c->dt.root, node))
		return -EINVAL;
	return cfg_fail(c, c->dt.root, NULL,
			"no memory node (device_type \"memory\")");
}

/* ---- /hvlab: pools ----------------------------------------------------- */

/* Index @expected's "reg", which must be exactly that. */
static int read_index(struct cfg_ctx *c, int node, unsigned int expected)
{
	uint32_t reg;

	if (read_u32(c, node, "reg", &reg, true))
		return -EINVAL;
	if (reg != expected)
		return cfg_fail(c, node, "reg",
				"expected %u (nodes of a kind are numbered "
				"from 0 in order), got %u",
				expected, reg);
	return 0;
}

static int parse_runqueue(struct cfg_ctx *c, int node,
			  struct sched_pool_params *pp)
{
	/* In the order of enum credit2_runqueue. */
	static const char *const names[] = {"cpu", "core", "socket", "node",
					    "all"};
	char rq[16];
	int rc = read_string(c, node, "runqueue", rq, sizeof(rq), false);

	if (rc)
		return rc < 0 ? rc : 0;
	for (unsigned int i = 0; i < 5; i++) {
		if (!strcmp(rq, names[i])) {
			pp->runqueue = (enum credit2_runqueue)i;
			pp->runqueue_set = true;
			return 0;
		}
	}
	return cfg_fail(c, node, "runqueue",
			"expected cpu, core, socket, node or all, got \"%s\"",
			rq);
}

static int parse_credit2(struct cfg_ctx *c, int node, struct cfg_pool *pool)
{
	struct sched_pool_params *pp = &pool->params;
	hv_time_t ratelimit = 0;
	uint32_t max_cpus = 0;
	int rc = read_time(c, node, "ratelimit-ns", &ratelimit, false, false);

	if (rc < 0)
		return rc;
	/* The binding's 0 is Xen's "off"; the core's is "default". */
	if (!rc)
		pp->ratelimit = ratelimit ? ratelimit : -1;
	if (parse_runqueue(c, node, pp))
		return -EINVAL;
	rc = read_u32(c, node, "max-cpus-runqueue", &max_cpus, false);
	if (rc < 0)
		return rc;
	if (!rc && !max_cpus)
		return cfg_fail(c, node, "max-cpus-runqueue",
				"expected at least 1, got 0");
	pp->max_cpus_runqueue = max_cpus;
	return 0;
}

static int parse_a653(struct cfg_ctx *c, int node, struct cfg_pool *pool)
{
	struct a653_schedule *a = &pool->a653;
	bool a653 = !strcmp(pool->sched, "arinc653");
	struct dt_prop p;
	uint32_t n;
	int rc;

	rc = read_time(c, node, "major-frame-ns", &a->major_frame, a653, true);
	if (rc)
		return rc < 0 ? rc : 0;
	rc = get_prop(c, node, "windows", &p, a653);
	if (rc)
		return rc < 0 ? rc : 0;
	n = p.len / 16;
	if (!n || n > A653_MAX_WINDOWS || p.len % 16)
		return cfg_fail(c, node, "windows",
				"expected 1 to %u windows of 4 cells <domid "
				"vcpu runtime-ns(2)>, got %u bytes",
				A653_MAX_WINDOWS, p.len);
	a->nr_windows = n;
	for (uint32_t i = 0; i < n; i++) {
		uint64_t runtime = dt_cells(&p, i * 4 + 2, 2);

		a->windows[i].domid = dt_cell(&p, i * 4);
		a->windows[i].vcpu_id = dt_cell(&p, i * 4 + 1);
		if (!runtime || runtime > INT64_MAX)
			return cfg_fail(c, node, "windows",
					"window %u: runtime %llu ns; expected "
					"1 to 2^63-1",
					i, (unsigned long long)runtime);
		a->windows[i].runtime = (hv_time_t)runtime;
	}
	return 0;
}

static int parse_pool(struct cfg_ctx *c, int node)
{
	struct hv_config *cfg = c->cfg;
	struct cfg_pool *pool;

	if (cfg->nr_pools == CFG_MAX_POOLS)
		return cfg_fail(c, node, NULL, "more than %u pools",
				CFG_MAX_POOLS);
	pool = &cfg->pools[cfg->nr_pools];
	if (read_index(c, node, cfg->nr_pools) ||
	    read_string(c, node, "label", pool->name, sizeof(pool->name),
			true) ||
	    read_string(c, node, "sched", pool->sched, sizeof(pool->sched),
			true) ||
	    read_u64(c, node, "cpus", &pool->cpus, true) ||
	    parse_credit2(c, node, pool) || parse_a653(c, node, pool))
		return -EINVAL;
	cfg->nr_pools++;
	return 0;
}

/* ---- /hvlab: domains --------------------------------------------------- */

static int parse_task(struct cfg_ctx *c, int node, struct cfg_domain *d)
{
	struct cfg_task *t;
	uint32_t prio;

	if (d->nr_tasks == CFG_MAX_TASKS)
		return cfg_fail(c, node, NULL, "more than %u tasks in a domain",
				CFG_MAX_TASKS);
	t = &d->tasks[d->nr_tasks];
	if (read_index(c, node, d->nr_tasks) ||
	    read_string(c, node, "label", t->name, sizeof(t->name), true) ||
	    read_u32(c, node, "vcpu", &t->vcpu, true) ||
	    read_time(c, node, "period-ns", &t->period, true, true) ||
	    read_time(c, node, "deadline-ns", &t->deadline, true, true) ||
	    read_u32(c, node, "priority", &prio, true))
		return -EINVAL;
	if (t->vcpu >= d->nr_vcpus)
		return cfg_fail(c, node, "vcpu",
				"vcpu %u does not exist; the domain has %u",
				t->vcpu, d->nr_vcpus);
	t->priority = (int32_t)prio; /* two's complement */
	d->nr_tasks++;
	return 0;
}

/* Per-vCPU RTDS servers; an absent array leaves the defaults. */
static int parse_rtds(struct cfg_ctx *c, int node, struct cfg_domain *d)
{
	struct dt_prop per, bud, ext;
	int no_per, no_bud, no_ext; /* 1: absent */

	no_per =
	    read_array(c, node, "rtds-period-ns", &per, d->nr_vcpus, 2, false);
	no_bud =
	    read_array(c, node, "rtds-budget-ns", &bud, d->nr_vcpus, 2, false);
	no_ext =
	    read_array(c, node, "rtds-extratime", &ext, d->nr_vcpus, 1, false);
	if (no_per < 0 || no_bud < 0 || no_ext < 0)
		return -EINVAL;
	for (unsigned int v = 0; v < d->nr_vcpus; v++) {
		struct cfg_vcpu *cv = &d->vcpus[v];
		uint64_t p = no_per ? 0 : dt_cells(&per, v * 2, 2);
		uint64_t b = no_bud ? 0 : dt_cells(&bud, v * 2, 2);
		uint32_t e = no_ext ? 0 : dt_cell(&ext, v);

		if (p > INT64_MAX || b > INT64_MAX || (p && b > p))
			return cfg_fail(c, node, "rtds-budget-ns",
					"vcpu %u: budget %llu ns with period "
					"%llu ns; expected budget <= period",
					v, (unsigned long long)b,
					(unsigned long long)p);
		if (e > 1)
			return cfg_fail(c, node, "rtds-extratime",
					"vcpu %u: expected 0 or 1, got %u", v,
					e);
		cv->rt_period = (hv_time_t)p;
		cv->rt_budget = (hv_time_t)b;
		cv->rt_extratime = no_ext ? -1 : (int)e;
	}
	return 0;
}

static int parse_domain_vcpus(struct cfg_ctx *c, int node, struct cfg_domain *d)
{
	uint32_t weight = 0, cap = 0;
	struct dt_prop aff;

	if (read_u32(c, node, "vcpus", &d->nr_vcpus, true))
		return -EINVAL;
	if (!d->nr_vcpus || d->nr_vcpus > CFG_MAX_VCPUS)
		return cfg_fail(c, node, "vcpus", "expected 1 to %u, got %u",
				CFG_MAX_VCPUS, d->nr_vcpus);
	if (read_array(c, node, "affinity", &aff, d->nr_vcpus, 2, true))
		return -EINVAL;
	for (unsigned int v = 0; v < d->nr_vcpus; v++)
		d->vcpus[v].affinity = dt_cells(&aff, v * 2, 2);
	if (read_u32(c, node, "weight", &weight, false) < 0 ||
	    read_u32(c, node, "cap", &cap, false) < 0)
		return -EINVAL;
	if (weight > MAX_WEIGHT)
		return cfg_fail(c, node, "weight", "expected 0 to %u, got %u",
				MAX_WEIGHT, weight);
	if (cap > 100 * d->nr_vcpus)
		return cfg_fail(c, node, "cap",
				"expected 0 to %u (100 per vCPU), got %u",
				100 * d->nr_vcpus, cap);
	d->weight = weight;
	d->cap = cap;
	return parse_rtds(c, node, d);
}

static int parse_domain_guest(struct cfg_ctx *c, int node, struct cfg_domain *d)
{
	if (read_u64(c, node, "mem-base", &d->mem_base, true) ||
	    read_u64(c, node, "mem-size", &d->mem_size, true) ||
	    read_flag(c, node, "wfi-native", &d->wfi_native) ||
	    read_flag(c, node, "direct-irq", &d->direct_irq) ||
	    read_flag(c, node, "must-finish", &d->must_finish) ||
	    read_string(c, node, "irq-name", d->irq_name, sizeof(d->irq_name),
			false) < 0)
		return -EINVAL;
	if (d->mem_base % SZ_2M)
		return cfg_fail(c, node, "mem-base",
				"0x%llx is not 2MiB aligned",
				(unsigned long long)d->mem_base);
	if (!d->mem_size || d->mem_size % SZ_2M ||
	    d->mem_base + d->mem_size < d->mem_base)
		return cfg_fail(c, node, "mem-size",
				"expected a non-zero multiple of 2MiB that "
				"does not wrap, got 0x%llx",
				(unsigned long long)d->mem_size);
	return 0;
}

static int parse_domain(struct cfg_ctx *c, int node)
{
	struct hv_config *cfg = c->cfg;
	struct cfg_domain *d;
	int child;

	if (cfg->nr_domains == CFG_MAX_DOMAINS)
		return cfg_fail(c, node, NULL, "more than %u domains",
				CFG_MAX_DOMAINS);
	d = &cfg->domains[cfg->nr_domains];
	if (read_index(c, node, cfg->nr_domains) ||
	    read_string(c, node, "label", d->name, sizeof(d->name), true) ||
	    read_u32(c, node, "domid", &d->domid, true) ||
	    read_u32(c, node, "pool", &d->pool, true) ||
	    parse_domain_vcpus(c, node, d) || parse_domain_guest(c, node, d))
		return -EINVAL;
	if (!d->domid || d->domid > MAX_DOMID)
		return cfg_fail(c, node, "domid", "expected 1 to %u, got %u",
				MAX_DOMID, d->domid);
	for (child = dt_first_child(&c->dt, node); child >= 0;
	     child = dt_next_sibling(&c->dt, child)) {
		if (!node_is(&c->dt, child, "task"))
			return cfg_fail(c, child, NULL,
					"unexpected node; expected only "
					"task@N nodes here");
		if (parse_task(c, child, d))
			return -EINVAL;
	}
	if (walk_end(c, node, child))
		return -EINVAL;
	cfg->nr_domains++;
	return 0;
}

/* ---- /hvlab: what spans nodes ------------------------------------------ */

/* Child @i of container @parent, for messages; @parent if absent. */
static int nth_node(struct cfg_ctx *c, int parent, unsigned int i)
{
	int node;

	for (node = dt_first_child(&c->dt, parent); node >= 0;
	     node = dt_next_sibling(&c->dt, node))
		if (!i--)
			return node;
	return parent;
}

static int check_pools(struct cfg_ctx *c, int pools)
{
	const struct hv_config *cfg = c->cfg;
	uint64_t all = cfg->nr_pcpus >= 64 ? ~UINT64_C(0)
					   : (UINT64_C(1) << cfg->nr_pcpus) - 1;
	uint64_t used = 0;

	if (!cfg->nr_pools)
		return cfg_fail(c, pools, NULL, "no pool@N node");
	for (unsigned int i = 0; i < cfg->nr_pools; i++) {
		const struct cfg_pool *p = &cfg->pools[i];
		int node = nth_node(c, pools, i);

		if (!p->cpus || p->cpus & ~all)
			return cfg_fail(c, node, "cpus",
					"mask 0x%llx; expected a non-empty "
					"subset of the board's %u pCPUs",
					(unsigned long long)p->cpus,
					cfg->nr_pcpus);
		if (p->cpus & used)
			return cfg_fail(c, node, "cpus",
					"mask 0x%llx shares pCPUs with an "
					"earlier pool",
					(unsigned long long)p->cpus);
		used |= p->cpus;
	}
	return 0;
}

static const struct cfg_domain *domain_by_id(const struct hv_config *cfg,
					     unsigned int domid)
{
	for (unsigned int i = 0; i < cfg->nr_domains; i++)
		if (cfg->domains[i].domid == domid)
			return &cfg->domains[i];
	return NULL;
}

/* Xen's arinc653_sched_set() rules, against the domains of the pool. */
static int check_windows(struct cfg_ctx *c, int pools, unsigned int pool)
{
	const struct cfg_pool *p = &c->cfg->pools[pool];
	const struct a653_schedule *a = &p->a653;
	int node = nth_node(c, pools, pool);
	hv_time_t total = 0;

	for (unsigned int i = 0; i < a->nr_windows; i++) {
		const struct a653_window *w = &a->windows[i];
		const struct cfg_domain *d = domain_by_id(c->cfg, w->domid);

		if (!d || d->pool != pool || w->vcpu_id >= d->nr_vcpus)
			return cfg_fail(c, node, "windows",
					"window %u names domid %u vcpu %u, "
					"which is not a vCPU of this pool",
					i, w->domid, w->vcpu_id);
		if (__builtin_add_overflow(total, w->runtime, &total) ||
		    total > a->major_frame)
			return cfg_fail(c, node, "windows",
					"the windows are longer than "
					"major-frame-ns (%lld ns)",
					(long long)a->major_frame);
	}
	return 0;
}

/* direct-irq: a null pool, one vCPU, one pCPU nobody else may use. */
static int check_direct_irq(struct cfg_ctx *c, int node, unsigned int i)
{
	const struct hv_config *cfg = c->cfg;
	const struct cfg_domain *d = &cfg->domains[i];
	uint64_t cpu = d->vcpus[0].affinity;

	if (strcmp(cfg->pools[d->pool].sched, "null") || d->nr_vcpus != 1 ||
	    cpu & (cpu - 1))
		return cfg_fail(c, node, "direct-irq",
				"needs a null pool and one vCPU pinned to one "
				"pCPU");
	for (unsigned int j = 0; j < cfg->nr_domains; j++)
		for (unsigned int v = 0; j != i && v < cfg->domains[j].nr_vcpus;
		     v++)
			if (cfg->domains[j].vcpus[v].affinity & cpu)
				return cfg_fail(c, node, "direct-irq",
						"its pCPU is shared with "
						"domain %u",
						cfg->domains[j].domid);
	return 0;
}

static bool overlap(const struct cfg_domain *a, const struct cfg_domain *b)
{
	return a->mem_base < b->mem_base + b->mem_size &&
	       b->mem_base < a->mem_base + a->mem_size;
}

static int check_domain(struct cfg_ctx *c, int domains, unsigned int i)
{
	const struct hv_config *cfg = c->cfg;
	const struct cfg_domain *d = &cfg->domains[i];
	int node = nth_node(c, domains, i);
	uint64_t pool_cpus;

	if (d->pool >= cfg->nr_pools)
		return cfg_fail(c, node, "pool",
				"pool %u does not exist; there are %u", d->pool,
				cfg->nr_pools);
	pool_cpus = cfg->pools[d->pool].cpus;
	for (unsigned int v = 0; v < d->nr_vcpus; v++)
		if (!d->vcpus[v].affinity || d->vcpus[v].affinity & ~pool_cpus)
			return cfg_fail(
			    c, node, "affinity",
			    "vcpu %u: mask 0x%llx; expected a "
			    "non-empty subset of its pool's 0x%llx",
			    v, (unsigned long long)d->vcpus[v].affinity,
			    (unsigned long long)pool_cpus);
	if (d->mem_base < cfg->ram_base ||
	    d->mem_base + d->mem_size > cfg->ram_base + cfg->ram_size)
		return cfg_fail(c, node, "mem-base",
				"0x%llx+0x%llx is outside the board's RAM "
				"0x%llx+0x%llx",
				(unsigned long long)d->mem_base,
				(unsigned long long)d->mem_size,
				(unsigned long long)cfg->ram_base,
				(unsigned long long)cfg->ram_size);
	for (unsigned int j = 0; j < i; j++) {
		if (cfg->domains[j].domid == d->domid)
			return cfg_fail(c, node, "domid",
					"%u is also domain@%u's", d->domid, j);
		if (overlap(&cfg->domains[j], d))
			return cfg_fail(c, node, "mem-base",
					"guest RAM overlaps domain@%u's", j);
	}
	return d->direct_irq ? check_direct_irq(c, node, i) : 0;
}

/* ---- /hvlab ------------------------------------------------------------ */

static int parse_hvlab_props(struct cfg_ctx *c, int hvlab)
{
	struct hv_config *cfg = c->cfg;
	struct dt_prop p;
	uint32_t version;

	if (get_prop(c, hvlab, "compatible", &p, true))
		return -EINVAL;
	if (!dt_prop_has_string(&p, HV_CONFIG_DT_COMPATIBLE))
		return cfg_fail(c, hvlab, "compatible", "expected \"%s\"",
				HV_CONFIG_DT_COMPATIBLE);
	if (read_u32(c, hvlab, "version", &version, true))
		return -EINVAL;
	if (version != HV_CONFIG_DT_VERSION)
		return cfg_fail(c, hvlab, "version",
				"binding version %u; this hypervisor reads "
				"version %u",
				version, HV_CONFIG_DT_VERSION);
	return read_u64(c, hvlab, "scenario-hash", &cfg->scenario_hash, true) ||
	       read_time(c, hvlab, "duration-ns", &cfg->duration, true, true) ||
	       read_u64(c, hvlab, "trace-ring-bytes", &cfg->trace_ring_bytes,
			true) ||
	       read_u32(c, hvlab, "trace-event-mask", &cfg->trace_event_mask,
			false) < 0;
}

/* Every child of @parent is a @base@N node, parsed by @parse in order. */
static int parse_children(struct cfg_ctx *c, int parent, const char *base,
			  int (*parse)(struct cfg_ctx *c, int node))
{
	int node;

	for (node = dt_first_child(&c->dt, parent); node >= 0;
	     node = dt_next_sibling(&c->dt, node)) {
		if (!node_is(&c->dt, node, base))
			return cfg_fail(c, node, NULL,
					"unexpected node; expected only %s@N "
					"nodes here",
					base);
		if (parse(c, node))
			return -EINVAL;
	}
	return walk_end(c, parent, node);
}

/* The child @name of /hvlab, which must exist. */
static int container(struct cfg_ctx *c, int hvlab, const char *name)
{
	int node = dt_subnode(&c->dt, hvlab, name);

	if (node < 0)
		return cfg_fail(c, hvlab, NULL, "no %s node", name);
	return node;
}

static int parse_hvlab(struct cfg_ctx *c)
{
	struct hv_config *cfg = c->cfg;
	int hvlab = dt_path(&c->dt, "/hvlab");
	int pools, domains, node;

	if (hvlab < 0)
		return cfg_fail(c, c->dt.root, NULL,
				"no /hvlab node; the runner adds it "
				"(docs/arm64.md, \"Device tree binding\")");
	if (parse_hvlab_props(c, hvlab))
		return -EINVAL;
	for (node = dt_first_child(&c->dt, hvlab); node >= 0;
	     node = dt_next_sibling(&c->dt, node))
		if (strcmp(dt_name(&c->dt, node), "pools") &&
		    strcmp(dt_name(&c->dt, node), "domains"))
			return cfg_fail(c, node, NULL,
					"unexpected node; /hvlab holds pools "
					"and domains");
	if (walk_end(c, hvlab, node))
		return -EINVAL;
	pools = container(c, hvlab, "pools");
	domains = container(c, hvlab, "domains");
	if (pools < 0 || domains < 0 ||
	    parse_children(c, pools, "pool", parse_pool) ||
	    parse_children(c, domains, "domain", parse_domain) ||
	    check_pools(c, pools))
		return -EINVAL;
	if (!cfg->nr_domains)
		return cfg_fail(c, domains, NULL, "no domain@N node");
	for (unsigned int i = 0; i < cfg->nr_domains; i++)
		if (check_domain(c, domains, i))
			return -EINVAL;
	for (unsigned int i = 0; i < cfg->nr_pools; i++)
		if (check_windows(c, pools, i))
			return -EINVAL;
	return 0;
}

int config_parse(const void *fdt, size_t len, struct hv_config *cfg, char *err,
		 size_t errlen)
{
	struct cfg_ctx c = {.cfg = cfg, .err = err, .errlen = errlen};
	const char *why;
	uint32_t at;

	if (err && errlen)
		err[0] = '\0';
	memset(cfg, 0, sizeof(*cfg));
	cfg->trace_event_mask = HV_TRACE_MASK_ALL; /* when the tree is silent */
	if (dt_open(&c.dt, fdt, len, &why, &at))
		return cfg_fail(&c, -1, NULL, "%s (at byte %u)", why, at);
	if (parse_cpus(&c) || parse_gic(&c) || parse_uart(&c) ||
	    parse_psci(&c) || parse_memory(&c) || parse_hvlab(&c))
		return -EINVAL;
	return 0;
}
