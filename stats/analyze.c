/* analyze.c - BoN curves, KL, fits, gains and the paired bootstrap for
 * every RM of a scores table (see analyze.h).  One function per phase:
 * usable problems, n grid, per-problem values, means, bootstrap, fits,
 * gains; the files are analyze_out.c's. */
#include "stats/analyze.h"

#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "stats/bon.h"
#include "stats/boot.h"
#include "stats/order.h"
#include "stats/out.h"
#include "stats/runtime.h"

/* per-problem statistics, in this order; the first three get intervals */
enum { S_GOLD, S_PROXY, S_ORACLE, S_PESS, S_OPT, S_MAJ, S_WVOTE, S_TIE,
       S_KLP, S_COUNT };
#define S_BOOT 3

#define VOTE_SEED 0x766f746573ULL

struct ctx {
  const struct stats_analyze_opts *o;
  const struct stats_table *t;
  int R, P, G;
  int *prob;           /* [P] table index of each used problem */
  int *pool_n;         /* [R][table problems] scored candidates */
  int *grid;           /* [G] */
  size_t B;
  double level;
  double *V;           /* [S_COUNT][R][G][P] per-problem values */
  double *maj_full;    /* [P][G] majority vote on the full pool */
  double *sdp, *sdg;   /* [R][P] within-pool sd of proxy and gold */
  unsigned char *full; /* [R][P] pool has every candidate */
  size_t ntask;        /* of the estimation phase */
  double *C;           /* [S_COUNT][R][G] means over problems */
  double *reps;        /* [B][S_BOOT][R][G] bootstrap means, or NULL */
  double *lo, *hi;     /* [S_BOOT][R][G] percentile intervals */
  /* per-worker scratch of the estimation phase */
  double **sb, **gb;
  int32_t **ab;
  struct stats_pool *pool;        /* [workers] reused */
  struct stats_bon_point **pts;   /* [workers][G] */
  struct stats_bon_weights **wt;  /* [max pool + 1] shared, by pool size */
  int wt_n;
  atomic_size_t done;
};

static double *vat(const struct ctx *c, int s, int r, int g, int p)
{
  return c->V + (((size_t)s * c->R + r) * c->G + g) * c->P + p;
}

/* Index of statistic s of RM r at grid point g in C, lo, hi and a row of
 * reps. */
static size_t cix(const struct ctx *c, int s, int r, int g)
{
  return ((size_t)s * c->R + r) * c->G + g;
}

static double mean_of(const double *x, int n)
{
  double s = 0;
  for(int i = 0; i < n; i++)
    s += x[i];
  return s / n;
}

/* The population sd of x and of y (n each), in one pass for the means and
 * one for the squares: the same sums, in the same order, as one at a
 * time. */
static void sd_of2(const double *x, const double *y, int n, double *sx,
                   double *sy)
{
  double mx = 0, my = 0, vx = 0, vy = 0;
  for(int i = 0; i < n; i++) {
    mx += x[i];
    my += y[i];
  }
  mx /= n;
  my /= n;
  for(int i = 0; i < n; i++) {
    vx += (x[i] - mx) * (x[i] - mx);
    vy += (y[i] - my) * (y[i] - my);
  }
  *sx = sqrt(vx / n);
  *sy = sqrt(vy / n);
}

void stats_analyze_opts_init(struct stats_analyze_opts *o)
{
  memset(o, 0, sizeof(*o));
  o->bootstrap = 1000;
  o->seed = 1;
  o->level = 0.95;
}

void stats_analysis_free(struct stats_analysis *a)
{
  if(!a)
    return;
  for(int r = 0; a->rm && r < a->n_rms; r++) {
    free(a->rm[r].rm);
    free(a->rm[r].curve);
  }
  free(a->rm);
  free(a->grid);
  stats_strs_free(a->warnings, a->n_warnings);
  free(a->in.name);
  memset(a, 0, sizeof(*a));
}

/* ---- phase 1: usable problems (every RM scored a candidate) ---- */

/* The scored candidates of every RM on problem p. */
static void task_pool_sizes(void *arg, size_t p, int w)
{
  struct ctx *c = arg;
  const struct stats_table *t = c->t;
  size_t M = stats_table_pool_size(t, (int)p);
  (void)w;
  for(int r = 0; r < c->R; r++) {
    const double *s = stats_table_scores(t, r, (int)p);
    int k = 0;
    for(size_t i = 0; i < M; i++)
      k += !isnan(s[i]);
    c->pool_n[(size_t)r * t->n_problems + p] = k;
  }
}

static int usable_problems(struct ctx *c, struct stats_analysis *A,
                           struct bon_err *err)
{
  const struct stats_table *t = c->t;
  int N = 0, Nmax = 0;
  size_t np = (size_t)t->n_problems;
  c->prob = xmalloc((np ? np : 1) * sizeof(int));
  size_t cells = np * (size_t)c->R;
  c->pool_n = xmalloc((cells ? cells : 1) * sizeof(int));
  stats_parallel(np, c->o->threads, task_pool_sizes, c);
  for(int p = 0; p < t->n_problems; p++) {
    int nmin = -1;
    for(int r = 0; r < c->R; r++) {
      int k = c->pool_n[(size_t)r * np + p];
      if(nmin < 0 || k < nmin)
        nmin = k;
      if(k > Nmax)
        Nmax = k;
    }
    if(nmin < 1) {
      A->problems_dropped++;
      continue;
    }
    if(c->P == 0 || nmin < N)
      N = nmin;
    c->prob[c->P++] = p;
  }
  if(!c->P)
    return bon_errf(err, "%s: no problem has a score from every RM; nothing "
                    "to analyse", t->source);
  if(A->problems_dropped)
    stats_warn(&A->warnings, &A->n_warnings, "%d problem(s) dropped: some "
               "RM scored none of their candidates", A->problems_dropped);
  if(N != Nmax)
    stats_warn(&A->warnings, &A->n_warnings, "pool sizes differ (from %d to "
               "%d candidates); the n grid stops at the smallest, N = %d", N,
               Nmax, N);
  A->pool = N;
  return 0;
}

/* ---- phase 2: the n grid ---- */

static int icmp(const void *a, const void *b)
{
  int x = *(const int *)a, y = *(const int *)b;
  return (x > y) - (x < y);
}

/* The given grid (n <= N, plus n = 1) or the default one, into c->grid,
 * unsorted.  -1 with err for an n < 1. */
static int grid_values(struct ctx *c, int N, struct stats_analysis *A,
                       struct bon_err *err)
{
  const struct stats_analyze_opts *o = c->o;
  int given = o->n_grid && o->n_grid_len > 0, over = 0;
  /* the default grid has at most 1 + log2 N + 1 < 34 points */
  c->grid = xmalloc((size_t)((given ? o->n_grid_len : 0) + 34) *
                    sizeof(int));
  c->grid[c->G++] = 1;
  if(!given) {
    for(int n = 2; n < N; n *= 2)
      c->grid[c->G++] = n;
    c->grid[c->G++] = N;
    return 0;
  }
  for(int i = 0; i < o->n_grid_len; i++) {
    if(o->n_grid[i] < 1)
      return bon_errf(err, "n grid value %d: n must be >= 1", o->n_grid[i]);
    if(o->n_grid[i] > N)
      over++;
    else
      c->grid[c->G++] = o->n_grid[i];
  }
  if(over)
    stats_warn(&A->warnings, &A->n_warnings, "%d n grid value(s) above the "
               "pool size N = %d dropped", over, N);
  return 0;
}

static int make_grid(struct ctx *c, struct stats_analysis *A,
                     struct bon_err *err)
{
  int N = A->pool;
  if(grid_values(c, N, A, err) < 0)
    return -1;
  qsort(c->grid, (size_t)c->G, sizeof(int), icmp);
  int k = 0;
  for(int i = 0; i < c->G; i++)
    if(!k || c->grid[i] != c->grid[k - 1])
      c->grid[k++] = c->grid[i];
  c->G = k;
  struct buf w = BUF_INIT;
  for(int g = 0; g < c->G; g++)
    if(c->grid[g] * 4 > N)
      buf_printf(&w, "%s%d", w.len ? ", " : "", c->grid[g]);
  if(w.len)
    stats_warn(&A->warnings, &A->n_warnings, "n > N/4 (N = %d) at n = %s: "
               "these estimates rest on few distinct subsets", N,
               buf_str(&w));
  buf_free(&w);
  return 0;
}

/* ---- phase 3: per-problem values, in parallel over pools ---- */

/* Majority vote on the full pool of used problem pi (every RM whose pool
 * is complete shares it). */
static void task_majority(struct ctx *c, int pi, int w)
{
  const struct stats_table *t = c->t;
  int p = c->prob[pi], G = c->G;
  size_t off = t->cand_off[p];
  int N = (int)stats_table_pool_size(t, p);
  double *sb = c->sb[w], *gb = c->gb[w];
  int32_t *ab = c->ab[w];
  for(int i = 0; i < N; i++) {
    sb[i] = 0;
    gb[i] = t->gold[off + i];
    ab[i] = t->answer[off + i];
  }
  struct stats_pool *pool = &c->pool[w];
  stats_pool_set(pool, N, sb, gb, ab);
  for(int g = 0; g < G; g++)
    c->maj_full[(size_t)pi * G + g] =
      stats_vote(pool, c->grid[g], 0, c->o->seed ^ VOTE_SEED, 0,
                 (uint64_t)pi * G + g);
}

/* The values of pool (r, pi) at every n of the grid. */
static void pool_values(struct ctx *c, struct stats_pool *pool, int r,
                        int pi, int complete, struct stats_bon_point *pts)
{
  int has_answer = c->t->has_answer;
  uint64_t seed = c->o->seed ^ VOTE_SEED;
  stats_bon_curve(pool, c->wt[pool->N], pts);
  for(int g = 0; g < c->G; g++) {
    int n = c->grid[g];
    const struct stats_bon_point o = pts[g];
    *vat(c, S_GOLD, r, g, pi) = o.gold;
    *vat(c, S_PROXY, r, g, pi) = o.proxy;
    *vat(c, S_ORACLE, r, g, pi) = o.oracle;
    *vat(c, S_PESS, r, g, pi) = o.gold_pess;
    *vat(c, S_OPT, r, g, pi) = o.gold_opt;
    *vat(c, S_TIE, r, g, pi) = o.tie_rate;
    *vat(c, S_KLP, r, g, pi) = o.kl_plugin;
    uint64_t b = (uint64_t)pi * c->G + g;
    double wv = NAN, maj = NAN;
    if(has_answer) {
      wv = stats_vote(pool, n, 1, seed, 2 + 2 * (uint64_t)r, b);
      /* majority: from the full pool unless scores are missing here */
      if(!complete)
        maj = stats_vote(pool, n, 0, seed, 1 + 2 * (uint64_t)r, b);
    }
    *vat(c, S_WVOTE, r, g, pi) = wv;
    *vat(c, S_MAJ, r, g, pi) = maj;
  }
}

/* The pool of RM r on used problem pi: its scored candidates. */
static void task_pool(struct ctx *c, int r, int pi, int w)
{
  const struct stats_table *t = c->t;
  int p = c->prob[pi];
  size_t off = t->cand_off[p];
  int M = (int)stats_table_pool_size(t, p), N = 0;
  const double *sc = stats_table_scores(t, r, p);
  double *sb = c->sb[w], *gb = c->gb[w];
  int32_t *ab = c->ab[w];
  for(int i = 0; i < M; i++)
    if(!isnan(sc[i])) {
      sb[N] = sc[i];
      gb[N] = t->gold[off + i];
      ab[N] = t->answer[off + i];
      N++;
    }
  size_t k = (size_t)r * c->P + pi;
  c->full[k] = N == M;
  sd_of2(sb, gb, N, &c->sdp[k], &c->sdg[k]);
  struct stats_pool *pool = &c->pool[w];
  stats_pool_set(pool, N, sb, gb, t->has_answer ? ab : NULL);
  pool_values(c, pool, r, pi, N == M, c->pts[w]);
}

/* Task k < R*P: pool (k / P, k % P); k >= R*P: majority vote on the full
 * pool of problem k - R*P. */
static void task_estimate(void *arg, size_t k, int w)
{
  struct ctx *c = arg;
  size_t RP = (size_t)c->R * c->P;
  if(w == 0 && c->o->progress && (k & 63) == 0)
    c->o->progress(c->o->progress_ctx, "estimating",
                   (double)atomic_load(&c->done) / (double)c->ntask);
  if(k >= RP)
    task_majority(c, (int)(k - RP), w);
  else
    task_pool(c, (int)(k / c->P), (int)(k % c->P), w);
  atomic_fetch_add(&c->done, 1);
}

/* The weights of every pool size that occurs (they depend on N and the
 * grid only), computed once before the pools are. */
static void make_weights(struct ctx *c)
{
  const struct stats_table *t = c->t;
  c->wt_n = (int)t->counts.max_pool + 1;
  c->wt = xcalloc((size_t)c->wt_n, sizeof(*c->wt));
  for(int r = 0; r < c->R; r++)
    for(int pi = 0; pi < c->P; pi++) {
      int N = c->pool_n[(size_t)r * t->n_problems + c->prob[pi]];
      if(c->wt[N])
        continue;
      c->wt[N] = xmalloc(sizeof(**c->wt));
      stats_bon_weights_init(c->wt[N], N, c->grid, c->G);
    }
}

static void free_weights(struct ctx *c)
{
  for(int N = 0; N < c->wt_n; N++)
    if(c->wt[N]) {
      stats_bon_weights_free(c->wt[N]);
      free(c->wt[N]);
    }
  free(c->wt);
}

static void estimate(struct ctx *c)
{
  const struct stats_table *t = c->t;
  int R = c->R, P = c->P, G = c->G;
  c->V = xmalloc((size_t)S_COUNT * R * G * P * sizeof(double));
  c->maj_full = xmalloc((size_t)P * G * sizeof(double));
  c->sdp = xmalloc((size_t)R * P * sizeof(double));
  c->sdg = xmalloc((size_t)R * P * sizeof(double));
  c->full = xmalloc((size_t)R * P);
  size_t ntask = c->ntask = (size_t)R * P + (t->has_answer ? (size_t)P : 0);
  int nw = stats_workers(c->o->threads, ntask);
  size_t cap = t->counts.max_pool ? t->counts.max_pool : 1;
  c->sb = xmalloc((size_t)nw * sizeof(double *));
  c->gb = xmalloc((size_t)nw * sizeof(double *));
  c->ab = xmalloc((size_t)nw * sizeof(int32_t *));
  c->pts = xmalloc((size_t)nw * sizeof(*c->pts));
  c->pool = xcalloc((size_t)nw, sizeof(*c->pool));
  for(int w = 0; w < nw; w++) {
    c->sb[w] = xmalloc(cap * sizeof(double));
    c->gb[w] = xmalloc(cap * sizeof(double));
    c->ab[w] = xmalloc(cap * sizeof(int32_t));
    c->pts[w] = xmalloc((size_t)G * sizeof(**c->pts));
  }
  make_weights(c);
  atomic_init(&c->done, 0);
  stats_parallel(ntask, c->o->threads, task_estimate, c);
  for(int w = 0; w < nw; w++) {
    free(c->sb[w]);
    free(c->gb[w]);
    free(c->ab[w]);
    free(c->pts[w]);
    stats_pool_free(&c->pool[w]);
  }
  free(c->sb);
  free(c->gb);
  free(c->ab);
  free(c->pts);
  free(c->pool);
  if(t->has_answer)
    for(int r = 0; r < R; r++)
      for(int pi = 0; pi < P; pi++)
        if(c->full[(size_t)r * P + pi])
          for(int g = 0; g < G; g++)
            *vat(c, S_MAJ, r, g, pi) = c->maj_full[(size_t)pi * G + g];
}

/* ---- phase 4: means over problems ---- */

static void curve_means(struct ctx *c)
{
  size_t n = (size_t)S_COUNT * c->R * c->G;
  c->C = xmalloc(n * sizeof(double));
  for(size_t k = 0; k < n; k++)
    c->C[k] = mean_of(c->V + k * c->P, c->P);
}

/* ---- phase 5: bootstrap means and percentile intervals ---- */

/* The percentile interval of bootstrapped statistic k. */
static void task_interval(void *arg, size_t k, int w)
{
  struct ctx *c = arg;
  int nb = S_BOOT * c->R * c->G;
  (void)w;
  stats_boot_interval(c->reps, c->B, nb, (int)k, c->level, &c->lo[k],
                      &c->hi[k]);
}

static int bootstrap(struct ctx *c, struct bon_err *err)
{
  int nb = S_BOOT * c->R * c->G;
  c->lo = xmalloc((size_t)nb * sizeof(double));
  c->hi = xmalloc((size_t)nb * sizeof(double));
  for(int k = 0; k < nb; k++)
    c->lo[k] = c->hi[k] = NAN;
  if(!c->B)
    return 0;
  if(c->o->progress)
    c->o->progress(c->o->progress_ctx, "bootstrap", 0);
  c->reps = xmalloc(c->B * (size_t)nb * sizeof(double));
  struct stats_boot_opts bo = {.B = c->B, .seed = c->o->seed,
                               .threads = c->o->threads};
  if(stats_boot_means(c->V, nb, c->P, &bo, c->reps, err) < 0)
    return -1;
  stats_parallel((size_t)nb, c->o->threads, task_interval, c);
  return 0;
}

/* Replicate b's value of statistic s, RM r, grid point g. */
static double rep(const struct ctx *c, size_t b, int s, int r, int g)
{
  return c->reps[b * (size_t)(S_BOOT * c->R * c->G) + cix(c, s, r, g)];
}

/* ---- phase 6: fits with bootstrap intervals ---- */

/* Scratch of the fits of one curve. */
struct fit_scratch {
  double *d, *y, *var; /* [G] */
  double *Yb;          /* [B][G] replicate curves, recentred */
  double *tmp, *ra, *rb, *rd; /* [B] */
};

/* Bootstrap percentile intervals of alpha, beta, d* and n*: refit every
 * replicate curve with the same points and weights as the estimate.  ci:
 * alpha_lo, alpha_hi, beta_lo, beta_hi, d_star_lo, d_star_hi, n_star_lo,
 * n_star_hi (NaN without B > 1).  Replicates whose fit fails (fewer than 2
 * usable points) are left out. */
static void fit_intervals(const struct ctx *c, enum stats_fit_form form,
                          struct fit_scratch *s, const double *var,
                          double *ci)
{
  int G = c->G;
  for(int i = 0; i < 8; i++)
    ci[i] = NAN;
  if(c->B < 2)
    return;
  size_t k = 0;
  struct stats_fit_design fd;
  stats_fit_design_init(&fd, form, G, s->d, var);
  for(size_t b = 0; b < c->B; b++) {
    double a, be;
    stats_fit_ab_design(&fd, form, s->d, s->Yb + b * (size_t)G, var, &a,
                        &be);
    if(isnan(a) || isnan(be))
      continue;
    s->ra[k] = a;
    s->rb[k] = be;
    s->rd[k] = stats_fit_d_star(form, a, be);
    k++;
  }
  stats_fit_design_free(&fd);
  if(!k)
    return;
  double q[2] = {(1 - c->level) / 2, (1 + c->level) / 2};
  stats_quantiles(s->ra, k, q, 2, NULL, ci);
  stats_quantiles(s->rb, k, q, 2, NULL, ci + 2);
  stats_quantiles(s->rd, k, q, 2, NULL, ci + 4);
  for(int i = 0; i < 2; i++) /* the same order statistics, mapped */
    ci[6 + i] = stats_quantile_sorted(s->rd, k, q[i], stats_fit_n_star);
}

/* The recentred curve of statistic st of RM r, with the bootstrap
 * variance of each point (0 without B > 1) and the replicate curves. */
static void fit_points(const struct ctx *c, int st, int r,
                       struct fit_scratch *s)
{
  size_t B = c->B;
  for(int g = 0; g < c->G; g++) {
    s->d[g] = sqrt(stats_kl_bon(c->grid[g]));
    s->y[g] = c->C[cix(c, st, r, g)] - c->C[cix(c, st, r, 0)];
    s->var[g] = 0;
    if(B < 2)
      continue;
    double m = 0, v = 0;
    for(size_t b = 0; b < B; b++) {
      s->tmp[b] = rep(c, b, st, r, g) - rep(c, b, st, r, 0);
      s->Yb[b * (size_t)c->G + g] = s->tmp[b];
      m += s->tmp[b];
    }
    m /= B;
    for(size_t b = 0; b < B; b++)
      v += (s->tmp[b] - m) * (s->tmp[b] - m);
    s->var[g] = v / (B - 1);
  }
}

/* Both forms fitted to the gold (cv 0) and proxy (cv 1) curves of RM r. */
static void fit_rm(const struct ctx *c, int r, double kl_ex,
                   struct fit_scratch *s, struct stats_rm_result *x)
{
  for(int cv = 0; cv < 2; cv++) {
    fit_points(c, cv ? S_PROXY : S_GOLD, r, s);
    const double *var = c->B > 1 ? s->var : NULL;
    for(int form = 0; form < 2; form++) {
      struct stats_fit *f = &x->fit[cv][form];
      stats_fit_curve(form, c->G, s->d, s->y, var, f);
      f->extrap_kl = kl_ex;
      f->extrap_rmse = stats_fit_extrap(form, c->G, s->d, s->y, var, kl_ex);
      fit_intervals(c, form, s, var, x->fit_ci[cv][form]);
    }
  }
  const struct stats_fit *f = &x->fit[0][STATS_FIT_BON];
  x->d_star = f->d_star;
  x->kl_star = f->kl_star;
  x->n_star = f->n_star;
  x->r2 = f->r2;
}

static void scratch_init(struct fit_scratch *s, size_t B, size_t G)
{
  size_t B1 = B > 0 ? B : 1;
  *s = (struct fit_scratch){
    xmalloc(G * sizeof(double)), xmalloc(G * sizeof(double)),
    xmalloc(G * sizeof(double)), xmalloc(B1 * G * sizeof(double)),
    xmalloc(B1 * sizeof(double)), xmalloc(B1 * sizeof(double)),
    xmalloc(B1 * sizeof(double)), xmalloc(B1 * sizeof(double)),
  };
}

static void scratch_free(struct fit_scratch *s)
{
  void *own[] = {s->d, s->y, s->var, s->Yb, s->tmp, s->ra, s->rb, s->rd};
  for(size_t i = 0; i < sizeof(own) / sizeof(own[0]); i++)
    free(own[i]);
}

/* ---- phase 7: curves and gains of every RM ---- */

static void rm_curve(const struct ctx *c, int r, struct stats_rm_result *x)
{
  const double *C = c->C;
  x->curve = xcalloc((size_t)c->G, sizeof(*x->curve));
  for(int g = 0; g < c->G; g++) {
    struct stats_curve_point *q = &x->curve[g];
    q->n = c->grid[g];
    q->kl = stats_kl_bon(q->n);
    q->d = sqrt(q->kl);
    q->kl_plugin = C[cix(c, S_KLP, r, g)];
    double *est[S_BOOT][3] = {{&q->gold, &q->gold_lo, &q->gold_hi},
                              {&q->proxy, &q->proxy_lo, &q->proxy_hi},
                              {&q->oracle, &q->oracle_lo, &q->oracle_hi}};
    for(int s = 0; s < S_BOOT; s++) {
      *est[s][0] = C[cix(c, s, r, g)];
      *est[s][1] = c->lo[cix(c, s, r, g)];
      *est[s][2] = c->hi[cix(c, s, r, g)];
    }
    q->gold_pess = C[cix(c, S_PESS, r, g)];
    q->gold_opt = C[cix(c, S_OPT, r, g)];
    q->majority = C[cix(c, S_MAJ, r, g)];
    q->weighted_vote = C[cix(c, S_WVOTE, r, g)];
    q->tie_rate = C[cix(c, S_TIE, r, g)];
  }
}

/* delta = gold(N) - gold(1) with its interval, and the peak. */
static void rm_delta(const struct ctx *c, int r, double *tmp,
                     struct stats_rm_result *x)
{
  int gl = c->G - 1;
  const struct stats_curve_point *cv = x->curve;
  x->gold1 = cv[0].gold;
  x->goldN = cv[gl].gold;
  x->goldN_lo = cv[gl].gold_lo;
  x->goldN_hi = cv[gl].gold_hi;
  x->delta = x->goldN - x->gold1;
  x->delta_lo = x->delta_hi = NAN;
  if(c->B > 0) {
    for(size_t b = 0; b < c->B; b++)
      tmp[b] = rep(c, b, S_GOLD, r, gl) - rep(c, b, S_GOLD, r, 0);
    double q[2] = {(1 - c->level) / 2, (1 + c->level) / 2}, iv[2];
    stats_quantiles(tmp, c->B, q, 2, NULL, iv);
    x->delta_lo = iv[0];
    x->delta_hi = iv[1];
  }
  x->peak_gold = -INFINITY;
  for(int g = 0; g < c->G; g++)
    if(cv[g].gold > x->peak_gold) {
      x->peak_gold = cv[g].gold;
      x->peak_n = c->grid[g];
    }
}

/* auc, norm_gain, proxy_gap and the tie rate at the largest n. */
static void rm_gains(const struct ctx *c, int r, struct stats_rm_result *x)
{
  int gl = c->G - 1;
  const struct stats_curve_point *cv = x->curve;
  const int *grid = c->grid;
  double auc = 0, span = log2(grid[gl]);
  for(int g = 1; g < c->G; g++)
    auc += 0.5 * (log2(grid[g]) - log2(grid[g - 1])) *
           (cv[g].gold + cv[g - 1].gold - 2 * x->gold1);
  x->auc = span > 0 ? auc / span : 0;
  double den = cv[gl].oracle - x->gold1;
  x->norm_gain = den > 0 ? x->delta / den : NAN;
  double sp = mean_of(c->sdp + (size_t)r * c->P, c->P);
  double sg = mean_of(c->sdg + (size_t)r * c->P, c->P);
  x->proxy_gap = sp > 0 && sg > 0 ? (cv[gl].proxy - cv[0].proxy) / sp -
                                      x->delta / sg
                                  : NAN;
  x->tie_rate = cv[gl].tie_rate;
}

/* ---- phases 6 and 7 for every RM, in parallel over the RMs ---- */

struct rm_job {
  const struct ctx *c;
  struct stats_analysis *A;
  struct fit_scratch *s; /* [workers] */
  double kl_ex;
};

static void task_rm(void *arg, size_t r, int w)
{
  struct rm_job *j = arg;
  struct stats_rm_result *x = &j->A->rm[r];
  x->rm = xstrdup(j->c->t->rms[r]);
  rm_curve(j->c, (int)r, x);
  rm_delta(j->c, (int)r, j->s[w].tmp, x);
  rm_gains(j->c, (int)r, x);
  fit_rm(j->c, (int)r, j->kl_ex, &j->s[w], x);
}

static void per_rm(const struct ctx *c, struct stats_analysis *A)
{
  int nw = stats_workers(c->o->threads, (size_t)c->R);
  struct rm_job j = {c, A, xmalloc((size_t)nw * sizeof(*j.s)),
                     c->o->extrap_kl > 0
                       ? c->o->extrap_kl
                       : stats_kl_bon(c->grid[(c->G - 1) / 2])};
  A->in.extrap_kl = j.kl_ex;
  A->rm = xcalloc((size_t)c->R, sizeof(*A->rm));
  for(int w = 0; w < nw; w++)
    scratch_init(&j.s[w], c->B, (size_t)c->G);
  stats_parallel((size_t)c->R, c->o->threads, task_rm, &j);
  for(int w = 0; w < nw; w++)
    scratch_free(&j.s[w]);
  free(j.s);
}

/* ---- the whole analysis ---- */

/* Options and input facts the writer records (summary.json), and the
 * shape of the result. */
static void record_inputs(const struct ctx *c, struct stats_analysis *A)
{
  const struct stats_table *t = c->t;
  const struct stats_analyze_opts *o = c->o;
  A->in = (struct stats_analysis_inputs){
    .name = xstrdup(o->input_name ? o->input_name : t->source),
    .bootstrap = c->B, .seed = o->seed, .threads = o->threads,
    .level = c->level, .n_problems = t->n_problems, .n_cands = t->n_cands,
    .gold_binary = t->gold_binary, .has_answer = t->has_answer,
    .counts = t->counts};
  A->problems = c->P;
  A->n_rms = c->R;
  A->n_grid = c->G;
  A->grid = xmalloc((size_t)c->G * sizeof(int));
  memcpy(A->grid, c->grid, (size_t)c->G * sizeof(int));
}

/* Warnings about the input that do not stop the analysis. */
static void input_warnings(const struct ctx *c, struct stats_analysis *A)
{
  if(c->B > 0 && c->P < STATS_MIN_BOOT_PROBLEMS)
    stats_warn(&A->warnings, &A->n_warnings, "only %d problem(s): the "
               "bootstrap resamples problems, so with fewer than %d its "
               "intervals are meaningless (zero width with one problem); "
               "use more problems", c->P, STATS_MIN_BOOT_PROBLEMS);
  if(c->t->counts.missing_scores)
    stats_warn(&A->warnings, &A->n_warnings, "%zu missing score(s) skipped",
               c->t->counts.missing_scores);
}

static void ctx_free(struct ctx *c)
{
  free(c->prob);
  free(c->pool_n);
  free(c->grid);
  free(c->V);
  free(c->maj_full);
  free(c->sdp);
  free(c->sdg);
  free(c->full);
  free(c->C);
  free(c->reps);
  free(c->lo);
  free(c->hi);
  if(c->wt)
    free_weights(c);
}

int stats_analyze(const struct stats_analyze_opts *o,
                  const struct stats_table *t, struct stats_analysis *res,
                  struct bon_err *err)
{
  struct stats_analysis A;
  memset(&A, 0, sizeof(A));
  memset(res, 0, sizeof(*res));
  struct ctx c = {.o = o, .t = t, .R = t->n_rms, .B = o->bootstrap,
                  .level = o->level};
  int rc = -1;
  if(!(o->level > 0 && o->level < 1)) {
    bon_errf(err, "interval level %g is not in (0, 1)", o->level);
    goto out;
  }
  if(usable_problems(&c, &A, err) < 0 || make_grid(&c, &A, err) < 0)
    goto out;
  input_warnings(&c, &A);
  estimate(&c);
  curve_means(&c);
  if(bootstrap(&c, err) < 0)
    goto out;
  record_inputs(&c, &A);
  per_rm(&c, &A);
  if(o->progress)
    o->progress(o->progress_ctx, "done", 1);
  rc = 0;
out:
  ctx_free(&c);
  if(rc == 0)
    *res = A;
  else
    stats_analysis_free(&A);
  return rc;
}
