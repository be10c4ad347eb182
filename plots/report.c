/* report.c - RUN/report.md (see report.h). */
#include "plots/report.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plots/csvtab.h"
#include "plots/gp.h"
#include "util/fsutil.h"

void plot_fmt_num(struct buf *b, double v, int digits)
{
  if(!isfinite(v)) {
    buf_puts(b, "n/a");
    return;
  }
  if(fabs(v) < 0.5 * pow(10, -digits))
    v = 0; /* no "-0.00" */
  buf_printf(b, "%.*f", digits, v);
}

void plot_fmt_ci(struct buf *b, double v, double lo, double hi, int digits)
{
  plot_fmt_num(b, v, digits);
  if(!isfinite(v) || !isfinite(lo) || !isfinite(hi))
    return;
  buf_puts(b, " [");
  plot_fmt_num(b, lo, digits);
  buf_puts(b, ", ");
  plot_fmt_num(b, hi, digits);
  buf_puts(b, "]");
}

void plot_md_cell(struct buf *b, const char *s)
{
  for(; *s; s++) {
    unsigned char c = (unsigned char)*s;
    if(c == '|' || c == '\\' || c == '*' || c == '_' || c == '`' ||
       c == '[' || c == ']' || c == '<' || c == '>')
      buf_putc(b, '\\');
    buf_putc(b, c < 0x20 || c == 0x7f ? ' ' : (char)c);
  }
}

enum verdict { V_PREDICTS, V_NOT, V_NEGATIVE, V_NOCI };

static enum verdict classify(const struct plot_corr *c)
{
  if(!isfinite(c->r_lo) || !isfinite(c->r_hi))
    return V_NOCI;
  if(c->r_lo > 0)
    return V_PREDICTS;
  if(c->r_hi < 0)
    return V_NEGATIVE;
  return V_NOT;
}

/* "(Pearson r = 0.91, 95% CI [0.57, 0.98])" or the short "(r = ...)". */
static void stat_text(struct buf *b, const struct plot_corr *c, int full)
{
  buf_puts(b, full ? "(Pearson r = " : "(r = ");
  plot_fmt_num(b, c->r, 2);
  if(isfinite(c->r_lo) && isfinite(c->r_hi)) {
    buf_puts(b, ", 95% CI [");
    plot_fmt_num(b, c->r_lo, 2);
    buf_puts(b, ", ");
    plot_fmt_num(b, c->r_hi, 2);
    buf_puts(b, "])");
  }
  else
    buf_puts(b, ", no interval available)");
}

void plot_verdict(struct buf *b, const struct plot_corr *c,
                  const char *const *names, int m)
{
  int idx[2], k = 0, nmax = 0, nmin = 1 << 30;
  for(int i = 0; i < m && i < 2; i++)
    if(c[i].ok && isfinite(c[i].r)) {
      idx[k++] = i;
      if(c[i].n > nmax)
        nmax = c[i].n;
      if(c[i].n < nmin)
        nmin = c[i].n;
    }
  if(!k) {
    buf_puts(b, "No correlation between a benchmark and the BoN gain is "
                "available (run `bonrun correlate`; see "
                "correlation/correlations.csv).");
    return;
  }
  if(nmax > 0)
    buf_printf(b, "Across %d RMs, ", nmax);
  for(int j = 0; j < k; j++) {
    const struct plot_corr *x = &c[idx[j]];
    const char *nm = names[idx[j]];
    enum verdict v = classify(x);
    if(j == 0) {
      buf_puts(b, nmax > 0 ? "" : "");
      buf_puts(b, nm);
      buf_puts(b, v == V_PREDICTS   ? " predicts the BoN gain "
                  : v == V_NEGATIVE ? " is negatively related to the BoN "
                                      "gain "
                  : v == V_NOCI     ? " correlates with the BoN gain "
                                    : " does not reliably predict the BoN "
                                      "gain ");
      stat_text(b, x, 1);
    }
    else {
      enum verdict v0 = classify(&c[idx[0]]);
      buf_puts(b, "; ");
      if(v == v0 && v == V_PREDICTS)
        buf_printf(b, "so does %s ", nm);
      else if(v == v0 && v == V_NOT)
        buf_printf(b, "neither does %s ", nm);
      else if(v == V_PREDICTS)
        buf_printf(b, "%s does ", nm);
      else if(v == V_NOT)
        buf_printf(b, "%s does not ", nm);
      else if(v == V_NEGATIVE)
        buf_printf(b, "%s is negatively related to it ", nm);
      else
        buf_printf(b, "%s correlates with it ", nm);
      stat_text(b, x, 0);
    }
  }
  buf_puts(b, ".");
  if(nmin < 10) {
    buf_printf(b, " With only %d RMs the interval%s wide (width ", nmin,
               k > 1 ? "s are" : " is");
    for(int j = 0; j < k; j++) {
      const struct plot_corr *x = &c[idx[j]];
      if(j)
        buf_puts(b, j + 1 == k ? " and " : ", ");
      plot_fmt_num(b, x->r_hi - x->r_lo, 2);
    }
    buf_puts(b, "): add RMs before drawing firm conclusions.");
  }
}

/* ---- the report --------------------------------------------------------- */

static const cJSON *jget(const cJSON *o, const char *const *keys)
{
  for(; *keys; keys++) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, *keys);
    if(v && !cJSON_IsNull(v))
      return v;
  }
  return NULL;
}

static void json_scalar(struct buf *b, const cJSON *v)
{
  if(cJSON_IsString(v))
    plot_md_cell(b, v->valuestring);
  else if(cJSON_IsNumber(v))
    buf_printf(b, "%.10g", v->valuedouble);
  else if(cJSON_IsBool(v))
    buf_puts(b, cJSON_IsTrue(v) ? "true" : "false");
  else
    buf_puts(b, "(see config.json)");
}

static void config_section(struct buf *b, const char *path,
                           const struct plot_table *gains)
{
  buf_puts(b, "## Run\n\n");
  cJSON *root = NULL;
  if(path) {
    struct bon_err e;
    char *text = fs_read_file(path, NULL, &e);
    if(text) {
      root = cJSON_Parse(text);
      free(text);
    }
    if(!root || !cJSON_IsObject(root)) {
      buf_puts(b, "- config.json could not be parsed as a JSON object.\n");
      cJSON_Delete(root);
      root = NULL;
    }
  }
  else
    buf_puts(b, "- no config.json in this folder.\n");
  static const char *const k_name[] = {"name", "run_name", NULL};
  static const char *const k_seed[] = {"seed", NULL};
  static const char *const k_policy[] = {"policy", "policy_backend", NULL};
  static const char *const k_backend[] = {"backend", "type", "kind", NULL};
  static const char *const k_model[] = {"model", "name", NULL};
  static const char *const k_n[] = {"N", "samples_per_problem", "n_samples",
                                    "samples", "n", NULL};
  static const char *const k_problems[] = {"problems", "dataset", NULL};
  static const char *const k_count[] = {"count", "n", "limit", NULL};
  static const char *const k_src[] = {"source", "path", "file", "name",
                                      NULL};
  static const char *const k_rms[] = {"rms", "reward_models", "proxies",
                                      NULL};
  const cJSON *v;
  if(root) {
    if((v = jget(root, k_name))) {
      buf_puts(b, "- name: ");
      json_scalar(b, v);
      buf_putc(b, '\n');
    }
    if((v = jget(root, k_seed))) {
      buf_puts(b, "- seed: ");
      json_scalar(b, v);
      buf_putc(b, '\n');
    }
    const cJSON *pol = jget(root, k_policy);
    if(pol) {
      buf_puts(b, "- policy: ");
      if(cJSON_IsObject(pol)) {
        const cJSON *be = jget(pol, k_backend), *mo = jget(pol, k_model);
        if(be)
          json_scalar(b, be);
        if(mo) {
          buf_puts(b, be ? " (" : "");
          json_scalar(b, mo);
          buf_puts(b, be ? ")" : "");
        }
        if(!be && !mo)
          buf_puts(b, "(see config.json)");
      }
      else
        json_scalar(b, pol);
      buf_putc(b, '\n');
    }
    v = jget(root, k_n);
    if(!v && pol && cJSON_IsObject(pol))
      v = jget(pol, k_n);
    if(v && cJSON_IsNumber(v))
      buf_printf(b, "- samples per problem (N): %.10g\n", v->valuedouble);
    const cJSON *pr = jget(root, k_problems);
    if(pr) {
      buf_puts(b, "- problems: ");
      if(cJSON_IsObject(pr)) {
        const cJSON *cnt = jget(pr, k_count), *src = jget(pr, k_src);
        if(cnt)
          json_scalar(b, cnt);
        if(src) {
          buf_puts(b, cnt ? " from " : "");
          json_scalar(b, src);
        }
        if(!cnt && !src)
          buf_puts(b, "(see config.json)");
      }
      else if(cJSON_IsArray(pr))
        buf_printf(b, "%d", cJSON_GetArraySize(pr));
      else
        json_scalar(b, pr);
      buf_putc(b, '\n');
    }
    const cJSON *rms = jget(root, k_rms);
    if(rms && cJSON_IsArray(rms)) {
      buf_printf(b, "- reward models (%d): ", cJSON_GetArraySize(rms));
      int i = 0;
      const cJSON *r;
      cJSON_ArrayForEach(r, rms) {
        buf_puts(b, i++ ? ", " : "");
        const cJSON *nm = cJSON_IsObject(r) ? jget(r, k_model) : r;
        if(nm && cJSON_IsString(nm)) {
          buf_putc(b, '`');
          for(const char *s = nm->valuestring; *s; s++)
            buf_putc(b, *s == '`' ? '\'' : (unsigned char)*s < 0x20 ? ' '
                                                                    : *s);
          buf_putc(b, '`');
        }
        else
          buf_puts(b, "?");
      }
      buf_putc(b, '\n');
    }
  }
  /* What the analysis itself says, config or not. */
  if(gains && gains->nrows) {
    double p = plot_table_num(gains, 0, plot_table_col(gains, "problems"));
    double s = plot_table_num(gains, 0, plot_table_col(gains, "samples"));
    if(isfinite(p) || isfinite(s)) {
      buf_puts(b, "- analysed: ");
      if(isfinite(p))
        buf_printf(b, "%.0f problems", p);
      if(isfinite(s))
        buf_printf(b, "%s%.0f samples", isfinite(p) ? ", " : "", s);
      buf_printf(b, ", %zu RMs (analysis/gains.csv)\n", gains->nrows);
    }
  }
  buf_putc(b, '\n');
  cJSON_Delete(root);
}

/* Row of table t whose rm column equals name, or -1. */
static long find_row(const struct plot_table *t, const char *name)
{
  int c = plot_table_col(t, "rm");
  if(c < 0)
    return -1;
  for(size_t r = 0; r < t->nrows; r++)
    if(!strcmp(plot_table_str(t, r, c), name))
      return (long)r;
  return -1;
}

static double cell(const struct plot_table *t, long row, const char *col)
{
  return row < 0 ? NAN : plot_table_num(t, (size_t)row,
                                        plot_table_col(t, col));
}

static void fmt_n_md(struct buf *b, double n, double maxn)
{
  if(!isfinite(n)) {
    buf_puts(b, "n/a");
    return;
  }
  if(n == floor(n) && n < 1e5)
    buf_printf(b, "%.0f", n);
  else if(n < 10)
    buf_printf(b, "%.1f", n);
  else if(n < 1e5)
    buf_printf(b, "%.0f", n);
  else
    buf_printf(b, "%.1e", n);
  if(isfinite(maxn) && n > maxn)
    buf_printf(b, " (> %.0f)", maxn);
}

static void table_section(struct buf *b, const struct plot_curves *cur,
                          const struct plot_table *gains,
                          const struct plot_table *bench[2], double maxn)
{
  buf_puts(b, "## Main table\n\n");
  size_t nrm = gains ? gains->nrows : cur ? cur->nrms : 0;
  if(!nrm) {
    buf_puts(b, "No per-RM results (analysis/gains.csv and "
                "analysis/curves.csv are absent).\n\n");
    return;
  }
  buf_puts(b, "| RM | one-to-many accuracy | one-to-one accuracy | ");
  if(isfinite(maxn))
    buf_printf(b, "gain at n = %.0f | ", maxn);
  else
    buf_puts(b, "gain at largest n | ");
  buf_puts(b, "peak n (grid) | fitted peak n* | \xce\xb1 | \xce\xb2 | "
              "R\xc2\xb2 |\n|---|---|---|---|---|---|---|---|---|\n");
  for(size_t i = 0; i < nrm; i++) {
    const char *name = gains ? plot_table_str(gains, i,
                                              plot_table_col(gains, "rm"))
                             : cur->rms[i].name;
    buf_puts(b, "| ");
    plot_md_cell(b, name);
    for(int k = 0; k < 2; k++) {
      buf_puts(b, " | ");
      long r = bench[k] ? find_row(bench[k], name) : -1;
      if(r < 0)
        buf_puts(b, "n/a");
      else
        plot_fmt_ci(b, cell(bench[k], r, "accuracy"),
                    cell(bench[k], r, "accuracy_lo"),
                    cell(bench[k], r, "accuracy_hi"), 3);
    }
    buf_puts(b, " | ");
    long g = gains ? (long)i : -1;
    if(g < 0)
      buf_puts(b, "n/a");
    else
      plot_fmt_ci(b, cell(gains, g, "delta"), cell(gains, g, "delta_lo"),
                  cell(gains, g, "delta_hi"), 3);
    buf_puts(b, " | ");
    fmt_n_md(b, g < 0 ? NAN : cell(gains, g, "peak_n"), NAN);
    buf_puts(b, " | ");
    const struct plot_fit *f = NULL;
    for(size_t j = 0; cur && j < cur->nrms; j++)
      if(!strcmp(cur->rms[j].name, name))
        f = cur->rms[j].fit.ok ? &cur->rms[j].fit : NULL;
    if(!f)
      buf_puts(b, "n/a | n/a | n/a | n/a |\n");
    else {
      if(!(f->beta > 0))
        buf_puts(b, "none (\xce\xb2 \xe2\x89\xa4 0)");
      else
        fmt_n_md(b, f->n_star, maxn);
      buf_puts(b, " | ");
      plot_fmt_num(b, f->alpha, 4);
      buf_puts(b, " | ");
      plot_fmt_num(b, f->beta, 4);
      buf_puts(b, " | ");
      plot_fmt_num(b, f->r2, 3);
      buf_puts(b, " |\n");
    }
  }
  buf_puts(b, "\nAccuracies and gains: estimate [95% bootstrap interval]. "
              "Gain = gold(n) - gold(1) at the largest n of the grid. "
              "Peak n (grid): the n of the highest gold on the grid; fitted "
              "peak n*: where the Gao BoN fit gold(d) = gold(1) + "
              "d(\xce\xb1 - \xce\xb2 d), d = \xe2\x88\x9aKL, peaks "
              "(\"> N\": beyond the grid, an extrapolation).\n\n");
}

static void figures_section(struct buf *b, const char *plots_dir,
                            const char *ext)
{
  static const struct {
    const char *name, *caption;
  } figs[] = {
    {"gold_vs_d", "Gold reward vs d = \xe2\x88\x9aKL per RM, with 95% "
                  "bootstrap bands, the fitted Gao BoN curves and their "
                  "peaks (n on the upper axis): where overoptimization "
                  "starts."},
    {"proxy_vs_d", "Gold and proxy reward per RM: the gap between what the "
                   "RM believes and what the verifier finds."},
    {"gold_vs_n", "Gold reward vs n, against the oracle (pass@n) ceiling "
                  "and the majority-vote baseline."},
    {"bench_vs_gain", "Benchmark accuracy vs BoN gain across RMs, one "
                      "panel per benchmark: does the benchmark predict the "
                      "gain?"},
    {"corr_heatmap", "Pearson r of every benchmark metric against every "
                     "gain metric, with 95% intervals."},
  };
  buf_puts(b, "## Figures\n\n");
  int any = 0;
  for(size_t i = 0; i < sizeof(figs) / sizeof(figs[0]); i++) {
    char file[64];
    snprintf(file, sizeof(file), "%s.%s", figs[i].name, ext);
    char *p = fs_join(plots_dir, file);
    int ok = fs_exists(p);
    free(p);
    if(!ok)
      continue;
    any = 1;
    buf_printf(b, "### %s\n\n![%s](plots/%s)\n\n%s Data: "
               "`plots/%s.dat`; script: `plots/%s.gp`.\n\n", figs[i].name,
               figs[i].name, file, figs[i].caption, figs[i].name,
               figs[i].name);
  }
  if(!any)
    buf_puts(b, "No figures: their inputs are absent (`bonrun plot` "
                "names what each one needs).\n\n");
}

static void problem(struct buf *b, const struct bon_err *e)
{
  buf_puts(b, "- ");
  plot_md_cell(b, e->msg);
  buf_putc(b, '\n');
}

/* Read an optional per-RM table (one row per RM, so PLOT_MAX_RMS rows at
 * most), or any table when maxrows is 0. */
static int load_opt(struct plot_table *t, const char *path, int *have,
                    size_t maxrows, struct bon_err *err)
{
  *have = 0;
  if(!path)
    return 0;
  if(plot_table_read(t, path, err))
    return -1;
  if(maxrows && t->nrows > maxrows) {
    bon_errf(err, "%s: %zu rows, but at most %zu RMs are supported", path,
             t->nrows, maxrows);
    plot_table_free(t);
    return -1;
  }
  *have = 1;
  return 0;
}

int plot_report(const char *run_dir, const char *format, struct bon_err *err)
{
  enum plot_fmt fmt = PLOT_PNG;
  if(format && plot_fmt_parse(format, &fmt, err))
    return -1;
  struct plot_paths pp;
  if(plot_paths_find(&pp, run_dir, err))
    return -1;
  struct plot_table gains, bt[2], corr;
  int hg = 0, hb[2] = {0, 0}, hc = 0, hcur = 0, rc = -1;
  struct plot_curves cur;
  /* An input that cannot be read is reported in report.md, not fatal:
   * the report still says what the other files hold. */
  struct buf probs = BUF_INIT;
  struct bon_err e;
  if(load_opt(&gains, pp.gains, &hg, PLOT_MAX_RMS, &e))
    problem(&probs, &e);
  for(int i = 0; i < 2; i++)
    if(load_opt(&bt[i], pp.bench[i], &hb[i], PLOT_MAX_RMS, &e))
      problem(&probs, &e);
  if(load_opt(&corr, pp.corr, &hc, 0, &e))
    problem(&probs, &e);
  if(pp.curves) {
    if(plot_curves_load(&cur, pp.curves, pp.fits, &e))
      problem(&probs, &e);
    else
      hcur = 1;
  }
  struct buf b = BUF_INIT;
  buf_puts(&b, "# bonrun report\n\n"
               "Written by `bonrun plot` from the CSV files of this run; "
               "rerun it to regenerate this file and the figures.\n\n");
  config_section(&b, pp.config, hg ? &gains : NULL);
  buf_puts(&b, "## Verdict: does the benchmark predict the BoN gain?\n\n");
  struct plot_corr c[2];
  memset(c, 0, sizeof(c));
  if(hc) {
    plot_corr_find(&corr, 0, "accuracy", NULL, &c[0]);
    plot_corr_find(&corr, 1, "accuracy", NULL, &c[1]);
  }
  static const char *const names[2] = {"one-to-many accuracy",
                                       "one-to-one accuracy"};
  size_t nrm = hg ? gains.nrows : hcur ? cur.nrms : 0;
  if(!hc && nrm > 0 && nrm < 3)
    buf_printf(&b, "No correlation between a benchmark and the BoN gain: "
               "a correlation needs at least 3 RMs, and this run has "
               "%zu.", nrm);
  else
    plot_verdict(&b, c, names, 2);
  buf_puts(&b, "\n\n");
  const struct plot_table *bench[2] = {hb[0] ? &bt[0] : NULL,
                                       hb[1] ? &bt[1] : NULL};
  table_section(&b, hcur ? &cur : NULL, hg ? &gains : NULL, bench,
                hcur ? plot_curves_max_n(&cur) : NAN);
  figures_section(&b, pp.plots_dir, plot_fmt_ext(fmt));
  if(probs.len) {
    buf_puts(&b, "## Problems\n\nThese inputs could not be read; the "
                 "sections above leave them out.\n\n");
    buf_puts(&b, buf_str(&probs));
    buf_putc(&b, '\n');
  }
  buf_free(&probs);
  char *path = fs_join(run_dir, "report.md");
  rc = fs_write_atomic(path, buf_str(&b), b.len, err);
  free(path);
  buf_free(&b);
  if(hcur)
    plot_curves_free(&cur);
  if(hg)
    plot_table_free(&gains);
  for(int i = 0; i < 2; i++)
    if(hb[i])
      plot_table_free(&bt[i]);
  if(hc)
    plot_table_free(&corr);
  plot_paths_free(&pp);
  return rc;
}
