/* table_int.h - what the files of the scores table share: the string
 * arena, the string interner, the builder's state and the reader's.
 * Internal to stats/: table.h is the interface.
 *
 *   table_build.c   the builder: rows in, organised table out
 *   table_csv.c     CSV / TSV rows into the builder
 *   table_jsonl.c   JSON-lines rows into the builder
 *   table.c         reading a file or buffer (format detection), and the
 *                   finished table's own functions */
#ifndef BON_STATS_TABLE_INT_H
#define BON_STATS_TABLE_INT_H

#include <stddef.h>
#include <stdint.h>

#include "stats/table.h"
#include "util/u64map.h"

/* ---- string arena: chunks that never move ---- */

struct stats_chunk;
struct stats_arena {
  struct stats_chunk *head;
};

/* A NUL-terminated copy of s[0..n) that lives as long as the arena. */
char *stats_arena_dup(struct stats_arena *a, const char *s, size_t n);
void stats_arena_free(struct stats_arena *a);

/* ---- string interner: dense indices in order of first appearance ---- */

struct stats_strtab {
  struct u64map map; /* hash of the string -> index (slot.b) */
  char **str;        /* [n] copies in the arena */
  uint32_t *len;     /* [n] */
  size_t n, cap;
};

/* Index of s[0..n); when absent, -1 if !add, else it is copied into a and
 * given the next index. */
long stats_strtab_find(struct stats_strtab *t, struct stats_arena *a,
                       const char *s, size_t n, int add);
void stats_strtab_free(struct stats_strtab *t);

/* ---- the builder ---- */

/* A field as (pointer, length); p == NULL means absent. */
struct stats_fld {
  const char *p;
  size_t n;
};

/* One parsed row on its way into the builder. */
struct stats_raw_row {
  struct stats_fld problem, sample, rm;
  struct stats_fld answer;  /* p == NULL: no answer field */
  struct stats_fld kind;    /* p == NULL: no kind field */
  double score, gold;       /* score NaN = missing */
  const double *steps;      /* when has_steps */
  size_t n_steps;
  int has_steps;            /* the row has a steps field (maybe empty) */
};

struct stats_rmcol {
  double *score;     /* [cand_cap] */
  uint8_t *present;  /* [cand_cap] */
  size_t *st_off;    /* [cand_cap] steps start, when steps */
  uint32_t *st_n;    /* [cand_cap] */
  unsigned char kind; /* 0: no kind seen yet, else 1 + enum stats_rm_kind */
  size_t kind_line;   /* where it was first given */
};

struct stats_builder {
  struct stats_arena arena;
  struct stats_strtab problems, samples, rms, answers, filter;
  int filtering;
  struct u64map cands;  /* (problem + 1) << 32 | sample -> candidate (b) */
  size_t n_cands, cand_cap;
  uint32_t *c_problem, *c_sample;
  double *c_gold;
  int32_t *c_answer;
  size_t *c_line;
  struct stats_rmcol *rm;
  int32_t *rm_next;     /* [rm_cap] the RM that last followed each, or -1 */
  size_t rm_cap;
  double *steps;
  size_t n_steps, steps_cap;
  int has_answer, has_steps, has_kind;
  struct stats_table_counts counts;
  const char *name; /* for messages */
  int memory;       /* messages say "row N" instead of line */
  int deferred;     /* a chunk's builder: a candidate whose rows are not
                       consecutive becomes two, joined later
                       (stats_builder_join) */
  int threads;      /* for finishing and merging (0 = all cores) */
  /* caches of the last lookups: consecutive rows usually repeat */
  long last_problem, last_sample, last_rm, last_cand;
  size_t rows_added;
};

/* Add one row read at line (or row number).  0, or -1 with err on a
 * duplicate triple or an inconsistent gold or answer.  A row whose RM the
 * filter drops is counted and skipped. */
int stats_builder_row(struct stats_builder *b, const struct stats_raw_row *r,
                      size_t line, struct bon_err *err);

/* Copies of the string pointers of t (into its arena), one per index. */
char **stats_strtab_copy(const struct stats_strtab *t);
/* t's pool counts (min, max, problems with no / every candidate correct)
 * from its cand_off and gold. */
void stats_table_count_pools(struct stats_table *t);

/* "NAME:LINE: what" (or "NAME:row N: what") into err; returns -1. */
int stats_builder_err(const struct stats_builder *b, size_t line,
                      struct bon_err *err, const char *what);

/* ---- the reader: text rows into the builder ---- */

enum stats_role { STATS_R_PROBLEM, STATS_R_SAMPLE, STATS_R_RM, STATS_R_SCORE,
                  STATS_R_CORRECT, STATS_R_ANSWER, STATS_R_STEPS,
                  STATS_R_KIND, STATS_R_COUNT, STATS_R_NONE = -1 };

struct stats_reader {
  struct stats_builder *b;
  const char *names[STATS_R_COUNT];  /* column names of the roles */
  struct stats_fld f[STATS_R_COUNT]; /* the current row's fields */
  /* scratch for unescaped strings, one per role and one (the last) for
   * everything else (header fields, keys, skipped values), reused */
  char *scr[STATS_R_COUNT + 1];
  size_t scr_cap[STATS_R_COUNT + 1];
  double *steps;
  size_t steps_cap;
  /* CSV / TSV: the separator and the role of each header column */
  char sep;
  int nh;
  int *roles;  /* [nh] owned by the reader that read the header */
  int own_roles;
  int no_quotes; /* the rows hold no '"' (CSV): lines are rows */
};

/* A reader of the table called name, with its own builder (rd->b), the
 * column names of o; free with stats_reader_free (not the builder). */
void stats_reader_init(struct stats_reader *rd, const char *name,
                       const struct stats_table_opts *o);
void stats_reader_free(struct stats_reader *rd);

/* Room for n bytes (+ NUL) of role's unescaped text (any other role: the
 * scratch of everything else), valid until the next call for the same
 * role. */
char *stats_reader_scratch(struct stats_reader *rd, int role, size_t n);
/* The role of a column or key name, or STATS_R_NONE. */
int stats_reader_role(const struct stats_reader *rd, const char *s,
                      size_t n);
/* Parse the current row's fields (rd->f) and hand them to the builder. */
int stats_reader_emit(struct stats_reader *rd, size_t line,
                      struct bon_err *err);

/* CSV (sep ',') or TSV (sep '\t') text [p, e), header first. */
int stats_read_delim(struct stats_reader *rd, const char *p, const char *e,
                     char sep, struct bon_err *err);
/* The same in two steps: the header line at *pp (*pp moves past it, *line
 * becomes the line after it; rd->sep, nh and roles are set), then the
 * rows [p, e), the first at line `line`. */
int stats_delim_header(struct stats_reader *rd, const char **pp,
                       const char *e, char sep, size_t *line,
                       struct bon_err *err);
int stats_delim_rows(struct stats_reader *rd, const char *p, const char *e,
                     size_t line, struct bon_err *err);
/* JSON lines [p, e): one flat object per line. */
int stats_read_jsonl(struct stats_reader *rd, const char *p, const char *e,
                     struct bon_err *err);

/* ---- the parallel reader (table_par.c, table_join.c) ---- */

/* The table of the n deferred builders of consecutive chunks, as if their
 * rows had been added to one builder in order, with threads workers; the
 * builders are freed.  NULL when they cannot be joined exactly (rows
 * disagree, ragged pools, no rows, step scores): the caller then reads the
 * input sequentially for the exact message. */
struct stats_table *stats_builder_join(struct stats_builder **b, int n,
                                       int threads);

/* Below this many bytes per worker a single reader is as fast. */
#define STATS_PAR_MIN_CHUNK (1 << 18)

/* Read the table [p, e) (after any byte-order mark) in chunks of at least
 * min_chunk bytes split at line boundaries, one builder per worker, then
 * join the builders.  The
 * table is exactly the one the sequential reader gives.  NULL when the
 * input does not allow it (JSON-lines and CSV alike, except a CSV with
 * quotes, which may span lines; small inputs) or when anything is wrong
 * with it: the caller then reads it sequentially, which gives the table
 * or the exact error message (file and line).  `release`: [p, e) is a
 * read-only file mapping, whose pages are given back (MADV_DONTNEED) as the
 * reader passes them, so a large file does not stay resident. */
struct stats_table *stats_table_parse_par(const char *p, const char *e,
                                          enum stats_format fmt,
                                          const char *name,
                                          const struct stats_table_opts *o,
                                          size_t min_chunk, int release);

/* 1 when a and b are the same table, bit for bit (tests, fuzzing). */
int stats_table_equal(const struct stats_table *a, const struct stats_table *b);

#endif
