/*
 * The QEMU backend: prepare a run directory, start QEMU there, watch it.
 *
 * QEMU runs with its working directory set to the run directory, so the
 * hypervisor's semihosted trace.xt lands there; its console (the PL011)
 * goes to console.log. The tool never waits on QEMU unboundedly: a run
 * that outlives the scenario's qemu.timeout of host time is killed and
 * reported with the console's last lines.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <hv/guest_abi.h>

#include "qemu/qemu_dt.h"
#include "qemu/qemu_run.h"
#include "scenario/scenario.h"

#define QEMU "qemu-system-aarch64"
#define MAX_ARGS 96

/* The source tree: $HVLAB_ROOT, else two levels above this executable. */
static int find_root(char *root, size_t len)
{
	const char *env = getenv("HVLAB_ROOT");
	char exe[PATH_MAX];
	ssize_t n;

	if (env && *env) {
		snprintf(root, len, "%s", env);
		return 0;
	}
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		return -errno;
	exe[n] = 0;
	for (int up = 0; up < 2; up++) {
		char *slash = strrchr(exe, '/');

		if (!slash)
			return -ENOENT;
		*slash = 0;
	}
	snprintf(root, len, "%s", exe);
	return 0;
}

static bool file_exists(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISREG(st.st_mode);
}

/*
 * Start @argv in @cwd (NULL: here). With @out_fd >= 0 its stdout and
 * stderr go there and its stdin is /dev/null. Returns the pid or a
 * negative errno; a child that cannot exec exits with 127.
 */
static pid_t spawn(char *const argv[], const char *cwd, int out_fd)
{
	pid_t pid = fork();

	if (pid < 0)
		return -errno;
	if (!pid) {
		if (out_fd >= 0) {
			int in = open("/dev/null", O_RDONLY);

			if (in >= 0)
				dup2(in, STDIN_FILENO);
			dup2(out_fd, STDOUT_FILENO);
			dup2(out_fd, STDERR_FILENO);
		}
		if (cwd && chdir(cwd))
			_exit(127);
		execvp(argv[0], argv);
		_exit(127);
	}
	return pid;
}

/* Run @argv to completion here: its exit status, 128 if killed. */
static int run_wait(char *const argv[])
{
	int status;
	pid_t pid = spawn(argv, NULL, -1);

	if (pid < 0)
		return pid;
	if (waitpid(pid, &status, 0) < 0)
		return -errno;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

/* The hypervisor image machine.qemu.build asks for: its make target,
 * which is also its folder under build/. */
static const char *image_dir(const struct scenario *scn)
{
	return strcmp(scn->machine.qemu.build, "release") ? "arm64"
							  : "arm64-release";
}

/* 1. Build the hypervisor and the guests if either is missing. */
static int ensure_built(const struct scenario *scn, const char *root, FILE *err)
{
	char elf[PATH_MAX + 64], guest[PATH_MAX + 64];
	char *argv[] = {
	    "make",   "-s", "-C", (char *)root, (char *)image_dir(scn),
	    "guests", NULL};

	bool built;

	snprintf(elf, sizeof(elf), "%s/build/%s/hvlab.elf", root,
		 image_dir(scn));
	built = file_exists(elf);
	for (uint32_t k = 1; built && guest_kind_name(k); k++) {
		snprintf(guest, sizeof(guest), "%s/build/arm64/guests/%s.bin",
			 root, guest_kind_name(k));
		built = file_exists(guest);
	}
	if (built)
		return 0;
	fprintf(err, "hvlab run: building the arm64 hypervisor and guests\n");
	if (run_wait(argv)) {
		fprintf(err,
			"hvlab run: 'make -C %s %s guests' failed; "
			"is aarch64-linux-gnu-gcc installed "
			"(ci/install-deps.sh)?\n",
			root, image_dir(scn));
		return -EIO;
	}
	return 0;
}

struct argv_buf {
	char *v[MAX_ARGS];
	unsigned int n;
	char store[8192];
	size_t used;
	bool overflow; /* an argument did not fit: do not run this line */
};

static void add(struct argv_buf *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void add(struct argv_buf *a, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (a->n + 1 >= MAX_ARGS || a->used >= sizeof(a->store)) {
		a->overflow = true;
		return;
	}
	va_start(ap, fmt);
	n = vsnprintf(a->store + a->used, sizeof(a->store) - a->used, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(a->store) - a->used) {
		a->overflow = true;
		return;
	}
	a->v[a->n++] = a->store + a->used;
	a->v[a->n] = NULL;
	a->used += (size_t)n + 1;
}

/* The machine options, shared by the DTB dump and the run. */
static void add_machine(struct argv_buf *a, const struct qemu_layout *l)
{
	add(a, QEMU);
	add(a, "-M");
	add(a, "virt,virtualization=on,gic-version=3");
	add(a, "-cpu");
	add(a, "%s", l->cpu);
	add(a, "-smp");
	add(a, "%u", l->smp);
	add(a, "-m");
	add(a, "%lluM", (unsigned long long)(l->memory >> 20));
	add(a, "-icount");
	add(a, "shift=0,sleep=off");
	add(a, "-seed");
	add(a, "1");
	add(a, "-display");
	add(a, "none");
	add(a, "-monitor");
	add(a, "none");
	add(a, "-parallel");
	add(a, "none");
}

int qemu_read_file(const char *path, void **out, size_t *len)
{
	FILE *f = fopen(path, "rb");
	long n;
	void *buf;

	if (!f)
		return -errno;
	if (fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET)) {
		fclose(f);
		return -EIO;
	}
	buf = malloc(n ? (size_t)n : 1);
	if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		fclose(f);
		return -EIO;
	}
	fclose(f);
	*out = buf;
	*len = (size_t)n;
	return 0;
}

int qemu_write_file(const char *path, const void *buf, size_t len)
{
	FILE *f = fopen(path, "wb");
	int rc;

	if (!f)
		return -errno;
	rc = fwrite(buf, 1, len, f) == len ? 0 : -EIO;
	if (fclose(f) && !rc)
		rc = -EIO;
	return rc;
}

/* 2. The board's DTB from QEMU itself, then ours on top of it. */
static int make_dtb(const struct scenario *scn, const struct qemu_layout *l,
		    const char *dir, FILE *err)
{
	struct argv_buf a = {.n = 0};
	char board[PATH_MAX + 32], machine[PATH_MAX + 32];
	void *bdtb = NULL, *dtb = NULL;
	size_t blen = 0, len = 0;
	int rc;

	snprintf(board, sizeof(board), "%s/board.dtb", dir);
	snprintf(machine, sizeof(machine), "%s/machine.dtb", dir);
	add_machine(&a, l);
	add(&a, "-machine");
	add(&a, "dumpdtb=%s", board);
	rc = run_wait(a.v);
	if (rc == 127) {
		fprintf(err,
			"hvlab run: %s not found; install it with "
			"ci/install-deps.sh (QEMU 10 from "
			"bookworm-backports)\n",
			QEMU);
		return -ENOENT;
	}
	if (rc || qemu_read_file(board, &bdtb, &blen)) {
		fprintf(err,
			"hvlab run: %s could not dump the board's device "
			"tree (exit %d)\n",
			QEMU, rc);
		return -EIO;
	}
	rc = qemu_dt_build(scn, l, bdtb, blen, &dtb, &len, err);
	free(bdtb);
	if (rc)
		return rc;
	rc = qemu_write_file(machine, dtb, len);
	free(dtb);
	if (rc)
		fprintf(err, "%s: cannot write: %s\n", machine, strerror(-rc));
	return rc;
}

static double seconds_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) +
	       (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

/* The last @size bytes of @log at most, into @buf: how many. */
static size_t read_tail(const char *log, char *buf, size_t size)
{
	FILE *f = fopen(log, "rb");
	long end;
	size_t n;

	if (!f)
		return 0;
	fseek(f, 0, SEEK_END);
	end = ftell(f);
	fseek(f, end > (long)size ? end - (long)size : 0, SEEK_SET);
	n = fread(buf, 1, size, f);
	fclose(f);
	return n;
}

/* The last complete line of console.log, for progress. */
static void last_line(const char *log, char *line, size_t len)
{
	char buf[4096];
	size_t n = read_tail(log, buf, sizeof(buf)), i, j;

	while (n && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		n--;
	for (i = n; i && buf[i - 1] != '\n';)
		i--;
	for (j = 0; i < n && j + 1 < len; i++)
		if (buf[i] != '\r')
			line[j++] = buf[i];
	line[j] = 0;
}

/* The console's last lines, for a run that failed. */
static void print_tail(const char *log, FILE *err)
{
	char buf[2048];
	size_t n = read_tail(log, buf, sizeof(buf));

	fprintf(err, "---- last lines of %s ----\n", log);
	fwrite(buf, 1, n, err);
	if (n && buf[n - 1] != '\n')
		fputc('\n', err);
	fprintf(err, "----\n");
}

/* 4-6. Start QEMU in @dir, show progress, stop it at the time limit. */
static int run_qemu(struct argv_buf *a, const char *dir, double limit,
		    bool quiet, FILE *err, struct qemu_result *res)
{
	char log[PATH_MAX + 32], line[160];
	struct timespec t0;
	bool tty = isatty(STDERR_FILENO), shown = false;
	double next_note = 1.0;
	int fd, status;
	pid_t pid;

	snprintf(log, sizeof(log), "%s/console.log", dir);
	fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0666);
	if (fd < 0) {
		fprintf(err, "%s: cannot create: %s\n", log, strerror(errno));
		return -errno;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid = spawn(a->v, dir, fd);
	close(fd);
	if (pid < 0)
		return pid;
	for (;;) {
		pid_t r = waitpid(pid, &status, WNOHANG);
		double t = seconds_since(&t0);

		if (r == pid)
			break;
		if (t > limit) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			res->timed_out = true;
			break;
		}
		if (!quiet && t >= next_note) {
			last_line(log, line, sizeof(line));
			if (tty) {
				fprintf(stderr,
					"\r\033[Khvlab run: qemu %.0f s: %.70s",
					t, line);
				shown = true;
				next_note = t + 0.5;
			} else {
				fprintf(stderr, "hvlab run: qemu %.0f s: %s\n",
					t, line);
				next_note = t + 10.0;
			}
		}
		usleep(50000);
	}
	if (shown)
		fputc('\n', stderr);
	res->host_seconds = seconds_since(&t0);
	if (res->timed_out) {
		fprintf(err,
			"hvlab run: QEMU still running after %.0f s of host "
			"time (machine.qemu.timeout); stopped it\n",
			limit);
		print_tail(log, err);
		return -ETIMEDOUT;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) == 127) {
		fprintf(err, "hvlab run: QEMU %s\n",
			WIFEXITED(status) ? "could not be started"
					  : "was killed by a signal");
		print_tail(log, err);
		return -EIO;
	}
	res->hv_status = WEXITSTATUS(status);
	if (res->hv_status != HV_EXIT_DONE)
		print_tail(log, err);
	return 0;
}

int qemu_run_scenario(const struct scenario *scn, const char *out_dir,
		      bool quiet, FILE *err, struct qemu_result *res)
{
	struct qemu_layout layout;
	struct argv_buf a = {.n = 0};
	char root[PATH_MAX], guests[PATH_MAX + 32], img[PATH_MAX + 64];
	char dir[PATH_MAX];
	int rc;

	memset(res, 0, sizeof(*res));
	res->hv_status = -1;
	if (!realpath(out_dir, dir) || find_root(root, sizeof(root))) {
		fprintf(err, "hvlab run: cannot resolve %s\n", out_dir);
		return -ENOENT;
	}
	rc = qemu_layout(scn, &layout, err);
	if (!rc)
		rc = ensure_built(scn, root, err);
	if (!rc)
		rc = make_dtb(scn, &layout, dir, err);
	if (rc)
		return rc;
	snprintf(guests, sizeof(guests), "%s/build/arm64/guests", root);
	add_machine(&a, &layout);
	add(&a, "-serial");
	add(&a, "stdio");
	add(&a, "-semihosting-config");
	add(&a, "enable=on,target=native");
	add(&a, "-kernel");
	add(&a, "%s/build/%s/hvlab.elf", root, image_dir(scn));
	add(&a, "-dtb");
	add(&a, "%s/machine.dtb", dir);
	for (unsigned int i = 0; i < scn->nr_domains; i++) {
		const struct scn_domain *d = &scn->domains[i];

		snprintf(img, sizeof(img), "%s/d%u-%s.img", dir, d->domid,
			 d->name);
		rc = qemu_write_guest_image(scn, d, guests, img, err);
		if (rc)
			return rc;
		add(&a, "-device");
		add(&a, "loader,file=%s,addr=%#llx,force-raw=on", img,
		    (unsigned long long)layout.mem_base[i]);
	}
	if (a.overflow) {
		fprintf(err,
			"hvlab run: the QEMU command line is too long "
			"(%u domains, run directory %s)\n",
			scn->nr_domains, dir);
		return -E2BIG;
	}
	return run_qemu(&a, dir, (double)layout.timeout / 1e9, quiet, err, res);
}
