/*
 * Unit tests for the qemu backend's device tree, both sides: the layout
 * and the /hvlab node the runner writes (qemu/qemu_dt.c), read back by
 * the hypervisor's own reader (hv-core/arch/arm64/fdt.c and config.c,
 * compiled for the host). The board trees are made here with libfdt, as
 * QEMU virt lays them out (qemu-system-aarch64 -M virt,gic-version=3
 * -machine dumpdtb=...). Malformed trees must give -EINVAL and a message,
 * never a crash: "make test ASAN=1" runs all of this under ASan/UBSan.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include "hv-core/arch/arm64/config.h"
#include "hv-core/arch/arm64/fdt.h"
#include "qemu/qemu_dt.h"
#include "scenario/scenario.h"

#define MIB (UINT64_C(1) << 20)
#define GIB (UINT64_C(1) << 30)
#define OK(x) assert_int_equal((x), 0)

/* ---- Board trees ------------------------------------------------------- */

struct board {
	unsigned int cpus;
	uint64_t ram_size;
	const char *psci_method;
	bool disabled_uart_first; /* a disabled PL011 before the real one */
};

static void prop_cells(void *fdt, const char *name, unsigned int n, ...)
{
	fdt32_t cells[16];
	va_list ap;

	va_start(ap, n);
	for (unsigned int i = 0; i < n; i++)
		cells[i] = cpu_to_fdt32(va_arg(ap, uint32_t));
	va_end(ap);
	OK(fdt_property(fdt, name, cells, (int)(n * sizeof(fdt32_t))));
}

static void prop_strings(void *fdt, const char *name, const char *list,
			 size_t len)
{
	OK(fdt_property(fdt, name, list, (int)len));
}

static void board_cpus(void *fdt, unsigned int n)
{
	char name[16];

	OK(fdt_begin_node(fdt, "cpus"));
	OK(fdt_property_u32(fdt, "#size-cells", 0));
	OK(fdt_property_u32(fdt, "#address-cells", 1));
	/* QEMU's topology node: not a cpu, must be skipped. */
	OK(fdt_begin_node(fdt, "cpu-map"));
	OK(fdt_begin_node(fdt, "socket0"));
	OK(fdt_begin_node(fdt, "cluster0"));
	OK(fdt_begin_node(fdt, "core0"));
	OK(fdt_property_u32(fdt, "cpu", 0x8004));
	OK(fdt_end_node(fdt));
	OK(fdt_end_node(fdt));
	OK(fdt_end_node(fdt));
	OK(fdt_end_node(fdt));
	for (unsigned int i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "cpu@%u", i);
		OK(fdt_begin_node(fdt, name));
		OK(fdt_property_u32(fdt, "phandle", 0x8004 - i));
		OK(fdt_property_u32(fdt, "reg", i));
		OK(fdt_property_string(fdt, "enable-method", "psci"));
		OK(fdt_property_string(fdt, "compatible", "arm,cortex-a57"));
		OK(fdt_property_string(fdt, "device_type", "cpu"));
		OK(fdt_end_node(fdt));
	}
	OK(fdt_end_node(fdt));
}

static void board_uart(void *fdt, const char *name, uint32_t base,
		       bool disabled)
{
	static const char compat[] = "arm,pl011\0arm,primecell";

	OK(fdt_begin_node(fdt, name));
	OK(fdt_property_string(fdt, "clock-names", "uartclk"));
	prop_cells(fdt, "interrupts", 3, 0, 1, 4);
	prop_cells(fdt, "reg", 4, 0, base, 0, 0x1000);
	prop_strings(fdt, "compatible", compat, sizeof(compat));
	if (disabled)
		OK(fdt_property_string(fdt, "status", "disabled"));
	OK(fdt_end_node(fdt));
}

static void board_gic(void *fdt)
{
	OK(fdt_begin_node(fdt, "intc@8000000"));
	OK(fdt_property_u32(fdt, "phandle", 0x8005));
	prop_cells(fdt, "reg", 8, 0, 0x08000000, 0, 0x10000, 0, 0x080a0000, 0,
		   0xf60000);
	OK(fdt_property_u32(fdt, "#redistributor-regions", 1));
	OK(fdt_property_string(fdt, "compatible", "arm,gic-v3"));
	OK(fdt_property(fdt, "ranges", NULL, 0));
	OK(fdt_property_u32(fdt, "#size-cells", 2));
	OK(fdt_property_u32(fdt, "#address-cells", 2));
	OK(fdt_property(fdt, "interrupt-controller", NULL, 0));
	OK(fdt_property_u32(fdt, "#interrupt-cells", 3));
	OK(fdt_begin_node(fdt, "its@8080000"));
	prop_cells(fdt, "reg", 4, 0, 0x08080000, 0, 0x20000);
	OK(fdt_property_string(fdt, "compatible", "arm,gic-v3-its"));
	OK(fdt_end_node(fdt));
	OK(fdt_end_node(fdt));
}

/* QEMU virt's tree, the parts the hypervisor reads and a few others. */
static void *make_board(const struct board *b, size_t *len)
{
	static const char psci_compat[] =
	    "arm,psci-1.0\0arm,psci-0.2\0arm,psci";
	size_t size = 16384;
	void *fdt = malloc(size);

	assert_non_null(fdt);
	OK(fdt_create(fdt, (int)size));
	OK(fdt_finish_reservemap(fdt));
	OK(fdt_begin_node(fdt, ""));
	OK(fdt_property_u32(fdt, "interrupt-parent", 0x8005));
	OK(fdt_property_string(fdt, "model", "linux,dummy-virt"));
	OK(fdt_property_u32(fdt, "#size-cells", 2));
	OK(fdt_property_u32(fdt, "#address-cells", 2));
	OK(fdt_property_string(fdt, "compatible", "linux,dummy-virt"));
	OK(fdt_begin_node(fdt, "psci"));
	OK(fdt_property_u32(fdt, "cpu_on", 0xc4000003));
	OK(fdt_property_string(fdt, "method", b->psci_method));
	prop_strings(fdt, "compatible", psci_compat, sizeof(psci_compat));
	OK(fdt_end_node(fdt));
	OK(fdt_begin_node(fdt, "memory@40000000"));
	prop_cells(fdt, "reg", 4, 0, 0x40000000, (uint32_t)(b->ram_size >> 32),
		   (uint32_t)b->ram_size);
	OK(fdt_property_string(fdt, "device_type", "memory"));
	OK(fdt_end_node(fdt));
	if (b->disabled_uart_first)
		board_uart(fdt, "pl011@9040000", 0x09040000, true);
	board_uart(fdt, "pl011@9000000", 0x09000000, false);
	board_gic(fdt);
	board_cpus(fdt, b->cpus);
	OK(fdt_begin_node(fdt, "chosen"));
	OK(fdt_property_string(fdt, "stdout-path", "/pl011@9000000"));
	OK(fdt_end_node(fdt));
	OK(fdt_end_node(fdt));
	OK(fdt_finish(fdt));
	*len = fdt_totalsize(fdt);
	return fdt;
}

/* ---- Helpers ----------------------------------------------------------- */

static struct scenario *load(const char *yaml)
{
	struct scenario *s = NULL;

	if (scenario_load_buffer("t.yaml", yaml, strlen(yaml), stderr, &s))
		fail_msg("scenario does not load");
	return s;
}

/* The layout and tree of @yaml on a QEMU board of the machine's size. */
static void *build(const char *yaml, const char *psci, size_t *len)
{
	struct scenario *s = load(yaml);
	struct board b = {s->machine.pcpus, s->machine.qemu.memory, psci,
			  false};
	struct qemu_layout l;
	size_t blen;
	void *board = make_board(&b, &blen), *dt = NULL;

	OK(qemu_layout(s, &l, stderr));
	OK(qemu_dt_build(s, &l, board, blen, &dt, len, stderr));
	free(board);
	scenario_free(s);
	return dt;
}

/* config_parse() on an exact-size copy, so ASan sees any over-read. */
static int parse(const void *blob, size_t len, struct hv_config *cfg, char *err,
		 size_t errlen)
{
	void *copy = malloc(len ? len : 1);
	int rc;

	assert_non_null(copy);
	memcpy(copy, blob, len);
	rc = config_parse(copy, len, cfg, err, errlen);
	free(copy);
	return rc;
}

/* @blob must be refused with -EINVAL and a message holding @what. */
static void expect_bad(const void *blob, size_t len, const char *what)
{
	struct hv_config *cfg = malloc(sizeof(*cfg));
	char err[256];
	int rc;

	assert_non_null(cfg);
	rc = parse(blob, len, cfg, err, sizeof(err));
	if (rc != -EINVAL || !strstr(err, what))
		fail_msg("rc %d, message '%s'; expected -EINVAL and '%s'", rc,
			 err, what);
	free(cfg);
}

/* A copy of @dt with room to edit; finish() packs it again. */
static void *editable(const void *dt, size_t len)
{
	void *b = malloc(len + 4096);

	assert_non_null(b);
	OK(fdt_open_into(dt, b, (int)(len + 4096)));
	return b;
}

static size_t finish(void *b)
{
	OK(fdt_pack(b));
	return fdt_totalsize(b);
}

static int node(void *b, const char *path)
{
	int n = fdt_path_offset(b, path);

	if (n < 0)
		fail_msg("%s: %s", path, fdt_strerror(n));
	return n;
}

static void put_be32(void *blob, size_t off, uint32_t v)
{
	fdt32_t be = cpu_to_fdt32(v);

	memcpy((char *)blob + off, &be, sizeof(be));
}

/* ---- The round trip ---------------------------------------------------- */

/* clang-format off */
static const char full_yaml[] =
	"name: rt\n"
	"duration: 3s\n"
	"seed: 12345678901234\n"
	"machine:\n"
	"  pcpus: 4\n"
	"  qemu: {cpu: cortex-a53, memory: 2G, trace_ring: 4M}\n"
	"cpupools:\n"
	"  - {name: solo, sched: null, cpus: \"0\"}\n"
	"  - {name: gp, sched: credit2, cpus: \"1\", ratelimit: 500us,\n"
	"     runqueue: core, max_cpus_runqueue: 2}\n"
	"  - {name: rts, sched: rtds, cpus: \"2\"}\n"
	"  - name: part\n"
	"    sched: arinc653\n"
	"    cpus: \"3\"\n"
	"    major_frame: 20ms\n"
	"    schedule:\n"
	"      - {dom: ctl, runtime: 5ms}\n"
	"      - {dom: log, runtime: 7ms}\n"
	"domains:\n"
	"  - name: lat\n"
	"    pool: solo\n"
	"    cpus: \"0\"\n"
	"    guest: {image: irqlat, samples: 500, delta: 10us-50us,\n"
	"            memory: 8M, wfi: native, direct_irq: true}\n"
	"  - name: web\n"
	"    pool: gp\n"
	"    weight: 512\n"
	"    cap: 50\n"
	"    guest: {image: hog, fault_after: 2ms}\n"
	"  - name: srv\n"
	"    pool: rts\n"
	"    period: 5ms\n"
	"    budget: 2ms\n"
	"    extratime: false\n"
	"    guest: {image: irqlat}\n"
	"  - name: ctl\n"
	"    pool: part\n"
	"    workload:\n"
	"      tasks:\n"
	"        - {name: fast, period: 5ms, deadline: 4ms, priority: 7,\n"
	"           exec: 1ms}\n"
	"        - {name: slow, period: 20ms, offset: 1ms, priority: 3,\n"
	"           exec: {dist: uniform, min: 1ms, max: 2ms}}\n"
	"    guest: {image: tasks, memory: 4M}\n"
	"  - name: log\n"
	"    pool: part\n"
	"    guest: {image: hog, memory: 2M}\n";
/* clang-format on */

static void test_layout(void **state)
{
	struct scenario *s = load(full_yaml);
	struct qemu_layout l;

	(void)state;
	OK(qemu_layout(s, &l, NULL));
	assert_string_equal(l.cpu, "cortex-a53");
	assert_true(l.memory == 2 * GIB);
	assert_int_equal(l.smp, 4);
	assert_int_equal(l.timeout, s->machine.qemu.timeout);
	assert_true(l.trace_ring_bytes == 4 * MIB);
	assert_int_equal(l.nr_domains, 5);
	assert_true(l.mem_base[0] == 0x50000000 && l.mem_size[0] == 8 * MIB);
	assert_true(l.mem_base[1] == 0x50800000 && l.mem_size[1] == 16 * MIB);
	assert_true(l.mem_base[2] == 0x51800000 && l.mem_size[2] == 16 * MIB);
	assert_true(l.mem_base[3] == 0x52800000 && l.mem_size[3] == 4 * MIB);
	assert_true(l.mem_base[4] == 0x52c00000 && l.mem_size[4] == 2 * MIB);
	scenario_free(s);
}

static void check_board(const struct hv_config *c, uint64_t ram)
{
	assert_int_equal(c->nr_pcpus, 4);
	for (unsigned int i = 0; i < 4; i++)
		assert_true(c->mpidr[i] == i);
	assert_true(c->gicd_base == 0x08000000);
	assert_true(c->gicr_base == 0x080a0000);
	assert_true(c->gicr_stride == 0x20000);
	assert_true(c->uart_base == 0x09000000);
	assert_false(c->psci_hvc);
	assert_true(c->ram_base == 0x40000000);
	assert_true(c->ram_size == ram);
}

static void check_pools(const struct hv_config *c)
{
	const struct cfg_pool *p = c->pools;

	assert_int_equal(c->nr_pools, 4);
	assert_string_equal(p[0].name, "solo");
	assert_string_equal(p[0].sched, "null");
	assert_true(p[0].cpus == 0x1);
	assert_int_equal(p[0].params.ratelimit, 0);
	assert_false(p[0].params.runqueue_set);
	assert_int_equal(p[0].a653.nr_windows, 0);
	assert_string_equal(p[1].name, "gp");
	assert_string_equal(p[1].sched, "credit2");
	assert_true(p[1].cpus == 0x2);
	assert_int_equal(p[1].params.ratelimit, HV_US(500));
	assert_true(p[1].params.runqueue_set);
	assert_int_equal(p[1].params.runqueue, CREDIT2_RQ_CORE);
	assert_int_equal(p[1].params.max_cpus_runqueue, 2);
	assert_string_equal(p[2].sched, "rtds");
	assert_true(p[2].cpus == 0x4);
	assert_string_equal(p[3].name, "part");
	assert_string_equal(p[3].sched, "arinc653");
	assert_true(p[3].cpus == 0x8);
	assert_int_equal(p[3].a653.major_frame, HV_MS(20));
	assert_int_equal(p[3].a653.nr_windows, 2);
	assert_int_equal(p[3].a653.windows[0].domid, 4);
	assert_int_equal(p[3].a653.windows[0].vcpu_id, 0);
	assert_int_equal(p[3].a653.windows[0].runtime, HV_MS(5));
	assert_int_equal(p[3].a653.windows[1].domid, 5);
	assert_int_equal(p[3].a653.windows[1].runtime, HV_MS(7));
}

static void check_domain(const struct cfg_domain *d, const char *name,
			 unsigned int domid, unsigned int pool, uint64_t aff,
			 uint64_t base, uint64_t size)
{
	assert_string_equal(d->name, name);
	assert_int_equal(d->domid, domid);
	assert_int_equal(d->pool, pool);
	assert_int_equal(d->nr_vcpus, 1);
	assert_true(d->vcpus[0].affinity == aff);
	assert_true(d->mem_base == base);
	assert_true(d->mem_size == size);
}

static void check_domains(const struct hv_config *c)
{
	const struct cfg_domain *d = c->domains;

	assert_int_equal(c->nr_domains, 5);
	check_domain(&d[0], "lat", 1, 0, 0x1, 0x50000000, 8 * MIB);
	/* Outside rtds pools the servers keep the defaults. */
	assert_int_equal(d[0].vcpus[0].rt_period, 0);
	assert_int_equal(d[0].vcpus[0].rt_budget, 0);
	assert_int_equal(d[0].vcpus[0].rt_extratime, -1);
	assert_int_equal(d[0].weight, 0);
	assert_true(d[0].wfi_native);
	assert_true(d[0].direct_irq);
	assert_true(d[0].must_finish);
	assert_string_equal(d[0].irq_name, "vtimer");
	assert_int_equal(d[0].nr_tasks, 0);
	check_domain(&d[1], "web", 2, 1, 0x2, 0x50800000, 16 * MIB);
	assert_int_equal(d[1].weight, 512);
	assert_int_equal(d[1].cap, 50);
	assert_false(d[1].wfi_native);
	assert_false(d[1].direct_irq);
	assert_false(d[1].must_finish); /* a hog never finishes */
	assert_string_equal(d[1].irq_name, "");
	check_domain(&d[2], "srv", 3, 2, 0x4, 0x51800000, 16 * MIB);
	assert_int_equal(d[2].vcpus[0].rt_period, HV_MS(5));
	assert_int_equal(d[2].vcpus[0].rt_budget, HV_MS(2));
	assert_int_equal(d[2].vcpus[0].rt_extratime, 0);
	assert_true(d[2].must_finish);
	check_domain(&d[3], "ctl", 4, 3, 0x8, 0x52800000, 4 * MIB);
	assert_true(d[3].must_finish);
	assert_int_equal(d[3].nr_tasks, 2);
	assert_string_equal(d[3].tasks[0].name, "fast");
	assert_int_equal(d[3].tasks[0].vcpu, 0);
	assert_int_equal(d[3].tasks[0].period, HV_MS(5));
	assert_int_equal(d[3].tasks[0].deadline, HV_MS(4));
	assert_int_equal(d[3].tasks[0].priority, 7);
	assert_string_equal(d[3].tasks[1].name, "slow");
	assert_int_equal(d[3].tasks[1].period, HV_MS(20));
	assert_int_equal(d[3].tasks[1].deadline, HV_MS(20));
	assert_int_equal(d[3].tasks[1].priority, 3);
	check_domain(&d[4], "log", 5, 3, 0x8, 0x52c00000, 2 * MIB);
	assert_false(d[4].must_finish);
}

static void test_round_trip(void **state)
{
	struct hv_config *c = calloc(1, sizeof(*c));
	struct scenario *s = load(full_yaml);
	char err[256] = "x";
	size_t len;
	void *dt = build(full_yaml, "smc", &len);

	(void)state;
	assert_true(len <= QEMU_DTB_MAX);
	OK(parse(dt, len, c, err, sizeof(err)));
	assert_string_equal(err, "");
	check_board(c, 2 * GIB);
	assert_true(c->scenario_hash == s->hash);
	assert_int_equal(c->duration, HV_S(3));
	assert_true(c->trace_ring_bytes == 4 * MIB);
	check_pools(c);
	check_domains(c);
	/* The binding's other PSCI conduit. */
	free(dt);
	dt = build(full_yaml, "hvc", &len);
	OK(parse(dt, len, c, err, sizeof(err)));
	assert_true(c->psci_hvc);
	free(dt);
	scenario_free(s);
	free(c);
}

/* credit2's ratelimit 0 is "off", which the core spells -1. */
static void test_ratelimit_off_and_extratime(void **state)
{
	static const char yaml[] =
	    "name: r\nduration: 1s\nmachine: {pcpus: 2}\n"
	    "cpupools:\n"
	    "  - {name: c, sched: credit2, cpus: 0, ratelimit: 0us}\n"
	    "  - {name: r, sched: rtds, cpus: 1}\n"
	    "domains:\n"
	    "  - {name: a, pool: c, guest: {image: hog}}\n"
	    "  - {name: b, pool: r, guest: {image: hog}}\n";
	struct hv_config *c = calloc(1, sizeof(*c));
	char err[256];
	size_t len;
	void *dt = build(yaml, "smc", &len);

	(void)state;
	OK(parse(dt, len, c, err, sizeof(err)));
	assert_int_equal(c->pools[0].params.ratelimit, -1);
	assert_int_equal(c->pools[0].params.runqueue, CREDIT2_RQ_SOCKET);
	assert_int_equal(c->pools[0].params.max_cpus_runqueue, 16);
	assert_int_equal(c->domains[0].weight, 256);
	/* RTDS defaults are written out: 10ms / 4ms, extratime on. */
	assert_int_equal(c->domains[1].vcpus[0].rt_period, HV_MS(10));
	assert_int_equal(c->domains[1].vcpus[0].rt_budget, HV_MS(4));
	assert_int_equal(c->domains[1].vcpus[0].rt_extratime, 1);
	assert_true(c->trace_ring_bytes == 16 * MIB);
	free(dt);
	free(c);
}

/* Building on a built tree replaces its /hvlab rather than adding one. */
static void test_rebuild(void **state)
{
	struct scenario *s = load(full_yaml);
	struct hv_config *c = calloc(1, sizeof(*c));
	struct qemu_layout l;
	size_t len, len2;
	void *dt = build(full_yaml, "smc", &len), *dt2;
	char err[256];
	int n = 0;

	(void)state;
	OK(qemu_layout(s, &l, NULL));
	OK(qemu_dt_build(s, &l, dt, len, &dt2, &len2, NULL));
	assert_int_equal(len2, len);
	assert_memory_equal(dt, dt2, len);
	for (int sub = fdt_first_subnode(dt2, 0); sub >= 0;
	     sub = fdt_next_subnode(dt2, sub))
		n += !strcmp(fdt_get_name(dt2, sub, NULL), "hvlab");
	assert_int_equal(n, 1);
	OK(parse(dt2, len2, c, err, sizeof(err)));
	free(dt);
	free(dt2);
	free(c);
	scenario_free(s);
}

/* ---- Layout and build errors ------------------------------------------- */

/* qemu_layout() of @yaml fails with a message holding @what. */
static void expect_layout_error(const char *yaml, const char *what)
{
	struct scenario *s = load(yaml);
	struct qemu_layout l;
	char *msgs = NULL;
	size_t size = 0;
	FILE *err = open_memstream(&msgs, &size);

	assert_int_equal(qemu_layout(s, &l, err), -EINVAL);
	fclose(err);
	if (!strstr(msgs, what))
		fail_msg("'%s' not in: %s", what, msgs);
	free(msgs);
	scenario_free(s);
}

static void test_layout_errors(void **state)
{
	(void)state;
	expect_layout_error(
	    "name: t\nduration: 1s\nmachine: {pcpus: 2}\n"
	    "cpupools: [{name: p, sched: null, cpus: 0-1}]\n"
	    "domains:\n"
	    "  - {name: a, pool: p, cpus: 0, guest: {image: hog,"
	    " memory: 512M}}\n"
	    "  - {name: b, pool: p, cpus: 1,\n"
	    "     guest: {image: hog, memory: 512M}}\n",
	    "t.yaml:8: domain 'b': its guest RAM does not fit in "
	    "machine.qemu.memory 1024MiB below 4GiB; guests start at "
	    "0x50000000, so these need at least 1280MiB");
	/* with more RAM, the hypervisor's 4 GiB EL2 map is the limit */
	expect_layout_error(
	    "name: t\nduration: 1s\n"
	    "machine: {pcpus: 2, qemu: {memory: 8GiB}}\n"
	    "cpupools: [{name: p, sched: null, cpus: 0-1}]\n"
	    "domains:\n"
	    "  - {name: a, pool: p, cpus: 0, guest: {image: hog,"
	    " memory: 1GiB}}\n"
	    "  - {name: b, pool: p, cpus: 0, guest: {image: hog,"
	    " memory: 1GiB}}\n"
	    "  - {name: c, pool: p, cpus: 1,\n"
	    "     guest: {image: hog, memory: 1GiB}}\n",
	    "t.yaml:9: domain 'c': its guest RAM does not fit in "
	    "machine.qemu.memory 8192MiB below 4GiB");
	expect_layout_error("name: t\nduration: 1s\nmachine: {pcpus: 9}\n"
			    "cpupools: [{name: p, sched: null, cpus: 0}]\n"
			    "domains: [{name: a, pool: p,"
			    " guest: {image: hog}}]\n",
			    "t.yaml: machine.pcpus is 9; the qemu backend "
			    "runs at most 8 pCPUs");
	expect_layout_error("name: t\nduration: 1s\nmachine: {pcpus: 1}\n"
			    "cpupools: [{name: p, sched: null, cpus: 0}]\n"
			    "domains:\n"
			    "  - {name: a, pool: p, guest: {image: hog}}\n"
			    "  - {name: b, pool: p}\n",
			    "t.yaml:7: domain 'b' has no guest; the qemu "
			    "backend runs a guest image in every domain");
}

static void test_build_errors(void **state)
{
	struct scenario *s = load(full_yaml);
	struct board b = {4, 2 * GIB, "smc", false};
	struct qemu_layout l;
	size_t blen, len;
	void *board = make_board(&b, &blen), *dt = (void *)&len;
	char *msgs = NULL;
	size_t size = 0;
	FILE *err = open_memstream(&msgs, &size);

	(void)state;
	OK(qemu_layout(s, &l, NULL));
	assert_int_equal(qemu_dt_build(s, &l, board, 8, &dt, &len, err),
			 -EINVAL);
	assert_null(dt);
	assert_int_equal(qemu_dt_build(s, &l, board, blen - 1, &dt, &len, err),
			 -EINVAL);
	((unsigned char *)board)[0] ^= 0xff;
	assert_int_equal(qemu_dt_build(s, &l, board, blen, &dt, &len, err),
			 -EINVAL);
	((unsigned char *)board)[0] ^= 0xff;
	l.nr_domains = 2;
	assert_int_equal(qemu_dt_build(s, &l, board, blen, &dt, &len, err),
			 -EINVAL);
	l.nr_domains = 5;
	l.mem_base[1] += 4096;
	assert_int_equal(qemu_dt_build(s, &l, board, blen, &dt, &len, err),
			 -EINVAL);
	fclose(err);
	assert_non_null(strstr(msgs, "board device tree: "));
	assert_non_null(strstr(msgs, "the layout has 2 domains"));
	assert_non_null(strstr(msgs, "is not in whole 2MiB blocks"));
	free(msgs);
	free(board);
	scenario_free(s);
}

/* ---- The reader: its own API ------------------------------------------- */

static void test_dt_reader(void **state)
{
	struct board b = {3, GIB, "smc", true};
	size_t len;
	void *blob = make_board(&b, &len);
	struct dt_prop p;
	char path[DT_PATH_MAX];
	const char *why = NULL;
	uint32_t at;
	struct dt dt;
	int n, cpus;

	(void)state;
	OK(dt_open(&dt, blob, len, &why, &at));
	cpus = dt_path(&dt, "/cpus");
	assert_true(cpus > 0);
	assert_string_equal(dt_name(&dt, cpus), "cpus");
	n = dt_path(&dt, "//cpus/cpu@2/");
	assert_string_equal(dt_name(&dt, n), "cpu@2");
	assert_int_equal(dt_parent(&dt, n), cpus);
	assert_int_equal(dt_parent(&dt, dt.root), -ENOENT);
	OK(dt_node_path(&dt, n, path, sizeof(path)));
	assert_string_equal(path, "/cpus/cpu@2");
	OK(dt_node_path(&dt, dt.root, path, sizeof(path)));
	assert_string_equal(path, "/");
	OK(dt_node_path(&dt, n, path, 6)); /* cut to fit */
	assert_string_equal(path, "/cpus");
	/* A name without '@' matches the part before the unit address. */
	n = dt_subnode(&dt, dt.root, "memory");
	assert_string_equal(dt_name(&dt, n), "memory@40000000");
	assert_int_equal(dt_subnode(&dt, dt.root, "memor"), -ENOENT);
	assert_int_equal(dt_subnode(&dt, dt.root, "memory@4"), -ENOENT);
	assert_int_equal(dt_path(&dt, "/cpus/cpu@7"), -ENOENT);
	assert_int_equal(dt_path(&dt, "cpus"), -EINVAL);
	/* Children: cpu-map first, then the cpus, nothing after. */
	n = dt_first_child(&dt, cpus);
	assert_string_equal(dt_name(&dt, n), "cpu-map");
	for (int i = 0; i < 3; i++)
		n = dt_next_sibling(&dt, n);
	assert_string_equal(dt_name(&dt, n), "cpu@2");
	assert_int_equal(dt_next_sibling(&dt, n), -ENOENT);
	assert_int_equal(dt_first_child(&dt, n), -ENOENT);
	/* Properties and cells. */
	OK(dt_prop(&dt, n, "reg", &p));
	assert_int_equal(p.len, 4);
	assert_int_equal(dt_cell(&p, 0), 2);
	assert_int_equal(dt_cell(&p, 1), 0); /* past the end: 0, no read */
	assert_int_equal(dt_prop(&dt, n, "nothing", &p), -ENOENT);
	OK(dt_prop(&dt, dt_path(&dt, "/psci"), "compatible", &p));
	assert_false(dt_prop_is_string(&p)); /* a list */
	assert_true(dt_prop_has_string(&p, "arm,psci-0.2"));
	assert_false(dt_prop_has_string(&p, "arm,psci-0"));
	/* The disabled PL011 comes first and is passed over. */
	n = dt_find_compatible(&dt, -1, "arm,pl011");
	assert_string_equal(dt_name(&dt, n), "pl011@9000000");
	assert_int_equal(dt_find_compatible(&dt, n, "arm,pl011"), -ENOENT);
	assert_int_equal(dt_name(&dt, -1)[0], '\0');
	assert_int_equal(dt_first_child(&dt, 3), -EINVAL);
	free(blob);
}

/* ---- The reader: malformed trees --------------------------------------- */

/* A small valid tree: 2 pCPUs, a null pool, two guests, one direct. */
static const char small_yaml[] =
    "name: s\nduration: 1s\nmachine: {pcpus: 2}\n"
    "cpupools:\n"
    "  - {name: p, sched: null, cpus: 0-1}\n"
    "domains:\n"
    "  - {name: a, pool: p, cpus: 0,\n"
    "     guest: {image: irqlat, direct_irq: true}}\n"
    "  - {name: b, pool: p, cpus: 1, guest: {image: hog}}\n";

static void test_bad_headers(void **state)
{
	size_t len;
	unsigned char *dt = build(small_yaml, "smc", &len);
	unsigned char *b = malloc(len);
	struct hv_config *c = malloc(sizeof(*c));
	char err[256];

	(void)state;
	expect_bad(dt, 0, "shorter than a header");
	assert_int_equal(config_parse(NULL, 0, c, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "device tree: no blob (at byte 0)");
	expect_bad(dt, 39, "shorter than a header");
	expect_bad(dt, len - 1, "totalsize is larger than the blob");
#define CORRUPT(off, v, what)               \
	do {                                \
		memcpy(b, dt, len);         \
		put_be32(b, (off), (v));    \
		expect_bad(b, len, (what)); \
	} while (0)
	CORRUPT(0, 0xd00dfeee, "bad magic; expected 0xd00dfeed (at byte 0)");
	CORRUPT(20, 15, "version below 16");
	CORRUPT(24, 18, "last compatible version above 17");
	CORRUPT(4, 12, "shorter than a header");
	CORRUPT(8, (uint32_t)len, "structure block outside the blob");
	CORRUPT(8, 0xfffffffc, "structure block outside the blob");
	CORRUPT(8, 41, "structure block outside the blob");
	CORRUPT(36, 0xfffffff0, "structure block outside the blob");
	CORRUPT(12, (uint32_t)len + 1, "strings block outside the blob");
	CORRUPT(32, 0xffffffff, "strings block outside the blob");
	/* 8-aligned, as the map must be, and too close to the end */
	CORRUPT(16, (uint32_t)len & ~7u, "reserve map has no end");
	CORRUPT(16, 44, "reserve map outside the blob");
	CORRUPT(16, 2, "reserve map outside the blob");
#undef CORRUPT
	free(c);
	free(b);
	free(dt);
}

static void test_bad_structure(void **state)
{
	size_t len;
	unsigned char *dt = build(small_yaml, "smc", &len);
	unsigned char *b = malloc(len);
	uint32_t st = fdt_off_dt_struct(dt);
	int prop = fdt_first_property_offset(dt, 0);

	(void)state;
	assert_true(prop > 0);
	memcpy(b, dt, len);
	put_be32(b, st, 7); /* no BEGIN_NODE at the start */
	expect_bad(b, len, "bad token in the structure block");
	memcpy(b, dt, len);
	put_be32(b, st + (uint32_t)prop + 8, 0x7ffffff0); /* name offset */
	expect_bad(b, len, "bad token in the structure block");
	memcpy(b, dt, len);
	put_be32(b, st + (uint32_t)prop + 4, 0x7ffffff0); /* value length */
	expect_bad(b, len, "bad token in the structure block");
	memcpy(b, dt, len);
	put_be32(b, st + (uint32_t)prop, 2); /* END_NODE for PROP */
	expect_bad(b, len, "(at byte");
	memcpy(b, dt, len);
	put_be32(b, st, 9); /* END before any node */
	expect_bad(b, len, "no root node");
	memcpy(b, dt, len);
	put_be32(b, st + fdt_size_dt_struct(dt) - 4, 4); /* NOP for END */
	expect_bad(b, len, "bad token");
	memcpy(b, dt, len);
	put_be32(b, st + fdt_size_dt_struct(dt) - 8, 4); /* root not closed */
	expect_bad(b, len, "END inside a node");
	/* The structure block cut anywhere, the header otherwise intact. */
	for (uint32_t cut = 0; cut < fdt_size_dt_struct(dt); cut += 4) {
		memcpy(b, dt, len);
		put_be32(b, 36, cut);
		expect_bad(b, len, "(at byte");
	}
	free(b);
	free(dt);
}

static void test_truncated(void **state)
{
	size_t len;
	unsigned char *dt = build(small_yaml, "smc", &len);
	unsigned char *b = malloc(len);

	(void)state;
	for (size_t cut = 0; cut < len; cut++)
		expect_bad(dt, cut, "device tree: ");
	/* Cut, with a header that says so. */
	for (size_t cut = 40; cut < len; cut++) {
		memcpy(b, dt, cut);
		put_be32(b, 4, (uint32_t)cut);
		expect_bad(b, cut, "device tree: ");
	}
	free(b);
	free(dt);
}

static void test_too_deep(void **state)
{
	char buf[4096];

	(void)state;
	OK(fdt_create(buf, sizeof(buf)));
	OK(fdt_finish_reservemap(buf));
	OK(fdt_begin_node(buf, ""));
	for (int i = 0; i < DT_MAX_DEPTH; i++)
		OK(fdt_begin_node(buf, "n"));
	for (int i = 0; i <= DT_MAX_DEPTH; i++)
		OK(fdt_end_node(buf));
	OK(fdt_finish(buf));
	expect_bad(buf, fdt_totalsize(buf), "nodes nested too deep");
}

/* Edit one property of a small tree and expect @what. */
typedef void edit_fn(void *b);

static void expect_edit(edit_fn *edit, const char *what)
{
	size_t len;
	void *dt = build(small_yaml, "smc", &len);
	void *b = editable(dt, len);

	edit(b);
	expect_bad(b, finish(b), what);
	free(b);
	free(dt);
}

#define D0 "/hvlab/domains/domain@0"
#define P0 "/hvlab/pools/pool@0"

static void no_mem_base(void *b)
{
	OK(fdt_delprop(b, node(b, D0), "mem-base"));
}

static void short_mem_base(void *b)
{
	OK(fdt_setprop_u32(b, node(b, D0), "mem-base", 0x50000000));
}

static void no_cpus(void *b)
{
	OK(fdt_del_node(b, node(b, "/cpus")));
}

static void nine_cpus(void *b)
{
	char name[16];

	for (unsigned int i = 2; i < 9; i++) {
		int n;

		snprintf(name, sizeof(name), "cpu@%u", i);
		n = fdt_add_subnode(b, node(b, "/cpus"), name);
		OK(fdt_setprop_string(b, n, "device_type", "cpu"));
		OK(fdt_setprop_u32(b, n, "reg", i));
	}
}

static void same_mpidr(void *b)
{
	OK(fdt_setprop_u32(b, node(b, "/cpus/cpu@1"), "reg", 0));
}

static void cpu_reg_u64(void *b)
{
	OK(fdt_setprop_u64(b, node(b, "/cpus/cpu@1"), "reg", 1));
}

static void gic_one_reg(void *b)
{
	fdt32_t reg[4] = {0, cpu_to_fdt32(0x08000000), 0,
			  cpu_to_fdt32(0x10000)};

	OK(fdt_setprop(b, node(b, "/intc@8000000"), "reg", reg, sizeof(reg)));
}

static void gic_small_redist(void *b)
{
	fdt32_t reg[8] = {
	    0, cpu_to_fdt32(0x08000000), 0, cpu_to_fdt32(0x10000),
	    0, cpu_to_fdt32(0x080a0000), 0, cpu_to_fdt32(0x20000)};

	OK(fdt_setprop(b, node(b, "/intc@8000000"), "reg", reg, sizeof(reg)));
}

static void gic_stride(void *b)
{
	OK(fdt_setprop_u64(b, node(b, "/intc@8000000"), "redistributor-stride",
			   0x1000));
}

static void gic_v2(void *b)
{
	OK(fdt_setprop_string(b, node(b, "/intc@8000000"), "compatible",
			      "arm,cortex-a15-gic"));
}

static void root_cells(void *b)
{
	OK(fdt_setprop_u32(b, 0, "#address-cells", 3));
}

static void no_uart(void *b)
{
	OK(fdt_setprop_string(b, node(b, "/pl011@9000000"), "status",
			      "disabled"));
}

static void psci_method(void *b)
{
	OK(fdt_setprop_string(b, node(b, "/psci"), "method", "svc"));
}

static void no_memory(void *b)
{
	OK(fdt_del_node(b, node(b, "/memory@40000000")));
}

static void no_hvlab(void *b)
{
	OK(fdt_del_node(b, node(b, "/hvlab")));
}

static void bad_version(void *b)
{
	OK(fdt_setprop_u32(b, node(b, "/hvlab"), "version", 2));
}

static void bad_compatible(void *b)
{
	OK(fdt_setprop_string(b, node(b, "/hvlab"), "compatible", "xen"));
}

static void zero_duration(void *b)
{
	OK(fdt_setprop_u64(b, node(b, "/hvlab"), "duration-ns", 0));
}

static void huge_duration(void *b)
{
	OK(fdt_setprop_u64(b, node(b, "/hvlab"), "duration-ns", ~0ull));
}

static void unexpected_node(void *b)
{
	assert_true(fdt_add_subnode(b, node(b, "/hvlab"), "extra") >= 0);
}

static void unexpected_pool_child(void *b)
{
	assert_true(fdt_add_subnode(b, node(b, "/hvlab/pools"), "x@1") >= 0);
}

static void no_domains(void *b)
{
	OK(fdt_del_node(b, node(b, "/hvlab/domains")));
}

static void empty_domains(void *b)
{
	OK(fdt_del_node(b, node(b, D0)));
	OK(fdt_del_node(b, node(b, "/hvlab/domains/domain@1")));
}

static void reg_order(void *b)
{
	OK(fdt_setprop_u32(b, node(b, D0), "reg", 1));
}

static void label_unterminated(void *b)
{
	OK(fdt_setprop(b, node(b, D0), "label", "abc", 3));
}

static void label_too_long(void *b)
{
	OK(fdt_setprop_string(b, node(b, D0), "label",
			      "a-name-of-thirty-two-characters"
			      "-x"));
}

static void flag_with_value(void *b)
{
	OK(fdt_setprop_u32(b, node(b, D0), "direct-irq", 1));
}

static void affinity_outside(void *b)
{
	OK(fdt_setprop_u64(b, node(b, P0), "cpus", 0x1));
}

static void pool_beyond_board(void *b)
{
	OK(fdt_setprop_u64(b, node(b, P0), "cpus", 0x7));
}

static void unknown_pool(void *b)
{
	OK(fdt_setprop_u32(b, node(b, D0), "pool", 3));
}

static void vcpus_zero(void *b)
{
	OK(fdt_setprop_u32(b, node(b, D0), "vcpus", 0));
}

static void affinity_short(void *b)
{
	OK(fdt_setprop_u32(b, node(b, D0), "vcpus", 2));
}

static void domid_zero(void *b)
{
	OK(fdt_setprop_u32(b, node(b, D0), "domid", 0));
}

static void domid_twice(void *b)
{
	OK(fdt_setprop_u32(b, node(b, "/hvlab/domains/domain@1"), "domid", 1));
}

static void mem_unaligned(void *b)
{
	OK(fdt_setprop_u64(b, node(b, D0), "mem-base", 0x50001000));
}

static void mem_overlap(void *b)
{
	OK(fdt_setprop_u64(b, node(b, D0), "mem-size", 32 * MIB));
}

static void mem_outside_ram(void *b)
{
	OK(fdt_setprop_u64(b, node(b, D0), "mem-base", 0x7fe00000));
}

static void mem_wraps(void *b)
{
	OK(fdt_setprop_u64(b, node(b, D0), "mem-base", ~0ull << 21));
}

static void direct_irq_shared(void *b)
{
	OK(fdt_setprop_u64(b, node(b, "/hvlab/domains/domain@1"), "affinity",
			   0x3));
}

static void weight_big(void *b)
{
	OK(fdt_setprop_u32(b, node(b, D0), "weight", 70000));
}

static void cap_big(void *b)
{
	OK(fdt_setprop_u32(b, node(b, D0), "cap", 101));
}

static void rtds_budget(void *b)
{
	OK(fdt_setprop_u64(b, node(b, D0), "rtds-period-ns", 1000));
	OK(fdt_setprop_u64(b, node(b, D0), "rtds-budget-ns", 2000));
}

static void rtds_extratime(void *b)
{
	OK(fdt_setprop_u32(b, node(b, D0), "rtds-extratime", 2));
}

static void runqueue_bad(void *b)
{
	OK(fdt_setprop_string(b, node(b, P0), "runqueue", "numa"));
}

static void max_cpus_zero(void *b)
{
	OK(fdt_setprop_u32(b, node(b, P0), "max-cpus-runqueue", 0));
}

static void no_direct_irq(void *b)
{
	OK(fdt_delprop(b, node(b, D0), "direct-irq"));
}

static void a653_no_windows(void *b)
{
	no_direct_irq(b);
	OK(fdt_setprop_string(b, node(b, P0), "sched", "arinc653"));
	OK(fdt_setprop_u64(b, node(b, P0), "major-frame-ns", HV_MS(10)));
}

static void set_windows(void *b, uint32_t domid, uint32_t vcpu, uint64_t ns)
{
	fdt32_t w[4] = {cpu_to_fdt32(domid), cpu_to_fdt32(vcpu),
			cpu_to_fdt32((uint32_t)(ns >> 32)),
			cpu_to_fdt32((uint32_t)ns)};

	no_direct_irq(b);
	OK(fdt_setprop_string(b, node(b, P0), "sched", "arinc653"));
	OK(fdt_setprop_u64(b, node(b, P0), "major-frame-ns", HV_MS(10)));
	OK(fdt_setprop(b, node(b, P0), "windows", w, sizeof(w)));
}

static void window_domid(void *b)
{
	set_windows(b, 9, 0, HV_MS(1));
}

static void window_vcpu(void *b)
{
	set_windows(b, 1, 1, HV_MS(1));
}

static void window_long(void *b)
{
	set_windows(b, 2, 0, HV_MS(11));
}

static void window_zero(void *b)
{
	set_windows(b, 2, 0, 0);
}

static void windows_ragged(void *b)
{
	no_direct_irq(b);
	OK(fdt_setprop_string(b, node(b, P0), "sched", "arinc653"));
	OK(fdt_setprop_u64(b, node(b, P0), "major-frame-ns", HV_MS(10)));
	OK(fdt_setprop_u64(b, node(b, P0), "windows", 5));
}

static void task_vcpu(void *b)
{
	int t = fdt_add_subnode(b, node(b, D0), "task@0");

	OK(fdt_setprop_u32(b, t, "reg", 0));
	OK(fdt_setprop_string(b, t, "label", "t"));
	OK(fdt_setprop_u32(b, t, "vcpu", 1));
	OK(fdt_setprop_u64(b, t, "period-ns", 1000));
	OK(fdt_setprop_u64(b, t, "deadline-ns", 1000));
	OK(fdt_setprop_u32(b, t, "priority", 1));
}

static void task_period(void *b)
{
	task_vcpu(b);
	OK(fdt_setprop_u32(b, node(b, D0 "/task@0"), "vcpu", 0));
	OK(fdt_setprop_u64(b, node(b, D0 "/task@0"), "period-ns", 0));
}

static void domain_child(void *b)
{
	assert_true(fdt_add_subnode(b, node(b, D0), "vcpu@0") >= 0);
}

static void test_bad_board(void **state)
{
	(void)state;
	expect_edit(no_cpus, "/: no /cpus node");
	expect_edit(nine_cpus, "/cpus: more than 8 cpu nodes");
	expect_edit(same_mpidr, "/cpus/cpu@1: reg: MPIDR 0x0 is also pCPU 0's");
	expect_edit(cpu_reg_u64, "/cpus/cpu@1: reg: expected 1 value of 1 "
				 "cell (4 bytes), got 8 bytes");
	expect_edit(gic_one_reg, "/intc@8000000: reg: expected at least 2 "
				 "entries of 2+2 cells, got 16 bytes");
	expect_edit(gic_small_redist, "/intc@8000000: reg: the "
				      "redistributors (entry 1) are 0x20000 "
				      "bytes: too few for 2 pCPUs");
	expect_edit(gic_stride, "/intc@8000000: redistributor-stride: "
				"expected a non-zero multiple of 64KiB");
	expect_edit(gic_v2, "/: no enabled node compatible with "
			    "\"arm,gic-v3\"");
	expect_edit(root_cells, "/: #address-cells: expected 1 or 2, got 3");
	expect_edit(no_uart, "compatible with \"arm,pl011\"");
	expect_edit(psci_method, "/psci: method: expected \"hvc\" or \"smc\"");
	expect_edit(no_memory, "/: no memory node (device_type \"memory\")");
}

static void test_bad_hvlab(void **state)
{
	(void)state;
	expect_edit(no_hvlab, "/: no /hvlab node");
	expect_edit(bad_version, "/hvlab: version: binding version 2; this "
				 "hypervisor reads version 1");
	expect_edit(bad_compatible,
		    "/hvlab: compatible: expected \"hvlab,config\"");
	expect_edit(zero_duration, "/hvlab: duration-ns: expected a time in "
				   "ns from 1 to 2^63-1, got 0");
	expect_edit(huge_duration, "got 18446744073709551615");
	expect_edit(unexpected_node, "/hvlab/extra: unexpected node; /hvlab "
				     "holds pools and domains");
	expect_edit(unexpected_pool_child,
		    "/hvlab/pools/x@1: unexpected node; expected only pool@N");
	expect_edit(no_domains, "/hvlab: no domains node");
	expect_edit(empty_domains, "/hvlab/domains: no domain@N node");
	expect_edit(reg_order, D0 ": reg: expected 0 (nodes of a kind are "
				  "numbered from 0 in order), got 1");
}

static void test_bad_domains(void **state)
{
	(void)state;
	expect_edit(no_mem_base, D0 ": mem-base: missing; it is required");
	expect_edit(short_mem_base, D0 ": mem-base: expected a 64-bit value "
				       "in two cells (8 bytes), got 4");
	expect_edit(label_unterminated,
		    D0 ": label: expected one string of 1 to 31 characters");
	expect_edit(label_too_long, D0 ": label: expected one string");
	expect_edit(flag_with_value, D0 ": direct-irq: expected an empty "
					"property (a flag), got 4 bytes");
	expect_edit(affinity_outside,
		    "/hvlab/domains/domain@1: affinity: vcpu 0: mask 0x2; "
		    "expected a non-empty subset of its pool's 0x1");
	expect_edit(pool_beyond_board, P0 ": cpus: mask 0x7; expected a "
					  "non-empty subset of the board's 2 "
					  "pCPUs");
	expect_edit(unknown_pool, D0 ": pool: pool 3 does not exist");
	expect_edit(vcpus_zero, D0 ": vcpus: expected 1 to 4, got 0");
	expect_edit(affinity_short, D0 ": affinity: expected 2 values of 2 "
				       "cells (16 bytes), got 8 bytes");
	expect_edit(domid_zero, D0 ": domid: expected 1 to 32766, got 0");
	expect_edit(domid_twice, "/hvlab/domains/domain@1: domid: 1 is also "
				 "domain@0's");
	expect_edit(mem_unaligned, D0 ": mem-base: 0x50001000 is not 2MiB "
				      "aligned");
	expect_edit(mem_overlap, "/hvlab/domains/domain@1: mem-base: guest "
				 "RAM overlaps domain@0's");
	expect_edit(mem_outside_ram,
		    D0 ": mem-base: 0x7fe00000+0x1000000 is outside the "
		       "board's RAM 0x40000000+0x40000000");
	expect_edit(mem_wraps, D0 ": mem-size: expected a non-zero multiple "
				  "of 2MiB that does not wrap");
	expect_edit(direct_irq_shared, D0 ": direct-irq: its pCPU is shared "
					  "with domain 2");
	expect_edit(weight_big, D0 ": weight: expected 0 to 65535, got 70000");
	expect_edit(cap_big, D0 ": cap: expected 0 to 100 (100 per vCPU)");
	expect_edit(rtds_budget, D0 ": rtds-budget-ns: vcpu 0: budget 2000 "
				    "ns with period 1000 ns");
	expect_edit(rtds_extratime,
		    D0 ": rtds-extratime: vcpu 0: expected 0 or 1, got 2");
	expect_edit(task_vcpu, D0 "/task@0: vcpu: vcpu 1 does not exist");
	expect_edit(task_period, D0 "/task@0: period-ns: expected a time in "
				    "ns from 1");
	expect_edit(domain_child, D0 "/vcpu@0: unexpected node; expected "
				     "only task@N nodes here");
}

static void test_bad_pools(void **state)
{
	(void)state;
	expect_edit(runqueue_bad, P0 ": runqueue: expected cpu, core, "
				     "socket, node or all, got \"numa\"");
	expect_edit(max_cpus_zero,
		    P0 ": max-cpus-runqueue: expected at least 1, got 0");
	expect_edit(a653_no_windows, P0 ": windows: missing; it is required");
	expect_edit(window_domid, P0 ": windows: window 0 names domid 9 vcpu "
				     "0, which is not a vCPU of this pool");
	expect_edit(window_vcpu, P0 ": windows: window 0 names domid 1 vcpu 1");
	expect_edit(window_long, P0 ": windows: the windows are longer than "
				    "major-frame-ns (10000000 ns)");
	expect_edit(window_zero, P0 ": windows: window 0: runtime 0 ns");
	expect_edit(windows_ragged, P0 ": windows: expected 1 to 64 windows "
				       "of 4 cells");
}

/* Two vCPUs, a negative priority: what the scenario cannot express. */
static void test_reader_extras(void **state)
{
	struct hv_config *c = calloc(1, sizeof(*c));
	size_t len;
	void *dt = build(small_yaml, "smc", &len);
	void *b = editable(dt, len);
	fdt32_t aff[4] = {0, cpu_to_fdt32(1), 0, cpu_to_fdt32(1)};
	fdt32_t ext[2] = {cpu_to_fdt32(1), cpu_to_fdt32(0)};
	char err[256];
	int n;

	(void)state;
	OK(fdt_setprop_u32(b, node(b, D0), "vcpus", 2));
	OK(fdt_setprop(b, node(b, D0), "affinity", aff, sizeof(aff)));
	OK(fdt_setprop(b, node(b, D0), "rtds-extratime", ext, sizeof(ext)));
	no_direct_irq(b);
	task_vcpu(b);
	n = node(b, D0 "/task@0");
	OK(fdt_setprop_u32(b, n, "priority", 0xffffffffu));
	len = finish(b);
	OK(parse(b, len, c, err, sizeof(err)));
	assert_int_equal(c->domains[0].nr_vcpus, 2);
	assert_true(c->domains[0].vcpus[1].affinity == 1);
	assert_int_equal(c->domains[0].vcpus[0].rt_extratime, 1);
	assert_int_equal(c->domains[0].vcpus[1].rt_extratime, 0);
	assert_int_equal(c->domains[0].tasks[0].vcpu, 1);
	assert_int_equal(c->domains[0].tasks[0].priority, -1);
	assert_false(c->domains[0].direct_irq);
	/* No error buffer: still -EINVAL, nothing written. */
	assert_int_equal(config_parse(b, 3, c, NULL, 0), -EINVAL);
	assert_int_equal(config_parse(b, 3, c, err, 1), -EINVAL);
	assert_string_equal(err, "");
	free(b);
	free(dt);
	free(c);
}

/*
 * Random damage: a few bytes changed anywhere, thousands of times. Any
 * outcome but a crash or an error without a message is a bug.
 */
static void test_mutations(void **state)
{
	struct hv_config *c = malloc(sizeof(*c));
	size_t len;
	unsigned char *dt = build(full_yaml, "smc", &len);
	unsigned char *b = malloc(len);
	uint64_t x = 0x9e3779b97f4a7c15ull;
	unsigned int ok = 0;
	char err[256];

	(void)state;
	for (int i = 0; i < 6000; i++) {
		int flips = 1 + (int)(x % 4);
		int rc;

		memcpy(b, dt, len);
		while (flips--) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			b[x % len] ^= (unsigned char)(1u << (x >> 32) % 8);
		}
		err[0] = '\0';
		rc = parse(b, len, c, err, sizeof(err));
		if (rc) {
			assert_int_equal(rc, -EINVAL);
			assert_true(err[0] != '\0');
		} else {
			ok++;
		}
	}
	print_message("mutations: %u of 6000 still parse\n", ok);
	free(b);
	free(dt);
	free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_layout),
	    cmocka_unit_test(test_round_trip),
	    cmocka_unit_test(test_ratelimit_off_and_extratime),
	    cmocka_unit_test(test_rebuild),
	    cmocka_unit_test(test_layout_errors),
	    cmocka_unit_test(test_build_errors),
	    cmocka_unit_test(test_dt_reader),
	    cmocka_unit_test(test_bad_headers),
	    cmocka_unit_test(test_bad_structure),
	    cmocka_unit_test(test_truncated),
	    cmocka_unit_test(test_too_deep),
	    cmocka_unit_test(test_bad_board),
	    cmocka_unit_test(test_bad_hvlab),
	    cmocka_unit_test(test_bad_domains),
	    cmocka_unit_test(test_bad_pools),
	    cmocka_unit_test(test_reader_extras),
	    cmocka_unit_test(test_mutations),
	};

	return cmocka_run_group_tests_name("qemu_dt", tests, NULL, NULL);
}
