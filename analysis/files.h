/*
 * Output files and directories, as hvlab run, compare, report and gate
 * write them: the same checks and the same messages everywhere.
 */
#ifndef HV_ANALYSIS_FILES_H
#define HV_ANALYSIS_FILES_H

#include <stdio.h>

/* 1: @dir exists and holds entries; 0: absent or empty; <0: -errno. */
int files_dir_has_entries(const char *dir);

/* mkdir -p @path. Returns 0 or a negative errno (-ENAMETOOLONG). */
int files_mkdir_p(const char *path);

/*
 * Create @path and fill it with @fn(@arg, file), which returns 0 or a
 * negative errno. Failures are reported on @err ("cannot create: ...",
 * "write failed"). Returns 0 or a negative errno.
 */
int files_write_with(const char *path, int (*fn)(const void *, FILE *),
		     const void *arg, FILE *err);

#endif /* HV_ANALYSIS_FILES_H */
