/* groups.c - the report's per-group gains (groups.h). */
#include "plots/groups.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plots/csvtab.h"
#include "plots/text.h"
#include "util/fsutil.h"

/* The two tables, their columns located. */
struct gtabs {
  struct plot_table g, ix;
  int gk, gv, grm, gd, glo, ghi, g1;   /* gains_by_group.csv */
  int ik, iv, ip, is, iw;              /* groups.csv */
};

static int locate(struct gtabs *t)
{
  t->gk = plot_table_col(&t->g, "key");
  t->gv = plot_table_col(&t->g, "value");
  t->grm = plot_table_col(&t->g, "rm");
  t->gd = plot_table_col(&t->g, "delta");
  t->glo = plot_table_col(&t->g, "delta_lo");
  t->ghi = plot_table_col(&t->g, "delta_hi");
  t->g1 = plot_table_col(&t->g, "gold1");
  t->ik = plot_table_col(&t->ix, "key");
  t->iv = plot_table_col(&t->ix, "value");
  t->ip = plot_table_col(&t->ix, "problems");
  t->is = plot_table_col(&t->ix, "status");
  t->iw = plot_table_col(&t->ix, "warnings");
  return t->gk < 0 || t->gv < 0 || t->grm < 0 || t->ik < 0 || t->iv < 0 ||
         t->ip < 0 || t->is < 0 || t->iw < 0 ? -1 : 0;
}

/* The row of gains_by_group.csv for (key, value, rm); rm NULL: the first
 * of the group.  -1 when absent. */
static long gains_row(const struct gtabs *t, const char *key,
                      const char *value, const char *rm)
{
  for(size_t r = 0; r < t->g.nrows; r++)
    if(!strcmp(plot_table_str(&t->g, r, t->gk), key) &&
       !strcmp(plot_table_str(&t->g, r, t->gv), value) &&
       (!rm || !strcmp(plot_table_str(&t->g, r, t->grm), rm)))
      return (long)r;
  return -1;
}

/* The RMs in order of first appearance (borrowed), *n of them. */
static const char **rms_of(const struct gtabs *t, size_t *n)
{
  const char **rms = xcalloc(t->g.nrows + 1, sizeof(char *));
  *n = 0;
  for(size_t r = 0; r < t->g.nrows; r++) {
    const char *rm = plot_table_str(&t->g, r, t->grm);
    size_t i = 0;
    while(i < *n && strcmp(rms[i], rm))
      i++;
    if(i == *n)
      rms[(*n)++] = rm;
  }
  return rms;
}

/* One row of a key's table: the group ix row r. */
static void group_row(struct buf *b, const struct gtabs *t, size_t r,
                      const char *key, const char *const *rms, size_t nrms)
{
  const char *value = plot_table_str(&t->ix, r, t->iv);
  buf_puts(b, "| ");
  plot_md_cell(b, value);
  if(!strcmp(plot_table_str(&t->ix, r, t->is), "warning"))
    buf_puts(b, " \\*");
  buf_puts(b, " | ");
  plot_md_cell(b, plot_table_str(&t->ix, r, t->ip));
  buf_puts(b, " | ");
  long first = gains_row(t, key, value, NULL);
  plot_fmt_num(b, first < 0 || t->g1 < 0 ? NAN
                  : plot_table_num(&t->g, (size_t)first, t->g1), 3);
  for(size_t k = 0; k < nrms; k++) {
    long g = gains_row(t, key, value, rms[k]);
    buf_puts(b, " | ");
    if(g < 0 || t->gd < 0)
      buf_puts(b, "n/a");
    else
      plot_fmt_ci(b, plot_table_num(&t->g, (size_t)g, t->gd),
                  t->glo < 0 ? NAN : plot_table_num(&t->g, (size_t)g, t->glo),
                  t->ghi < 0 ? NAN : plot_table_num(&t->g, (size_t)g, t->ghi),
                  3);
  }
  buf_puts(b, " |\n");
}

/* The groups of key whose status is `status`, one line each with why. */
static void notes(struct buf *b, const struct gtabs *t, const char *key,
                  const char *status, const char *lead)
{
  for(size_t r = 0; r < t->ix.nrows; r++) {
    if(strcmp(plot_table_str(&t->ix, r, t->ik), key) ||
       strcmp(plot_table_str(&t->ix, r, t->is), status))
      continue;
    buf_printf(b, "- %s", lead);
    plot_md_cell(b, plot_table_str(&t->ix, r, t->iv));
    buf_puts(b, " (");
    plot_md_cell(b, plot_table_str(&t->ix, r, t->ip));
    buf_puts(b, " problems): ");
    plot_md_cell(b, plot_table_str(&t->ix, r, t->iw));
    buf_putc(b, '\n');
  }
}

/* The table of one key (groups.csv rows from r0 on with that key). */
static void key_table(struct buf *b, const struct gtabs *t, const char *key,
                      const char *const *rms, size_t nrms)
{
  buf_puts(b, "### ");
  plot_md_cell(b, key);
  buf_puts(b, "\n\n| value | problems | gold at n = 1 |");
  for(size_t k = 0; k < nrms; k++) {
    buf_putc(b, ' ');
    plot_md_cell(b, rms[k]);
    buf_puts(b, " |");
  }
  buf_puts(b, "\n|---|---|---|");
  for(size_t k = 0; k < nrms; k++)
    buf_puts(b, "---|");
  buf_putc(b, '\n');
  for(size_t r = 0; r < t->ix.nrows; r++)
    if(!strcmp(plot_table_str(&t->ix, r, t->ik), key) &&
       strcmp(plot_table_str(&t->ix, r, t->is), "skipped"))
      group_row(b, t, r, key, rms, nrms);
  buf_putc(b, '\n');
  notes(b, t, key, "warning", "\\* ");
  notes(b, t, key, "skipped", "not analysed: ");
}

static void all_keys(struct buf *b, const struct gtabs *t)
{
  size_t nrms;
  const char **rms = rms_of(t, &nrms);
  for(size_t r = 0; r < t->ix.nrows; r++) {
    const char *key = plot_table_str(&t->ix, r, t->ik);
    size_t q = 0;
    while(q < r && strcmp(plot_table_str(&t->ix, q, t->ik), key))
      q++;
    if(q == r) {  /* the first row of its key */
      key_table(b, t, key, rms, nrms);
      buf_putc(b, '\n');
    }
  }
  free(rms);
}

void plot_groups_section(struct buf *b, const char *run_dir,
                         const char *level)
{
  char *gp = fs_join(run_dir, "analysis/gains_by_group.csv");
  char *ip = fs_join(run_dir, "analysis/groups/groups.csv");
  struct gtabs t;
  memset(&t, 0, sizeof(t));
  struct bon_err err;
  if(!fs_exists(gp) && !fs_exists(ip))
    goto out;
  buf_puts(b, "## Gains by group\n\n");
  int bad = plot_table_read(&t.g, gp, &err) ||
            plot_table_read(&t.ix, ip, &err);
  if(!bad && locate(&t))
    bad = bon_errf(&err, "%s or %s: a column is missing", gp, ip);
  if(bad) {
    buf_puts(b, "- the per-group tables could not be read: ");
    plot_md_cell(b, err.msg);
    buf_puts(b, "\n\n");
    goto out;
  }
  buf_printf(b, "Each group of problems (`analysis.group_by`) analysed on "
             "its own, as the whole run is: the BoN gain gold(n) - gold(1) "
             "at the largest n of the group's grid, [%s bootstrap interval "
             "over the group's problems]. Curves, fits and gains per group: "
             "`analysis/groups/KEY/VALUE/`; all gains: "
             "`analysis/gains_by_group.csv`.\n\n", level);
  all_keys(b, &t);
out:
  plot_table_free(&t.g);
  plot_table_free(&t.ix);
  free(gp);
  free(ip);
}
