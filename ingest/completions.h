/* completions.h - completions drawn elsewhere (vLLM offline, another
 * project's outputs, a previous run's samples.jsonl), replayed as the
 * policy's samples by the "file" policy backend.
 *
 * A JSON-lines or JSON-array file of objects (records.h: gzip too), one
 * completion each: the problem id, the text, and optionally the sample
 * index and the seed it was drawn with.  Keys are found among the common
 * names in the first record unless set: the id in "problem_id",
 * "unique_id", "id" or "idx" (a number becomes its digits), the text in
 * "text", "completion", "response" or "output", the sample index in
 * "sample", "sample_index" or "sample_id", the seed in "seed".  A key found
 * (or set) must then be in every record.  A record may also say what a
 * served policy tells besides the text, under the names of a run's
 * samples.jsonl: "reasoning" (a reasoning model's thinking, a string),
 * "finish_reason" (a string) and "completion_tokens" (an integer).  Other
 * keys are ignored, so a run's samples.jsonl replays as it is.
 *
 * The completions of a problem are ranked 0, 1, ... by their sample index,
 * or in file order when the file has none: rank j is what the run uses as
 * sample j of the problem, so gaps in the indices close up. */
#ifndef BON_INGEST_COMPLETIONS_H
#define BON_INGEST_COMPLETIONS_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

struct ingest_completion {
  char *problem_id;   /* never empty */
  char *text;         /* may be empty (a model may stop at once) */
  char *reasoning;     /* NULL: none */
  char *finish_reason; /* NULL: not said */
  long completion_tokens;  /* -1: not said */
  long long sample;   /* the file's sample index; -1 when it has none */
  int has_seed;
  uint64_t seed;      /* the seed the file records (has_seed) */
  size_t line;        /* where the record starts */
  size_t rank;        /* 0-based place among its problem's completions */
};

struct ingest_completions {
  struct ingest_completion *c;  /* [n], by problem id, then rank */
  size_t n;
  size_t nproblems;             /* distinct problem ids */
};

struct ingest_completion_opts {
  const char *id_key;      /* NULL: problem_id, unique_id, id, idx */
  const char *text_key;    /* NULL: text, completion, response, output */
  const char *sample_key;  /* NULL: sample, sample_index, sample_id (none
                              is fine: file order) */
  const char *seed_key;    /* NULL: seed (none is fine) */
};

/* Read the completions of text[0..len) (`name` names the file in
 * messages) into *out (free with ingest_completions_free; zeroed on
 * failure).  o may be NULL (every key by name).  -1 and err naming
 * file:line and the field for a malformed record, a missing or empty id,
 * a text, reasoning or finish reason that is not a string, a sample
 * index, seed or token count that is not an integer from 0 to 2^53, two
 * completions of one problem with the same sample index (both lines
 * named), or a file without completions. */
int ingest_completions_read(const char *text, size_t len, const char *name,
                            const struct ingest_completion_opts *o,
                            struct ingest_completions *out,
                            struct bon_err *err);

/* The completions of one problem: their count (0 when it has none), and
 * in *first the index in s->c of rank 0.  O(log n). */
size_t ingest_completions_find(const struct ingest_completions *s,
                               const char *problem_id, size_t *first);

void ingest_completions_free(struct ingest_completions *s);

#endif
