/* Output files and directories (analysis/files.h). */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>

#include "analysis/files.h"

int files_dir_has_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int found = 0;

	if (!d)
		return errno == ENOENT ? 0 : -errno;
	while (!found && (e = readdir(d)))
		found = strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	closedir(d);
	return found;
}

int files_mkdir_p(const char *path)
{
	char buf[PATH_MAX + 128];
	size_t len = strlen(path);

	if (!len || len >= sizeof(buf))
		return -ENAMETOOLONG;
	memcpy(buf, path, len + 1);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0777) && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	return mkdir(buf, 0777) && errno != EEXIST ? -errno : 0;
}

int files_write_with(const char *path, int (*fn)(const void *, FILE *),
		     const void *arg, FILE *err)
{
	FILE *f = fopen(path, "w");
	int rc;

	if (!f) {
		rc = -errno;
		fprintf(err, "%s: cannot create: %s\n", path, strerror(-rc));
		return rc;
	}
	rc = fn(arg, f);
	if (fclose(f) && !rc)
		rc = -EIO;
	if (rc)
		fprintf(err, "%s: write failed\n", path);
	return rc;
}
