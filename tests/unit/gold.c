/* Unit tests of gold/: the data-driven case table tests/cases/gold.txt
 * (every symmetric case is checked both ways), exact arithmetic against
 * GMP, the extraction API contract, and hostile inputs that must finish
 * quickly with a verdict. */
#include "gold/gnum.h"
#include "gold/gold.h"
#include "tests/unit/test.h"
#include "util/buf.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CASES "tests/cases/gold.txt"
#define CASES_AUDIT "tests/cases/gold_audit.txt"

/* Replace every "<NL>" by a newline, in place. */
static void unescape(char *s)
{
  char *w = s;
  for(char *r = s; *r;) {
    if(!strncmp(r, "<NL>", 4)) {
      *w++ = '\n';
      r += 4;
    }
    else
      *w++ = *r++;
  }
  *w = '\0';
}

static char *trim(char *s)
{
  while(*s == ' ' || *s == '\t')
    s++;
  size_t n = strlen(s);
  while(n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
    s[--n] = '\0';
  return s;
}

static FILE *open_cases(const char *name)
{
  FILE *f = fopen(name, "r");
  if(!f && getenv("ROOT")) {
    char p[1024];
    snprintf(p, sizeof(p), "%s/%s", getenv("ROOT"), name);
    f = fopen(p, "r");
  }
  return f;
}

static const char *cur_file = CASES;

static void check_one(int lineno, const char *op, const char *g,
                      const char *p, const char *reason, int want)
{
  struct gold_verdict v;
  int got = gold_judge(g, p, &v);
  if(got != want || v.correct != want)
    test_fail(cur_file, lineno, "%s expected %s: gold [%s] pred [%s] -> %s "
              "(%s; %s vs %s; extracted [%s] [%s])", op,
              want ? "equal" : "not equal", g, p, got ? "equal" : "not",
              v.reason, v.gold_type, v.pred_type, v.gold_answer,
              v.pred_answer);
  else if(reason && strcmp(reason, v.reason))
    test_fail(cur_file, lineno, "gold [%s] pred [%s]: reason \"%s\", expected "
              "\"%s\"", g, p, v.reason, reason);
}

static void check_extract(int lineno, const char *text, const char *want)
{
  char out[1100];
  int n = gold_extract(text, out, sizeof(out));
  if(!want) {
    if(n != -1)
      test_fail(cur_file, lineno, "extract [%s]: expected no answer, got [%s]",
                text, out);
  }
  else if(n < 0 || strcmp(out, want) || (size_t)n != strlen(want))
    test_fail(cur_file, lineno, "extract [%s]: got [%s] (%d), expected [%s]",
              text, n < 0 ? "(none)" : out, n, want);
}

/* Format (see the head of the table): OP GOLD ||| PRED [@@ REASON]
 * [// COMMENT]. OP: == (equal both ways), != (different both ways),
 * => (equal, this direction), !> (different, this direction),
 * E (extraction of GOLD is PRED), E- (GOLD has no answer). */
static void run_table(const char *name, int min_cases)
{
  FILE *f = open_cases(name);
  CHECK_MSG(f != NULL, "cannot open %s", name);
  if(!f)
    return;
  cur_file = name;
  char line[8192];
  int lineno = 0, ncases = 0, nchecks = 0;
  while(fgets(line, sizeof(line), f)) {
    lineno++;
    line[strcspn(line, "\n")] = '\0';
    char *s = trim(line);
    if(!*s || *s == '#' || *s == '[')
      continue;
    char *cm = strstr(s, " //");
    if(cm)
      *cm = '\0';
    char *sp = s;
    while(*sp && *sp != ' ')
      sp++;
    if(!*sp) {
      test_fail(cur_file, lineno, "malformed case line");
      continue;
    }
    *sp = '\0';
    char *op = s, *rest = sp + 1;
    char *reason = strstr(rest, " @@ ");
    if(reason) {
      *reason = '\0';
      reason = trim(reason + 4);
    }
    char *bar = strstr(rest, "|||");
    char *g = rest, *p = NULL;
    if(bar) {
      *bar = '\0';
      p = trim(bar + 3);
    }
    g = trim(g);
    unescape(g);
    if(p)
      unescape(p);
    ncases++;
    if(!strcmp(op, "E-")) {
      check_extract(lineno, g, NULL);
      nchecks++;
    }
    else if(!strcmp(op, "E") && p) {
      check_extract(lineno, g, p);
      nchecks++;
    }
    else if(p && (!strcmp(op, "==") || !strcmp(op, "!="))) {
      int want = op[0] == '=';
      check_one(lineno, op, g, p, reason, want);
      check_one(lineno, op, p, g, reason, want);
      nchecks += 2;
    }
    else if(p && (!strcmp(op, "=>") || !strcmp(op, "!>"))) {
      check_one(lineno, op, g, p, reason, op[0] == '=');
      nchecks++;
    }
    else
      test_fail(cur_file, lineno, "unknown op or missing |||: %s", op);
  }
  fclose(f);
  CHECK(ncases >= min_cases);
  printf("%s: %d cases, %d checks\n", name, ncases, nchecks);
}

TEST(gold_case_table)
{
  run_table(CASES, 300);
}

/* The audit table: forms from MATH, GSM8K, AIME, OlympiadBench, Omni-MATH
 * (same format). */
TEST(gold_case_table_audit)
{
  run_table(CASES_AUDIT, 150);
}

/* -------------------------------------------------------- exact numbers */

static void to_q(mpq_t q, struct gnum g)
{
  if(g.big)
    mpq_set(q, g.big);
  else
    mpq_set_si(q, (long)g.n, (unsigned long)g.d);
}

TEST(gnum_matches_gmp_on_random_operands)
{
  struct gnum_pool pool;
  gnum_pool_init(&pool);
  mpq_t x, y, want, got;
  mpq_inits(x, y, want, got, NULL);
  uint64_t r = 12345;
  int bad = 0;
  for(int it = 0; it < 4000; it++) {
    int64_t v[4];
    for(int k = 0; k < 4; k++) {
      r = r * 6364136223846793005ULL + 1442695040888963407ULL;
      int shift = (int)(r >> 58); /* 0..63 */
      v[k] = (int64_t)((r >> 1) >> (shift < 2 ? 2 : shift));
      if(k & 1 && v[k] == 0)
        v[k] = 1;
      if(!(k & 1) && (r & 1))
        v[k] = -v[k];
    }
    struct gnum a, b, c;
    int mark = gnum_pool_mark(&pool);
    mpq_set_si(x, (long)v[0], (unsigned long)v[1]);
    mpq_canonicalize(x);
    mpq_set_si(y, (long)v[2], (unsigned long)v[3]);
    mpq_canonicalize(y);
    /* build a and b through the API: n / d */
    if(gnum_div(&pool, gnum_int(v[0]), gnum_int(v[1]), &a) ||
       gnum_div(&pool, gnum_int(v[2]), gnum_int(v[3]), &b)) {
      bad++;
      continue;
    }
    for(int op = 0; op < 4; op++) {
      int st;
      switch(op) {
      case 0: st = gnum_add(&pool, a, b, &c); mpq_add(want, x, y); break;
      case 1: st = gnum_sub(&pool, a, b, &c); mpq_sub(want, x, y); break;
      case 2: st = gnum_mul(&pool, a, b, &c); mpq_mul(want, x, y); break;
      default:
        if(mpq_sgn(y) == 0)
          continue;
        st = gnum_div(&pool, a, b, &c);
        mpq_div(want, x, y);
      }
      to_q(got, c);
      if(st || !mpq_equal(got, want))
        bad++;
      if(gnum_cmp(c, b) != (mpq_cmp(want, y) > 0) - (mpq_cmp(want, y) < 0))
        bad++;
    }
    gnum_pool_release(&pool, mark);
  }
  CHECK_INT(bad, 0);
  /* big powers, roots, factorials */
  struct gnum p;
  CHECK_INT(gnum_pow(&pool, gnum_int(3), 200, &p), GN_OK);
  mpz_t z;
  mpz_init(z);
  mpz_ui_pow_ui(z, 3, 200);
  to_q(got, p);
  CHECK(mpz_cmp(mpq_numref(got), z) == 0);
  struct gnum rt;
  CHECK_INT(gnum_root(&pool, p, 100, &rt), GN_OK);
  CHECK(gnum_cmp(rt, gnum_int(9)) == 0);
  CHECK_INT(gnum_root(&pool, gnum_int(2), 2, &rt), GN_INEXACT);
  CHECK_INT(gnum_root(&pool, gnum_int(-27), 3, &rt), GN_OK);
  CHECK(gnum_cmp(rt, gnum_int(-3)) == 0);
  CHECK_INT(gnum_pow(&pool, gnum_int(10), 100000000, &p), GN_BIG);
  CHECK_INT(gnum_pow(&pool, gnum_int(-1), 100000000001LL, &p), GN_OK);
  CHECK(gnum_cmp(p, gnum_int(-1)) == 0);
  CHECK_INT(gnum_fact(&pool, gnum_int(25), &p), GN_OK);
  mpz_fac_ui(z, 25);
  to_q(got, p);
  CHECK(mpz_cmp(mpq_numref(got), z) == 0);
  CHECK_INT(gnum_fact(&pool, gnum_int(100000), &p), GN_BIG);
  CHECK_INT(gnum_div(&pool, gnum_int(1), gnum_int(0), &p), GN_UNDEF);
  mpz_clear(z);
  mpq_clears(x, y, want, got, NULL);
  gnum_pool_free(&pool);
}

/* ------------------------------------------------------------- the API */

TEST(gold_extract_contract)
{
  char out[8];
  int n = gold_extract("\\boxed{123456789012}", out, sizeof(out));
  CHECK_INT(n, 12); /* whole length */
  CHECK_STR(out, "1234567"); /* truncated, NUL-terminated */
  CHECK_INT(gold_extract("", out, sizeof(out)), -1);
  CHECK_STR(out, "");
  CHECK_INT(gold_extract(NULL, out, sizeof(out)), -1);
  CHECK_INT(gold_extract("x \\boxed{1} y \\boxed{2", out, sizeof(out)), -1);
}

TEST(gold_verdict_fields)
{
  struct gold_verdict v;
  CHECK_INT(gold_judge("\\frac{3}{4}", "so \\boxed{0.75}", &v), 1);
  CHECK_STR(v.gold_answer, "\\frac{3}{4}");
  CHECK_STR(v.pred_answer, "0.75");
  CHECK_STR(v.gold_type, "rational");
  CHECK_STR(v.pred_type, "decimal");
  CHECK_STR(v.reason, "equal");
  CHECK_INT(gold_judge("5", NULL, &v), 0);
  CHECK_STR(v.reason, "no answer");
  CHECK_STR(v.pred_type, "none");
  CHECK_INT(gold_judge(NULL, "5", &v), 0);
  CHECK_STR(v.reason, "no gold answer");
  /* long answers are truncated for display, on a character boundary */
  char big[600];
  memset(big, '1', sizeof(big) - 1);
  big[sizeof(big) - 1] = '\0';
  gold_judge(big, big, &v);
  CHECK_INT(v.correct, 1);
  CHECK_INT((long long)strlen(v.gold_answer), GOLD_ANSWER_DISPLAY - 1);
  big[300] = '2';
  gold_judge(big, big + 1, &v);
  CHECK_INT(v.correct, 0);
  CHECK_STR(v.reason, "numeric mismatch");
  /* past GOLD_MAX_ANSWER bytes: refused with a reason */
  char huge[1500];
  memset(huge, '7', sizeof(huge) - 1);
  huge[sizeof(huge) - 1] = '\0';
  CHECK_INT(gold_judge(huge, "7", &v), 0);
  CHECK_STR(v.reason, "too long");
}

/* ------------------------------------------------------ hostile inputs */

static double now_s(void)
{
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

static char *repeat(const char *a, int n, const char *mid, const char *b,
                    int m)
{
  size_t la = strlen(a), lb = strlen(b), lm = strlen(mid);
  char *s = malloc(la * n + lm + lb * m + 1), *w = s;
  for(int i = 0; i < n; i++, w += la)
    memcpy(w, a, la);
  memcpy(w, mid, lm);
  w += lm;
  for(int i = 0; i < m; i++, w += lb)
    memcpy(w, b, lb);
  *w = '\0';
  return s;
}

TEST(gold_hostile_inputs_are_bounded)
{
  char *in[16];
  int n = 0;
  in[n++] = repeat("(", 5000, "1", ")", 5000);
  in[n++] = repeat("\\frac{", 300, "1", "}{2}", 300);
  in[n++] = repeat("2^{", 200, "2", "}", 200);
  in[n++] = repeat("\\sqrt{", 400, "2", "}", 400);
  in[n++] = repeat("x+", 400, "1", "", 0);
  in[n++] = repeat("\\boxed{", 3000, "1", "}", 3000);
  in[n++] = repeat("9", 1000, "", "", 0);
  in[n++] = repeat("(x+1)", 100, "^{100}", "", 0);
  in[n++] = repeat("1,", 500, "1", "", 0);
  in[n++] = repeat("\\pm 1", 20, "", "", 0);
  in[n++] = repeat("a", 200000, "", "", 0);
  in[n++] = repeat("\\boxed{", 1, "", "{", 100000);
  in[n++] = repeat("10^{", 4, "10", "}", 4);
  in[n++] = repeat("((((((((((", 1, "100!", "))))))))))", 1);
  in[n++] = repeat("\\binom{", 1, "100000}{50000}", "", 0);
  in[n++] = repeat("|", 300, "x", "|", 300);
  double worst = 0;
  for(int i = 0; i < n; i++)
    for(int j = 0; j < n; j++) {
      struct gold_verdict v;
      double t0 = now_s();
      gold_judge(in[i], in[j], &v);
      double dt = now_s() - t0;
      if(dt > worst)
        worst = dt;
      CHECK(v.reason != NULL && v.gold_type != NULL &&
            v.pred_type != NULL);
      /* the same text is equal unless it was refused before parsing */
      if(i == j)
        CHECK_MSG(v.correct || !strncmp(v.reason, "too ", 4) ||
                  !strcmp(v.reason, "unterminated box") ||
                  !strcmp(v.reason, "no gold answer"),
                  "input %d against itself: %s", i, v.reason);
    }
  /* generous bound: ASan and a shared machine */
  CHECK_MSG(worst < 0.5, "slowest judgement took %.3f s", worst);
  for(int i = 0; i < n; i++)
    free(in[i]);
}

static void *judge_many(void *arg)
{
  int *bad = arg;
  static const char *const g[] = {"\\frac{3}{4}", "x^2+5x+6", "(2,5]",
                                  "\\{1,2,3\\}", "6\\sqrt{2}"};
  static const char *const p[] = {"\\boxed{0.75}", "(x+3)(x+2)",
                                  "\\left(2,5\\right]", "3,2,1",
                                  "\\sqrt{72}"};
  for(int it = 0; it < 300; it++)
    for(int k = 0; k < 5; k++) {
      struct gold_verdict v;
      if(!gold_judge(g[k], p[k], &v))
        (*bad)++;
    }
  return NULL;
}

TEST(gold_is_thread_safe)
{
  pthread_t th[4];
  int bad[4] = {0};
  for(int i = 0; i < 4; i++)
    pthread_create(&th[i], NULL, judge_many, &bad[i]);
  for(int i = 0; i < 4; i++)
    pthread_join(th[i], NULL);
  CHECK_INT(bad[0] + bad[1] + bad[2] + bad[3], 0);
}
