/* Unit tests of runner/cli: the typed parsers, the option tables and the
 * one message table. */
#include "runner/cli.h"
#include "tests/unit/test.h"
#include "util/fsutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

TEST(cli_long_is_strict)
{
  long v = 7;
  CHECK_INT(cli_long("5", 0, 10, &v), CLI_OK);
  CHECK_INT(v, 5);
  CHECK_INT(cli_long("0", 0, 10, &v), CLI_OK);
  CHECK_INT(cli_long("10", 0, 10, &v), CLI_OK);
  const char *bad[] = {"11", "-5", " 5", "+5", "5 ", "5x", "", "0x10",
                       "1.5", "1e3", "-", "99999999999999999999", NULL};
  v = 7;
  for(int i = 0; bad[i]; i++)
    CHECK_MSG(cli_long(bad[i], 0, 10, &v) == CLI_EINT, "'%s'", bad[i]);
  CHECK_INT(v, 7); /* untouched */
  /* a '-' only where the range has negatives */
  CHECK_INT(cli_long("-5", -10, 10, &v), CLI_OK);
  CHECK_INT(v, -5);
  CHECK_INT(cli_long("-11", -10, 10, &v), CLI_EINT);
  CHECK_INT(cli_long("--5", -10, 10, &v), CLI_EINT);
  CHECK_INT(cli_long("- 5", -10, 10, &v), CLI_EINT);
}

TEST(cli_u64_takes_every_seed)
{
  uint64_t v = 3;
  CHECK_INT(cli_u64("0", &v), CLI_OK);
  CHECK(v == 0);
  CHECK_INT(cli_u64("18446744073709551615", &v), CLI_OK);
  CHECK(v == UINT64_MAX);
  const char *bad[] = {"18446744073709551616", "-1", "+1", " 1", "", "1.0",
                       "0x1", NULL};
  for(int i = 0; bad[i]; i++)
    CHECK_MSG(cli_u64(bad[i], &v) == CLI_EU64, "'%s'", bad[i]);
  CHECK(v == UINT64_MAX);
}

TEST(cli_double_prob_positive)
{
  double v = 9;
  CHECK_INT(cli_double("0.5", 0.5, 0.999, &v), CLI_OK);
  CHECK_NEAR(v, 0.5, 0);
  CHECK_INT(cli_double(".75", 0.5, 0.999, &v), CLI_OK);
  CHECK_NEAR(v, 0.75, 0);
  CHECK_INT(cli_double("9.99e-1", 0.5, 0.999, &v), CLI_OK);
  CHECK_NEAR(v, 0.999, 1e-15);
  const char *bad[] = {"1", "0.4", " 0.9", "+0.9", "0.9 ", "inf", "nan",
                       "-0.9", "0x1p-1", "", ".", "e5", "0.9.1", NULL};
  v = 9;
  for(int i = 0; bad[i]; i++)
    CHECK_MSG(cli_double(bad[i], 0.5, 0.999, &v) == CLI_ENUMBER, "'%s'",
              bad[i]);
  CHECK_NEAR(v, 9, 0);
  CHECK_INT(cli_double("-1", -1, 86400, &v), CLI_OK);
  CHECK_NEAR(v, -1, 0);
  CHECK_INT(cli_double("1e400", -1e300, 1e300, &v), CLI_ENUMBER);
  CHECK_INT(cli_prob("1", &v), CLI_OK);
  CHECK_INT(cli_prob("0", &v), CLI_OK);
  CHECK_INT(cli_prob("1.01", &v), CLI_EPROB);
  CHECK_INT(cli_prob("-0", &v), CLI_EPROB);
  CHECK_INT(cli_positive("1e-300", &v), CLI_OK);
  CHECK_INT(cli_positive("0", &v), CLI_EPOSITIVE);
  CHECK_INT(cli_positive("-1", &v), CLI_EPOSITIVE);
  CHECK_INT(cli_positive("inf", &v), CLI_EPOSITIVE);
  CHECK_INT(cli_positive("1e999", &v), CLI_EPOSITIVE);
}

TEST(cli_ints_pair_choice)
{
  int *v = NULL;
  size_t n = 0;
  CHECK_INT(cli_ints("1,2,8", 1, 100, &v, &n), CLI_OK);
  CHECK_INT(n, 3);
  CHECK(v && v[0] == 1 && v[1] == 2 && v[2] == 8);
  free(v);
  /* more items than the first allocation */
  CHECK_INT(cli_ints("1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17", 1, 100,
                     &v, &n), CLI_OK);
  CHECK_INT(n, 17);
  CHECK_INT(v[16], 17);
  free(v);
  v = NULL;
  const char *bad[] = {"", "1,,2", "1,", ",1", "0", "101", "1, 2", "1;2",
                       "-1", "1.5", "123456789012345678901234567890123",
                       NULL};
  for(int i = 0; bad[i]; i++)
    CHECK_MSG(cli_ints(bad[i], 1, 100, &v, &n) == CLI_ELIST, "'%s'",
              bad[i]);
  CHECK(v == NULL); /* nothing allocated on error */

  long k = 0, m = 0;
  CHECK_INT(cli_pair("2/3", 10, &k, &m), CLI_OK);
  CHECK_INT(k, 2);
  CHECK_INT(m, 3);
  CHECK_INT(cli_pair("10/10", 10, &k, &m), CLI_OK);
  const char *badp[] = {"3/2", "0/1", "1/", "/1", "1/2x", "-1/2", "1/+2",
                        " 1/2", "1/11", "12", "1/2/3", "", NULL};
  for(int i = 0; badp[i]; i++)
    CHECK_MSG(cli_pair(badp[i], 10, &k, &m) == CLI_EPAIR, "'%s'", badp[i]);

  static const char *const words[] = {"png", "svg", "pdf", NULL};
  int c = -1;
  CHECK_INT(cli_choice("svg", words, &c), CLI_OK);
  CHECK_INT(c, 1);
  CHECK_INT(cli_choice("SVG", words, &c), CLI_ECHOICE);
  CHECK_INT(cli_choice("", words, &c), CLI_ECHOICE);
  CHECK_INT(c, 1);
}

/* ---- option tables ---- */

struct t_args {
  int flag, i, choice;
  long l;
  size_t z;
  uint64_t seed;
  double d, p, pos;
  const char *s;
  struct cli_strs many;
  struct cli_ints grid;
  struct cli_pair pair;
};

static const char *const t_words[] = {"worst", "drop", NULL};

#define T struct t_args
static const struct cli_opt t_opts[] = {
  CLI_OPT_FLAG("flag", 'f', T, flag),
  CLI_OPT_INT("int", 'i', T, i, 0, 1024),
  CLI_OPT_LONG("long", 0, T, l, -5, 5),
  CLI_OPT_SIZE("size", 0, T, z, 0, 1000000),
  CLI_OPT_U64("seed", 0, T, seed),
  CLI_OPT_DOUBLE("level", 0, T, d, 0.5, 0.999),
  CLI_OPT_PROB("prob", 0, T, p),
  CLI_OPT_POSITIVE("kl", 0, T, pos),
  CLI_OPT_STR("out", 'o', T, s),
  CLI_OPT_STRS("rm", 0, T, many),
  CLI_OPT_INTS("n-grid", 0, T, grid, 1, 1000),
  CLI_OPT_PAIR("shard", 0, T, pair, 100),
  CLI_OPT_CHOICE("missing", 0, T, choice, t_words),
  CLI_OPT_STR("col-rm", 0, T, s),
  CLI_OPT_STR("col-score", 0, T, s),
  CLI_OPT_END,
};
#undef T

static const struct cli_cmd t_cli = {
  "test", "usage: bonrun test\n", t_opts, 1, 2, "expected one FILE",
};

/* cli_parse of a NULL-terminated argv, its stderr into err (cap bytes). */
static int parse(struct t_args *a, struct cli_parsed *p, char *err,
                 size_t cap, char **argv)
{
  int argc = 0;
  while(argv[argc])
    argc++;
  char *path = fs_join(test_tmpdir(), "stderr.txt");
  fflush(stderr);
  int saved = dup(2);
  FILE *f = fopen(path, "w+");
  dup2(fileno(f), 2);
  int rc = cli_parse(&t_cli, argc, argv, a, p);
  fflush(stderr);
  dup2(saved, 2);
  close(saved);
  rewind(f);
  size_t n = fread(err, 1, cap - 1, f);
  err[n] = '\0';
  fclose(f);
  free(path);
  return rc;
}

TEST(cli_parse_fills_every_type)
{
  char *argv[] = {"test", "-f", "--int", "12", "--long", "-5", "--size",
                  "1000000", "--seed", "18446744073709551615", "--level",
                  "0.9", "--prob", "1", "--kl", "0.25", "-o", "x",
                  "--rm", "a", "file", "--rm", "b", "--n-grid", "1,2",
                  "--n-grid", "3,4,5", "--shard", "2/7", "--missing",
                  "drop", NULL};
  struct t_args a = {.i = 99, .d = 0.95};
  struct cli_parsed p;
  char err[512];
  CHECK_INT(parse(&a, &p, err, sizeof(err), argv), CLI_GO);
  CHECK_STR(err, "");
  CHECK_INT(a.flag, 1);
  CHECK_INT(a.i, 12);
  CHECK_INT(a.l, -5);
  CHECK_INT(a.z, 1000000);
  CHECK(a.seed == UINT64_MAX);
  CHECK_NEAR(a.d, 0.9, 0);
  CHECK_NEAR(a.p, 1, 0);
  CHECK_NEAR(a.pos, 0.25, 0);
  CHECK_STR(a.s, "x");
  CHECK_INT(a.many.n, 2);
  CHECK_STR(a.many.v[0], "a");
  CHECK_STR(a.many.v[1], "b");
  CHECK_INT(a.grid.n, 3); /* the last one wins */
  CHECK_INT(a.grid.v[2], 5);
  CHECK_INT(a.pair.k, 2);
  CHECK_INT(a.pair.n, 7);
  CHECK_INT(a.choice, 1);
  CHECK_INT(p.argi, 30); /* getopt moved the operand last */
  CHECK_STR(argv[p.argi], "file");
  CHECK(p.seen == 0x1fff); /* the first 13 options */
  CHECK_STR(cli_seen_name(&t_cli, p.seen & ~(uint64_t)0x1ff), "rm");
  cli_free(&t_cli, &a);
  CHECK(a.many.v == NULL && a.grid.v == NULL);
}

TEST(cli_parse_defaults_stay_and_parse_again)
{
  char *argv[] = {"test", "f1", "f2", NULL};
  struct t_args a = {.i = 99, .d = 0.95};
  struct cli_parsed p;
  char err[512];
  /* twice: a parse starts afresh whatever the last one left */
  for(int k = 0; k < 2; k++) {
    CHECK_INT(parse(&a, &p, err, sizeof(err), argv), CLI_GO);
    CHECK_INT(a.i, 99);
    CHECK_NEAR(a.d, 0.95, 0);
    CHECK_INT(p.argi, 1);
    CHECK(p.seen == 0);
  }
  CHECK(cli_seen_name(&t_cli, 0) == NULL);
  cli_free(&t_cli, &a);
}

TEST(cli_parse_messages_have_one_shape)
{
  static const struct {
    const char *argv[6];
    const char *msg;
  } cases[] = {
    {{"--bogus", "f"}, "unknown option '--bogus'"},
    {{"--bogus=3", "f"}, "unknown option '--bogus'"},
    {{"-x", "f"}, "unknown option '-x'"},
    {{"--col", "v", "f"}, "option '--col' is ambiguous: write more of its "
                          "name"},
    {{"f", "--out"}, "option '--out' needs a value"},
    {{"f", "-o"}, "option '-o' needs a value"},
    {{"--flag=1", "f"}, "option '--flag' takes no value"},
    {{"--int", "2000", "f"}, "--int: expected an integer from 0 to 1024, "
                             "got '2000'"},
    {{"-i", " 5", "f"}, "-i: expected an integer from 0 to 1024, got ' 5'"},
    {{"--long", "6", "f"}, "--long: expected an integer from -5 to 5, got "
                           "'6'"},
    {{"--seed", "-1", "f"}, "--seed: expected an integer from 0 to "
                            "18446744073709551615, got '-1'"},
    {{"--level", "1", "f"}, "--level: expected a number from 0.5 to 0.999, "
                            "got '1'"},
    {{"--prob", "2", "f"}, "--prob: expected a probability from 0 to 1, "
                           "got '2'"},
    {{"--kl", "0", "f"}, "--kl: expected a positive number, got '0'"},
    {{"--n-grid", "1,", "f"}, "--n-grid: expected integers from 1 to 1000 "
                              "separated by commas, got '1,'"},
    {{"--shard", "3/2", "f"}, "--shard: expected K/N with 1 <= K <= N <= "
                              "100, got '3/2'"},
    {{"--missing", "best", "f"}, "--missing: expected worst or drop, got "
                                 "'best'"},
    {{"--size", "", "f"}, "--size: expected an integer from 0 to 1000000, "
                          "got ''"},
    {{NULL}, "expected one FILE"},
    {{"a", "b", "c"}, "unexpected argument 'c'"},
  };
  for(size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    char *argv[8] = {"test"};
    for(int k = 0; k < 6 && cases[i].argv[k]; k++)
      argv[k + 1] = (char *)cases[i].argv[k];
    struct t_args a = {0};
    struct cli_parsed p;
    char err[512], want[512];
    int rc = parse(&a, &p, err, sizeof(err), argv);
    snprintf(want, sizeof(want), "bonrun test: %s (see bonrun test "
             "--help)\n", cases[i].msg);
    CHECK_MSG(rc == EXIT_USAGE, "case %zu: rc %d", i, rc);
    CHECK_STR(err, want);
    cli_free(&t_cli, &a);
  }
}
