/* limits.h - the numeric limits of bonrun's options, in one place for the
 * command line (the option tables of runner/cmd_*.c) and the config keys
 * (the cfg_field tables of runner/config.c), so that `--bootstrap` and
 * analysis.bootstrap cannot drift apart.  All bounds are inclusive; each is
 * an integer constant usable as a long or a double. */
#ifndef BON_LIMITS_H
#define BON_LIMITS_H

/* bootstrap replicates (0 = no intervals): analyze, bench, correlate and
 * analysis.bootstrap */
#define BON_BOOTSTRAP_MAX 1000000

/* worker threads (0 = all cores): analyze, bench, verify -j and
 * analysis.threads */
#define BON_THREADS_MAX 1024

/* interval level: analyze, bench, correlate and analysis.level */
#define BON_LEVEL_MIN 0.5
#define BON_LEVEL_MAX 0.999

/* completions per problem, N (policy.samples), and so every n of an n
 * grid (analysis.n_grid, analyze --n-grid) */
#define BON_SAMPLES_MAX 1000000

/* Monte Carlo permutation orders: correlate --permutations */
#define BON_PERMUTATIONS_MAX 1000000000

/* shards of a run: run --shard K/N */
#define BON_SHARDS_MAX 1000000000

/* problems of a dataset (dataset.problems) and of a sim benchmark
 * (one_to_many.problems, one_to_one.pairs), incorrect candidates per
 * benchmark problem (one_to_many.incorrect) */
#define BON_PROBLEMS_MAX 100000000
#define BON_BENCH_PROBLEMS_MAX 10000000
#define BON_BENCH_INCORRECT_MAX 1000

/* Seeds: any integer below 2^64 on the command line (cli_u64); in a
 * config, where numbers are doubles, up to 2^53 - 1, the largest integer a
 * JSON number carries exactly. */
#define BON_JSON_INT_MAX 9007199254740991.0

#endif
