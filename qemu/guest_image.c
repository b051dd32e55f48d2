/*
 * Guest images for the QEMU backend: a copy of the built guest binary
 * (bench/guests/, build/arm64/guests/NAME.bin) with the scenario's values
 * written into its parameter block (struct guest_params at byte 64,
 * <hv/guest_abi.h>). The built image is checked first: the Image header
 * magic Xen needs, the block's magic and version, and that the image is
 * the kind the scenario asks for.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hv/guest_abi.h>

#include "qemu/qemu_run.h"
#include "scenario/scenario.h"

static uint32_t get32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static uint64_t get64(const unsigned char *p)
{
	return (uint64_t)get32(p) | (uint64_t)get32(p + 4) << 32;
}

static void fill_params(const struct scenario *scn, const struct scn_domain *d,
			struct guest_params *gp)
{
	const struct scn_guest *g = &d->guest;

	gp->domid = d->domid;
	gp->samples = g->samples;
	gp->delta_min_ns = (uint64_t)g->delta_min;
	gp->delta_max_ns = (uint64_t)g->delta_max;
	/* each domain its own sequence, all of them fixed by the seed */
	gp->seed = scn->seed * 0x9e3779b97f4a7c15ull + d->domid;
	gp->fault_after_ns = (uint64_t)g->fault_after;
	gp->memory_mib = (uint32_t)(g->memory >> 20);
	gp->nr_tasks = 0;
	if (g->image != SCN_GUEST_TASKS)
		return;
	for (unsigned int i = 0; i < d->nr_tasks && i < GUEST_MAX_TASKS; i++) {
		const struct scn_task *t = &d->tasks[i];
		struct guest_task_params *p = &gp->tasks[gp->nr_tasks++];

		p->period_ns = (uint64_t)t->period;
		p->deadline_ns = (uint64_t)t->deadline;
		p->offset_ns = (uint64_t)t->offset;
		p->exec_ns = (uint64_t)t->exec.max;
		p->priority = (uint32_t)t->priority;
	}
}

int qemu_write_guest_image(const struct scenario *scn,
			   const struct scn_domain *d, const char *guest_dir,
			   const char *out_path, FILE *err)
{
	/* qemu_layout() has refused a domain without a guest */
	const char *name = guest_kind_name(d->guest.image);
	char path[4200];
	unsigned char *img = NULL;
	struct guest_params gp;
	size_t len = 0;
	int rc;

	snprintf(path, sizeof(path), "%s/%s.bin", guest_dir, name);
	rc = qemu_read_file(path, (void **)&img, &len);
	if (rc) {
		if (rc == -EIO)
			fprintf(err, "%s: cannot read\n", path);
		else
			fprintf(err,
				"%s: cannot open: %s (run 'make guests')\n",
				path, strerror(-rc));
		return rc;
	}
	if (len < GUEST_PARAMS_OFFSET + sizeof(gp) ||
	    get32(img + 56) != GUEST_IMAGE_MAGIC) {
		fprintf(err, "%s: not an arm64 Image (magic at offset 56)\n",
			path);
		free(img);
		return -EINVAL;
	}
	if (get64(img + 16) > d->guest.memory) {
		fprintf(err,
			"%s:%d: domain '%s': image %s needs %llu bytes of RAM "
			"(its Image header's image_size); guest.memory is "
			"%llu\n",
			scn->path, d->guest.line, d->name, path,
			(unsigned long long)get64(img + 16),
			(unsigned long long)d->guest.memory);
		free(img);
		return -EINVAL;
	}
	memcpy(&gp, img + GUEST_PARAMS_OFFSET, sizeof(gp));
	if (gp.magic != GUEST_PARAMS_MAGIC ||
	    gp.version != GUEST_PARAMS_VERSION ||
	    gp.kind != (uint32_t)d->guest.image) {
		fprintf(err,
			"%s: offset %u: expected a version %u parameter block "
			"of kind %u (%s), found magic %#x version %u kind %u\n",
			path, GUEST_PARAMS_OFFSET, GUEST_PARAMS_VERSION,
			(unsigned int)d->guest.image, name, gp.magic,
			gp.version, gp.kind);
		free(img);
		return -EINVAL;
	}
	fill_params(scn, d, &gp);
	memcpy(img + GUEST_PARAMS_OFFSET, &gp, sizeof(gp));
	rc = qemu_write_file(out_path, img, len);
	if (rc)
		fprintf(err, "%s: cannot write: %s\n", out_path, strerror(-rc));
	free(img);
	return rc;
}
