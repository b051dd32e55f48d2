/* The hvlab command: one binary, one file per subcommand. */
#ifndef HV_CLI_H
#define HV_CLI_H

/* Exit statuses shared by every subcommand. */
#define EXIT_OK 0
#define EXIT_FAIL 1 /* ran, and the result is a failure (or I/O error) */
#define EXIT_USAGE 2 /* bad command line or bad input file */

int cmd_run(int argc, char **argv);
int cmd_trace(int argc, char **argv);
int cmd_wcrt(int argc, char **argv);
int cmd_gate(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_report(int argc, char **argv);

#endif /* HV_CLI_H */
