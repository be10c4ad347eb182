/* cfg.h - schema checks for the JSON config file.
 *
 * A part describes the keys of its config section with a table of
 * cfg_field; cfg_check() then rejects unknown keys (with a did-you-mean
 * hint), wrong types, out-of-range numbers and unlisted choices, names the
 * file and the key path in every error, and fills defaults in place so the
 * checked object is the resolved config that the run writes out. */
#ifndef BON_CFG_H
#define BON_CFG_H

#include <cjson/cJSON.h>

#include "util/err.h"

enum cfg_type {
  CFG_STRING,
  CFG_INT,    /* a JSON number with no fractional part */
  CFG_NUMBER,
  CFG_BOOL,
  CFG_OBJECT,
  CFG_ARRAY,
  CFG_ANY     /* checked by the caller */
};

struct cfg_field {
  const char *key;
  enum cfg_type type;
  int required;
  const char *def;             /* default as JSON text; NULL: none */
  double min, max;             /* numeric range, used when min < max */
  const char *const *choices;  /* NULL-terminated allowed strings, or NULL */
  const char *help;            /* what is expected, for messages and docs */
};

/* Check obj (a JSON object) against fields[] (terminated by a NULL key).
 * `file` and `path` ("policy", "proxies[2]") name it in messages.  Fills
 * absent keys that have a default.  Returns 0, or -1 with err set. */
int cfg_check(cJSON *obj, const struct cfg_field *fields, const char *file,
              const char *path, struct bon_err *err);

/* Typed reads after cfg_check (the key is known to have the type). */
const char *cfg_str(const cJSON *obj, const char *key); /* NULL if absent */
double cfg_num(const cJSON *obj, const char *key, double def);
long long cfg_int(const cJSON *obj, const char *key, long long def);
int cfg_bool(const cJSON *obj, const char *key, int def);

/* Parse JSON text from `file`; on a syntax error the message gives the
 * line and column.  Caller deletes the result. */
cJSON *cfg_parse(const char *text, const char *file, struct bon_err *err);

/* Read the section's "backend" (absent: "sim", written back so the
 * resolved config shows it) and find it in table: n pointers to backend
 * structs whose first member is their `const char *name`.  Returns the
 * index, or -1 with err naming file, path.backend and the allowed names. */
int cfg_backend(cJSON *section, const char *file, const char *path,
                const void *const *table, size_t n, struct bon_err *err);

/* Name of a JSON value's type for messages ("a string", "a number"...). */
const char *cfg_type_name(const cJSON *v);

#endif
