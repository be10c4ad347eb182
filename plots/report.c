/* report.c - RUN/report.md (see report.h). */
#include "plots/report.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plots/csvtab.h"
#include "plots/gp.h"
#include "plots/groups.h"
#include "plots/rundata.h"
#include "plots/runinfo.h"
#include "plots/text.h"
#include "plots/verdict.h"
#include "util/fsutil.h"

/* ---- what was run (run.json) ------------------------------------------- */

/* s as a markdown code span: backquotes become apostrophes, control bytes
 * spaces. */
static void code(struct buf *b, const char *s)
{
  buf_putc(b, '`');
  for(; *s; s++)
    buf_putc(b, *s == '`' ? '\'' : (unsigned char)*s < 0x20 ? ' ' : *s);
  buf_putc(b, '`');
}

/* "sim", "openai (`Qwen/...`)", or for an RM "`name` (backend, `model`)". */
static void model_text(struct buf *b, const struct plot_runinfo_model *m)
{
  if(m->name) {
    code(b, m->name);
    buf_puts(b, " (");
  }
  plot_md_cell(b, m->backend);
  if(m->model) {
    buf_puts(b, m->name ? ", " : " (");
    code(b, m->model);
  }
  if(m->name || m->model)
    buf_putc(b, ')');
}

/* "sim (300 problems)", "file `bench.csv`", "none". */
static void source_text(struct buf *b, const struct plot_runinfo_source *s,
                        const char *unit)
{
  plot_md_cell(b, s->source);
  if(s->path) {
    buf_putc(b, ' ');
    code(b, s->path);
  }
  if(s->count >= 0)
    buf_printf(b, " (%lld %s)", s->count, unit);
}

static void samples_text(struct buf *b, const struct plot_runinfo *r)
{
  buf_printf(b, "- samples: %lld drawn, %lld completed, %lld with no "
             "extractable answer", r->total, r->completed, r->no_answer);
  if(r->completed > 0)
    buf_printf(b, " (%.1f%% of the completed)",
               100.0 * (double)r->no_answer / (double)r->completed);
  buf_printf(b, ", %lld failed", r->errors);
  if(r->truncated >= 0)
    buf_printf(b, ", %lld stopped at the token limit", r->truncated);
  buf_putc(b, '\n');
}

static const char *plural(long long n)
{
  return n == 1 ? "" : "s";
}

/* What a run on replayed completions covered (runner/replay.h), without
 * the line's end. */
static void replay_text(struct buf *b, const struct plot_runinfo_replay *p,
                        long long n)
{
  buf_puts(b, "- completions replayed from ");
  code(b, p->path);
  buf_printf(b, ": %lld completion%s of %lld problem%s; N = %lld (%s)",
             p->completions, plural(p->completions), p->file_problems,
             plural(p->file_problems), n,
             strcmp(p->n_rule, "fewest") ? "policy.samples"
                                         : "the fewest of a problem");
  if(p->fewest < p->most)
    buf_printf(b, "; problems have %lld to %lld completions, %lld beyond N "
               "not used", p->fewest, p->most, p->unused);
  if(p->without)
    buf_printf(b, "; **%lld of the dataset's %lld problems ha%s no "
               "completion and %s left out**", p->without,
               p->dataset_problems, p->without == 1 ? "s" : "ve",
               p->without == 1 ? "is" : "are");
  if(p->unknown_completions)
    buf_printf(b, "; %lld completion%s of %lld problem%s not in the "
               "dataset ignored", p->unknown_completions,
               plural(p->unknown_completions), p->unknown_problems,
               plural(p->unknown_problems));
}

static void runinfo_lines(struct buf *b, const struct plot_runinfo *r)
{
  buf_puts(b, "- name: ");
  plot_md_cell(b, r->name);
  buf_printf(b, "\n- seed: %.17g\n- problems: %lld (dataset: ", r->seed,
             r->problems);
  source_text(b, &r->dataset, "problems");
  if(r->shard_n)
    buf_printf(b, "; shard %d of %d", r->shard_k, r->shard_n);
  buf_printf(b, ")\n- samples per problem (N): %lld\n- policy: ",
             r->samples_per_problem);
  model_text(b, &r->policy);
  if(r->replay.present) {
    buf_putc(b, '\n');
    replay_text(b, &r->replay, r->samples_per_problem);
  }
  buf_printf(b, "\n- reward models (%zu): ", r->nrms);
  for(size_t i = 0; i < r->nrms; i++) {
    buf_puts(b, i ? ", " : "");
    model_text(b, &r->rms[i]);
  }
  buf_puts(b, "\n- benchmarks: one-to-many ");
  source_text(b, &r->bench[0], "problems");
  buf_puts(b, "; one-to-one ");
  source_text(b, &r->bench[1], "pairs");
  buf_putc(b, '\n');
  samples_text(b, r);
  buf_puts(b, "- written by bonrun ");
  plot_md_cell(b, r->bonrun);
  buf_putc(b, '\n');
}

/* The warning at the top of the report when too many samples have no
 * extractable answer. */
static void no_answer_warning(struct buf *b, const struct plot_runinfo *r)
{
  if(!plot_runinfo_no_answer_high(r->no_answer, r->completed))
    return;
  buf_printf(b, "> **Warning:** %lld of %lld completed samples (%.1f%%) "
             "have no final answer the verifier could extract (more than "
             "%d%%). They count as incorrect, so the gold rewards and gains "
             "below say more about answer extraction than about the reward "
             "models.\n\n", r->no_answer, r->completed,
             100.0 * (double)r->no_answer / (double)r->completed,
             PLOT_NO_ANSWER_PERCENT);
}

/* "## Run": run.json in brief (r NULL: why says why not), then what the
 * analysis says it used. */
static void run_section(struct buf *b, const struct plot_runinfo *r,
                        const char *why, const struct plot_table *gains)
{
  buf_puts(b, "## Run\n\n");
  if(r)
    runinfo_lines(b, r);
  else {
    buf_puts(b, "- ");
    plot_md_cell(b, why);
    buf_puts(b, ": the run is not described here.\n");
  }
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
}

/* ---- the main table and the figures ------------------------------------- */

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
                          const struct plot_table *bench[2], double maxn,
                          const char *level)
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
  buf_printf(b, "\nAccuracies and gains: estimate [%s bootstrap "
             "interval]. Gain = gold(n) - gold(1) at the largest n of the "
             "grid. Peak n (grid): the n of the highest gold on the grid; "
             "fitted peak n*: where the Gao BoN fit gold(d) = gold(1) + "
             "d(\xce\xb1 - \xce\xb2 d), d = \xe2\x88\x9aKL, peaks "
             "(\"> N\": beyond the grid, an extrapolation).\n\n", level);
}

/* ---- RMs with benchmark metrics only ----------------------------------- */

/* Does the main table have a row for name (gains.csv, else curves.csv)? */
static int in_main(const struct plot_curves *cur,
                   const struct plot_table *gains, const char *name)
{
  if(gains)
    return find_row(gains, name) >= 0;
  for(size_t j = 0; cur && j < cur->nrms; j++)
    if(!strcmp(cur->rms[j].name, name))
      return 1;
  return 0;
}

/* The kind of name's row in the benchmark tables (the first that says):
 * "pairwise", "score", ...; "" when none has a kind column. */
static const char *bench_kind(const struct plot_table *bench[2],
                              const char *name)
{
  for(int k = 0; k < 2; k++) {
    long r = bench[k] ? find_row(bench[k], name) : -1;
    int c = bench[k] ? plot_table_col(bench[k], "kind") : -1;
    if(r >= 0 && c >= 0 && *plot_table_str(bench[k], (size_t)r, c))
      return plot_table_str(bench[k], (size_t)r, c);
  }
  return "";
}

/* One row of the benchmark-only table; 1 when name is a pairwise judge. */
static int bench_only_row(struct buf *b, const struct plot_table *bench[2],
                          const char *name)
{
  const char *kind = bench_kind(bench, name);
  int pairwise = !strcmp(kind, "pairwise");
  buf_puts(b, "| ");
  plot_md_cell(b, name);
  buf_puts(b, " | ");
  if(pairwise)
    buf_puts(b, "pairwise judge");
  else
    plot_md_cell(b, *kind ? kind : "n/a");
  static const struct {
    int bench;
    const char *col;
  } cells[3] = {{0, "accuracy"}, {0, "mrr"}, {1, "accuracy"}};
  for(int i = 0; i < 3; i++) {
    const struct plot_table *t = bench[cells[i].bench];
    long r = t ? find_row(t, name) : -1;
    char lo[32], hi[32];
    snprintf(lo, sizeof(lo), "%s_lo", cells[i].col);
    snprintf(hi, sizeof(hi), "%s_hi", cells[i].col);
    buf_puts(b, " | ");
    if(r < 0)
      buf_puts(b, "n/a");
    else
      plot_fmt_ci(b, cell(t, r, cells[i].col), cell(t, r, lo),
                  cell(t, r, hi), 3);
  }
  buf_puts(b, " |\n");
  return pairwise;
}

/* The RMs of the benchmark tables that the main table does not list
 * (pairwise judges: they score no completion of the policy, so they have
 * no BoN gain), with their metrics and why they have no gain.  Nothing
 * when there are none. */
static void bench_only_section(struct buf *b, const struct plot_curves *cur,
                               const struct plot_table *gains,
                               const struct plot_table *bench[2],
                               const char *level)
{
  int rows = 0, pairwise = 0;
  for(int k = 0; k < 2; k++) {
    int c = bench[k] ? plot_table_col(bench[k], "rm") : -1;
    for(size_t r = 0; c >= 0 && r < bench[k]->nrows; r++) {
      const char *name = plot_table_str(bench[k], r, c);
      if(in_main(cur, gains, name) ||
         (k == 1 && bench[0] && find_row(bench[0], name) >= 0) ||
         find_row(bench[k], name) != (long)r)
        continue; /* in the main table, or listed already */
      if(!rows++)
        buf_puts(b, "### RMs with benchmark metrics only\n\n"
                    "| RM | kind | one-to-many accuracy | one-to-many MRR "
                    "| one-to-one accuracy |\n|---|---|---|---|---|\n");
      pairwise += bench_only_row(b, bench, name);
    }
  }
  if(!rows)
    return;
  buf_printf(b, "\nEstimate [%s bootstrap interval]. These RMs have no BoN "
             "gain (no row in analysis/gains.csv), so the main table and "
             "the verdict leave them out.", level);
  if(pairwise)
    buf_puts(b, " A pairwise judge compares two solutions and says which "
                "is better; it gives no score to a single completion, so "
                "it cannot pick the best of n samples: it is measured on "
                "the benchmarks only.");
  buf_puts(b, "\n\n");
}

static void figures_section(struct buf *b, const char *plots_dir,
                            const char *ext, const char *level)
{
  /* caption: text, then (when `rest` is not NULL) the level and rest */
  static const struct {
    const char *name, *caption, *rest;
  } figs[] = {
    {"gold_vs_d", "Gold reward vs d = \xe2\x88\x9aKL per RM, with ",
     " bootstrap bands, the fitted Gao BoN curves and their peaks (n on "
     "the upper axis): where overoptimization starts."},
    {"proxy_vs_d", "Gold and proxy reward per RM: the gap between what the "
                   "RM believes and what the verifier finds.", NULL},
    {"gold_vs_n", "Gold reward vs n, against the oracle (pass@n) ceiling "
                  "and the majority-vote baseline.", NULL},
    {"bench_vs_gain", "Benchmark accuracy vs BoN gain across RMs, one "
                      "panel per benchmark: does the benchmark predict the "
                      "gain?", NULL},
    {"corr_heatmap", "Pearson r of every benchmark metric against every "
                     "gain metric, with ", " intervals."},
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
    buf_printf(b, "### %s\n\n![%s](plots/%s)\n\n%s%s%s Data: "
               "`plots/%s.dat`; script: `plots/%s.gp`.\n\n", figs[i].name,
               figs[i].name, file, figs[i].caption,
               figs[i].rest ? level : "",
               figs[i].rest ? figs[i].rest : "", figs[i].name,
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

/* Everything report.md is written from. */
struct inputs {
  struct plot_paths pp;
  struct plot_table gains, bt[2], corr;
  int hg, hb[2], hc, hcur, hri;
  struct plot_curves cur;
  struct plot_runinfo ri;
  struct bon_err rierr;  /* why run.json is not there or not read */
  struct buf probs;      /* inputs that could not be read, one line each */
  double level;          /* of the intervals (run.json, else the default) */
  char lv[16];           /* the same as text: "95%" */
  const char *run_dir;
};

/* Load every input that exists.  One that cannot be read is named in
 * in->probs, not fatal: the report still says what the others hold. */
static void load_inputs(struct inputs *in)
{
  struct bon_err e;
  if(load_opt(&in->gains, in->pp.gains, &in->hg, PLOT_MAX_RMS, &e))
    problem(&in->probs, &e);
  for(int i = 0; i < 2; i++)
    if(load_opt(&in->bt[i], in->pp.bench[i], &in->hb[i], PLOT_MAX_RMS, &e))
      problem(&in->probs, &e);
  if(load_opt(&in->corr, in->pp.corr, &in->hc, 0, &e))
    problem(&in->probs, &e);
  if(in->pp.curves) {
    if(plot_curves_load(&in->cur, in->pp.curves, in->pp.fits, &e))
      problem(&in->probs, &e);
    else
      in->hcur = 1;
  }
  if(!in->pp.runinfo)
    bon_errf(&in->rierr, "no run.json in this folder (older runs and "
             "analyze output folders have none)");
  else if(plot_runinfo_read(&in->ri, in->pp.runinfo, &in->rierr))
    bon_err_prefix(&in->rierr, "run.json could not be read");
  else
    in->hri = 1;
  in->level = in->hri ? in->ri.level : PLOT_LEVEL_DEFAULT;
  plot_fmt_level(in->lv, sizeof(in->lv), in->level);
}

static void free_inputs(struct inputs *in)
{
  if(in->hcur)
    plot_curves_free(&in->cur);
  plot_table_free(&in->gains);
  for(int i = 0; i < 2; i++)
    plot_table_free(&in->bt[i]);
  plot_table_free(&in->corr);
  plot_runinfo_free(&in->ri);
  buf_free(&in->probs);
  plot_paths_free(&in->pp);
}

/* "## Verdict": one sentence per benchmark, then the rule. */
static void verdict_section(struct buf *b, const struct inputs *in)
{
  static const char *const names[2] = {"one-to-many accuracy",
                                       "one-to-one accuracy"};
  struct plot_evidence ev[2];
  memset(ev, 0, sizeof(ev));
  for(int i = 0; i < 2; i++) {
    ev[i].level = in->level;
    if(in->hc)
      plot_corr_find(&in->corr, i, "accuracy", NULL, &ev[i].corr);
    if(in->hb[i] && in->hg)
      plot_evidence_join(&ev[i], &in->bt[i], "accuracy", &in->gains);
  }
  buf_puts(b, "## Verdict: does the benchmark predict the BoN gain?\n\n");
  plot_verdict(b, ev, names, 2);
  buf_puts(b, "\n\n");
  plot_verdict_rule(b, in->level);
  buf_puts(b, "\n\n");
}

static void write_report(struct buf *b, const struct inputs *in,
                         enum plot_fmt fmt)
{
  buf_puts(b, "# bonrun report\n\n"
              "Written by `bonrun plot` from the CSV files of this run; "
              "rerun it to regenerate this file and the figures.\n\n");
  if(in->hri)
    no_answer_warning(b, &in->ri);
  run_section(b, in->hri ? &in->ri : NULL, in->rierr.msg,
              in->hg ? &in->gains : NULL);
  verdict_section(b, in);
  const struct plot_table *bench[2] = {in->hb[0] ? &in->bt[0] : NULL,
                                       in->hb[1] ? &in->bt[1] : NULL};
  table_section(b, in->hcur ? &in->cur : NULL, in->hg ? &in->gains : NULL,
                bench, in->hcur ? plot_curves_max_n(&in->cur) : NAN,
                in->lv);
  bench_only_section(b, in->hcur ? &in->cur : NULL,
                     in->hg ? &in->gains : NULL, bench, in->lv);
  plot_groups_section(b, in->run_dir, in->lv);
  figures_section(b, in->pp.plots_dir, plot_fmt_ext(fmt), in->lv);
  if(in->probs.len) {
    buf_puts(b, "## Problems\n\nThese inputs could not be read; the "
                "sections above leave them out.\n\n");
    buf_puts(b, buf_str(&in->probs));
    buf_putc(b, '\n');
  }
}

int plot_report(const char *run_dir, const char *format, struct bon_err *err)
{
  enum plot_fmt fmt = PLOT_PNG;
  if(format && plot_fmt_parse(format, &fmt, err))
    return -1;
  struct inputs in;
  memset(&in, 0, sizeof(in));
  if(plot_paths_find(&in.pp, run_dir, err))
    return -1;
  in.run_dir = run_dir;
  load_inputs(&in);
  struct buf b = BUF_INIT;
  write_report(&b, &in, fmt);
  char *path = fs_join(run_dir, "report.md");
  int rc = fs_write_atomic(path, buf_str(&b), b.len, err);
  free(path);
  buf_free(&b);
  free_inputs(&in);
  return rc;
}
