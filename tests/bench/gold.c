/* Benchmarks of the gold verifier: answer pairs of mixed forms, and whole
 * completions (~1.5 KB of reasoning ending in \boxed{...}) against a
 * reference answer.  Single-threaded: the figures are per core. */
#include "gold/gold.h"
#include "tests/bench/bench.h"
#include "util/rng.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NPAIRS 20000
#define NCOMP 5000

struct corpus {
  char **gold, **pred;
  int n;
  long correct;
};

static char *dupf(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

static char *dupf(const char *fmt, ...)
{
  char tmp[4096];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(tmp, sizeof(tmp), fmt, ap);
  va_end(ap);
  return strdup(tmp);
}

/* One typical (gold, pred) pair; about half are equal. */
static void make_pair(struct rng *r, char **g, char **p)
{
  int a = 1 + (int)rng_below(r, 99), b = 2 + (int)rng_below(r, 20);
  int same = rng_below(r, 2) == 0;
  int a2 = same ? a : a + 1;
  switch(rng_below(r, 12)) {
  case 0:
    *g = dupf("%d", a * 37);
    *p = dupf("%d", a2 * 37);
    break;
  case 1:
    *g = dupf("\\frac{%d}{%d}", a, b);
    *p = dupf("\\dfrac{%d}{%d}", a2 * 2, b * 2);
    break;
  case 2:
    *g = dupf("\\frac{%d}{4}", a);
    *p = dupf("%g", a2 / 4.0);
    break;
  case 3:
    *g = dupf("%d\\sqrt{2}", a);
    *p = dupf("\\sqrt{%d}", 2 * a2 * a2);
    break;
  case 4:
    *g = dupf("x^2 + %dx + %d", a + b, a * b);
    *p = dupf("(x+%d)(x+%d)", a2, b);
    break;
  case 5:
    *g = dupf("-%d", a);
    *p = dupf("-%d", a2);
    break;
  case 6:
    *g = dupf("x = \\frac{%d}{3}", a);
    *p = dupf("\\frac{%d}{3}", a2);
    break;
  case 7:
    *g = dupf("(%d, %d]", a, a + b);
    *p = dupf("\\left(%d,%d\\right]", a2, a + b);
    break;
  case 8:
    *g = dupf("\\{%d, %d, %d\\}", a, b, a + b);
    *p = dupf("%d, %d, %d", a + b, a2, b);
    break;
  case 9:
    *g = dupf("%d,%03d", a, b);
    *p = dupf("%d", a2 * 1000 + b);
    break;
  case 10:
    *g = dupf("%d\\pi", a);
    *p = dupf("%d \\pi", a2);
    break;
  default:
    *g = dupf("\\text{(%c)}", 'A' + a % 5);
    *p = dupf("(%c)", 'A' + a2 % 5);
  }
}

static void make_pairs(struct corpus *c)
{
  struct rng r;
  rng_seed(&r, 7, 1, 0);
  c->n = NPAIRS;
  c->gold = malloc(sizeof(char *) * c->n);
  c->pred = malloc(sizeof(char *) * c->n);
  for(int i = 0; i < c->n; i++)
    make_pair(&r, &c->gold[i], &c->pred[i]);
}

static const char *const filler[] = {
  "We begin by writing down what the problem gives us. ",
  "Let $x$ be the unknown quantity, so that $2x + 3 = 11$ and $x = 4$. ",
  "Substituting back, we check that $\\frac{a}{b} = \\frac{3}{4}$ holds. ",
  "The area of the triangle is $\\frac{1}{2} \\cdot 6 \\cdot 8 = 24$. ",
  "By the Pythagorean theorem, $c = \\sqrt{a^2 + b^2} = 10$. ",
  "Now we sum the series: $\\sum_{k=1}^{n} k = \\frac{n(n+1)}{2}$. ",
  "Hence the number of ways is $\\binom{8}{3} = 56$, as computed. ",
  "Note that $(x+1)^2 = x^2 + 2x + 1$, which we expand below.\n",
  "Therefore the remaining amount is $48 - 24 = 24$ dollars. ",
};

/* A ~1.5 KB completion ending in \boxed{pred}. */
static char *make_completion(struct rng *r, const char *pred)
{
  char buf[2400];
  size_t n = 0;
  while(n < 1450) {
    const char *f = filler[rng_below(r, sizeof(filler) / sizeof(filler[0]))];
    size_t l = strlen(f);
    memcpy(buf + n, f, l);
    n += l;
  }
  n += (size_t)snprintf(buf + n, sizeof(buf) - n,
                        "\nThe final answer is $\\boxed{%s}$.", pred);
  buf[n] = '\0';
  return strdup(buf);
}

static void make_completions(struct corpus *c)
{
  struct rng r;
  rng_seed(&r, 7, 2, 0);
  c->n = NCOMP;
  c->gold = malloc(sizeof(char *) * c->n);
  c->pred = malloc(sizeof(char *) * c->n);
  for(int i = 0; i < c->n; i++) {
    char *p;
    make_pair(&r, &c->gold[i], &p);
    c->pred[i] = make_completion(&r, p);
    free(p);
  }
}

static void free_corpus(struct corpus *c)
{
  for(int i = 0; i < c->n; i++) {
    free(c->gold[i]);
    free(c->pred[i]);
  }
  free(c->gold);
  free(c->pred);
}

static void judge_all(void *ctx)
{
  struct corpus *c = ctx;
  long ok = 0;
  for(int i = 0; i < c->n; i++) {
    struct gold_verdict v;
    ok += gold_judge(c->gold[i], c->pred[i], &v);
  }
  c->correct = ok;
}

BENCH(gold_verifier)
{
  struct corpus c;
  make_pairs(&c);
  double t = bench_time_median(5, judge_all, &c);
  bench_report("answer pairs (mixed forms), 1 thread", c.n, t, "pairs");
  printf("  (%ld of %d pairs judged equal)\n", c.correct, c.n);
  free_corpus(&c);

  make_completions(&c);
  size_t bytes = 0;
  for(int i = 0; i < c.n; i++)
    bytes += strlen(c.pred[i]);
  t = bench_time_median(5, judge_all, &c);
  bench_report("whole completions (~1.5 KB), 1 thread", c.n, t, "compl");
  printf("  (mean completion %zu bytes; %ld of %d judged equal)\n",
         bytes / (size_t)c.n, c.correct, c.n);
  free_corpus(&c);
}
