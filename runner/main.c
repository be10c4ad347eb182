/* main.c - `bonrun <command> [options]`: dispatch to the subcommands. */
#include "runner/commands.h"
#include "stats/runtime.h"

#include <stdio.h>
#include <string.h>

static const struct {
  const char *name;
  int (*fn)(int, char **);
  const char *help;
} commands[] = {
  {"run", cmd_run, "run an experiment from a config file"},
  {"verify", cmd_verify, "judge answer pairs with the gold verifier"},
  {"analyze", cmd_analyze, "BoN curves, KL and fits from a scores table"},
  {"bench", cmd_bench, "reward-model benchmark metrics from a scores table"},
  {"correlate", cmd_correlate, "does a benchmark metric predict a gain?"},
  {"import", cmd_import, "a scores table from official RewardMATH results"},
  {"plot", cmd_plot, "regenerate the figures of a run directory"},
  {"serve", cmd_serve, "serve the sim policy and RMs over HTTP on loopback"},
  {"merge", cmd_merge, "join the run directories of shards"},
};

static void usage(FILE *f)
{
  fprintf(f, "usage: bonrun <command> [options]\n\n"
             "Measure how far a reward model can be trusted: best-of-n\n"
             "overoptimization curves, benchmark scores, and whether the\n"
             "benchmark predicts the policy gain.\n\ncommands:\n");
  for(size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
    fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].help);
  fprintf(f, "\n`bonrun <command> --help` describes each one.\n"
             "Start with: bonrun run configs/demo.json\n");
}

int main(int argc, char **argv)
{
  stats_init(); /* process-wide: GSL errors become status codes */
  if(argc < 2) {
    usage(stderr);
    return EXIT_USAGE;
  }
  if(!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
     !strcmp(argv[1], "help")) {
    usage(stdout);
    return EXIT_OK;
  }
  if(!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
    printf("bonrun %s\n", BONRUN_VERSION);
    return EXIT_OK;
  }
  for(size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
    if(!strcmp(argv[1], commands[i].name))
      return commands[i].fn(argc - 1, argv + 1);
  fprintf(stderr, "bonrun: unknown command '%s' (see bonrun --help)\n",
          argv[1]);
  return EXIT_USAGE;
}
