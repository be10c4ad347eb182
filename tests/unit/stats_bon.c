/* Unit tests of stats/bon: the BoN estimator against brute-force
 * enumeration of every n-subset, closed forms and invariants. */
#include "tests/unit/test.h"
#include "stats/bon.h"
#include "util/rng.h"

#include <stdlib.h>
#include <string.h>

/* ---- oracles kept here (the program never needs them) ---- */

/* E[f(BoN_n)] for a per-candidate statistic f (original order), random
 * tie-breaking: the weights F_b = C(b, n) / C(N, n) by their recurrence,
 * a tie block sharing F_b - F_a evenly. */
static double bon_stat(const struct stats_pool *p, int n, const double *f)
{
  int N = p->N;
  double *F = calloc((size_t)N + 1, sizeof(double));
  F[N] = 1;
  for(int b = N; b > n; b--)
    F[b - 1] = F[b] * (double)(b - n) / (double)b;
  double e = 0;
  for(int k = 0; k < p->nblk; k++) {
    int a0 = p->bstart[k], b0 = p->bstart[k + 1];
    double sum = 0;
    for(int i = a0; i < b0; i++)
      sum += f[p->perm[i]];
    e += (F[b0] - F[a0]) * sum / (b0 - a0);
  }
  free(F);
  return e;
}

/* Binary-gold oracle in closed form: pass@n = 1 - C(N-c, n) / C(N, n). */
static double pass_at(int N, int c, int n)
{
  if(n < 1 || n > N || c < 0 || c > N)
    return NAN;
  if(N - c < n)
    return 1;
  double lr = 0;
  for(int j = 0; j < n; j++)
    lr += log((double)(N - c - j) / (double)(N - j));
  return 1 - exp(lr);
}

/* Brute force over all n-subsets (positions in original order). */
struct brute {
  double gold, proxy, pess, opt, tie, oracle, maj, wvote;
};

static double class_value(int N, const double *g, const int32_t *ans,
                          int i)
{
  if(ans[i] < 0)
    return g[i];
  double s = 0;
  int c = 0;
  for(int j = 0; j < N; j++)
    if(ans[j] == ans[i]) {
      s += g[j];
      c++;
    }
  return s / c;
}

static void brute(int N, const double *s, const double *g,
                  const int32_t *ans, int n, struct brute *o)
{
  memset(o, 0, sizeof(*o));
  double shift = 0;
  for(int i = 0; i < N; i++)
    if(s[i] < shift)
      shift = s[i];
  long count = 0;
  for(unsigned m = 0; m < (1u << N); m++) {
    if(__builtin_popcount(m) != n)
      continue;
    count++;
    double mx = -INFINITY, gmax = -INFINITY;
    for(int i = 0; i < N; i++)
      if(m >> i & 1) {
        if(s[i] > mx)
          mx = s[i];
        if(g[i] > gmax)
          gmax = g[i];
      }
    double sum = 0, lo = INFINITY, hi = -INFINITY;
    int t = 0;
    for(int i = 0; i < N; i++)
      if((m >> i & 1) && s[i] == mx) {
        sum += g[i];
        t++;
        lo = g[i] < lo ? g[i] : lo;
        hi = g[i] > hi ? g[i] : hi;
      }
    o->gold += sum / t;
    o->proxy += mx;
    o->pess += lo;
    o->opt += hi;
    o->tie += t > 1;
    o->oracle += gmax;
    /* votes: per member, its class's count / weight within the subset */
    for(int w = 0; w < 2; w++) {
      double best = -INFINITY, val = 0;
      int nb = 0;
      for(int i = 0; i < N; i++) {
        if(!(m >> i & 1))
          continue;
        /* first member of its class in the subset only */
        int first = 1;
        for(int j = 0; j < i; j++)
          if((m >> j & 1) && ans[i] >= 0 && ans[j] == ans[i])
            first = 0;
        if(!first)
          continue;
        double v = 0;
        for(int j = 0; j < N; j++)
          if((m >> j & 1) && (j == i || (ans[i] >= 0 && ans[j] == ans[i])))
            v += w ? s[j] - shift : 1;
        if(v > best) {
          best = v;
          val = class_value(N, g, ans, i);
          nb = 1;
        }
        else if(v == best) {
          val += class_value(N, g, ans, i);
          nb++;
        }
      }
      if(w)
        o->wvote += val / nb;
      else
        o->maj += val / nb;
    }
  }
  o->gold /= count;
  o->proxy /= count;
  o->pess /= count;
  o->opt /= count;
  o->tie /= count;
  o->oracle /= count;
  o->maj /= count;
  o->wvote /= count;
}

TEST(bon_matches_brute_force_with_ties)
{
  struct rng r;
  rng_seed(&r, 11, 0, 0);
  int cases = 0;
  for(int trial = 0; trial < 60; trial++) {
    int N = 1 + (int)rng_below(&r, 11);
    double s[16], g[16];
    int32_t ans[16];
    int levels = 1 + (int)rng_below(&r, 5);
    int binary = trial % 2;
    for(int i = 0; i < N; i++) {
      s[i] = (double)rng_below(&r, (uint64_t)levels) - 1.5;
      g[i] = binary ? (double)rng_below(&r, 2) : rng_unif(&r);
      ans[i] = rng_unif(&r) < 0.15 ? -1 : (int32_t)rng_below(&r, 3) * 7;
    }
    struct stats_pool p;
    CHECK(stats_pool_init(&p, N, s, g, ans) == 0);
    for(int n = 1; n <= N; n++) {
      struct brute b;
      brute(N, s, g, ans, n, &b);
      struct stats_bon_point o;
      stats_bon_at(&p, n, &o);
      CHECK_NEAR(o.gold, b.gold, 1e-9);
      CHECK_NEAR(o.proxy, b.proxy, 1e-9);
      CHECK_NEAR(o.gold_pess, b.pess, 1e-9);
      CHECK_NEAR(o.gold_opt, b.opt, 1e-9);
      CHECK_NEAR(o.tie_rate, b.tie, 1e-9);
      CHECK_NEAR(o.oracle, b.oracle, 1e-9);
      CHECK_NEAR(bon_stat(&p, n, g), b.gold, 1e-9);
      CHECK_NEAR(stats_vote(&p, n, 0, 1, 2, 3), b.maj, 1e-9);
      CHECK_NEAR(stats_vote(&p, n, 1, 1, 2, 3), b.wvote, 1e-9);
      cases++;
    }
    stats_pool_free(&p);
  }
  CHECK(cases > 100);
}

TEST(bon_n1_pool_mean_nN_top_block)
{
  double s[7] = {0.3, 0.9, 0.1, 0.9, 0.5, 0.9, 0.2};
  double g[7] = {1, 0, 1, 1, 0, 0, 1};
  struct stats_pool p;
  stats_pool_init(&p, 7, s, g, NULL);
  struct stats_bon_point o;
  stats_bon_at(&p, 1, &o);
  CHECK_NEAR(o.gold, 4.0 / 7, 1e-12);
  CHECK_NEAR(o.proxy, (0.3 + 0.9 * 3 + 0.1 + 0.5 + 0.2) / 7, 1e-12);
  CHECK_NEAR(o.tie_rate, 0, 1e-15);
  stats_bon_at(&p, 7, &o);
  CHECK_NEAR(o.gold, 1.0 / 3, 1e-12);
  CHECK_NEAR(o.gold_pess, 0, 1e-12);
  CHECK_NEAR(o.gold_opt, 1, 1e-12);
  CHECK_NEAR(o.tie_rate, 1, 1e-12);
  CHECK_NEAR(o.oracle, 1, 1e-12);
  stats_bon_at(&p, 8, &o);
  CHECK(isnan(o.gold));
  stats_pool_free(&p);
}

TEST(bon_proxy_equals_gold_is_nondecreasing)
{
  struct rng r;
  rng_seed(&r, 3, 0, 0);
  int N = 1500;
  double *s = malloc(N * sizeof(double));
  for(int i = 0; i < N; i++)
    s[i] = floor(rng_normal(&r) * 20) / 20; /* many ties */
  struct stats_pool p;
  stats_pool_init(&p, N, s, s, NULL);
  double prev = -INFINITY;
  int bad = 0;
  for(int n = 1; n <= N; n += 1 + n / 8) {
    struct stats_bon_point o;
    stats_bon_at(&p, n, &o);
    bad += o.gold < prev - 1e-12;
    prev = o.gold;
  }
  CHECK_INT(bad, 0);
  stats_pool_free(&p);
  free(s);
}

TEST(bon_weights_sum_to_one_up_to_4096)
{
  int Ns[] = {1, 2, 17, 1000, 1024, 4096};
  for(size_t k = 0; k < sizeof(Ns) / sizeof(Ns[0]); k++) {
    int N = Ns[k];
    double *one = malloc(N * sizeof(double)), *s = malloc(N * sizeof(double));
    for(int i = 0; i < N; i++) {
      one[i] = 1;
      s[i] = i % 3 ? i : i - 1; /* some ties */
    }
    struct stats_pool p;
    stats_pool_init(&p, N, s, one, NULL);
    for(int n = 1; n <= N; n = n < 8 ? n + 1 : n * 2) {
      struct stats_bon_point o;
      stats_bon_at(&p, n, &o);
      CHECK_NEAR(o.gold, 1, 1e-12);
      CHECK_NEAR(o.gold_pess, 1, 1e-12);
      CHECK_NEAR(o.oracle, 1, 1e-12);
    }
    stats_pool_free(&p);
    free(one);
    free(s);
  }
}

TEST(bon_pass_at_closed_form)
{
  struct rng r;
  rng_seed(&r, 9, 0, 0);
  for(int t = 0; t < 30; t++) {
    int N = 1 + (int)rng_below(&r, 12), c = 0;
    double s[16], g[16];
    for(int i = 0; i < N; i++) {
      s[i] = rng_unif(&r);
      g[i] = rng_unif(&r) < 0.3;
      c += g[i] == 1;
    }
    struct stats_pool p;
    stats_pool_init(&p, N, s, g, NULL);
    for(int n = 1; n <= N; n++) {
      struct brute b;
      int32_t ans[16];
      for(int i = 0; i < N; i++)
        ans[i] = -1;
      brute(N, s, g, ans, n, &b);
      struct stats_bon_point o;
      stats_bon_at(&p, n, &o);
      CHECK_NEAR(pass_at(N, c, n), b.oracle, 1e-12);
      CHECK_NEAR(o.oracle, b.oracle, 1e-12);
    }
    stats_pool_free(&p);
  }
  /* large pool: the estimator's oracle equals the closed form */
  int N = 4000, c = 37;
  double *s = malloc(N * sizeof(double)), *g = malloc(N * sizeof(double));
  for(int i = 0; i < N; i++) {
    s[i] = i;
    g[i] = i % 100 == 5 && i / 100 < c;
  }
  struct stats_pool p;
  stats_pool_init(&p, N, s, g, NULL);
  for(int n = 1; n <= N; n *= 3) {
    struct stats_bon_point o;
    stats_bon_at(&p, n, &o);
    CHECK_NEAR(o.oracle, pass_at(N, c, n), 1e-10);
  }
  stats_pool_free(&p);
  free(s);
  free(g);
}

TEST(bon_kl_plugin_closed_forms)
{
  /* all-distinct atoms: sum_j (F_j^n - F_j-1^n) log(N (F_j^n - F_j-1^n)) */
  int N = 9;
  double s[4096], g[4096];
  for(int i = 0; i < N; i++) {
    s[i] = (i * 5) % 9;
    g[i] = 0;
  }
  struct stats_pool p;
  stats_pool_init(&p, N, s, g, NULL);
  for(int n = 1; n <= 6; n++) {
    double want = 0;
    for(int j = 1; j <= N; j++) {
      double q = pow((double)j / N, n) - pow((double)(j - 1) / N, n);
      want += q * log(N * q);
    }
    struct stats_bon_point o;
    stats_bon_at(&p, n, &o);
    CHECK_NEAR(o.kl_plugin, want, 1e-12);
    CHECK(o.kl_plugin <= log(N) + 1e-12);
  }
  stats_pool_free(&p);
  /* one answer for everybody: KL 0 at every n */
  int32_t same[4096];
  for(int i = 0; i < N; i++)
    same[i] = 4;
  stats_pool_init(&p, N, s, g, same);
  for(int n = 1; n <= N; n++) {
    struct stats_bon_point o;
    stats_bon_at(&p, n, &o);
    CHECK_NEAR(o.kl_plugin, 0, 1e-15);
  }
  stats_pool_free(&p);
  /* a large all-distinct pool approaches log n - (n-1)/n */
  N = 4096;
  for(int i = 0; i < N; i++)
    s[i] = i;
  stats_pool_init(&p, N, s, g, NULL);
  for(int n = 1; n <= 16; n *= 2) {
    struct stats_bon_point o;
    stats_bon_at(&p, n, &o);
    CHECK_NEAR(o.kl_plugin, stats_kl_bon(n), 5e-3);
  }
  stats_pool_free(&p);
}

TEST(bon_vote_monte_carlo_close_to_exact)
{
  struct rng r;
  rng_seed(&r, 21, 0, 0);
  int N = 16;
  double s[16], g[16];
  int32_t ans[16];
  for(int i = 0; i < N; i++) {
    ans[i] = (int32_t)rng_below(&r, 4);
    g[i] = ans[i] == 0;
    s[i] = rng_normal(&r) + g[i];
  }
  struct stats_pool p;
  stats_pool_init(&p, N, s, g, ans);
  struct brute b;
  brute(N, s, g, ans, 8, &b); /* C(16,8) = 12870: Monte Carlo path */
  CHECK_NEAR(stats_vote(&p, 8, 0, 5, 0, 0), b.maj, 0.08);
  CHECK_NEAR(stats_vote(&p, 8, 1, 5, 0, 0), b.wvote, 0.08);
  CHECK(stats_vote(&p, 8, 0, 5, 0, 0) == stats_vote(&p, 8, 0, 5, 0, 0));
  stats_pool_free(&p);
}

TEST(bon_kl_inverse)
{
  CHECK_NEAR(stats_kl_bon(1), 0, 1e-15);
  double ns[] = {1, 2, 3.5, 100, 1e6};
  for(int i = 0; i < 5; i++)
    CHECK_NEAR(stats_kl_bon_inverse(stats_kl_bon(ns[i])) / ns[i], 1, 1e-9);
  CHECK(isnan(stats_kl_bon_inverse(-1)));
  /* the one inverse, also the plots' x axis: exact at the ends, NaN for a
   * KL that cannot be (negative or NaN), never a silent n = 1 */
  CHECK_NEAR(stats_kl_bon(2), log(2) - 0.5, 1e-15);
  CHECK_NEAR(stats_kl_bon(64), log(64) - 63.0 / 64, 1e-15);
  for(double n = 1.5; n < 1e7; n *= 3.7)
    CHECK_NEAR(stats_kl_bon_inverse(stats_kl_bon(n)) / n, 1, 1e-9);
  CHECK(stats_kl_bon_inverse(0) == 1);
  CHECK(isinf(stats_kl_bon_inverse(INFINITY)));
  CHECK(isnan(stats_kl_bon_inverse(-1e-300)));
  CHECK(isnan(stats_kl_bon_inverse(NAN)));
}

/* The shared-weights curve (analyze's path: weights per (N, n) once, the
 * plug-in KL of own-atom pools from shared terms) gives the bits of
 * stats_bon_at at every n: ties or none, answers or none, binary or real
 * gold, reused pools of changing sizes. */
TEST(bon_curve_equals_bon_at_bit_for_bit)
{
  struct rng r;
  rng_seed(&r, 99, 1, 2);
  struct stats_pool reused;
  memset(&reused, 0, sizeof(reused));
  for(int rep = 0; rep < 120; rep++) {
    int N = 1 + (int)rng_below(&r, 300), kind = rep % 6;
    double *s = malloc((size_t)N * sizeof(double));
    double *g = malloc((size_t)N * sizeof(double));
    int32_t *ans = malloc((size_t)N * sizeof(int32_t));
    for(int i = 0; i < N; i++) {
      s[i] = kind < 2 ? rng_normal(&r) : (double)rng_below(&r, 7) - 3;
      if(kind == 5 && i % 3 == 0)
        s[i] = -0.0;
      g[i] = kind % 2 ? rng_unif(&r) : (double)rng_below(&r, 2);
      ans[i] = kind == 4 ? -1 : (int32_t)rng_below(&r, 4);
    }
    int grid[12], G = 0;
    for(int n = 1; n < N && G < 11; n *= 2)
      grid[G++] = n;
    grid[G++] = N;
    struct stats_bon_weights w;
    stats_bon_weights_init(&w, N, grid, G);
    const int32_t *a = kind >= 3 ? ans : NULL;
    struct stats_pool p;
    stats_pool_init(&p, N, s, g, a);
    stats_pool_set(&reused, N, s, g, a);
    struct stats_bon_point cur[12];
    stats_bon_curve(&reused, &w, cur);
    for(int k = 0; k < G; k++) {
      struct stats_bon_point at;
      stats_bon_at(&p, grid[k], &at);
      CHECK_MSG(!memcmp(&at, &cur[k], sizeof(at)), "rep %d kind %d N %d "
                "n %d: kl %.17g vs %.17g, gold %.17g vs %.17g", rep, kind,
                N, grid[k], at.kl_plugin, cur[k].kl_plugin, at.gold,
                cur[k].gold);
    }
    stats_pool_free(&p);
    stats_bon_weights_free(&w);
    free(s);
    free(g);
    free(ans);
  }
  stats_pool_free(&reused);
}
