/* analysis/files.c: output directories and files. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analysis/files.h"

static int put_hello(const void *arg, FILE *f)
{
	(void)arg;
	return fputs("hello\n", f) < 0 ? -EIO : 0;
}

static int put_fails(const void *arg, FILE *f)
{
	(void)arg, (void)f;
	return -EIO;
}

static void test_dirs_and_files(void **state)
{
	char dir[] = "/tmp/hvlab-files-XXXXXX", path[256], msg[256] = "";
	FILE *err = fmemopen(msg, sizeof(msg), "w");
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	assert_int_equal(files_dir_has_entries(dir), 0);
	snprintf(path, sizeof(path), "%s/a/b/c", dir);
	assert_int_equal(files_mkdir_p(path), 0);
	assert_int_equal(files_mkdir_p(path), 0); /* exists: fine */
	assert_int_equal(files_dir_has_entries(dir), 1);
	snprintf(path, sizeof(path), "%s/nothing-here", dir);
	assert_int_equal(files_dir_has_entries(path), 0);

	snprintf(path, sizeof(path), "%s/a/out.txt", dir);
	assert_int_equal(files_write_with(path, put_hello, NULL, err), 0);
	f = fopen(path, "r");
	assert_non_null(f);
	assert_non_null(fgets(msg, sizeof(msg), f));
	assert_string_equal(msg, "hello\n");
	fclose(f);
	/* the writer's failure is reported and returned */
	assert_int_equal(files_write_with(path, put_fails, NULL, err), -EIO);
	fflush(err);
	assert_non_null(strstr(msg, "out.txt: write failed"));
	/* a file where a directory should be */
	snprintf(path, sizeof(path), "%s/a/out.txt/x", dir);
	assert_true(files_mkdir_p(path) < 0);
	assert_true(files_write_with(path, put_hello, NULL, err) < 0);
	fclose(err);
	snprintf(path, sizeof(path), "rm -rf '%s'", dir);
	assert_int_equal(system(path), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_dirs_and_files),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
