/*
 * The QEMU backend of "hvlab run" (docs/arm64.md, "The runner"): the
 * hypervisor image and the guests under QEMU virt with -icount, the
 * trace written by the hypervisor through semihosting.
 */
#ifndef HV_QEMU_RUN_H
#define HV_QEMU_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* QEMU's exit status is the hypervisor's: enum hv_exit_status,
 * hv_exit_status_text(). */
#include "hv-core/arch/arm64/config.h"

struct scenario;
struct scn_domain;

/* What a finished QEMU run reports. */
struct qemu_result {
	int hv_status; /* enum hv_exit_status, or -1 if QEMU did not exit */
	double host_seconds;
	bool timed_out; /* killed at the scenario's qemu.timeout */
};

/*
 * Run @scn under QEMU with its files in @out_dir (which exists): builds
 * what is missing, writes board.dtb, machine.dtb, the guest images,
 * console.log and (from the hypervisor) trace.xt. Progress goes to
 * stderr unless @quiet. Returns 0 when QEMU ran and exited by itself
 * (see @res for the hypervisor's status), or a negative errno after
 * printing why to @err, with the console's tail when QEMU misbehaved.
 */
int qemu_run_scenario(const struct scenario *scn, const char *out_dir,
		      bool quiet, FILE *err, struct qemu_result *res);

/* A whole file into *@out (malloc'ed): 0, or a negative errno (-EIO when
 * it opened but could not be read). */
int qemu_read_file(const char *path, void **out, size_t *len);

/* Write @len bytes to @path: 0 or a negative errno. */
int qemu_write_file(const char *path, const void *buf, size_t len);

/* Copy the built image of @d's guest to @out_path with its parameters. */
int qemu_write_guest_image(const struct scenario *scn,
			   const struct scn_domain *d, const char *guest_dir,
			   const char *out_path, FILE *err);

#endif /* HV_QEMU_RUN_H */
