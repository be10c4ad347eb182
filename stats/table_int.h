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
  size_t rm_cap;
  double *steps;
  size_t n_steps, steps_cap;
  int has_answer, has_steps, has_kind;
  struct stats_table_counts counts;
  const char *name; /* for messages */
  int memory;       /* messages say "row N" instead of line */
  /* caches of the last lookups: consecutive rows usually repeat */
  long last_problem, last_sample, last_rm, last_cand;
  size_t rows_added;
};

/* Add one row read at line (or row number).  0, or -1 with err on a
 * duplicate triple or an inconsistent gold or answer.  A row whose RM the
 * filter drops is counted and skipped. */
int stats_builder_row(struct stats_builder *b, const struct stats_raw_row *r,
                      size_t line, struct bon_err *err);

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
};

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
/* JSON lines [p, e): one flat object per line. */
int stats_read_jsonl(struct stats_reader *rd, const char *p, const char *e,
                     struct bon_err *err);

#endif
