/* table_jsonl.c - JSON-lines scores tables into the builder (see table.h
 * for the rules, table_int.h for the reader).  One flat object per line;
 * the keys are the column names, values strings or numbers (null = an
 * empty field), steps also a JSON array of numbers; other keys may hold
 * any JSON value and are skipped. */
#include "stats/table_int.h"

#include <stdio.h>
#include <string.h>

static const char *json_ws(const char *p, const char *e)
{
  while(p < e && (*p == ' ' || *p == '\t' || *p == '\r'))
    p++;
  return p;
}

static int hexval(char c)
{
  if(c >= '0' && c <= '9')
    return c - '0';
  if(c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if(c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* Code point cp as UTF-8 into d; returns the bytes written.  Surrogate
 * pairs are kept as two 3-byte sequences: answers are compared as
 * strings, so this is consistent. */
static size_t put_utf8(char *d, unsigned cp)
{
  if(cp < 0x80) {
    d[0] = (char)cp;
    return 1;
  }
  if(cp < 0x800) {
    d[0] = (char)(0xc0 | cp >> 6);
    d[1] = (char)(0x80 | (cp & 63));
    return 2;
  }
  d[0] = (char)(0xe0 | cp >> 12);
  d[1] = (char)(0x80 | ((cp >> 6) & 63));
  d[2] = (char)(0x80 | (cp & 63));
  return 3;
}

/* Unescape the string body (p, q) (p on the opening quote, q on the
 * closing one) into d; returns its length, or -1 for a bad \u escape. */
static long unescape(const char *p, const char *q, char *d)
{
  size_t k = 0;
  for(const char *s = p + 1; s < q; s++) {
    if(*s != '\\') {
      d[k++] = *s;
      continue;
    }
    s++;
    switch(*s) {
    case 'n': d[k++] = '\n'; break;
    case 't': d[k++] = '\t'; break;
    case 'r': d[k++] = '\r'; break;
    case 'b': d[k++] = '\b'; break;
    case 'f': d[k++] = '\f'; break;
    case 'u': {
      if(q - s < 5)
        return -1;
      unsigned cp = 0;
      for(int i = 1; i <= 4; i++) {
        int h = hexval(s[i]);
        if(h < 0)
          return -1;
        cp = cp * 16 + (unsigned)h;
      }
      s += 4;
      k += put_utf8(d + k, cp);
      break;
    }
    default: d[k++] = *s; break;
    }
  }
  return (long)k;
}

/* A JSON string at p (on the opening quote), unescaped into role's
 * scratch when needed.  Returns the position after the closing quote,
 * NULL if bad. */
static const char *json_str(struct stats_reader *rd, const char *p,
                            const char *e, int role, struct stats_fld *out)
{
  const char *q = p + 1;
  int esc = 0;
  while(q < e && *q != '"' && *q != '\n') {
    if(*q == '\\') {
      esc = 1;
      q++;
    }
    q++;
  }
  if(q >= e || *q != '"')
    return NULL;
  if(!esc) {
    out->p = p + 1;
    out->n = (size_t)(q - p - 1);
    return q + 1;
  }
  char *d = stats_reader_scratch(rd, role, (size_t)(q - p));
  long k = unescape(p, q, d);
  if(k < 0)
    return NULL;
  out->p = d;
  out->n = (size_t)k;
  return q + 1;
}

/* Skip any JSON value (for keys we do not use); NULL if malformed. */
static const char *json_skip(struct stats_reader *rd, const char *p,
                             const char *e)
{
  int depth = 0;
  p = json_ws(p, e);
  do {
    if(p >= e || *p == '\n')
      return NULL;
    if(*p == '"') {
      struct stats_fld f;
      p = json_str(rd, p, e, STATS_R_NONE, &f);
      if(!p)
        return NULL;
    }
    else if(*p == '{' || *p == '[') {
      depth++;
      p++;
    }
    else if(*p == '}' || *p == ']') {
      if(!depth)
        return NULL;
      depth--;
      p++;
    }
    else if(depth && (*p == ',' || *p == ':' || *p == ' ' || *p == '\t'))
      p++;
    else {
      const char *s = p;
      while(p < e && *p != ',' && *p != '}' && *p != ']' && *p != '\n' &&
            *p != ' ')
        p++;
      if(p == s)
        return NULL;
    }
  } while(depth);
  return p;
}

/* The value of a key of role (not STATS_R_NONE) at q into rd->f[role]:
 * a string, a steps array, or a scalar (null = empty).  Returns the
 * position after it, or NULL with *why set ("" for a value of the wrong
 * kind). */
static const char *json_value(struct stats_reader *rd, const char *q,
                              const char *eol, int role, const char **why)
{
  struct stats_fld *f = &rd->f[role];
  const char *s = q;
  if(*q == '"') {
    if(!(q = json_str(rd, q, eol, role, f)))
      *why = "malformed JSON string";
    return q;
  }
  if(*q == '[' && role == STATS_R_STEPS) {
    while(q < eol && *q != ']')
      q++;
    if(q >= eol) {
      *why = "unterminated steps array";
      return NULL;
    }
    f->p = s;
    f->n = (size_t)(q + 1 - s);
    return q + 1;
  }
  while(q < eol && *q != ',' && *q != '}' && *q != ' ' && *q != '\t')
    q++;
  if(q == s || *s == '{' || *s == '[') {
    *why = "";
    return NULL;
  }
  f->p = s;
  f->n = q - s == 4 && !memcmp(s, "null", 4) ? 0 : (size_t)(q - s);
  return q;
}

/* The members of the object whose '{' is at q (line [q, eol)), into
 * rd->f.  Returns the position after the '}', or NULL with err. */
static const char *json_members(struct stats_reader *rd, const char *q,
                                const char *eol, size_t line,
                                struct bon_err *err)
{
  q = json_ws(q + 1, eol);
  if(q < eol && *q == '}')
    return q + 1;
  for(;;) {
    struct stats_fld key;
    const char *why = NULL;
    if(q >= eol || *q != '"' ||
       !(q = json_str(rd, q, eol, STATS_R_NONE, &key)))
      why = "malformed JSON: expected a key string";
    int role = why ? STATS_R_NONE : stats_reader_role(rd, key.p, key.n);
    if(!why && ((q = json_ws(q, eol)) >= eol || *q != ':'))
      why = "malformed JSON: expected ':'";
    if(!why && (q = json_ws(q + 1, eol)) >= eol)
      why = "malformed JSON: no value";
    if(!why && role == STATS_R_NONE && !(q = json_skip(rd, q, eol)))
      why = "malformed JSON value";
    if(!why && role != STATS_R_NONE && !(q = json_value(rd, q, eol, role,
                                                        &why))) {
      char msg[160];
      if(!*why)
        snprintf(msg, sizeof(msg), "key '%s' must hold a string or a "
                 "number", rd->names[role]);
      stats_builder_err(rd->b, line, err, *why ? why : msg);
      return NULL;
    }
    if(why) {
      stats_builder_err(rd->b, line, err, why);
      return NULL;
    }
    q = json_ws(q, eol);
    if(q < eol && *q == ',') {
      q = json_ws(q + 1, eol);
      continue;
    }
    if(q < eol && *q == '}')
      return q + 1;
    stats_builder_err(rd->b, line, err, "malformed JSON: expected ',' or "
                      "'}'");
    return NULL;
  }
}

int stats_read_jsonl(struct stats_reader *rd, const char *p, const char *e,
                     struct bon_err *err)
{
  size_t line = 0;
  while(p < e) {
    line++;
    const char *eol = memchr(p, '\n', (size_t)(e - p));
    if(!eol)
      eol = e;
    const char *q = json_ws(p, eol);
    p = eol < e ? eol + 1 : e;
    if(q == eol)
      continue;
    for(int r = 0; r < STATS_R_COUNT; r++)
      rd->f[r].p = NULL;
    if(*q != '{')
      return stats_builder_err(rd->b, line, err, "expected a JSON object");
    if(!(q = json_members(rd, q, eol, line, err)))
      return -1;
    if(json_ws(q, eol) != eol)
      return stats_builder_err(rd->b, line, err, "text after the JSON "
                               "object");
    if(stats_reader_emit(rd, line, err) < 0)
      return -1;
  }
  return 0;
}
