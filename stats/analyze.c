/* analyze.c - BoN curves, KL, fits, gains and the paired bootstrap for
 * every RM of a scores table (see analyze.h). */
#include "stats/analyze.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stats/bon.h"
#include "stats/boot.h"
#include "stats/fit.h"
#include "util/buf.h"
#include "util/fsutil.h"

/* per-problem statistics, in this order; the first three get intervals */
enum { S_GOLD, S_PROXY, S_ORACLE, S_PESS, S_OPT, S_MAJ, S_WVOTE, S_TIE,
       S_KLP, S_COUNT };
#define S_BOOT 3

#define VOTE_SEED 0x766f746573ULL

struct ctx {
  const struct stats_table *t;
  int R, P, G;
  const int *prob;     /* [P] problem index in the table of each used one */
  const int *grid;     /* [G] */
  uint64_t seed;
  double *V;           /* [S_COUNT][R][G][P] */
  double *maj_full;    /* [P][G] majority vote on the full pool */
  double *sdp, *sdg;   /* [R][P] within-pool sd of proxy and gold */
  unsigned char *full; /* [R][P] pool has every candidate */
  size_t ntask, next, done;
  pthread_mutex_t mu;
};

static inline double *vat(struct ctx *c, int s, int r, int g, int p)
{
  return c->V + (((size_t)s * c->R + r) * c->G + g) * c->P + p;
}

static double sd_of(const double *x, int n)
{
  double m = 0, v = 0;
  for(int i = 0; i < n; i++)
    m += x[i];
  m /= n;
  for(int i = 0; i < n; i++)
    v += (x[i] - m) * (x[i] - m);
  return sqrt(v / n);
}

/* Task k < R*P: pool (r, p); k >= R*P: majority vote on the full pool of
 * problem k - R*P. */
static void run_task(struct ctx *c, size_t k, double *sb, double *gb,
                     int32_t *ab)
{
  const struct stats_table *t = c->t;
  int G = c->G;
  if(k >= (size_t)c->R * c->P) {
    int pi = (int)(k - (size_t)c->R * c->P), p = c->prob[pi];
    size_t off = t->cand_off[p];
    int N = (int)(t->cand_off[p + 1] - off);
    for(int i = 0; i < N; i++) {
      sb[i] = 0;
      gb[i] = t->gold[off + i];
      ab[i] = t->answer[off + i];
    }
    struct stats_pool pool;
    stats_pool_init(&pool, N, sb, gb, ab);
    for(int g = 0; g < G; g++)
      c->maj_full[(size_t)pi * G + g] =
        t->has_answer ? stats_vote(&pool, c->grid[g], 0, c->seed ^ VOTE_SEED,
                                   0, (uint64_t)pi * G + g)
                      : NAN;
    stats_pool_free(&pool);
    return;
  }
  int r = (int)(k / c->P), pi = (int)(k % c->P), p = c->prob[pi];
  size_t off = t->cand_off[p];
  int M = (int)(t->cand_off[p + 1] - off), N = 0;
  const double *sc = stats_table_scores(t, r, p);
  for(int i = 0; i < M; i++)
    if(!isnan(sc[i])) {
      sb[N] = sc[i];
      gb[N] = t->gold[off + i];
      ab[N] = t->answer[off + i];
      N++;
    }
  c->full[(size_t)r * c->P + pi] = N == M;
  c->sdp[(size_t)r * c->P + pi] = sd_of(sb, N);
  c->sdg[(size_t)r * c->P + pi] = sd_of(gb, N);
  struct stats_pool pool;
  stats_pool_init(&pool, N, sb, gb, t->has_answer ? ab : NULL);
  for(int g = 0; g < G; g++) {
    int n = c->grid[g];
    struct stats_bon_point o;
    stats_bon_at(&pool, n, &o);
    *vat(c, S_GOLD, r, g, pi) = o.gold;
    *vat(c, S_PROXY, r, g, pi) = o.proxy;
    *vat(c, S_ORACLE, r, g, pi) = o.oracle;
    *vat(c, S_PESS, r, g, pi) = o.gold_pess;
    *vat(c, S_OPT, r, g, pi) = o.gold_opt;
    *vat(c, S_TIE, r, g, pi) = o.tie_rate;
    *vat(c, S_KLP, r, g, pi) = o.kl_plugin;
    uint64_t b = (uint64_t)pi * G + g;
    if(t->has_answer) {
      *vat(c, S_WVOTE, r, g, pi) =
        stats_vote(&pool, n, 1, c->seed ^ VOTE_SEED, 2 + 2 * (uint64_t)r, b);
      /* majority: from the full pool unless scores are missing here */
      *vat(c, S_MAJ, r, g, pi) =
        N == M ? NAN
               : stats_vote(&pool, n, 0, c->seed ^ VOTE_SEED,
                            1 + 2 * (uint64_t)r, b);
    }
    else
      *vat(c, S_WVOTE, r, g, pi) = *vat(c, S_MAJ, r, g, pi) = NAN;
  }
  stats_pool_free(&pool);
}

struct worker_arg {
  struct ctx *c;
  int main_thread;
  const struct stats_analyze_opts *o;
};

static void *pool_worker(void *arg)
{
  struct worker_arg *w = arg;
  struct ctx *c = w->c;
  size_t cap = c->t->counts.max_pool ? c->t->counts.max_pool : 1;
  double *sb = xmalloc(cap * sizeof(double));
  double *gb = xmalloc(cap * sizeof(double));
  int32_t *ab = xmalloc(cap * sizeof(int32_t));
  for(;;) {
    pthread_mutex_lock(&c->mu);
    size_t k = c->next++;
    size_t done = c->done;
    pthread_mutex_unlock(&c->mu);
    if(k >= c->ntask)
      break;
    if(w->main_thread && w->o->progress && (k & 63) == 0)
      w->o->progress(w->o->progress_ctx, "estimating",
                     (double)done / c->ntask);
    run_task(c, k, sb, gb, ab);
    pthread_mutex_lock(&c->mu);
    c->done++;
    pthread_mutex_unlock(&c->mu);
  }
  free(sb);
  free(gb);
  free(ab);
  return NULL;
}

/* ---- output helpers ---- */

static void csv_str(struct buf *b, const char *s)
{
  if(!strpbrk(s, ",\"\n\r")) {
    buf_puts(b, s);
    return;
  }
  buf_putc(b, '"');
  for(; *s; s++) {
    if(*s == '"')
      buf_putc(b, '"');
    buf_putc(b, *s);
  }
  buf_putc(b, '"');
}

static void csv_num(struct buf *b, double x)
{
  if(isnan(x))
    buf_puts(b, ",nan");
  else
    buf_printf(b, ",%.10g", x);
}

static void json_num(struct buf *b, double x)
{
  if(isfinite(x))
    buf_printf(b, "%.10g", x);
  else
    buf_puts(b, "null");
}

static int write_out(const char *dir, const char *name, struct buf *b,
                     struct bon_err *err)
{
  char *path = fs_join(dir, name);
  int rc = fs_write_atomic(path, buf_str(b), b->len, err);
  free(path);
  return rc;
}

static void add_warning(struct stats_analysis *a, const char *msg)
{
  a->warnings = xrealloc(a->warnings,
                         (size_t)(a->n_warnings + 1) * sizeof(char *));
  a->warnings[a->n_warnings++] = xstrdup(msg);
}

static int icmp(const void *a, const void *b)
{
  int x = *(const int *)a, y = *(const int *)b;
  return (x > y) - (x < y);
}

void stats_analysis_free(struct stats_analysis *a)
{
  if(!a)
    return;
  for(int r = 0; r < a->n_rms; r++)
    free((char *)a->rm[r].rm);
  free(a->rm);
  free(a->grid);
  for(int i = 0; i < a->n_warnings; i++)
    free(a->warnings[i]);
  free(a->warnings);
  memset(a, 0, sizeof(*a));
}

static double mean_of(const double *x, int n)
{
  double s = 0;
  for(int i = 0; i < n; i++)
    s += x[i];
  return s / n;
}

/* Quantile q of v[0..n) (sorted), each order statistic mapped to n* when
 * nstar; linear interpolation as stats_quantile, an infinite neighbour
 * wins.  Mapping only the two order statistics used gives the quantile of
 * n* itself, since n* is non-decreasing in d*. */
static double sorted_quantile(const double *v, int n, double q, int nstar)
{
  if(n < 1)
    return NAN;
  double h = q * (n - 1);
  int i = (int)floor(h);
  if(i < 0)
    i = 0;
  double a = nstar ? stats_fit_n_star(v[i]) : v[i];
  if(i >= n - 1 || h == i)
    return a;
  double c = nstar ? stats_fit_n_star(v[i + 1]) : v[i + 1];
  if(a == c || isinf(a))
    return a;
  if(isinf(c))
    return c;
  return a + (h - i) * (c - a);
}

static int dcmp(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* Bootstrap percentile intervals of alpha, beta, d* and n*: refit every
 * replicate curve Yb[b * G ..] (recentred) with the same points and
 * weights as the estimate.  ci: alpha_lo, alpha_hi, beta_lo, beta_hi,
 * d_star_lo, d_star_hi, n_star_lo, n_star_hi (NaN without B > 1).
 * Replicates whose fit fails (fewer than 2 usable points) are left out.
 * Scratch ra, rb, rd: B each.  Sequential, so thread-count free. */
static void fit_intervals(int form, int G, int B, const double *d,
                          const double *Yb, const double *var, double level,
                          double *ra, double *rb, double *rd, double *ci)
{
  for(int i = 0; i < 8; i++)
    ci[i] = NAN;
  if(B < 2)
    return;
  int k = 0;
  for(int bb = 0; bb < B; bb++) {
    double a, be;
    stats_fit_ab(form, G, d, Yb + (size_t)bb * G, var, &a, &be);
    if(isnan(a) || isnan(be))
      continue;
    ra[k] = a;
    rb[k] = be;
    rd[k] = stats_fit_d_star(form, a, be);
    k++;
  }
  if(!k)
    return;
  double ql = (1 - level) / 2, qh = (1 + level) / 2;
  qsort(ra, (size_t)k, sizeof(double), dcmp);
  qsort(rb, (size_t)k, sizeof(double), dcmp);
  qsort(rd, (size_t)k, sizeof(double), dcmp);
  ci[0] = sorted_quantile(ra, k, ql, 0);
  ci[1] = sorted_quantile(ra, k, qh, 0);
  ci[2] = sorted_quantile(rb, k, ql, 0);
  ci[3] = sorted_quantile(rb, k, qh, 0);
  ci[4] = sorted_quantile(rd, k, ql, 0);
  ci[5] = sorted_quantile(rd, k, qh, 0);
  ci[6] = sorted_quantile(rd, k, ql, 1);
  ci[7] = sorted_quantile(rd, k, qh, 1);
}

int stats_analyze(const struct stats_analyze_opts *o,
                  const struct stats_table *t, struct stats_analysis *res,
                  struct bon_err *err)
{
  struct stats_analysis A;
  memset(&A, 0, sizeof(A));
  struct ctx c;
  memset(&c, 0, sizeof(c));
  int rc = -1, R = t->n_rms;
  int *prob = NULL, *grid = NULL;
  double *reps = NULL, *C = NULL;
  struct buf b = BUF_INIT;
  char msg[512];
  double level = o->level > 0 && o->level < 1 ? o->level : 0.95;
  if(!o->out_dir) {
    bon_errf(err, "analyze: no output folder given");
    goto out;
  }
  if(o->bootstrap < 0) {
    bon_errf(err, "analyze: bootstrap replicates must be >= 0");
    goto out;
  }
  /* usable problems: every RM scored at least one candidate */
  prob = xmalloc((size_t)(t->n_problems ? t->n_problems : 1) * sizeof(int));
  int P = 0, N = 0, Nmax = 0, dropped = 0;
  for(int p = 0; p < t->n_problems; p++) {
    int ok = 1, nmin = 1 << 30;
    size_t off = t->cand_off[p], M = t->cand_off[p + 1] - off;
    for(int r = 0; r < R; r++) {
      const double *s = stats_table_scores(t, r, p);
      int k = 0;
      for(size_t i = 0; i < M; i++)
        k += !isnan(s[i]);
      if(k < nmin)
        nmin = k;
      if(k > Nmax)
        Nmax = k;
    }
    if(nmin < 1)
      ok = 0;
    if(!ok) {
      dropped++;
      continue;
    }
    if(P == 0 || nmin < N)
      N = nmin;
    prob[P++] = p;
  }
  if(!P) {
    bon_errf(err, "%s: no problem has a score from every RM; nothing to "
             "analyse", t->source);
    goto out;
  }
  if(dropped) {
    snprintf(msg, sizeof(msg), "%d problem(s) dropped: some RM scored none "
             "of their candidates", dropped);
    add_warning(&A, msg);
  }
  if(N != Nmax) {
    snprintf(msg, sizeof(msg), "pool sizes differ (from %d to %d "
             "candidates); the n grid stops at the smallest, N = %d", N,
             Nmax, N);
    add_warning(&A, msg);
  }
  /* the n grid */
  int G = 0;
  grid = xmalloc((size_t)(o->n_grid_len + 64) * sizeof(int));
  grid[G++] = 1;
  if(o->n_grid && o->n_grid_len > 0) {
    int over = 0;
    for(int i = 0; i < o->n_grid_len; i++) {
      if(o->n_grid[i] < 1) {
        bon_errf(err, "analyze: n grid value %d: n must be >= 1",
                 o->n_grid[i]);
        goto out;
      }
      if(o->n_grid[i] > N)
        over++;
      else
        grid[G++] = o->n_grid[i];
    }
    if(over) {
      snprintf(msg, sizeof(msg), "%d n grid value(s) above the pool size "
               "N = %d dropped", over, N);
      add_warning(&A, msg);
    }
  }
  else {
    for(int n = 2; n < N; n *= 2)
      grid[G++] = n;
    grid[G++] = N;
  }
  qsort(grid, (size_t)G, sizeof(int), icmp);
  {
    int k = 0;
    for(int i = 0; i < G; i++)
      if(!k || grid[i] != grid[k - 1])
        grid[k++] = grid[i];
    G = k;
  }
  {
    struct buf w = BUF_INIT;
    for(int g = 0; g < G; g++)
      if(grid[g] * 4 > N)
        buf_printf(&w, "%s%d", w.len ? ", " : "", grid[g]);
    if(w.len) {
      snprintf(msg, sizeof(msg), "n > N/4 (N = %d) at n = %s: these "
               "estimates rest on few distinct subsets", N, buf_str(&w));
      add_warning(&A, msg);
    }
    buf_free(&w);
  }
  if(o->bootstrap > 0 && P < STATS_MIN_BOOT_PROBLEMS) {
    snprintf(msg, sizeof(msg), "only %d problem(s): the bootstrap "
             "resamples problems, so with fewer than %d its intervals are "
             "meaningless (zero width with one problem); use more problems",
             P, STATS_MIN_BOOT_PROBLEMS);
    add_warning(&A, msg);
  }
  if(t->counts.missing_scores) {
    snprintf(msg, sizeof(msg), "%zu missing score(s) skipped",
             t->counts.missing_scores);
    add_warning(&A, msg);
  }
  /* per-problem values */
  c.t = t;
  c.R = R;
  c.P = P;
  c.G = G;
  c.prob = prob;
  c.grid = grid;
  c.seed = o->seed;
  c.V = xmalloc((size_t)S_COUNT * R * G * P * sizeof(double));
  c.maj_full = xmalloc((size_t)P * G * sizeof(double));
  c.sdp = xmalloc((size_t)R * P * sizeof(double));
  c.sdg = xmalloc((size_t)R * P * sizeof(double));
  c.full = xmalloc((size_t)R * P);
  c.ntask = (size_t)R * P + (t->has_answer ? (size_t)P : 0);
  pthread_mutex_init(&c.mu, NULL);
  {
    int T = o->threads > 0 ? o->threads : stats_ncores();
    pthread_t *th = xcalloc((size_t)T, sizeof(*th));
    struct worker_arg wa = {&c, 0, o}, wm = {&c, 1, o};
    int started = 0;
    for(int i = 1; i < T; i++) {
      if(pthread_create(&th[i], NULL, pool_worker, &wa) != 0)
        break;
      started = i;
    }
    pool_worker(&wm);
    for(int i = 1; i <= started; i++)
      pthread_join(th[i], NULL);
    free(th);
  }
  pthread_mutex_destroy(&c.mu);
  if(t->has_answer)
    for(int r = 0; r < R; r++)
      for(int pi = 0; pi < P; pi++)
        if(c.full[(size_t)r * P + pi])
          for(int g = 0; g < G; g++)
            *vat(&c, S_MAJ, r, g, pi) = c.maj_full[(size_t)pi * G + g];
  /* curves: means over problems */
  C = xmalloc((size_t)S_COUNT * R * G * sizeof(double));
  for(size_t k = 0; k < (size_t)S_COUNT * R * G; k++)
    C[k] = mean_of(c.V + k * P, P);
#define CV(s, r, g) C[((size_t)(s) * R + (r)) * G + (g)]
  /* bootstrap */
  int B = o->bootstrap, nb = S_BOOT * R * G;
  if(B > 0) {
    if(o->progress)
      o->progress(o->progress_ctx, "bootstrap", 0);
    reps = xmalloc((size_t)B * nb * sizeof(double));
    struct stats_boot_opts bo = {B, o->seed, o->threads};
    if(stats_boot_means(c.V, nb, P, &bo, reps, err) < 0)
      goto out;
  }
#define REP(b, s, r, g) reps[(size_t)(b) * nb + ((size_t)(s) * R + (r)) * G + (g)]
  double *lo = xmalloc((size_t)nb * sizeof(double));
  double *hi = xmalloc((size_t)nb * sizeof(double));
  for(int k = 0; k < nb; k++) {
    lo[k] = hi[k] = NAN;
    if(B > 0)
      stats_boot_interval(reps, B, nb, k, level, &lo[k], &hi[k]);
  }
  /* curves.csv */
  if(fs_mkdirs(o->out_dir, err) < 0)
    goto out_lohi;
  buf_puts(&b, "rm,n,kl,kl_plugin,d,gold,gold_lo,gold_hi,proxy,proxy_lo,"
           "proxy_hi,oracle,oracle_lo,oracle_hi,gold_pess,gold_opt,"
           "majority,weighted_vote,tie_rate\n");
  for(int r = 0; r < R; r++)
    for(int g = 0; g < G; g++) {
      double kl = stats_kl_bon(grid[g]);
      csv_str(&b, t->rms[r]);
      buf_printf(&b, ",%d", grid[g]);
      csv_num(&b, kl);
      csv_num(&b, CV(S_KLP, r, g));
      csv_num(&b, sqrt(kl));
      for(int s = 0; s < S_BOOT; s++) {
        size_t k = ((size_t)s * R + r) * G + g;
        csv_num(&b, CV(s, r, g));
        csv_num(&b, lo[k]);
        csv_num(&b, hi[k]);
      }
      csv_num(&b, CV(S_PESS, r, g));
      csv_num(&b, CV(S_OPT, r, g));
      csv_num(&b, CV(S_MAJ, r, g));
      csv_num(&b, CV(S_WVOTE, r, g));
      csv_num(&b, CV(S_TIE, r, g));
      buf_putc(&b, '\n');
    }
  if(write_out(o->out_dir, "curves.csv", &b, err) < 0)
    goto out_lohi;
  buf_reset(&b);
  /* fits.csv */
  double *d = xmalloc((size_t)G * sizeof(double));
  double *y = xmalloc((size_t)G * sizeof(double));
  double *var = xmalloc((size_t)G * sizeof(double));
  double *tmp = xmalloc((size_t)(B > 0 ? B : 1) * sizeof(double));
  double *Yb = xmalloc((size_t)(B > 0 ? B : 1) * G * sizeof(double));
  double *ra = xmalloc((size_t)(B > 0 ? B : 1) * sizeof(double));
  double *rb = xmalloc((size_t)(B > 0 ? B : 1) * sizeof(double));
  double *rd = xmalloc((size_t)(B > 0 ? B : 1) * sizeof(double));
  double kl_ex = o->extrap_kl > 0 ? o->extrap_kl
                                  : stats_kl_bon(grid[(G - 1) / 2]);
  A.rm = xcalloc((size_t)R, sizeof(*A.rm));
  A.n_rms = R;
  buf_puts(&b, stats_fits_header);
  for(int r = 0; r < R; r++)
    for(int cv = 0; cv < 2; cv++) {
      int s = cv ? S_PROXY : S_GOLD;
      for(int g = 0; g < G; g++) {
        d[g] = sqrt(stats_kl_bon(grid[g]));
        y[g] = CV(s, r, g) - CV(s, r, 0);
        var[g] = 0;
        if(B > 1) {
          double m = 0, v = 0;
          for(int bb = 0; bb < B; bb++) {
            tmp[bb] = REP(bb, s, r, g) - REP(bb, s, r, 0);
            Yb[(size_t)bb * G + g] = tmp[bb];
            m += tmp[bb];
          }
          m /= B;
          for(int bb = 0; bb < B; bb++)
            v += (tmp[bb] - m) * (tmp[bb] - m);
          var[g] = v / (B - 1);
        }
      }
      for(int form = 0; form < 2; form++) {
        struct stats_fit f;
        const double *vv = B > 1 ? var : NULL;
        stats_fit_curve(form, G, d, y, vv, &f);
        f.extrap_kl = kl_ex;
        f.extrap_rmse = stats_fit_extrap(form, G, d, y, vv, kl_ex);
        double ci[8];
        fit_intervals(form, G, B, d, Yb, vv, level, ra, rb, rd, ci);
        stats_fit_csv_row(&b, t->rms[r], cv ? "proxy" : "gold", form, &f,
                          CV(s, r, 0), ci);
        if(!cv && form == STATS_FIT_BON) {
          A.rm[r].d_star = f.d_star;
          A.rm[r].kl_star = f.kl_star;
          A.rm[r].n_star = f.n_star;
          A.rm[r].r2 = f.r2;
        }
      }
    }
  free(d);
  free(y);
  free(var);
  free(Yb);
  free(ra);
  free(rb);
  free(rd);
  if(write_out(o->out_dir, "fits.csv", &b, err) < 0) {
    free(tmp);
    goto out_lohi;
  }
  buf_reset(&b);
  /* gains.csv */
  buf_puts(&b, "rm,problems,samples,gold1,goldN,delta,delta_lo,delta_hi,"
           "peak_gold,peak_n,auc,norm_gain,proxy_gap,tie_rate\n");
  int gl = G - 1;
  for(int r = 0; r < R; r++) {
    struct stats_rm_result *x = &A.rm[r];
    x->rm = xstrdup(t->rms[r]);
    x->gold1 = CV(S_GOLD, r, 0);
    x->goldN = CV(S_GOLD, r, gl);
    size_t kN = ((size_t)S_GOLD * R + r) * G + gl;
    x->goldN_lo = lo[kN];
    x->goldN_hi = hi[kN];
    x->delta = x->goldN - x->gold1;
    x->delta_lo = x->delta_hi = NAN;
    if(B > 0) {
      for(int bb = 0; bb < B; bb++)
        tmp[bb] = REP(bb, S_GOLD, r, gl) - REP(bb, S_GOLD, r, 0);
      x->delta_lo = stats_quantile(tmp, B, (1 - level) / 2);
      x->delta_hi = stats_quantile(tmp, B, (1 + level) / 2);
    }
    x->peak_gold = -INFINITY;
    for(int g = 0; g < G; g++)
      if(CV(S_GOLD, r, g) > x->peak_gold) {
        x->peak_gold = CV(S_GOLD, r, g);
        x->peak_n = grid[g];
      }
    double auc = 0, span = log2(grid[gl]);
    for(int g = 1; g < G; g++)
      auc += 0.5 * (log2(grid[g]) - log2(grid[g - 1])) *
             (CV(S_GOLD, r, g) + CV(S_GOLD, r, g - 1) - 2 * x->gold1);
    auc = span > 0 ? auc / span : 0;
    double den = CV(S_ORACLE, r, gl) - x->gold1;
    double norm = den > 0 ? x->delta / den : NAN;
    double sp = mean_of(c.sdp + (size_t)r * P, P);
    double sg = mean_of(c.sdg + (size_t)r * P, P);
    double gap = sp > 0 && sg > 0
                   ? (CV(S_PROXY, r, gl) - CV(S_PROXY, r, 0)) / sp -
                       x->delta / sg
                   : NAN;
    csv_str(&b, x->rm);
    buf_printf(&b, ",%d,%d", P, N);
    double row[] = {x->gold1, x->goldN, x->delta, x->delta_lo, x->delta_hi,
                    x->peak_gold};
    for(size_t i = 0; i < sizeof(row) / sizeof(row[0]); i++)
      csv_num(&b, row[i]);
    buf_printf(&b, ",%d", x->peak_n);
    csv_num(&b, auc);
    csv_num(&b, norm);
    csv_num(&b, gap);
    csv_num(&b, CV(S_TIE, r, gl));
    buf_putc(&b, '\n');
  }
  free(tmp);
  if(write_out(o->out_dir, "gains.csv", &b, err) < 0)
    goto out_lohi;
  buf_reset(&b);
  /* summary.json */
  buf_puts(&b, "{\n  \"inputs\": {\"scores\": ");
  buf_json_str(&b, o->input_name ? o->input_name : t->source);
  buf_puts(&b, "},\n  \"options\": {");
  buf_printf(&b, "\"bootstrap\": %d, \"seed\": %llu, \"threads\": %d, "
             "\"level\": %.10g, \"extrap_kl\": ", B,
             (unsigned long long)o->seed, o->threads, level);
  json_num(&b, kl_ex);
  buf_puts(&b, ", \"n_grid\": [");
  for(int g = 0; g < G; g++)
    buf_printf(&b, "%s%d", g ? ", " : "", grid[g]);
  buf_puts(&b, "]},\n  \"counts\": {");
  buf_printf(&b, "\"rows\": %zu, \"rows_filtered\": %zu, "
             "\"missing_scores\": %zu, \"problems\": %d, "
             "\"problems_used\": %d, \"problems_dropped\": %d, "
             "\"candidates\": %zu, \"rms\": %d, \"pool_min\": %zu, "
             "\"pool_max\": %zu, \"pool_n\": %d, \"gold_binary\": %s, "
             "\"problems_no_correct\": %zu, \"problems_all_correct\": %zu, "
             "\"has_answer\": %s}",
             t->counts.rows, t->counts.rows_filtered,
             t->counts.missing_scores, t->n_problems, P, dropped,
             t->n_cands, R, t->counts.min_pool, t->counts.max_pool, N,
             t->gold_binary ? "true" : "false",
             t->counts.problems_no_correct, t->counts.problems_all_correct,
             t->has_answer ? "true" : "false");
  buf_puts(&b, ",\n  \"warnings\": [");
  for(int i = 0; i < A.n_warnings; i++) {
    buf_puts(&b, i ? ", " : "");
    buf_json_str(&b, A.warnings[i]);
  }
  buf_puts(&b, "],\n  \"rms\": [");
  for(int r = 0; r < R; r++) {
    struct stats_rm_result *x = &A.rm[r];
    buf_puts(&b, r ? ",\n    {\"rm\": " : "\n    {\"rm\": ");
    buf_json_str(&b, x->rm);
    const char *names[] = {"gold1", "goldN", "goldN_lo", "goldN_hi",
                           "delta", "delta_lo", "delta_hi", "peak_gold",
                           "d_star", "kl_star", "n_star", "r2"};
    double vals[] = {x->gold1, x->goldN, x->goldN_lo, x->goldN_hi,
                     x->delta, x->delta_lo, x->delta_hi, x->peak_gold,
                     x->d_star, x->kl_star, x->n_star, x->r2};
    for(size_t i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
      buf_printf(&b, ", \"%s\": ", names[i]);
      json_num(&b, vals[i]);
    }
    buf_printf(&b, ", \"peak_n\": %d}", x->peak_n);
  }
  buf_puts(&b, "\n  ]\n}\n");
  if(write_out(o->out_dir, "summary.json", &b, err) < 0)
    goto out_lohi;
  if(o->progress)
    o->progress(o->progress_ctx, "done", 1);
  A.grid = grid;
  A.n_grid = G;
  A.problems = P;
  A.pool = N;
  grid = NULL;
  rc = 0;
out_lohi:
  free(lo);
  free(hi);
out:
  free(prob);
  free(grid);
  free(reps);
  free(C);
  free(c.V);
  free(c.maj_full);
  free(c.sdp);
  free(c.sdg);
  free(c.full);
  buf_free(&b);
  if(rc == 0 && res)
    *res = A;
  else
    stats_analysis_free(&A);
  return rc;
}

int stats_analyze_file(const char *path, const struct stats_table_opts *topts,
                       const struct stats_analyze_opts *o,
                       struct stats_analysis *res, struct bon_err *err)
{
  struct stats_table *t = stats_table_read(path, topts, err);
  if(!t)
    return -1;
  int rc = stats_analyze(o, t, res, err);
  stats_table_free(t);
  return rc;
}
