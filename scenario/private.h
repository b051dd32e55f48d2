/*
 * Scenario parser internals, shared by scenario_parse.c (the public entry
 * points and the glue), scenario_values.c (messages and scalar values),
 * scenario_yaml.c (the YAML layer and the schema walker),
 * scenario_fields.c and scenario_workload.c (the schema: field tables),
 * scenario_sched.c (the scheduler table and the credit2 and RTDS keys),
 * scenario_guest.c (the qemu backend's keys: a domain's guest and
 * machine.qemu) and scenario_check.c (cross-field validation).
 * Nothing here is part of the public interface; the unit test includes it
 * to exercise the value parsers directly.
 */
#ifndef HV_SCENARIO_PRIVATE_H
#define HV_SCENARIO_PRIVATE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <yaml.h>

#include "scenario/scenario.h"

/* Stop reporting (and parsing) after this many problems. */
#define SCN_MAX_ERRORS 20

/* Room for one value parser's explanation, without the "file:line: key:". */
#define SCN_MSG_MAX 200

/* Xen's ARINC653_MAX_DOMAINS_PER_SCHEDULE: entries in one window table. */
#define SCN_A653_MAX_ENTRIES 64

/* Where messages go and how many were written. */
struct scn_diag {
	const char *name; /* file name printed in front of every message */
	FILE *err; /* NULL: stderr */
	unsigned int count;
};

/*
 * Report one problem as "name:line: message" (one line, newline added).
 * Messages past SCN_MAX_ERRORS are counted but not printed; the first one
 * dropped prints a note that the parser gave up.
 */
void scn_error(struct scn_diag *diag, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void scn_verror(struct scn_diag *diag, int line, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));

static inline bool scn_diag_full(const struct scn_diag *diag)
{
	return diag->count > SCN_MAX_ERRORS;
}

/*
 * Value parsers. Each takes NUL-terminated text, stores the value and
 * returns true, or writes why the text is wrong into @msg (at most @len
 * bytes, no key, no line) and returns false. Only integer arithmetic.
 */
bool scn_parse_time(const char *text, hv_time_t *out, char *msg, size_t len);
bool scn_parse_size(const char *text, uint64_t *out, char *msg, size_t len);
bool scn_parse_int(const char *text, int64_t min, int64_t max, int64_t *out,
		   char *msg, size_t len);
bool scn_parse_u64(const char *text, uint64_t *out, char *msg, size_t len);
bool scn_parse_cpus(const char *text, struct cpumask *out, char *msg,
		    size_t len);
bool scn_check_name(const char *text, char *msg, size_t len);
/* YAML 1.2 booleans only: true/True/TRUE, false/False/FALSE. */
bool scn_parse_bool(const char *text, bool *out, char *msg, size_t len);

/* Formatting for messages: "25ms", "0-3,5", "1MiB", 'user text'. */
void scn_format_cpus(const struct cpumask *mask, char *buf, size_t len);
void scn_format_size(uint64_t bytes, char *buf, size_t len);
void scn_quote(const char *text, char *buf, size_t len);

/* A scheduler-specific key (see struct scn_sched_desc below). */
struct scn_sched_key {
	const char *key;
	bool required;
};

/*
 * What the parser learnt about where things were written, beyond the
 * .line fields of the public structs, and the names it could not resolve
 * yet: an ARINC653 schedule names domains that are declared further down.
 * Indexed like scenario.pools / scenario.domains.
 */
struct scn_pool_note {
	int cpus_line;
	int schedule_line;
	char (*a653_dom)[HV_NAME_MAX]; /* [nr_a653] domain names */
};

/* Where a domain's guest keys were (0: not given), for scn_check(). */
struct scn_guest_note {
	int samples_line;
	int direct_irq_line;
};

struct scn_domain_note {
	int cpus_line; /* 0 when the domain has no "cpus" key */
	struct scn_guest_note guest;
	/*
	 * RTDS: the domain-wide server (period, budget, extratime), which
	 * vcpu_sched entries override per vCPU, and where its keys were.
	 */
	bool rtds; /* the domain is in an rtds pool: defaults are set */
	bool rtds_bad; /* a domain-wide value was reported as wrong */
	bool rtds_checked; /* budget <= period was checked (and reported) */
	struct scn_rtds_vcpu rtds_dom;
	int rtds_period_line, rtds_budget_line; /* 0: not given */
};

struct scn_notes {
	struct scn_pool_note *pools;
	struct scn_domain_note *domains;
};

struct scn_ctx;

/*
 * The known schedulers and the scheduler-specific keys each one accepts
 * in its cpupool and in the domains of that pool. This is the one place to
 * extend when a scheduler is added (see scn_schedulers in scenario_sched.c).
 * Every hook may be NULL.
 */
struct scn_sched_desc {
	const char *name; /* Xen's sched= token */
	const struct scn_sched_key *pool_keys; /* {NULL}-terminated */
	const struct scn_sched_key *domain_keys; /* {NULL}-terminated */
	/* Defaults of the scheduler's members, before a pool is parsed. */
	void (*pool_defaults)(struct scn_pool *pool);
	/* The same for a domain of such a pool. */
	void (*domain_defaults)(struct scn_domain *d,
				struct scn_domain_note *note);
	/* After a domain of such a pool parsed cleanly: derive, check. */
	void (*finish_domain)(struct scn_ctx *ctx, yaml_node_t *node,
			      struct scn_domain *d,
			      struct scn_domain_note *note);
	/* Cross-field checks of one pool of this scheduler. */
	void (*check_pool)(struct scenario *s, unsigned int pool,
			   const struct scn_pool_note *note,
			   struct scn_diag *diag);
};

/* The entry named @name, or NULL. */
const struct scn_sched_desc *scn_sched_find(const char *name);

/* Fill @buf with the known scheduler names, comma separated. */
void scn_sched_list(char *buf, size_t len);

/* ARINC653: resolve and validate the window table of one pool. */
void scn_check_a653_pool(struct scenario *s, unsigned int pool,
			 const struct scn_pool_note *note,
			 struct scn_diag *diag);

/*
 * Validate everything that spans more than one mapping, once parsing has
 * succeeded, and resolve the remaining forward references. Returns 0, or
 * -EINVAL after reporting each problem to @diag.
 */
int scn_check(struct scenario *s, const struct scn_notes *notes,
	      struct scn_diag *diag);

/*
 * The YAML layer (scenario_yaml.c): read a file, turn text into a node
 * tree, walk mappings with field tables.
 */

/* Largest scenario file accepted. */
#define SCN_MAX_FILE_BYTES (16u << 20)

/*
 * Read all of @path into a new buffer, or at most SCN_MAX_FILE_BYTES + 1
 * bytes (enough to refuse it). Returns 0 or -errno; *@text is freed by the
 * caller.
 */
int scn_read_file(const char *path, char **text, size_t *len);

/*
 * Load @text into @doc after a first pass that reports syntax errors,
 * rejects aliases and more than one document, and caps the nesting depth.
 * Returns 0 (then yaml_document_delete(@doc) is the caller's), -EINVAL or
 * -ENOMEM after reporting to @diag.
 */
int scn_load_yaml(struct scn_diag *diag, const char *text, size_t len,
		  yaml_document_t *doc);

/*
 * The schema walker. Each YAML mapping of the format is described by a
 * table of fields: the key, what kind of value it takes and where in the
 * target struct (@obj) the value goes. scn_walk() checks the keys (unknown,
 * duplicate, scheduler-specific, missing), then parses the present ones in
 * table order -- so a table lists a key before the keys that depend on it,
 * e.g. a domain's "vcpus" before its per-vCPU "cpus".
 */
enum scn_kind {
	SCN_K_NAME, /* char[HV_NAME_MAX], checked by scn_check_name() */
	SCN_K_TIME, /* hv_time_t >= 0 */
	SCN_K_TIME_POS, /* hv_time_t > 0 */
	SCN_K_UINT, /* unsigned int in [min, max] */
	SCN_K_INT, /* int in [min, max] */
	SCN_K_U64, /* uint64_t */
	SCN_K_SIZE, /* uint64_t bytes, with a B/KiB/MiB unit */
	SCN_K_CPUS, /* struct cpumask from one CPU list */
	SCN_K_CHOICE, /* char[.size], one of .choices */
	SCN_K_BOOL, /* bool, by scn_parse_bool() */
	SCN_K_CUSTOM, /* anything else: .custom parses it */
};

#define SCN_F_REQUIRED 1u
#define SCN_F_SCHED 2u /* allowed only where scn_schedulers says so */

/* Longest field table; scn_walk() keeps per-field state on the stack. */
#define SCN_MAX_FIELDS 16

struct scn_field;

/* Parse @value for field @f; report problems through ctx. */
typedef void scn_custom_fn(struct scn_ctx *ctx, const struct scn_field *f,
			   yaml_node_t *value, void *obj, void *aux);

struct scn_field {
	const char *key;
	enum scn_kind kind;
	unsigned int flags;
	size_t offset; /* of the value inside @obj */
	int64_t min, max; /* SCN_K_UINT, SCN_K_INT */
	const char *const *choices; /* SCN_K_CHOICE: NULL-terminated */
	size_t size; /* SCN_K_CHOICE: bytes at @offset */
	scn_custom_fn *custom; /* SCN_K_CUSTOM */
};

struct scn_map {
	const char
	    *what; /* "task", "cpupool"...: names the mapping in messages */
	const struct scn_field *fields;
	unsigned int nr_fields;
};

/* Building field tables (scenario_fields.c, scenario_workload.c). */
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define FIELD(k, kind_, type, member, fl)             \
	{                                             \
		.key = k, .kind = kind_, .flags = fl, \
		.offset = offsetof(type, member)      \
	}
#define RANGE(k, kind_, type, member, fl, lo, hi)                      \
	{                                                              \
		.key = k, .kind = kind_, .flags = fl,                  \
		.offset = offsetof(type, member), .min = lo, .max = hi \
	}
#define CUSTOM(k, fn, fl)                                                 \
	{                                                                 \
		.key = k, .kind = SCN_K_CUSTOM, .flags = fl, .custom = fn \
	}
#define CUSTOM_AT(k, fn, type, member, fl)                     \
	{                                                      \
		.key = k, .kind = SCN_K_CUSTOM, .flags = fl,   \
		.offset = offsetof(type, member), .custom = fn \
	}
#define CHOICE(k, list, type, member, fl)                          \
	{                                                          \
		.key = k, .kind = SCN_K_CHOICE, .flags = fl,       \
		.offset = offsetof(type, member), .choices = list, \
		.size = sizeof(((type *)0)->member)                \
	}
#define MAP(name, table)                                                      \
	{                                                                     \
		.what = name, .fields = table, .nr_fields = ARRAY_SIZE(table) \
	}
#define FITS(table)                                                        \
	_Static_assert(ARRAY_SIZE(table) <= SCN_MAX_FIELDS, #table " too " \
								   "long")

#define REQ SCN_F_REQUIRED
#define SCHED SCN_F_SCHED

/* Everything one load needs; lives on scenario_load_buffer()'s stack. */
struct scn_ctx {
	struct scn_diag diag;
	yaml_document_t *doc;
	struct scenario *s;
	struct scn_notes notes;
	bool oom;
	bool pools_ok; /* cpupools parsed cleanly: names can be resolved */
	bool domains_ok; /* same for domains */
};

/* True once parsing should stop: out of memory or too many errors. */
static inline bool scn_stop(const struct scn_ctx *ctx)
{
	return ctx->oom || scn_diag_full(&ctx->diag);
}

int scn_line(const yaml_node_t *node); /* 1-based */
void scn_node_error(struct scn_ctx *ctx, const yaml_node_t *node,
		    const char *fmt, ...) __attribute__((format(printf, 3, 4)));
yaml_node_t *scn_node(struct scn_ctx *ctx, int index);
const char *scn_node_kind(const yaml_node_t *node);
/* "key:" with nothing after it, or "~" (but not "null": see the .c). */
bool scn_is_empty(const yaml_node_t *node);

/*
 * The text of scalar @node, or NULL after reporting
 * "key: expected <expected>, got <kind>".
 */
const char *scn_scalar(struct scn_ctx *ctx, const char *key, yaml_node_t *node,
		       const char *expected);

/* The text of @key's scalar value in mapping @map, or NULL; no messages. */
const char *scn_peek(struct scn_ctx *ctx, yaml_node_t *map, const char *key);

/* Length of list @node if it has min..max items, else -1 (reported). */
int scn_list_length(struct scn_ctx *ctx, const char *key, yaml_node_t *node,
		    int min, int max);
yaml_node_t *scn_list_item(struct scn_ctx *ctx, yaml_node_t *list, int i);

/* calloc() that records and reports running out of memory. */
void *scn_alloc(struct scn_ctx *ctx, const yaml_node_t *node, size_t n,
		size_t size);

bool scn_get_name(struct scn_ctx *ctx, const char *key, yaml_node_t *node,
		  char *dst);
bool scn_get_time(struct scn_ctx *ctx, const char *key, yaml_node_t *node,
		  bool positive, hv_time_t *out);
bool scn_get_cpus(struct scn_ctx *ctx, const char *key, yaml_node_t *node,
		  struct cpumask *out);
/* Index of @node's text in NULL-terminated @choices; false if reported. */
bool scn_get_choice(struct scn_ctx *ctx, const char *key, yaml_node_t *node,
		    const char *const *choices, int *index);

/*
 * Which SCN_F_SCHED keys a mapping allows: those of the scheduler of the
 * pool it describes or belongs to. @where names the mapping when one of
 * another scheduler's keys turns up: "domain 'x' (pool 'p' runs null)".
 */
struct scn_sched_scope {
	const struct scn_sched_key *keys; /* {NULL}-terminated */
	const char *where;
	/*
	 * Only the scheduler's keys are valid here, none of the mapping's
	 * other ones (and none of those is required): a variant gives a
	 * pool's or a domain's scheduler keys, not the pool or domain.
	 */
	bool sched_only;
};

/*
 * Walk mapping @node with @map, storing values into @obj; custom parsers
 * also get @aux. @scope says which SCN_F_SCHED keys are allowed here (NULL:
 * all of them, used when the scheduler itself is unknown, to avoid a
 * cascade of errors). @lines[i] receives the line of field i's key, or 0
 * when absent. Returns true when no problem was reported.
 */
bool scn_walk(struct scn_ctx *ctx, yaml_node_t *node, const struct scn_map *map,
	      const struct scn_sched_scope *scope, void *obj, void *aux,
	      int *lines);

/*
 * Helpers of the schema (scenario_parse.c) and the entry points of its
 * parts (scenario_fields.c, scenario_workload.c).
 */

/* Tasks, irqs or hogs in one domain; budgets in a scenario. */
#define SCN_MAX_ITEMS 1024

/*
 * Parse every item of list @node (0..@max items) into a new array of
 * @size-byte structs. The count is set before the items are parsed so that
 * scenario_free() can always release what was built.
 */
void *scn_parse_list(struct scn_ctx *ctx, const char *key, yaml_node_t *node,
		     int max, size_t size,
		     void (*parse_item)(struct scn_ctx *, yaml_node_t *,
					void *item),
		     unsigned int *count);

/*
 * Report item @i of an array of named structs (name first, an int line at
 * @line_offset) when an earlier item has the same name.
 */
void scn_check_unique_name(struct scn_ctx *ctx, const char *what,
			   const void *items, size_t stride, size_t line_offset,
			   unsigned int i);

#define CHECK_UNIQUE(ctx, what, array, i)                         \
	scn_check_unique_name(ctx, what, array, sizeof(*(array)), \
			      offsetof(__typeof__(*(array)), line), i)

/* A domain's "workload" mapping: tasks, irqs and hogs. */
scn_custom_fn scn_parse_workload;

/* "a, b, c": names of @n structs of @stride bytes whose name is first. */
void scn_join_names(const void *items, size_t stride, unsigned int n, char *buf,
		    size_t len);

/* Index of the cpupool named @name, or -1. */
int scn_find_pool(const struct scenario *s, const char *name);

/*
 * The scheduler keys of one pool or one domain, alone in mapping @node
 * (a variant's entry): walked with the cpupool or domain field table,
 * only @desc's keys allowed, @what naming the mapping in messages. The
 * caller has set the defaults of @desc; a domain's finish_domain hook is
 * left to the caller. Returns true when nothing was reported.
 */
bool scn_parse_pool_params(struct scn_ctx *ctx, yaml_node_t *node,
			   const struct scn_sched_desc *desc, const char *what,
			   struct scn_pool *pool, struct scn_pool_note *note);
bool scn_parse_domain_params(struct scn_ctx *ctx, yaml_node_t *node,
			     const struct scn_sched_desc *desc,
			     const char *what, struct scn_domain *d,
			     struct scn_domain_note *note);

/* ARINC653: resolve and validate the window table @pool of pool @p. */
void scn_check_a653_table(struct scenario *s, unsigned int p,
			  struct scn_pool *pool,
			  const struct scn_pool_note *note,
			  struct scn_diag *diag);

/* Every budget's task exists in its domain (after parsing). */
void scn_check_budgets(const struct scenario *s,
		       const struct scn_budget *budgets, unsigned int nr,
		       struct scn_diag *diag);

/*
 * The qemu backend's keys (scenario_guest.c): a domain's "guest" mapping
 * (@aux is its struct scn_domain_note), and "machine.qemu" (@obj is the
 * struct scn_machine; "pcpus" and the top-level "duration" come first).
 */
scn_custom_fn scn_parse_guest;
scn_custom_fn scn_parse_qemu;

/* machine.qemu's defaults, for a machine without a "qemu" key. */
void scn_qemu_defaults(struct scenario *s);

/*
 * Guest checks that need the whole scenario: one vCPU, direct_irq's
 * pinning, the tasks guest's task set, samples against the duration.
 */
void scn_check_guest(struct scenario *s, unsigned int domain,
		     const struct scn_domain_note *note, struct scn_diag *diag);

/* The top-level "budgets" list (scenario_budgets.c). */
scn_custom_fn scn_parse_budgets;

/* The top-level "variants" mapping (scenario_variants.c). */
scn_custom_fn scn_parse_variants;

/* Free what a scenario's variants own, and the array. */
void scn_free_variants(struct scenario *s);

/*
 * The values of scheduler-specific keys (scenario_sched.c), for the field
 * tables of scenario_fields.c. Pool keys take the struct scn_pool, domain
 * keys the struct scn_domain and its struct scn_domain_note as @aux.
 */
scn_custom_fn scn_parse_c2_ratelimit; /* credit2 pool: ratelimit */
scn_custom_fn scn_parse_c2_runqueue; /* credit2 pool: runqueue */
scn_custom_fn scn_parse_c2_cap; /* credit2 domain: cap (after vcpus) */
scn_custom_fn scn_parse_rtds_time; /* rtds domain: period, budget */
scn_custom_fn scn_parse_rtds_extratime; /* rtds domain: extratime */
scn_custom_fn scn_parse_rtds_vcpus; /* rtds domain: vcpu_sched (last) */

/* The whole document from its root node (NULL when there is none). */
void scn_parse_root(struct scn_ctx *ctx, yaml_node_t *root);

#endif /* HV_SCENARIO_PRIVATE_H */
