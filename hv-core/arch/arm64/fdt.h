/*
 * A small reader of flattened device trees (the DTB format of the
 * Devicetree Specification v0.4, chapter 5), for the hypervisor's
 * configuration (config.c). Read-only, no allocation, no libc beyond
 * string functions; it compiles freestanding for aarch64 and on the host.
 *
 * The blob is not trusted: dt_open() checks the header and walks the
 * whole structure block once (every token, name and property inside its
 * block, nesting balanced and bounded), and every accessor checks its
 * reads again, so a malformed blob gives an error, never a wild read.
 * Nothing assumes the blob is aligned: values are read byte by byte.
 *
 * Nodes are named by the offset of their BEGIN_NODE token in the blob
 * (an int >= 0); functions that return a node return a negative errno
 * instead when there is none (-ENOENT) or the blob is bad (-EINVAL).
 * The prefix is dt_, not fdt_, so that host tests can link libfdt too.
 */
#ifndef HV_ARM64_FDT_H
#define HV_ARM64_FDT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Deepest nesting dt_open() accepts (QEMU virt's tree is 5 deep). */
#define DT_MAX_DEPTH 16

/* Longest node path dt_node_path() writes, NUL included. */
#define DT_PATH_MAX 256

/* A checked blob; filled by dt_open(), read-only afterwards. */
struct dt {
	const uint8_t *blob;
	uint32_t size; /* header totalsize, <= the buffer */
	uint32_t struct_off, struct_end; /* structure block [off, end) */
	uint32_t strings_off, strings_end; /* strings block [off, end) */
	int root; /* the root node */
};

/* One property's value: @len bytes at @data, inside the blob. */
struct dt_prop {
	const uint8_t *data;
	uint32_t len;
};

/*
 * dt_open() - check the blob at @blob (@len bytes available) and fill
 * @dt. Checks the magic, totalsize <= @len, version >= 16, that every
 * block lies inside totalsize, and the structure block token by token.
 * Return: 0; or -EINVAL with *@why set to a static description and *@at
 * to the byte offset the problem was found at.
 */
int dt_open(struct dt *dt, const void *blob, size_t len, const char **why,
	    uint32_t *at);

/* Name of @node ("cpu@0"; "" for the root), or "" when @node is bad. */
const char *dt_name(const struct dt *dt, int node);

/*
 * Walk nodes in document order: the node after @node, with *@depth moved
 * by the levels crossed (+1 for a child, 0 for a sibling, -1 for the
 * parent's next sibling...). Return: a node; -ENOENT at the end; -EINVAL.
 */
int dt_next_node(const struct dt *dt, int node, int *depth);

/* First child / next sibling of @node, or -ENOENT, or -EINVAL. */
int dt_first_child(const struct dt *dt, int node);
int dt_next_sibling(const struct dt *dt, int node);

/*
 * The child of @parent named @name: exactly ("cpu@0"), or, when @name
 * has no '@', by the part before the unit address ("memory" finds
 * "memory@40000000"); the first match. Return: a node, -ENOENT, -EINVAL.
 */
int dt_subnode(const struct dt *dt, int parent, const char *name);

/* The node at absolute @path ("/cpus/cpu@0"), or -ENOENT, or -EINVAL. */
int dt_path(const struct dt *dt, const char *path);

/* The parent of @node; -ENOENT for the root; -EINVAL. */
int dt_parent(const struct dt *dt, int node);

/*
 * Write @node's full path ("/hvlab/domain@0") into @buf (cut to fit,
 * always terminated when @len > 0). Return: 0, or -EINVAL.
 */
int dt_node_path(const struct dt *dt, int node, char *buf, size_t len);

/*
 * Property @name of @node (not of its children). Return: 0 and *@prop;
 * -ENOENT; -EINVAL.
 */
int dt_prop(const struct dt *dt, int node, const char *name,
	    struct dt_prop *prop);

/*
 * The next node after @from (-1: from the start) in document order whose
 * "compatible" list holds @compat and whose "status" is absent, "okay"
 * or "ok". Return: a node, -ENOENT, -EINVAL.
 */
int dt_find_compatible(const struct dt *dt, int from, const char *compat);

/* Big-endian 32-bit cell @i of @prop; the caller checks the length. */
uint32_t dt_cell(const struct dt_prop *prop, uint32_t i);

/* @n cells (1 or 2) from cell @i on, as one number. */
uint64_t dt_cells(const struct dt_prop *prop, uint32_t i, uint32_t n);

/* True when @prop is one NUL-terminated string with no NUL inside. */
bool dt_prop_is_string(const struct dt_prop *prop);

/* True when @prop is a string list (NUL-terminated) that holds @s. */
bool dt_prop_has_string(const struct dt_prop *prop, const char *s);

#endif /* HV_ARM64_FDT_H */
