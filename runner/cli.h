/* cli.h - the command-line layer shared by every bonrun command, the curl
 * way (src/tool_paramhlp.c, src/tool_msgs.c): typed value parsers with
 * ranges, one table of messages, one shape for every usage error.
 *
 * A command describes its options in a table of struct cli_opt (name,
 * letter, value type, where the value goes in the command's own args
 * struct, range) and calls cli_parse().  Every usage error is one line on
 * stderr and exit code 2:
 *
 *   bonrun CMD: unknown option '--bogus' (see bonrun CMD --help)
 *   bonrun CMD: option '--out' needs a value (see bonrun CMD --help)
 *   bonrun CMD: --threads: expected an integer from 0 to 1024, got '2000'
 *   (see bonrun CMD --help)                          [all on one line]
 *
 * Every number is strict: all of the argument, no blank, no '+', a '-' only
 * when the range allows negatives, no hex, inf or nan, no overflow; an
 * integer is digits only.  Limits shared with config keys live in
 * runner/limits.h.  Other messages: cli_error (a failure), cli_warn,
 * cli_note. */
#ifndef BON_CLI_H
#define BON_CLI_H

#include <stddef.h>
#include <stdint.h>

/* exit codes of every command */
#define EXIT_OK 0
#define EXIT_FAIL 1
#define EXIT_USAGE 2

/* What was wrong with an option or its value.  cli_param_error() turns
 * each into words, with the option's range where it has one. */
enum cli_perr {
  CLI_OK = 0,
  CLI_EUNKNOWN,   /* no such option */
  CLI_EAMBIGUOUS, /* an abbreviation of several long options */
  CLI_ENEEDVALUE, /* the option needs a value and has none */
  CLI_ENOVALUE,   /* a flag given "=value" */
  CLI_EINT,       /* not an integer from lo to hi */
  CLI_EU64,       /* not an integer from 0 to 2^64 - 1 */
  CLI_ENUMBER,    /* not a number from lo to hi */
  CLI_EPROB,      /* not a probability from 0 to 1 */
  CLI_EPOSITIVE,  /* not a number > 0 */
  CLI_ELIST,      /* not integers from lo to hi separated by commas */
  CLI_EPAIR,      /* not K/N with 1 <= K <= N <= hi */
  CLI_ECHOICE     /* not one of the allowed words */
};

/* Typed parsers.  Each reads all of s, stores the value and returns CLI_OK,
 * or returns its error code leaving *out untouched. */
enum cli_perr cli_long(const char *s, long lo, long hi, long *out);
enum cli_perr cli_u64(const char *s, uint64_t *out);
enum cli_perr cli_double(const char *s, double lo, double hi, double *out);
enum cli_perr cli_prob(const char *s, double *out);       /* [0, 1] */
enum cli_perr cli_positive(const char *s, double *out);   /* (0, inf) */
/* A comma-separated list of integers from lo to hi ("1,2,8"; no empty
 * item).  *out is allocated (caller frees) and *n set; on error nothing
 * is allocated. */
enum cli_perr cli_ints(const char *s, long lo, long hi, int **out,
                       size_t *n);
/* "K/N" with 1 <= K <= N <= hi. */
enum cli_perr cli_pair(const char *s, long hi, long *k, long *n);
/* The index of s in words (NULL-terminated), exact match. */
enum cli_perr cli_choice(const char *s, const char *const *words, int *out);

/* A limit of runner/limits.h as a string literal, for usage texts:
 * "at most " CLI_Q(BON_THREADS_MAX). */
#define CLI_Q(x) CLI_Q_(x)
#define CLI_Q_(x) #x

/* ---- option tables ---- */

enum cli_type {
  CLI_FLAG,     /* no value; int set to 1 */
  CLI_STR,      /* const char * (the argv string; the last one wins) */
  CLI_STRS,     /* repeatable; struct cli_strs, every value in order */
  CLI_INT,      /* int from lo to hi */
  CLI_LONG,     /* long from lo to hi */
  CLI_SIZE,     /* size_t from lo to hi */
  CLI_U64,      /* uint64_t, any (seeds) */
  CLI_DOUBLE,   /* double from lo to hi */
  CLI_PROB,     /* double from 0 to 1 */
  CLI_POSITIVE, /* double > 0, finite */
  CLI_INTS,     /* struct cli_ints, integers from lo to hi */
  CLI_PAIR,     /* struct cli_pair, K/N with N <= hi */
  CLI_CHOICE    /* int: the index of the value in choices */
};

struct cli_strs {
  const char **v; /* the values (pointers into argv); cli_free() */
  size_t n;
};

struct cli_ints {
  int *v;         /* cli_free() */
  size_t n;
};

struct cli_pair {
  long k, n;
};

/* One option.  off is where its value goes in the command's args struct:
 * use the CLI_* macros below, which check the member's type at compile
 * time. */
struct cli_opt {
  const char *name;            /* long name without "--"; NULL ends */
  char letter;                 /* short option letter, or 0 */
  enum cli_type type;
  size_t off;
  double lo, hi;               /* range of numbers and list items; hi of
                                * a pair */
  const char *const *choices;  /* CLI_CHOICE: NULL-terminated words */
};

/* offsetof(T, m), a compile error unless member m of T has type C */
#define CLI_AT(T, m, C)                                                  \
  (offsetof(T, m) + 0 * sizeof(char[1 - 2 * !__builtin_types_compatible_p( \
                                   __typeof__(((T *)0)->m), C)]))

#define CLI_OPT_FLAG(name, letter, T, m)                                  \
  {name, letter, CLI_FLAG, CLI_AT(T, m, int), 0, 0, NULL}
#define CLI_OPT_STR(name, letter, T, m)                                   \
  {name, letter, CLI_STR, CLI_AT(T, m, const char *), 0, 0, NULL}
#define CLI_OPT_STRS(name, letter, T, m)                                  \
  {name, letter, CLI_STRS, CLI_AT(T, m, struct cli_strs), 0, 0, NULL}
#define CLI_OPT_INT(name, letter, T, m, lo, hi)                           \
  {name, letter, CLI_INT, CLI_AT(T, m, int), lo, hi, NULL}
#define CLI_OPT_LONG(name, letter, T, m, lo, hi)                          \
  {name, letter, CLI_LONG, CLI_AT(T, m, long), lo, hi, NULL}
#define CLI_OPT_SIZE(name, letter, T, m, lo, hi)                          \
  {name, letter, CLI_SIZE, CLI_AT(T, m, size_t), lo, hi, NULL}
#define CLI_OPT_U64(name, letter, T, m)                                   \
  {name, letter, CLI_U64, CLI_AT(T, m, uint64_t), 0, 0, NULL}
#define CLI_OPT_DOUBLE(name, letter, T, m, lo, hi)                        \
  {name, letter, CLI_DOUBLE, CLI_AT(T, m, double), lo, hi, NULL}
#define CLI_OPT_PROB(name, letter, T, m)                                  \
  {name, letter, CLI_PROB, CLI_AT(T, m, double), 0, 1, NULL}
#define CLI_OPT_POSITIVE(name, letter, T, m)                              \
  {name, letter, CLI_POSITIVE, CLI_AT(T, m, double), 0, 0, NULL}
#define CLI_OPT_INTS(name, letter, T, m, lo, hi)                          \
  {name, letter, CLI_INTS, CLI_AT(T, m, struct cli_ints), lo, hi, NULL}
#define CLI_OPT_PAIR(name, letter, T, m, hi)                              \
  {name, letter, CLI_PAIR, CLI_AT(T, m, struct cli_pair), 1, hi, NULL}
#define CLI_OPT_CHOICE(name, letter, T, m, words)                         \
  {name, letter, CLI_CHOICE, CLI_AT(T, m, int), 0, 0, words}
#define CLI_OPT_END {NULL, 0, CLI_FLAG, 0, 0, 0, NULL}

#define CLI_MAX_OPTS 64 /* options in one table (bits of cli_parsed.seen) */

/* A command line: the command's name (for messages), its usage text (what
 * --help prints), its options (at most CLI_MAX_OPTS) and how many operands
 * it takes (max_args < 0: any number); missing_args is the message when
 * there are fewer than min_args. */
struct cli_cmd {
  const char *name;
  const char *usage;
  const struct cli_opt *opts;
  int min_args, max_args;
  const char *missing_args;
};

/* What cli_parse found besides the values. */
struct cli_parsed {
  int argi;      /* operands are argv[argi .. argc - 1] */
  uint64_t seen; /* bit i: opts[i] was given */
};

#define CLI_GO (-1)

/* Parse argv (argv[0] is the command's name) into the struct at args,
 * which holds the defaults.  Every command answers -h and --help (usage on
 * stdout).  Returns CLI_GO when the command should go on (with *p filled),
 * else the exit code: EXIT_OK after --help, EXIT_USAGE after one message
 * on stderr.  In every case cli_free() releases what it allocated. */
int cli_parse(const struct cli_cmd *c, int argc, char **argv, void *args,
              struct cli_parsed *p);
/* Free the lists (CLI_STRS, CLI_INTS) in args; safe on a zeroed struct. */
void cli_free(const struct cli_cmd *c, void *args);
/* "--name" of the first option of c (in table order) whose bit is in
 * seen, or NULL. */
const char *cli_seen_name(const struct cli_cmd *c, uint64_t seen);

/* ---- messages ---- */

/* The one message table: print the usage error e about option opt (as
 * typed, e.g. "--threads"; "-j") whose value was arg (NULL: none), with
 * the range or words of spec (NULL for the errors that need none), in the
 * shape above.  Returns EXIT_USAGE. */
int cli_param_error(const char *cmd, const char *opt, const char *arg,
                    enum cli_perr e, const struct cli_opt *spec);

/* "bonrun CMD: message (see bonrun CMD --help)" on stderr; returns
 * EXIT_USAGE, so a command can `return cli_usage_error(...)`. */
int cli_usage_error(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* "bonrun CMD: message" on stderr: a failure (the caller exits 1). */
void cli_error(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* "bonrun CMD: warning: message" / "bonrun CMD: note: message" on stderr;
 * cmd NULL: "bonrun: warning: ...". */
void cli_warn(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void cli_note(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
