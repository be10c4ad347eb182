/* commands.h - the bonrun subcommands.
 *
 * Each takes the arguments after its own name (argv[0] is the command name)
 * and returns the process exit code: 0 ok, 1 failure, 2 usage error (the
 * EXIT_* of runner/cli.h).  Every command answers --help on stdout with
 * exit 0; its command line goes through runner/cli.h. */
#ifndef BON_COMMANDS_H
#define BON_COMMANDS_H

#include "runner/cli.h"

#define BONRUN_VERSION "0.1.0"

int cmd_run(int argc, char **argv);       /* runner/cmd_run.c */
int cmd_verify(int argc, char **argv);    /* runner/cmd_verify.c */
int cmd_analyze(int argc, char **argv);   /* runner/cmd_analyze.c */
int cmd_bench(int argc, char **argv);     /* runner/cmd_bench.c */
int cmd_correlate(int argc, char **argv); /* runner/cmd_correlate.c */
int cmd_serve(int argc, char **argv);     /* runner/cmd_serve.c */
int cmd_merge(int argc, char **argv);     /* runner/cmd_merge.c */
int cmd_plot(int argc, char **argv);      /* runner/cmd_plot.c */
int cmd_import(int argc, char **argv);    /* runner/cmd_import.c */

#endif
