/* table_csv.c - CSV and TSV scores tables into the builder (see table.h
 * for the rules, table_int.h for the reader).  RFC 4180 quoting in CSV
 * (a quoted field may span lines; "" is a quote); TSV fields are taken as
 * they are. */
#include "stats/table_int.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The rest of a quoted field whose opening quote is at p: its text
 * (unescaped into scratch when it holds ""), *pp left after it, on the
 * separator, newline or end.  *bad: 1 unterminated, 2 text after the
 * closing quote. */
static struct stats_fld quoted(struct stats_reader *rd, const char **pp,
                               const char *e, char sep, int role,
                               size_t *line, int *bad)
{
  const char *p = *pp, *q = p + 1;
  struct stats_fld f = {p, 0};
  size_t n = 0;
  int esc = 0;
  for(;; q++, n++) {
    if(q >= e) {
      *bad = 1;
      *pp = e;
      return f;
    }
    if(*q == '"') {
      if(q + 1 < e && q[1] == '"') {
        esc = 1;
        q++;
        continue;
      }
      break;
    }
    if(*q == '\n')
      (*line)++;
  }
  f.p = p + 1;
  f.n = n;
  if(esc) {
    char *d = stats_reader_scratch(rd, role, n);
    size_t k = 0;
    for(const char *s = p + 1; s < q; s++) {
      d[k++] = *s;
      if(*s == '"')
        s++;
    }
    f.p = d;
    f.n = k;
  }
  q++; /* closing quote */
  if(q < e && *q != sep && *q != '\n' && *q != '\r')
    *bad = 2;
  while(q < e && *q != sep && *q != '\n')
    q++;
  *pp = q;
  return f;
}

#define ONES 0x0101010101010101ULL

/* The lanes of x equal to the byte in every lane of c, as the high bit of
 * each lane.  A lane of x ^ c is zero where they are equal; the lowest
 * zero lane found by the borrow trick is exact (lanes above it may not
 * be, so only the lowest set bit is used). */
static uint64_t lanes(uint64_t x, uint64_t c)
{
  uint64_t a = x ^ c;
  return (a - ONES) & ~a & ONES << 7;
}

/* The first separator, newline or (q) other stop byte in [p, e), or e:
 * eight bytes at a time. */
static const char *scan(const char *p, const char *e, char sep, char q)
{
  const uint64_t s = ONES * (unsigned char)sep, nl = ONES * '\n';
  const uint64_t qq = ONES * (unsigned char)q;
  for(; e - p >= 8; p += 8) {
    uint64_t x;
    memcpy(&x, p, 8);
    uint64_t m = lanes(x, s) | lanes(x, nl) | lanes(x, qq);
    if(m)
      return p + (__builtin_ctzll(m) >> 3);
  }
  while(p < e && *p != sep && *p != '\n' && *p != q)
    p++;
  return p;
}

/* One field starting at *pp: its (unescaped) text; *pp is left on the
 * separator, newline or end. */
static struct stats_fld field(struct stats_reader *rd, const char **pp,
                              const char *e, char sep, int role,
                              size_t *line, int *bad)
{
  const char *p = *pp;
  if(sep == ',' && p < e && *p == '"')
    return quoted(rd, pp, e, sep, role, line, bad);
  struct stats_fld f = {p, 0};
  p = scan(p, e, sep, sep);
  f.n = (size_t)(p - f.p);
  if(f.n && f.p[f.n - 1] == '\r')
    f.n--;
  *pp = p;
  return f;
}

/* The role of every header field; a column named twice or a required one
 * absent is an error. */
static int map_header(struct stats_reader *rd, const struct stats_fld *h,
                      int nh, int *roles, struct bon_err *err)
{
  char msg[512];
  for(int i = 0; i < nh; i++) {
    roles[i] = stats_reader_role(rd, h[i].p, h[i].n);
    for(int j = 0; j < i && roles[i] != STATS_R_NONE; j++)
      if(roles[j] == roles[i]) {
        snprintf(msg, sizeof(msg), "column '%s' appears twice in the "
                 "header", rd->names[roles[i]]);
        return stats_builder_err(rd->b, 1, err, msg);
      }
  }
  for(int r = 0; r <= STATS_R_CORRECT; r++) {
    int found = 0;
    for(int i = 0; i < nh; i++)
      found |= roles[i] == r;
    if(found)
      continue;
    int k = snprintf(msg, sizeof(msg), "missing column '%s' in the header "
                     "(it has:", rd->names[r]);
    for(int i = 0; i < nh && k > 0 && (size_t)k < sizeof(msg); i++)
      k += snprintf(msg + k, sizeof(msg) - (size_t)k, "%s '%.*s'",
                    i ? "," : "", (int)(h[i].n > 40 ? 40 : h[i].n), h[i].p);
    if(k > 0 && (size_t)k < sizeof(msg) - 1)
      snprintf(msg + k, sizeof(msg) - (size_t)k, ")");
    return stats_builder_err(rd->b, 1, err, msg);
  }
  return 0;
}

/* The header line at *pp: its fields copied to the arena into *h (*nh of
 * them); *pp after its newline, *line the line after it.  0 or -1 with
 * err. */
static int read_header(struct stats_reader *rd, const char **pp,
                       const char *e, char sep, struct stats_fld **h,
                       int *nh, size_t *line, struct bon_err *err)
{
  int cap = 0, bad = 0;
  const char *p = *pp;
  for(;;) {
    if(*nh == cap) {
      cap = cap ? cap * 2 : 16;
      *h = xrealloc(*h, (size_t)cap * sizeof(**h));
    }
    struct stats_fld f = field(rd, &p, e, sep, STATS_R_NONE, line, &bad);
    if(bad)
      return stats_builder_err(rd->b, 1, err, "unterminated or malformed "
                               "quoted field in the header");
    (*h)[*nh].p = stats_arena_dup(&rd->b->arena, f.p, f.n);
    (*h)[*nh].n = f.n;
    (*nh)++;
    if(p >= e || *p == '\n')
      break;
    p++;
  }
  *pp = p < e ? p + 1 : p;
  (*line)++;
  if(*nh == 1 && (*h)[0].n == 0)
    return stats_builder_err(rd->b, 1, err, "empty header line");
  return 0;
}

/* The lanes of x that are zero, as the high bit of each lane, exactly
 * (no carry crosses a lane). */
static uint64_t zero_lanes(uint64_t x)
{
  const uint64_t low7 = ONES * 0x7f;
  return ~(((x & low7) + low7) | x | low7);
}

/* Field i of the row [fs, x) into rd->f; 1 when x ends the row. */
static int plain_field(struct stats_reader *rd, int i, const char *fs,
                       const char *x)
{
  if(i < rd->nh && rd->roles[i] >= 0) {
    size_t n = (size_t)(x - fs);
    rd->f[rd->roles[i]] = (struct stats_fld){fs, n && fs[n - 1] == '\r'
                                                     ? n - 1 : n};
  }
  return *x == '\n';
}

/* The fields of a row with no quote in it (the usual row), in one scan
 * of its line (the stop bytes of eight bytes at a time), into rd->f: the
 * number of fields, with *pp past the line; or 0 for a line with a quote
 * (CSV), left for field by field. */
static int plain_row(struct stats_reader *rd, const char **pp, const char *e)
{
  const char *p = *pp, *fs = p;
  char sep = rd->sep, q = sep == ',' && !rd->no_quotes ? '"' : sep;
  const uint64_t cs = ONES * (unsigned char)sep, cn = ONES * '\n';
  const uint64_t cq = ONES * (unsigned char)q;
  int i = 0, quotes = q != sep;
  for(; e - p >= 8; p += 8) {
    uint64_t x;
    memcpy(&x, p, 8);
    uint64_t m0 = zero_lanes(x ^ cs) | zero_lanes(x ^ cn);
    for(uint64_t m = quotes ? m0 | zero_lanes(x ^ cq) : m0; m; m &= m - 1) {
      const char *at = p + (__builtin_ctzll(m) >> 3);
      if(*at == '"')
        return 0;
      if(plain_field(rd, i++, fs, at)) {
        *pp = at + 1;
        return i;
      }
      fs = at + 1;
    }
  }
  for(; p < e; p++) { /* the last bytes of the input */
    if(*p == '"' && q == '"')
      return 0;
    if(*p != sep && *p != '\n')
      continue;
    if(plain_field(rd, i++, fs, p)) {
      *pp = p + 1;
      return i;
    }
    fs = p + 1;
  }
  if(i < rd->nh && rd->roles[i] >= 0) /* the last field, up to the end */
    rd->f[rd->roles[i]] = (struct stats_fld){fs, (size_t)(e - fs) &&
                                                   e[-1] == '\r'
                                                 ? (size_t)(e - fs) - 1
                                                 : (size_t)(e - fs)};
  *pp = e;
  return i + 1;
}

static int count_err(struct stats_reader *rd, size_t line, int nh, int nf,
                     struct bon_err *err)
{
  char msg[128];
  snprintf(msg, sizeof(msg), "expected %d fields as in the header, found "
           "%d", nh, nf);
  return stats_builder_err(rd->b, line, err, msg);
}

static int read_row(struct stats_reader *rd, const char **pp, const char *e,
                    char sep, const int *roles, int nh, size_t *line,
                    struct bon_err *err)
{
  size_t start = *line;
  const char *p = *pp;
  int i = 0, bad = 0;
  for(int r = 0; r < STATS_R_COUNT; r++)
    rd->f[r].p = NULL;
  int nf = plain_row(rd, pp, e);
  if(nf) {
    (*line)++;
    return nf != nh ? count_err(rd, start, nh, nf, err)
                    : stats_reader_emit(rd, start, err);
  }
  for(;; i++) {
    int role = i < nh ? roles[i] : STATS_R_NONE;
    struct stats_fld f = field(rd, &p, e, sep, role, line, &bad);
    if(bad)
      return stats_builder_err(rd->b, start, err, bad == 1 ?
                               "unterminated quoted field" :
                               "text after the closing quote of a field");
    if(role >= 0)
      rd->f[role] = f;
    if(p >= e || *p == '\n')
      break;
    p++;
  }
  *pp = p < e ? p + 1 : p;
  (*line)++;
  if(i + 1 != nh)
    return count_err(rd, start, nh, i + 1, err);
  return stats_reader_emit(rd, start, err);
}

int stats_delim_header(struct stats_reader *rd, const char **pp,
                       const char *e, char sep, size_t *line,
                       struct bon_err *err)
{
  struct stats_fld *h = NULL;
  int nh = 0;
  rd->sep = sep;
  *line = 1;
  int rc = read_header(rd, pp, e, sep, &h, &nh, line, err);
  if(!rc) {
    rd->nh = nh;
    rd->roles = xmalloc((size_t)nh * sizeof(int));
    rd->own_roles = 1;
    rc = map_header(rd, h, nh, rd->roles, err);
  }
  free(h);
  return rc;
}

int stats_delim_rows(struct stats_reader *rd, const char *p, const char *e,
                     size_t line, struct bon_err *err)
{
  rd->no_quotes = rd->sep != ',' || !memchr(p, '"', (size_t)(e - p));
  while(p < e) {
    if(*p == '\n' || (*p == '\r' && p + 1 < e && p[1] == '\n')) {
      p += *p == '\r' ? 2 : 1;
      line++;
      continue;
    }
    if(read_row(rd, &p, e, rd->sep, rd->roles, rd->nh, &line, err) < 0)
      return -1;
  }
  return 0;
}

int stats_read_delim(struct stats_reader *rd, const char *p, const char *e,
                     char sep, struct bon_err *err)
{
  size_t line;
  if(stats_delim_header(rd, &p, e, sep, &line, err) < 0)
    return -1;
  return stats_delim_rows(rd, p, e, line, err);
}
