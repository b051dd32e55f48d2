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

static const char *image_name(enum scn_guest_image img)
{
	switch (img) {
	case SCN_GUEST_IRQLAT: return "irqlat";
	case SCN_GUEST_HOG: return "hog";
	case SCN_GUEST_TASKS: return "tasks";
	case SCN_GUEST_PROBE: return "probe";
	case SCN_GUEST_NONE: break;
	}
	return NULL;
}

static uint32_t get32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static uint64_t get64(const unsigned char *p)
{
	return (uint64_t)get32(p) | (uint64_t)get32(p + 4) << 32;
}

static int read_whole(const char *path, unsigned char **out, size_t *len,
		      FILE *err)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf;
	long n;

	if (!f) {
		fprintf(err, "%s: cannot open: %s (run 'make guests')\n", path,
			strerror(errno));
		return -errno;
	}
	if (fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET)) {
		fclose(f);
		fprintf(err, "%s: cannot read\n", path);
		return -EIO;
	}
	buf = malloc(n ? (size_t)n : 1);
	if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		fclose(f);
		fprintf(err, "%s: cannot read\n", path);
		return -EIO;
	}
	fclose(f);
	*out = buf;
	*len = (size_t)n;
	return 0;
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
	const char *name = image_name(d->guest.image);
	char path[4200];
	unsigned char *img = NULL;
	struct guest_params gp;
	size_t len = 0;
	FILE *out;
	int rc;

	if (!name) {
		fprintf(err,
			"%s:%d: domain '%s': no guest image; the qemu backend "
			"runs a guest per domain (guest: {image: irqlat|hog|"
			"tasks})\n",
			scn->path, d->line, d->name);
		return -EINVAL;
	}
	snprintf(path, sizeof(path), "%s/%s.bin", guest_dir, name);
	rc = read_whole(path, &img, &len, err);
	if (rc)
		return rc;
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
	out = fopen(out_path, "wb");
	rc = out && fwrite(img, 1, len, out) == len ? 0 : -EIO;
	if (out && fclose(out))
		rc = -EIO;
	if (rc)
		fprintf(err, "%s: cannot write: %s\n", out_path,
			strerror(errno));
	free(img);
	return rc;
}
