/*
 * Running gnuplot: one child process per plot, `gnuplot NAME.gp` in the
 * plot directory, so the script names its files relatively and can be
 * re-run by hand from there.
 *
 * Design: fork/exec, not popen() or system(): no shell parses the
 * program name or the directory. The child's stdout goes to /dev/null and
 * its stderr to a pipe; the parent keeps the first few KB and shows them
 * only when gnuplot fails, since a successful run's warnings are noise in
 * a report's output. Whether gnuplot exists is checked once per context
 * on PATH, so a missing gnuplot gives one clear message, not one per
 * plot.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "analysis/plot.h"

#define GNUPLOT_DEFAULT "gnuplot"
#define STDERR_KEEP 4096

bool plot_program_found(const char *prog)
{
	const char *path = getenv("PATH");
	char buf[4096];

	if (strchr(prog, '/'))
		return access(prog, X_OK) == 0;
	if (!path || !*path)
		path = "/usr/bin:/bin";
	while (*path) {
		size_t len = strcspn(path, ":");
		int n =
		    snprintf(buf, sizeof(buf), "%.*s/%s", (int)len, path, prog);
		struct stat st;

		if (n > 0 && (size_t)n < sizeof(buf) && !stat(buf, &st) &&
		    S_ISREG(st.st_mode) && !access(buf, X_OK))
			return true;
		path += len;
		if (*path == ':')
			path++;
	}
	return false;
}

/* In the child: never returns. */
static void child_exec(const char *dir, const char *prog, const char *script,
		       int err_fd)
{
	int devnull = open("/dev/null", O_RDWR);
	char *const argv[] = {(char *)prog, (char *)script, NULL};

	if (devnull >= 0) {
		dup2(devnull, STDIN_FILENO);
		dup2(devnull, STDOUT_FILENO);
	}
	dup2(err_fd, STDERR_FILENO);
	if (chdir(dir)) {
		dprintf(STDERR_FILENO, "cannot enter %s: %s\n", dir,
			strerror(errno));
		_exit(126);
	}
	execvp(prog, argv);
	dprintf(STDERR_FILENO, "cannot run %s: %s\n", prog, strerror(errno));
	_exit(127);
}

/* Is DIR/NAME.EXT a non-empty file? */
static bool output_ok(const char *dir, const char *name, const char *ext)
{
	char path[4096];
	struct stat st;
	int n = snprintf(path, sizeof(path), "%s/%s.%s", dir, name, ext);

	return n > 0 && (size_t)n < sizeof(path) && !stat(path, &st) &&
	       S_ISREG(st.st_mode) && st.st_size > 0;
}

/* Runs the child to its end; *@msg gets the start of its stderr. */
static int run_child(struct plot_ctx *c, const char *prog, const char *script,
		     char *msg, size_t msglen, int *status)
{
	size_t used = 0;
	int fds[2];
	pid_t pid;

	if (pipe(fds))
		return -errno;
	pid = fork();
	if (pid < 0) {
		int e = errno;

		close(fds[0]);
		close(fds[1]);
		return -e;
	}
	if (pid == 0) {
		close(fds[0]);
		child_exec(c->dir, prog, script, fds[1]);
	}
	close(fds[1]);
	for (;;) {
		char buf[512];
		ssize_t got = read(fds[0], buf, sizeof(buf));

		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		for (ssize_t i = 0; i < got && used + 1 < msglen; i++)
			msg[used++] = buf[i];
	}
	msg[used] = '\0';
	close(fds[0]);
	while (waitpid(pid, status, 0) < 0)
		if (errno != EINTR)
			return -errno;
	return 0;
}

enum plot_status plot_gnuplot_run(struct plot_ctx *c, const char *name)
{
	const char *prog = c->gnuplot ? c->gnuplot : GNUPLOT_DEFAULT;
	char script[512], msg[STDERR_KEEP];
	int status = 0, ret;

	if (!c->run)
		return PLOT_SCRIPT_ONLY;
	if (c->found < 0) {
		c->found = plot_program_found(prog);
		if (!c->found && c->err)
			fprintf(c->err,
				"error: %s not found: plots were not drawn; "
				"their data files and gnuplot scripts are in "
				"%s (install gnuplot, e.g. apt-get install "
				"gnuplot-nox, and run `gnuplot NAME.gp` "
				"there)\n",
				prog, c->dir);
	}
	if (!c->found)
		return PLOT_NO_GNUPLOT;
	snprintf(script, sizeof(script), "%s.gp", name);
	ret = run_child(c, prog, script, msg, sizeof(msg), &status);
	if (ret) {
		if (c->err)
			fprintf(c->err, "error: %s %s: %s\n", prog, script,
				strerror(-ret));
		c->nr_failed++;
		return PLOT_FAILED;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) ||
	    !output_ok(c->dir, name, "svg") ||
	    !output_ok(c->dir, name, "png")) {
		if (c->err)
			fprintf(c->err,
				"error: %s %s (in %s) failed (%s %d)%s%s", prog,
				script, c->dir,
				WIFEXITED(status) ? "exit status" : "signal",
				WIFEXITED(status) ? WEXITSTATUS(status)
						  : WTERMSIG(status),
				*msg ? ":\n" : "\n", msg);
		c->nr_failed++;
		return PLOT_FAILED;
	}
	c->nr_made++;
	return PLOT_MADE;
}

const char *plot_status_name(enum plot_status st)
{
	switch (st) {
	case PLOT_MADE: return "made";
	case PLOT_SCRIPT_ONLY: return "script-only";
	case PLOT_NO_GNUPLOT: return "no-gnuplot";
	case PLOT_FAILED: return "failed";
	}
	return "unknown";
}
