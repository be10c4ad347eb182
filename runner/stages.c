/* stages.c - the analysis end of `bonrun run` (see stages.h).
 *
 * Each stage writes into its own folder and records there, in `.inputs`,
 * a hash of what it read (file contents and options); when the hash has not
 * changed and its outputs exist, the stage is skipped. */
#include "runner/stages.h"
#include "runner/groups.h"
#include "plots/plot.h"
#include "plots/report.h"
#include "stats/analyze.h"
#include "stats/bench.h"
#include "stats/correlate.h"
#include "stats/csv.h"
#include "stats/derive.h"
#include "util/buf.h"
#include "util/fsutil.h"
#include "util/hash.h"
#include "util/progress.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

uint64_t hash_file(uint64_t h, const char *path)
{
  /* in pieces: scores.csv can be gigabytes */
  FILE *f = fopen(path, "rb");
  h = hash_str(h, path);
  if(!f)
    return hash_str(h, "(absent)");
  char *piece = xmalloc(1 << 20);
  size_t n;
  while((n = fread(piece, 1, 1 << 20, f)) > 0)
    h = hash_bulk(h, piece, n);
  h = hash_u64(h, (uint64_t)ferror(f));
  free(piece);
  fclose(f);
  return h;
}

uint64_t hash_config(uint64_t h, const struct run_config *c)
{
  h = hash_u64(h, c->seed);
  h = hash_u64(h, (uint64_t)c->bootstrap);
  h = hash_u64(h, (uint64_t)llround(c->level * 1e9));
  for(size_t i = 0; i < c->n_grid_len; i++)
    h = hash_u64(h, (uint64_t)c->n_grid[i]);
  cJSON *e;
  cJSON_ArrayForEach(e, c->ensembles)
    h = hash_str(h, e->valuestring);
  return h;
}

int stage_fresh(const char *dir, uint64_t h,
                       const char *const *outputs)
{
  char hex[17], *p = fs_join(dir, ".inputs");
  struct bon_err err;
  char *old = fs_read_file(p, NULL, &err);
  free(p);
  hash_hex(h, hex);
  int fresh = old && !strncmp(old, hex, 16);
  free(old);
  for(; fresh && *outputs; outputs++) {
    char *o = fs_join(dir, *outputs);
    fresh = fs_exists(o);
    free(o);
  }
  return fresh;
}

int stage_done(const char *dir, uint64_t h, struct bon_err *err)
{
  char hex[18], *p = fs_join(dir, ".inputs");
  hash_hex(h, hex);
  hex[16] = '\n';
  hex[17] = '\0';
  int rc = fs_write_atomic(p, hex, 17, err);
  free(p);
  return rc;
}

static void on_progress(void *ctx, const char *stage, double frac)
{
  struct progress *p = ctx;
  (void)stage;
  size_t want = (size_t)(frac * 1000.0);
  if(want > p->done)
    progress_add(p, want - p->done, 0);
}

const char **ensemble_specs(const struct run_config *c, size_t *n)
{
  *n = (size_t)cJSON_GetArraySize(c->ensembles);
  const char **specs = xcalloc(*n ? *n : 1, sizeof(char *));
  size_t i = 0;
  cJSON *e;
  cJSON_ArrayForEach(e, c->ensembles)
    specs[i++] = e->valuestring;
  return specs;
}

int add_ensembles(struct stats_table **t, const struct run_config *c,
                  struct bon_err *err)
{
  size_t nspecs;
  const char **specs = ensemble_specs(c, &nspecs);
  /* always: the process-RM rule of stats/derive.h applies without specs */
  int rc = stats_table_add_derived(t, NULL, specs, nspecs, err);
  free(specs);
  return rc;
}

void analyze_opts(const struct run_config *c, struct stats_analyze_opts *o)
{
  stats_analyze_opts_init(o);
  o->bootstrap = (size_t)c->bootstrap;
  o->seed = c->seed;
  o->threads = c->threads;
  o->n_grid = c->n_grid;
  o->n_grid_len = (int)c->n_grid_len;
  o->level = c->level;
}

static int stage_analyze(const char *dir, const struct run_config *c,
                         int quiet, struct bon_err *err)
{
  char *scores = fs_join(dir, "scores.csv");
  char *out = fs_join(dir, "analysis");
  static const char *const outputs[] = {"curves.csv", "fits.csv",
                                        "gains.csv", "summary.json", NULL};
  uint64_t h = hash_config(hash_file(hash_str(HASH_INIT, "analyze"), scores),
                           c);
  int rc = 0;
  if(stage_fresh(out, h, outputs)) {
    if(!quiet)
      fprintf(stderr, "%-12s up to date\n", "analyze");
    goto done;
  }
  struct stats_table_opts to;
  stats_table_opts_init(&to);
  to.threads = c->threads;
  struct stats_table *t = stats_table_read(scores, &to, err);
  if(!t) {
    rc = -1;
    goto done;
  }
  rc = add_ensembles(&t, c, err);
  if(!rc) {
    struct progress prog;
    progress_start(&prog, "analyze", 1000, quiet);
    struct stats_analyze_opts o;
    analyze_opts(c, &o);
    o.input_name = "scores.csv";
    o.progress = on_progress;
    o.progress_ctx = &prog;
    struct stats_analysis res;
    rc = stats_analyze(&o, t, &res, err);
    if(!rc && (rc = stats_analyze_write(&res, out, err)) < 0)
      stats_analysis_free(&res);
    if(!rc) {
      char note[96];
      snprintf(note, sizeof(note), "%d RMs, %d problems, N = %d, B = %d",
               res.n_rms, res.problems, res.pool, c->bootstrap);
      prog.done = prog.total;
      progress_end(&prog, note);
      for(size_t i = 0; i < res.n_warnings && !quiet; i++)
        fprintf(stderr, "bonrun: warning: %s\n", res.warnings[i]);
      stats_analysis_free(&res);
      rc = stage_done(out, h, err);
    }
  }
  stats_table_free(t);
done:
  free(scores);
  free(out);
  return rc;
}

/* The way out of a malformed benchmark problem, in config terms. */
static void bench_remedy(const char *name, struct bon_err *err)
{
  char msg[BON_ERR_LEN];
  snprintf(msg, sizeof(msg), "%s", err->msg);
  bon_errf(err, "%s; fix the benchmark table, or set "
           "benchmarks.%s.source to \"sim\" or \"none\"", msg, name);
}

/* The metrics of one benchmark's table.  pw[0..npw): the pairwise judges
 * whose rows are comparison outcomes. */
static int stage_bench(const char *dir, const struct run_config *c,
                       const char *name, const char *table,
                       const char *const *pw, size_t npw, int quiet,
                       struct bon_err *err)
{
  char sub[64];
  snprintf(sub, sizeof(sub), "benchmarks/%s", name);
  char *out = fs_join(dir, sub);
  static const char *const outputs[] = {"benchmark.csv", "summary.json",
                                        NULL};
  uint64_t h = hash_config(hash_file(hash_str(HASH_INIT, "bench"), table), c);
  for(size_t i = 0; i < npw; i++)
    h = hash_str(hash_str(h, "pairwise"), pw[i]);
  int rc = 0;
  if(stage_fresh(out, h, outputs)) {
    if(!quiet)
      fprintf(stderr, "%-12s up to date\n", name);
    free(out);
    return 0;
  }
  struct stats_bench_opts o;
  stats_bench_opts_init(&o);
  o.bootstrap = (size_t)c->bootstrap;
  o.seed = c->seed;
  o.level = c->level;
  size_t nspecs;
  const char **specs = ensemble_specs(c, &nspecs);
  o.ensembles = specs;
  o.n_ensembles = nspecs;
  o.pairwise = pw;
  o.n_pairwise = npw;
  struct stats_bench_report rep;
  rc = stats_bench_file(table, &o, &rep, err);
  if(rc == STATS_BENCH_MALFORMED)
    bench_remedy(name, err);
  if(!rc) {
    rc = stats_bench_write(&rep, out, err);
    for(size_t i = 0; i < rep.n_warnings && !quiet; i++)
      fprintf(stderr, "bonrun: %s: warning: %s\n", name, rep.warnings[i]);
    if(!quiet)
      fprintf(stderr, "%-12s metrics of %zu RMs on %zu problems (k = %zu)\n",
              name, rep.n_rms, rep.problems_used, rep.k_max);
    stats_bench_report_free(&rep);
  }
  else
    bon_err_prefix(err, "benchmark %s", name);
  free(specs);
  if(!rc)
    rc = stage_done(out, h, err);
  free(out);
  return rc;
}

static struct stats_csv *read_opt(const char *dir, const char *rel);

/* x: every benchmark metric; y: every gain; all pairs.  The RMs of
 * excl (the pairwise judges: benchmark metrics but no gain, as they score
 * no completion) are left out without a warning. */
static int stage_correlate(const char *dir, const struct run_config *c,
                           int have_otm, int have_oto,
                           const char *const *excl, size_t nexcl, int quiet,
                           struct bon_err *err)
{
  static const char *const xcols[] = {"accuracy", "mrr"};
  static const char *const ycols[] = {"delta", "norm_gain", "auc",
                                      "peak_gold"};
  const char *benches[2];
  size_t nb = 0;
  if(have_otm)
    benches[nb++] = "one_to_many";
  if(have_oto)
    benches[nb++] = "one_to_one";
  if(!nb)
    return 0;
  char *out = fs_join(dir, "correlation");
  char *gains = fs_join(dir, "analysis/gains.csv");
  /* fewer than 3 RMs: no correlation to compute; the rest of the run
     (analysis, benchmarks, figures, report) is still worth having */
  struct stats_csv *gt = read_opt(dir, "analysis/gains.csv");
  size_t nrm = gt ? gt->nrows : 0;
  stats_csv_free(gt);
  if(nrm < 3) {
    if(!quiet)
      fprintf(stderr, "%-12s skipped: %zu RM%s (a correlation across RMs "
              "needs at least 3 proxies)\n", "correlate", nrm,
              nrm == 1 ? "" : "s");
    static const char *const stale[] = {"correlation.json",
                                        "correlations.csv", ".inputs", NULL};
    for(const char *const *s = stale; *s; s++) {
      char *p = fs_join(out, *s);
      unlink(p);
      free(p);
    }
    free(out);
    free(gains);
    return 0;
  }
  const char *xs[4], *ys[4];
  char xbuf[4][512], ybuf[4][512];
  size_t nx = 0;
  uint64_t h = hash_file(hash_str(HASH_INIT, "correlate"), gains);
  h = hash_u64(h, c->seed);
  for(size_t i = 0; i < nexcl; i++)
    h = hash_str(hash_str(h, "exclude"), excl[i]);
  for(size_t b = 0; b < nb; b++) {
    char rel[128];
    snprintf(rel, sizeof(rel), "benchmarks/%s/benchmark.csv", benches[b]);
    char *path = fs_join(dir, rel);
    h = hash_file(h, path);
    for(size_t k = 0; k < 2; k++) {
      /* the one-to-one MRR says nothing the accuracy does not */
      if(!strcmp(benches[b], "one_to_one") && k == 1)
        continue;
      snprintf(xbuf[nx], sizeof(xbuf[nx]), "%s:%s", path, xcols[k]);
      xs[nx] = xbuf[nx];
      nx++;
    }
    free(path);
  }
  for(size_t k = 0; k < 4; k++) {
    snprintf(ybuf[k], sizeof(ybuf[k]), "%s:%s", gains, ycols[k]);
    ys[k] = ybuf[k];
  }
  static const char *const outputs[] = {"correlation.json",
                                        "correlations.csv", NULL};
  int rc = 0;
  if(stage_fresh(out, h, outputs)) {
    if(!quiet)
      fprintf(stderr, "%-12s up to date\n", "correlate");
    goto done;
  }
  struct stats_corr_opts o;
  stats_corr_opts_init(&o);
  o.seed = c->seed;
  o.level = c->level;
  struct stats_corr_report rep;
  struct stats_corr_select sel = {NULL, 0, excl, nexcl};
  rc = stats_correlate_files(xs, nx, ys, 4, &o, &sel, &rep, err);
  if(!rc) {
    rc = stats_corr_write(&rep, out, err);
    /* one line is enough: every pair shares the same few RMs */
    if(rep.n_warnings && !quiet)
      fprintf(stderr, "bonrun: correlate: warning: %s%s\n", rep.warnings[0],
              rep.n_warnings > 1 ? " (more in correlation/correlation.json)"
                                 : "");
    if(!quiet)
      fprintf(stderr, "%-12s %zu pairs of (benchmark metric, gain)\n",
              "correlate", rep.n_pairs);
    stats_corr_report_free(&rep);
  }
  if(!rc)
    rc = stage_done(out, h, err);
done:
  free(out);
  free(gains);
  return rc;
}

/* Figures and report.md, from the tables just written. */
static int stage_plot(const char *dir, const struct run_config *c, int quiet,
                      struct bon_err *err)
{
  char *out = fs_join(dir, "plots");
  static const char *const inputs[] = {
    "run.json", "analysis/curves.csv", "analysis/fits.csv",
    "analysis/gains.csv", "analysis/gains_by_group.csv",
    "analysis/groups/groups.csv", "benchmarks/one_to_many/benchmark.csv",
    "benchmarks/one_to_one/benchmark.csv", "correlation/correlations.csv",
    "correlation/correlation.json", NULL};
  uint64_t h = hash_str(HASH_INIT, "plot");
  h = hash_str(h, c->plot_format);
  for(const char *const *in = inputs; *in; in++) {
    char *p = fs_join(dir, *in);
    h = hash_file(h, p);
    free(p);
  }
  static const char *const outputs[] = {"../report.md", NULL};
  int rc = 0;
  if(stage_fresh(out, h, outputs)) {
    if(!quiet)
      fprintf(stderr, "%-12s up to date\n", "plot");
    free(out);
    return 0;
  }
  struct plot_result res = PLOT_RESULT_INIT;
  rc = plot_figures(dir, c->plot_format, &res, err);
  if(!quiet) {
    if(res.warnings.len)
      fprintf(stderr, "%s", buf_str(&res.warnings));
    fprintf(stderr, "%-12s %d figures written, %d skipped, %d failed\n",
            "plot", res.written, res.skipped, res.failed);
  }
  plot_result_free(&res);
  if(!rc)
    rc = plot_report(dir, c->plot_format, err);
  if(!rc)
    rc = fs_mkdirs(out, err);
  if(!rc)
    rc = stage_done(out, h, err);
  if(!rc && !quiet)
    fprintf(stderr, "%-12s %s/report.md\n", "report", dir);
  free(out);
  return rc;
}

/* ---- the closing summary ------------------------------------------------ */

static const char *cell(const struct stats_csv *t, const char *rm,
                        const char *col)
{
  if(!t)
    return NULL;
  int rc = stats_csv_col(t, "rm"), cc = stats_csv_col(t, col);
  if(rc < 0 || cc < 0)
    return NULL;
  for(size_t r = 0; r < t->nrows; r++)
    if(!strcmp(stats_csv_get(t, r, (size_t)rc), rm))
      return stats_csv_get(t, r, (size_t)cc);
  return NULL;
}

static double num(const char *s)
{
  return s && *s ? strtod(s, NULL) : NAN;
}

static struct stats_csv *read_opt(const char *dir, const char *rel)
{
  struct bon_err err;
  char *p = fs_join(dir, rel);
  struct stats_csv *t = fs_exists(p) ? stats_csv_read(p, &err) : NULL;
  free(p);
  return t;
}

static void print_summary(const char *dir, double level)
{
  struct stats_csv *g = read_opt(dir, "analysis/gains.csv");
  struct stats_csv *m = read_opt(dir, "benchmarks/one_to_many/benchmark.csv");
  struct stats_csv *o = read_opt(dir, "benchmarks/one_to_one/benchmark.csv");
  if(!g)
    goto out;
  int rmc = stats_csv_col(g, "rm");
  char head[32];
  snprintf(head, sizeof(head), "gain@N [%.4g%% CI]", 100 * level);
  printf("%-14s %9s %9s %7s %7s %22s %6s\n", "rm", "1-to-many", "1-to-1",
         "gold@1", "gold@N", head, "peak n");
  for(size_t r = 0; rmc >= 0 && r < g->nrows; r++) {
    const char *rm = stats_csv_get(g, r, (size_t)rmc);
    char ci[64];
    snprintf(ci, sizeof(ci), "%+.3f [%+.3f,%+.3f]",
             num(cell(g, rm, "delta")), num(cell(g, rm, "delta_lo")),
             num(cell(g, rm, "delta_hi")));
    printf("%-14.14s %9.3f %9.3f %7.3f %7.3f %22s %6.0f\n", rm,
           num(cell(m, rm, "accuracy")), num(cell(o, rm, "accuracy")),
           num(cell(g, rm, "gold1")), num(cell(g, rm, "goldN")), ci,
           num(cell(g, rm, "peak_n")));
  }
  struct stats_csv *c = read_opt(dir, "correlation/correlations.csv");
  if(c) {
    int xc = stats_csv_col(c, "x"), yc = stats_csv_col(c, "y");
    int pc = stats_csv_col(c, "pearson"), lo = stats_csv_col(c, "pearson_lo");
    int hi = stats_csv_col(c, "pearson_hi"), kc = stats_csv_col(c, "kendall");
    for(size_t r = 0; xc >= 0 && yc >= 0 && pc >= 0 && r < c->nrows; r++) {
      const char *x = stats_csv_get(c, r, (size_t)xc);
      const char *y = stats_csv_get(c, r, (size_t)yc);
      if(!strstr(x, ":accuracy") || !strstr(y, ":delta"))
        continue;
      double l = lo >= 0 ? num(stats_csv_get(c, r, (size_t)lo)) : NAN;
      double u = hi >= 0 ? num(stats_csv_get(c, r, (size_t)hi)) : NAN;
      char ci[64];
      if(isfinite(l) && isfinite(u))
        snprintf(ci, sizeof(ci), "[%.2f, %.2f]", l, u);
      else
        snprintf(ci, sizeof(ci), "(no interval: too few RMs)");
      printf("%s accuracy vs BoN gain: Pearson r = %.2f %s, Kendall tau = "
             "%.2f\n", strstr(x, "one_to_many") ? "one-to-many" : "one-to-one ",
             num(stats_csv_get(c, r, (size_t)pc)), ci,
             kc >= 0 ? num(stats_csv_get(c, r, (size_t)kc)) : NAN);
    }
    stats_csv_free(c);
  }
out:
  stats_csv_free(g);
  stats_csv_free(m);
  stats_csv_free(o);
}

/* Open report.md with the partial note, once: the plot stage rewrites the
 * report whenever the data changes, and a whole merge changes it. */
static int mark_partial(const char *dir, const char *partial,
                        struct bon_err *err)
{
  char *path = fs_join(dir, "report.md");
  struct bon_err e2;
  size_t n = 0;
  char *text = fs_read_file(path, &n, &e2);
  struct buf line = BUF_INIT, b = BUF_INIT;
  buf_printf(&line, "> **Partial result**: %s.\n\n", partial);
  int rc = 0;
  if(text && !strstr(text, buf_str(&line))) {
    char *body = strstr(text, "\n\n");
    body = body ? body + 2 : text;
    buf_append(&b, text, (size_t)(body - text));
    buf_puts(&b, buf_str(&line));
    buf_puts(&b, body);
    rc = fs_write_atomic(path, b.data, b.len, err);
  }
  free(text);
  free(path);
  buf_free(&line);
  buf_free(&b);
  return rc;
}

int run_stages(const char *dir, const struct run_config *c, const char *otm,
               const char *oto, const char *const *pairwise,
               size_t npairwise, const char *partial, int quiet,
               struct bon_err *err)
{
  /* a table of scores made elsewhere ("file") has no comparisons of ours */
  int own_m = strcmp(c->one_to_many.source, "file") != 0;
  int own_o = strcmp(c->one_to_one.source, "file") != 0;
  if(partial && !quiet)
    fprintf(stderr, "bonrun: warning: PARTIAL result: %s\n", partial);
  if(stage_analyze(dir, c, quiet, err) || stage_groups(dir, c, quiet, err))
    return -1;
  if(otm && stage_bench(dir, c, "one_to_many", otm, pairwise,
                        own_m ? npairwise : 0, quiet, err))
    return -1;
  if(oto && stage_bench(dir, c, "one_to_one", oto, pairwise,
                        own_o ? npairwise : 0, quiet, err))
    return -1;
  /* the pairwise judges are in a benchmark table when it is ours */
  int judged = (otm && own_m) || (oto && own_o);
  if(stage_correlate(dir, c, otm != NULL, oto != NULL, pairwise,
                     judged ? npairwise : 0, quiet, err))
    return -1;
  if(c->plots && stage_plot(dir, c, quiet, err))
    return -1;
  if(c->plots && partial && mark_partial(dir, partial, err))
    return -1;
  if(!quiet)
    print_summary(dir, c->level);
  if(!quiet && partial)
    printf("PARTIAL: %s\n", partial);
  return 0;
}
