/* commands.h - the bonrun subcommands.
 *
 * Each takes the arguments after its own name (argv[0] is the command name)
 * and returns the process exit code: 0 ok, 1 failure, 2 usage error.  Every
 * command answers --help on stdout with exit 0. */
#ifndef BON_COMMANDS_H
#define BON_COMMANDS_H

#include <stddef.h>
#include <stdint.h>

#define BONRUN_VERSION "0.1.0"

/* exit codes */
#define EXIT_OK 0
#define EXIT_FAIL 1
#define EXIT_USAGE 2

int cmd_run(int argc, char **argv);       /* runner/cmd_run.c */
int cmd_verify(int argc, char **argv);    /* runner/cmd_verify.c */
int cmd_analyze(int argc, char **argv);   /* runner/cmd_analyze.c */
int cmd_bench(int argc, char **argv);     /* runner/cmd_bench.c */
int cmd_correlate(int argc, char **argv); /* runner/cmd_correlate.c */
int cmd_serve(int argc, char **argv);     /* runner/cmd_serve.c */
int cmd_merge(int argc, char **argv);     /* runner/cmd_merge.c */
int cmd_plot(int argc, char **argv);      /* runner/cmd_plot.c */

/* Print "bonrun CMD: message" on stderr (printf-style). */
void cli_error(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Parse a non-negative decimal integer (all of s: digits only, no sign or
 * blank, no overflow).  0, or -1 leaving *out untouched. */
int cli_parse_size(const char *s, size_t *out);
int cli_parse_u64(const char *s, uint64_t *out);

#endif
