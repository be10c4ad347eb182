#include "util/cfg.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

const char *cfg_type_name(const cJSON *v)
{
  if(!v)
    return "nothing";
  if(cJSON_IsString(v))
    return "a string";
  if(cJSON_IsNumber(v))
    return "a number";
  if(cJSON_IsBool(v))
    return "a boolean";
  if(cJSON_IsNull(v))
    return "null";
  if(cJSON_IsArray(v))
    return "an array";
  if(cJSON_IsObject(v))
    return "an object";
  return "an invalid value";
}

static const char *want_name(enum cfg_type t)
{
  switch(t) {
  case CFG_STRING: return "a string";
  case CFG_INT: return "an integer";
  case CFG_NUMBER: return "a number";
  case CFG_BOOL: return "true or false";
  case CFG_OBJECT: return "an object";
  case CFG_ARRAY: return "an array";
  default: return "a value";
  }
}

/* Levenshtein distance, capped, for did-you-mean hints. */
static int edit_distance(const char *a, const char *b)
{
  size_t n = strlen(a), m = strlen(b);
  if(n > 63 || m > 63)
    return 99;
  int d[64][64];
  for(size_t i = 0; i <= n; i++)
    d[i][0] = (int)i;
  for(size_t j = 0; j <= m; j++)
    d[0][j] = (int)j;
  for(size_t i = 1; i <= n; i++)
    for(size_t j = 1; j <= m; j++) {
      int c = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
      if(d[i - 1][j] + 1 < c)
        c = d[i - 1][j] + 1;
      if(d[i][j - 1] + 1 < c)
        c = d[i][j - 1] + 1;
      d[i][j] = c;
    }
  return d[n][m];
}

static void key_path(char *out, size_t len, const char *path, const char *key)
{
  if(path && *path)
    snprintf(out, len, "%s.%s", path, key);
  else
    snprintf(out, len, "%s", key);
}

static int check_value(const cJSON *v, const struct cfg_field *f,
                       const char *file, const char *kp, struct bon_err *err)
{
  int ok = 1;
  switch(f->type) {
  case CFG_STRING: ok = cJSON_IsString(v); break;
  case CFG_INT:
    ok = cJSON_IsNumber(v) && v->valuedouble == floor(v->valuedouble) &&
         fabs(v->valuedouble) < 9e15;
    break;
  case CFG_NUMBER: ok = cJSON_IsNumber(v) && isfinite(v->valuedouble); break;
  case CFG_BOOL: ok = cJSON_IsBool(v); break;
  case CFG_OBJECT: ok = cJSON_IsObject(v); break;
  case CFG_ARRAY: ok = cJSON_IsArray(v); break;
  case CFG_ANY: break;
  }
  if(!ok)
    return bon_errf(err, "%s: %s: expected %s (%s), got %s", file, kp,
                    want_name(f->type),
                    f->help ? f->help : "see configs/README.md",
                    cfg_type_name(v));
  if((f->type == CFG_INT || f->type == CFG_NUMBER) && f->min < f->max &&
     (v->valuedouble < f->min || v->valuedouble > f->max))
    /* %.15g: 1000001 is not "1e+06", 0.999 stays 0.999 */
    return bon_errf(err, "%s: %s: %.15g is out of range: expected %.15g to "
                    "%.15g (%s)",
                    file, kp, v->valuedouble, f->min, f->max,
                    f->help ? f->help : "");
  if(f->type == CFG_STRING && f->choices) {
    for(const char *const *c = f->choices; *c; c++)
      if(!strcmp(*c, v->valuestring))
        return 0;
    char list[512] = "";
    for(const char *const *c = f->choices; *c; c++) {
      if(list[0])
        strncat(list, ", ", sizeof(list) - strlen(list) - 1);
      strncat(list, *c, sizeof(list) - strlen(list) - 1);
    }
    return bon_errf(err, "%s: %s: unknown value \"%s\": expected one of %s",
                    file, kp, v->valuestring, list);
  }
  return 0;
}

int cfg_check(cJSON *obj, const struct cfg_field *fields, const char *file,
              const char *path, struct bon_err *err)
{
  char kp[512];
  if(!cJSON_IsObject(obj))
    return bon_errf(err, "%s: %s: expected an object, got %s", file,
                    path && *path ? path : "(top level)", cfg_type_name(obj));
  /* unknown keys first: a typo is the likeliest mistake */
  for(cJSON *it = obj->child; it; it = it->next) {
    const struct cfg_field *f = fields;
    for(; f->key; f++)
      if(!strcmp(f->key, it->string))
        break;
    if(f->key)
      continue;
    const char *best = NULL;
    int bestd = 3;
    for(f = fields; f->key; f++) {
      int d = edit_distance(it->string, f->key);
      if(d < bestd) {
        bestd = d;
        best = f->key;
      }
    }
    key_path(kp, sizeof(kp), path, it->string);
    if(best)
      return bon_errf(err, "%s: %s: unknown key (did you mean \"%s\"?)", file,
                      kp, best);
    char list[512] = "";
    for(f = fields; f->key; f++) {
      if(list[0])
        strncat(list, ", ", sizeof(list) - strlen(list) - 1);
      strncat(list, f->key, sizeof(list) - strlen(list) - 1);
    }
    return bon_errf(err, "%s: %s: unknown key; allowed keys here: %s", file,
                    kp, list);
  }
  for(const struct cfg_field *f = fields; f->key; f++) {
    cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, f->key);
    key_path(kp, sizeof(kp), path, f->key);
    if(!v) {
      if(f->required)
        return bon_errf(err, "%s: %s: missing required key (%s)", file, kp,
                        f->help ? f->help : want_name(f->type));
      if(f->def) {
        cJSON *d = cJSON_Parse(f->def);
        if(!d)
          return bon_errf(err, "internal: bad default for %s", kp);
        cJSON_AddItemToObject(obj, f->key, d);
      }
      continue;
    }
    if(check_value(v, f, file, kp, err))
      return -1;
  }
  return 0;
}

const char *cfg_str(const cJSON *obj, const char *key)
{
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
  return cJSON_IsString(v) ? v->valuestring : NULL;
}

double cfg_num(const cJSON *obj, const char *key, double def)
{
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
  return cJSON_IsNumber(v) ? v->valuedouble : def;
}

long long cfg_int(const cJSON *obj, const char *key, long long def)
{
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
  return cJSON_IsNumber(v) ? (long long)v->valuedouble : def;
}

int cfg_bool(const cJSON *obj, const char *key, int def)
{
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
  return cJSON_IsBool(v) ? cJSON_IsTrue(v) : def;
}

int cfg_backend(cJSON *section, const char *file, const char *path,
                const void *const *table, size_t n, struct bon_err *err)
{
  const char *name = cfg_str(section, "backend");
  if(!name) {
    if(cJSON_GetObjectItemCaseSensitive(section, "backend"))
      return bon_errf(err, "%s: %s.backend: expected a string", file, path);
    cJSON_AddStringToObject(section, "backend", "sim");
    name = "sim";
  }
  char list[256] = "";
  for(size_t i = 0; i < n; i++) {
    /* a struct's address is the address of its first member, the name */
    const char *bn = *(const char *const *)table[i];
    if(!strcmp(bn, name))
      return (int)i;
    if(list[0])
      strncat(list, ", ", sizeof(list) - strlen(list) - 1);
    strncat(list, bn, sizeof(list) - strlen(list) - 1);
  }
  return bon_errf(err, "%s: %s.backend: unknown backend \"%s\": expected "
                       "one of %s", file, path, name, list);
}

cJSON *cfg_parse(const char *text, const char *file, struct bon_err *err)
{
  const char *end = NULL;
  cJSON *j = cJSON_ParseWithOpts(text, &end, 1);
  if(j)
    return j;
  int line = 1, col = 1;
  if(end)
    for(const char *p = text; p < end && *p; p++) {
      if(*p == '\n') {
        line++;
        col = 1;
      }
      else
        col++;
    }
  bon_errf(err, "%s:%d:%d: invalid JSON near here (check for a missing comma, "
                "quote or brace)", file, line, col);
  return NULL;
}
