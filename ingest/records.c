/* records.c - JSON lines and JSON arrays, plain or gzip (records.h). */
#include "ingest/records.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "util/fsutil.h"

#define MAX_TEXT ((size_t)4 << 30)

/* Inflate gzip data (one member or several concatenated) into a fresh
 * NUL-terminated buffer.  NULL and err for corrupt, truncated or
 * oversized data. */
static char *gunzip(const char *path, const unsigned char *in, size_t n,
                    size_t *len, struct bon_err *err)
{
  if(n > (1u << 31)) {
    bon_errf(err, "%s: a compressed file over 2 GiB is not supported",
             path);
    return NULL;
  }
  z_stream z;
  memset(&z, 0, sizeof(z));
  if(inflateInit2(&z, 15 + 16) != Z_OK) {
    bon_errf(err, "%s: cannot start gzip decoding", path);
    return NULL;
  }
  z.next_in = (unsigned char *)in;
  z.avail_in = (uInt)n;
  size_t cap = n * 4 + 1024, have = 0;
  char *out = xmalloc(cap);
  int rc;
  for(;;) {
    if(cap - have < 2) {
      if(cap >= MAX_TEXT) {
        rc = Z_MEM_ERROR;
        break;
      }
      cap *= 2;
      out = xrealloc(out, cap);
    }
    size_t room = cap - have - 1;
    z.next_out = (unsigned char *)out + have;
    z.avail_out = (uInt)(room > (1u << 30) ? (1u << 30) : room);
    rc = inflate(&z, Z_NO_FLUSH);
    have = (size_t)((char *)z.next_out - out);
    if(rc == Z_STREAM_END) {
      if(!z.avail_in)
        break;
      if(inflateReset(&z) != Z_OK) {  /* another member follows */
        rc = Z_DATA_ERROR;
        break;
      }
      continue;
    }
    if(rc == Z_BUF_ERROR && z.avail_out)
      break;  /* no more input, stream not ended: truncated */
    if(rc != Z_OK && rc != Z_BUF_ERROR)
      break;
  }
  inflateEnd(&z);
  if(rc != Z_STREAM_END) {
    free(out);
    bon_errf(err, "%s: %s", path, rc == Z_MEM_ERROR ?
             "decompresses to more than 4 GiB" :
             "corrupt or truncated gzip data");
    return NULL;
  }
  out[have] = '\0';
  *len = have;
  return out;
}

char *ingest_read(const char *path, size_t *len, struct bon_err *err)
{
  size_t n;
  char *raw = fs_read_file(path, &n, err);
  if(!raw)
    return NULL;
  if(n >= 2 && (unsigned char)raw[0] == 0x1f &&
     (unsigned char)raw[1] == 0x8b) {
    char *text = gunzip(path, (const unsigned char *)raw, n, len, err);
    free(raw);
    return text;
  }
  *len = n;
  return raw;
}

static size_t count_lines(const char *from, const char *to)
{
  size_t n = 0;
  for(; from < to; from++)
    n += *from == '\n';
  return n;
}

static const char *skip_ws(const char *p, const char *end)
{
  while(p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
    p++;
  return p;
}

/* The elements of a JSON array, one cJSON parse each, so every record
 * knows the line it starts on. */
static int walk_array(const char *p, const char *end, const char *name,
                      ingest_record_fn fn, void *ctx, struct bon_err *err)
{
  const char *start = p;
  size_t line = 1, index = 0;
  const char *counted = start;
  p = skip_ws(p + 1, end);  /* past '[' */
  if(p < end && *p == ']')
    goto tail;
  for(;;) {
    line += count_lines(counted, p);
    counted = p;
    const char *stop = NULL;
    cJSON *v = cJSON_ParseWithLengthOpts(p, (size_t)(end - p), &stop, 0);
    if(!v)
      return bon_errf(err, "%s:%zu: record %zu is not valid JSON", name,
                      line, index + 1);
    if(!cJSON_IsObject(v)) {
      cJSON_Delete(v);
      return bon_errf(err, "%s:%zu: record %zu is not a JSON object", name,
                      line, index + 1);
    }
    int rc = fn(ctx, v, line, index, err);
    cJSON_Delete(v);
    if(rc)
      return rc < 0 ? -1 : 0;
    index++;
    p = skip_ws(stop, end);
    if(p < end && *p == ',') {
      p = skip_ws(p + 1, end);
      continue;
    }
    if(p < end && *p == ']')
      break;
    line += count_lines(counted, p);
    return bon_errf(err, "%s:%zu: expected ',' or ']' after record %zu",
                    name, line, index);
  }
tail:
  p = skip_ws(p + 1, end);
  if(p < end) {
    line += count_lines(counted, p);
    return bon_errf(err, "%s:%zu: text after the closing ']'", name, line);
  }
  return 0;
}

static int walk_lines(const char *p, const char *end, const char *name,
                      ingest_record_fn fn, void *ctx, struct bon_err *err)
{
  size_t line = 0, index = 0;
  while(p < end) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    const char *e = nl ? nl : end;
    line++;
    const char *s = skip_ws(p, e);
    if(s < e) {
      cJSON *v = cJSON_ParseWithLength(s, (size_t)(e - s));
      if(!v)
        return bon_errf(err, "%s:%zu: not valid JSON (each line is one "
                             "record)", name, line);
      if(!cJSON_IsObject(v)) {
        cJSON_Delete(v);
        return bon_errf(err, "%s:%zu: not a JSON object (each line is one "
                             "record)", name, line);
      }
      int rc = fn(ctx, v, line, index++, err);
      cJSON_Delete(v);
      if(rc)
        return rc < 0 ? -1 : 0;
    }
    p = nl ? nl + 1 : end;
  }
  return 0;
}

int ingest_records(const char *text, size_t len, const char *name,
                   ingest_record_fn fn, void *ctx, struct bon_err *err)
{
  const char *p = text, *end = text + len;
  if(len >= 3 && !memcmp(p, "\xef\xbb\xbf", 3))
    p += 3;
  const char *first = skip_ws(p, end);
  if(first < end && *first == '[')
    return walk_array(first, end, name, fn, ctx, err);
  return walk_lines(p, end, name, fn, ctx, err);
}

const char *ingest_find_key(const cJSON *rec, const char *const *names)
{
  for(int i = 0; names[i]; i++)
    if(cJSON_GetObjectItemCaseSensitive(rec, names[i]))
      return names[i];
  return NULL;
}

const cJSON *ingest_path(const cJSON *rec, const char *path)
{
  const cJSON *v = rec;
  const char *p = path;
  char key[256];
  while(v) {
    const char *dot = strchr(p, '.');
    size_t n = dot ? (size_t)(dot - p) : strlen(p);
    if(!cJSON_IsObject(v) || n >= sizeof(key))
      return NULL;
    memcpy(key, p, n);
    key[n] = '\0';
    v = cJSON_GetObjectItemCaseSensitive(v, key);
    if(!dot)
      return v;
    p = dot + 1;
  }
  return NULL;
}

int ingest_id(const cJSON *v, const char *name, size_t line,
              const char *what, char *buf, size_t size,
              struct bon_err *err)
{
  if(!v || ingest_scalar(v, buf, size) || !buf[0])
    return 1;
  if(cJSON_IsString(v) && strlen(v->valuestring) >= size)
    return bon_errf(err, "%s:%zu: %s \"%.40s...\" is longer than %zu "
                         "characters", name, line, what, buf, size - 1);
  if(strpbrk(buf, ",\"\n\r"))
    return bon_errf(err, "%s:%zu: %s \"%s\" may not contain commas, quotes "
                         "or line breaks", name, line, what, buf);
  return 0;
}

int ingest_scalar(const cJSON *v, char *buf, size_t size)
{
  buf[0] = '\0';
  if(cJSON_IsString(v))
    snprintf(buf, size, "%s", v->valuestring);
  else if(cJSON_IsNumber(v)) {
    double d = v->valuedouble;
    if(d == floor(d) && fabs(d) < 9007199254740992.0)
      snprintf(buf, size, "%.0f", d);
    else
      snprintf(buf, size, "%.17g", d);
  }
  else if(cJSON_IsBool(v))
    snprintf(buf, size, "%s", cJSON_IsTrue(v) ? "true" : "false");
  else
    return -1;
  return 0;
}
