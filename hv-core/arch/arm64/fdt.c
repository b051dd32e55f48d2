/*
 * The flattened device tree reader (see fdt.h). Written from the
 * Devicetree Specification v0.4, chapter 5 ("Flattened Devicetree (DTB)
 * Format"):
 *
 *   +----------------+ 0
 *   | header         |  magic, totalsize, offsets and sizes of the blocks
 *   +----------------+ off_mem_rsvmap
 *   | reserve map    |  {u64 address, u64 size}..., ended by {0, 0}
 *   +----------------+ off_dt_struct
 *   | structure      |  tokens: BEGIN_NODE name, PROP {len, nameoff}
 *   |                |  value, END_NODE, NOP, ..., END; 4-byte aligned
 *   +----------------+ off_dt_strings
 *   | strings        |  property names, NUL-terminated
 *   +----------------+ totalsize
 *
 * Every number is big-endian. Offsets are kept in 64 bits while they are
 * checked, so no sum of untrusted values can wrap.
 */
#include <errno.h>
#include <string.h>

#include "fdt.h"

#define DT_MAGIC 0xd00dfeedu
#define DT_TOKEN_BEGIN_NODE 1u
#define DT_TOKEN_END_NODE 2u
#define DT_TOKEN_PROP 3u
#define DT_TOKEN_NOP 4u
#define DT_TOKEN_END 9u

/* Header fields (byte offsets); size_dt_struct exists from version 17. */
#define HDR_MAGIC 0
#define HDR_TOTALSIZE 4
#define HDR_OFF_STRUCT 8
#define HDR_OFF_STRINGS 12
#define HDR_OFF_RSVMAP 16
#define HDR_VERSION 20
#define HDR_LAST_COMP 24
#define HDR_SIZE_STRINGS 32
#define HDR_SIZE_STRUCT 36
#define HDR_BYTES_V16 36
#define HDR_BYTES_V17 40

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static uint64_t align4(uint64_t off)
{
	return (off + 3) & ~(uint64_t)3;
}

/* One token of the structure block, as read by next_token(). */
struct token {
	uint32_t tag;
	uint32_t next; /* offset of the token after it */
	const char *name; /* BEGIN_NODE: node name; PROP: property name */
	uint32_t data; /* PROP: offset of the value */
	uint32_t len; /* PROP: its length */
};

/* Index of the first NUL in @p[0..@len), or -1 (memchr, kept local). */
static int64_t find_nul(const uint8_t *p, uint64_t len)
{
	for (uint64_t i = 0; i < len; i++)
		if (!p[i])
			return (int64_t)i;
	return -1;
}

/* Length of the string at @off if it ends before @end, else -1. */
static int64_t bounded_strlen(const struct dt *dt, uint64_t off, uint64_t end)
{
	return off < end ? find_nul(dt->blob + off, end - off) : -1;
}

/*
 * Read the token at @off into @t. Everything it refers to is checked to
 * lie inside its block. Return: 0, or -EINVAL.
 */
static int next_token(const struct dt *dt, uint64_t off, struct token *t)
{
	uint64_t p = off + 4, name, len;
	int64_t n;

	if (off < dt->struct_off || off % 4 || p > dt->struct_end)
		return -EINVAL;
	t->tag = be32(dt->blob + off);
	t->name = NULL;
	switch (t->tag) {
	case DT_TOKEN_BEGIN_NODE:
		n = bounded_strlen(dt, p, dt->struct_end);
		if (n < 0)
			return -EINVAL;
		t->name = (const char *)dt->blob + p;
		p = align4(p + (uint64_t)n + 1);
		break;
	case DT_TOKEN_PROP:
		if (p + 8 > dt->struct_end)
			return -EINVAL;
		len = be32(dt->blob + p);
		name = dt->strings_off + (uint64_t)be32(dt->blob + p + 4);
		if (len > dt->struct_end - (p + 8) ||
		    bounded_strlen(dt, name, dt->strings_end) < 0)
			return -EINVAL;
		t->name = (const char *)dt->blob + name;
		t->data = (uint32_t)(p + 8);
		t->len = (uint32_t)len;
		p = align4(p + 8 + len);
		break;
	case DT_TOKEN_END_NODE:
	case DT_TOKEN_NOP:
	case DT_TOKEN_END: break;
	default: return -EINVAL;
	}
	if (p > dt->struct_end)
		return -EINVAL;
	t->next = (uint32_t)p;
	return 0;
}

static int fail(const char **why, uint32_t *at, const char *what, uint64_t off)
{
	*why = what;
	*at = (uint32_t)off;
	return -EINVAL;
}

static int check_header(struct dt *dt, size_t len, const char **why,
			uint32_t *at)
{
	const uint8_t *b = dt->blob;
	uint64_t total, st, st_size, str, str_size, rsv, hdr;
	uint32_t version;

	if (len < HDR_BYTES_V16)
		return fail(why, at, "shorter than a header", len);
	if (be32(b + HDR_MAGIC) != DT_MAGIC)
		return fail(why, at, "bad magic; expected 0xd00dfeed",
			    HDR_MAGIC);
	version = be32(b + HDR_VERSION);
	if (version < 16)
		return fail(why, at, "version below 16", HDR_VERSION);
	if (be32(b + HDR_LAST_COMP) > 17)
		return fail(why, at,
			    "last compatible version above 17, not readable",
			    HDR_LAST_COMP);
	hdr = version >= 17 ? HDR_BYTES_V17 : HDR_BYTES_V16;
	total = be32(b + HDR_TOTALSIZE);
	if (len < hdr || total < hdr)
		return fail(why, at, "shorter than a header", HDR_TOTALSIZE);
	if (total > len)
		return fail(why, at, "totalsize is larger than the blob",
			    HDR_TOTALSIZE);
	st = be32(b + HDR_OFF_STRUCT);
	st_size = version >= 17 ? be32(b + HDR_SIZE_STRUCT) : total - st;
	str = be32(b + HDR_OFF_STRINGS);
	str_size = be32(b + HDR_SIZE_STRINGS);
	rsv = be32(b + HDR_OFF_RSVMAP);
	if (st < hdr || st % 4 || st > total || st_size > total - st)
		return fail(why, at, "structure block outside the blob",
			    HDR_OFF_STRUCT);
	if (str < hdr || str > total || str_size > total - str)
		return fail(why, at, "strings block outside the blob",
			    HDR_OFF_STRINGS);
	if (rsv < hdr || rsv % 8 || rsv > total)
		return fail(why, at, "reserve map outside the blob",
			    HDR_OFF_RSVMAP);
	/* The reserve map ends with an all-zero entry inside the blob. */
	for (;; rsv += 16) {
		if (rsv + 16 > total)
			return fail(why, at, "reserve map has no end", rsv);
		if (!be32(b + rsv) && !be32(b + rsv + 4) &&
		    !be32(b + rsv + 8) && !be32(b + rsv + 12))
			break;
	}
	dt->size = (uint32_t)total;
	dt->struct_off = (uint32_t)st;
	dt->struct_end = (uint32_t)(st + st_size);
	dt->strings_off = (uint32_t)str;
	dt->strings_end = (uint32_t)(str + str_size);
	return 0;
}

/*
 * One pass over the structure block: NOPs, then the root node with its
 * properties before its children and nesting balanced, then NOPs and END.
 */
static int check_structure(struct dt *dt, const char **why, uint32_t *at)
{
	uint64_t off = dt->struct_off;
	bool props_allowed = false, root_done = false;
	struct token t;
	int depth = 0;

	dt->root = -1;
	for (;;) {
		if (next_token(dt, off, &t))
			return fail(why, at, "bad token in the structure block",
				    off);
		switch (t.tag) {
		case DT_TOKEN_BEGIN_NODE:
			if (root_done)
				return fail(why, at, "a second root node", off);
			if (++depth > DT_MAX_DEPTH)
				return fail(why, at, "nodes nested too deep",
					    off);
			if (dt->root < 0)
				dt->root = (int)off;
			props_allowed = true;
			break;
		case DT_TOKEN_PROP:
			if (!props_allowed)
				return fail(why, at,
					    "property outside a node or after "
					    "a subnode",
					    off);
			break;
		case DT_TOKEN_END_NODE:
			if (!depth)
				return fail(why, at, "END_NODE without a node",
					    off);
			root_done = !--depth;
			props_allowed = false;
			break;
		case DT_TOKEN_END:
			if (!root_done)
				return fail(why, at,
					    depth ? "END inside a node"
						  : "no root node",
					    off);
			return 0;
		default: break; /* NOP */
		}
		off = t.next;
	}
}

int dt_open(struct dt *dt, const void *blob, size_t len, const char **why,
	    uint32_t *at)
{
	int rc;

	memset(dt, 0, sizeof(*dt));
	dt->root = -1;
	if (!blob)
		return fail(why, at, "no blob", 0);
	dt->blob = blob;
	rc = check_header(dt, len, why, at);
	if (!rc)
		rc = check_structure(dt, why, at);
	if (rc)
		dt->blob = NULL; /* every accessor fails from now on */
	return rc;
}

/* The token at @node, which must be a BEGIN_NODE. */
static int node_token(const struct dt *dt, int node, struct token *t)
{
	if (!dt->blob || node < 0 || next_token(dt, (uint64_t)node, t) ||
	    t->tag != DT_TOKEN_BEGIN_NODE)
		return -EINVAL;
	return 0;
}

const char *dt_name(const struct dt *dt, int node)
{
	struct token t;

	return node_token(dt, node, &t) ? "" : t.name;
}

int dt_next_node(const struct dt *dt, int node, int *depth)
{
	struct token t;
	uint64_t off;

	if (node_token(dt, node, &t))
		return -EINVAL;
	for (;;) {
		off = t.next;
		if (next_token(dt, off, &t))
			return -EINVAL;
		switch (t.tag) {
		case DT_TOKEN_BEGIN_NODE: ++*depth; return (int)off;
		case DT_TOKEN_END_NODE: --*depth; break;
		case DT_TOKEN_END: return -ENOENT;
		default: break;
		}
	}
}

int dt_first_child(const struct dt *dt, int node)
{
	int depth = 0;
	int next = dt_next_node(dt, node, &depth);

	if (next < 0)
		return next;
	return depth == 1 ? next : -ENOENT;
}

int dt_next_sibling(const struct dt *dt, int node)
{
	int depth = 0;
	int next = dt_next_node(dt, node, &depth);

	while (next >= 0 && depth > 0)
		next = dt_next_node(dt, next, &depth);
	if (next < 0)
		return next;
	return depth == 0 ? next : -ENOENT;
}

static bool strchr_n(const char *s, char c, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] == c)
			return true;
	return false;
}

static bool name_matches(const char *node_name, const char *name, size_t len)
{
	if (strncmp(node_name, name, len))
		return false;
	/* "memory" matches "memory@40000000" but not "memory-x". */
	return !node_name[len] ||
	       (node_name[len] == '@' && !strchr_n(name, '@', len));
}

static int subnode_n(const struct dt *dt, int parent, const char *name,
		     size_t len)
{
	int child = dt_first_child(dt, parent);

	for (; child >= 0; child = dt_next_sibling(dt, child))
		if (name_matches(dt_name(dt, child), name, len))
			return child;
	return child;
}

int dt_subnode(const struct dt *dt, int parent, const char *name)
{
	return subnode_n(dt, parent, name, strlen(name));
}

int dt_path(const struct dt *dt, const char *path)
{
	int node = dt->blob ? dt->root : -EINVAL;

	if (node < 0 || path[0] != '/')
		return -EINVAL;
	while (*path) {
		size_t len;

		while (*path == '/')
			path++;
		for (len = 0; path[len] && path[len] != '/'; len++)
			;
		if (!len)
			break;
		node = subnode_n(dt, node, path, len);
		if (node < 0)
			return node;
		path += len;
	}
	return node;
}

/*
 * The chain of nodes from the root down to @node: stack[0] is the root,
 * stack[*depth] is @node. Return: 0, -ENOENT when @node is not a node of
 * the tree, -EINVAL.
 */
static int node_chain(const struct dt *dt, int node, int *stack, int *depth)
{
	int cur = dt->blob ? dt->root : -EINVAL;
	int d = 0;

	if (cur < 0 || node < 0)
		return -EINVAL;
	stack[0] = cur;
	while (cur != node) {
		cur = dt_next_node(dt, cur, &d);
		if (cur < 0)
			return cur;
		if (d < 0 || d >= DT_MAX_DEPTH)
			return -EINVAL; /* dt_open() rules this out */
		stack[d] = cur;
	}
	*depth = d;
	return 0;
}

int dt_parent(const struct dt *dt, int node)
{
	int stack[DT_MAX_DEPTH], depth;
	int rc = node_chain(dt, node, stack, &depth);

	if (rc)
		return rc;
	return depth ? stack[depth - 1] : -ENOENT;
}

static void append(char *buf, size_t len, size_t *used, const char *s)
{
	while (*s && *used + 1 < len)
		buf[(*used)++] = *s++;
	buf[*used] = '\0';
}

int dt_node_path(const struct dt *dt, int node, char *buf, size_t len)
{
	int stack[DT_MAX_DEPTH], depth;
	size_t used = 0;
	int rc;

	if (!len)
		return -EINVAL;
	buf[0] = '\0';
	rc = node_chain(dt, node, stack, &depth);
	if (rc)
		return rc;
	if (!depth)
		append(buf, len, &used, "/");
	for (int i = 1; i <= depth; i++) {
		append(buf, len, &used, "/");
		append(buf, len, &used, dt_name(dt, stack[i]));
	}
	return 0;
}

int dt_prop(const struct dt *dt, int node, const char *name,
	    struct dt_prop *prop)
{
	struct token t;

	if (node_token(dt, node, &t))
		return -EINVAL;
	for (;;) {
		if (next_token(dt, t.next, &t))
			return -EINVAL;
		if (t.tag == DT_TOKEN_NOP)
			continue;
		if (t.tag != DT_TOKEN_PROP)
			return -ENOENT; /* properties come before subnodes */
		if (!strcmp(t.name, name)) {
			prop->data = dt->blob + t.data;
			prop->len = t.len;
			return 0;
		}
	}
}

static bool node_enabled(const struct dt *dt, int node)
{
	struct dt_prop status;

	if (dt_prop(dt, node, "status", &status))
		return true;
	return dt_prop_has_string(&status, "okay") ||
	       dt_prop_has_string(&status, "ok");
}

int dt_find_compatible(const struct dt *dt, int from, const char *compat)
{
	int node = from < 0 ? dt->root : dt_next_node(dt, from, &(int){0});
	struct dt_prop p;

	if (!dt->blob)
		return -EINVAL;
	for (; node >= 0; node = dt_next_node(dt, node, &(int){0}))
		if (!dt_prop(dt, node, "compatible", &p) &&
		    dt_prop_has_string(&p, compat) && node_enabled(dt, node))
			return node;
	return node;
}

uint32_t dt_cell(const struct dt_prop *prop, uint32_t i)
{
	if ((uint64_t)i * 4 + 4 > prop->len)
		return 0; /* a caller's bug; never read past the value */
	return be32(prop->data + (size_t)i * 4);
}

uint64_t dt_cells(const struct dt_prop *prop, uint32_t i, uint32_t n)
{
	uint64_t v = 0;

	for (uint32_t k = 0; k < n && k < 2; k++)
		v = v << 32 | dt_cell(prop, i + k);
	return v;
}

bool dt_prop_is_string(const struct dt_prop *prop)
{
	return prop->len &&
	       find_nul(prop->data, prop->len) == (int64_t)prop->len - 1;
}

bool dt_prop_has_string(const struct dt_prop *prop, const char *s)
{
	uint32_t off = 0;

	if (!prop->len || prop->data[prop->len - 1])
		return false;
	while (off < prop->len) {
		const char *cur = (const char *)prop->data + off;
		size_t n = strlen(cur); /* ends inside: last byte is NUL */

		if (!strcmp(cur, s))
			return true;
		off += (uint32_t)n + 1;
	}
	return false;
}
