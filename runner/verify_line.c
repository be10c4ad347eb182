/* verify_line.c - one input line of `bonrun verify` to one output line
 * (verify_line.h).
 *
 * The input object's own text is kept (so that numbers and key order pass
 * through unchanged) and the verdict fields are appended.  When the input
 * already has a field named like an output field, the object is rebuilt
 * with cJSON and the output field replaces it. */
#include "runner/verify_line.h"

#include "gold/gold.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <string.h>

static const char *const out_keys[] = {
  "correct", "gold_answer", "pred_answer", "gold_type", "pred_type",
  "reason", "error"};

static void put_verdict(struct buf *out, const struct gold_verdict *v)
{
  buf_printf(out, "\"correct\":%s,\"gold_answer\":",
             v->correct ? "true" : "false");
  buf_json_str(out, v->gold_answer);
  buf_puts(out, ",\"pred_answer\":");
  buf_json_str(out, v->pred_answer);
  buf_puts(out, ",\"gold_type\":");
  buf_json_str(out, v->gold_type);
  buf_puts(out, ",\"pred_type\":");
  buf_json_str(out, v->pred_type);
  buf_puts(out, ",\"reason\":");
  buf_json_str(out, v->reason);
}

static void put_error(struct buf *out, const char *msg)
{
  buf_puts(out, "{\"correct\":false,\"reason\":\"malformed input\","
                "\"error\":");
  buf_json_str(out, msg);
  buf_putc(out, '}');
}

/* A field as text: strings as they are, numbers as JSON wrote them. */
static const char *field(const cJSON *o, const char *key, char *tmp,
                         size_t tmplen)
{
  const cJSON *f = cJSON_GetObjectItemCaseSensitive(o, key);
  if(cJSON_IsString(f))
    return f->valuestring;
  if(cJSON_IsNumber(f)) {
    double d = f->valuedouble;
    if(d == (double)(long long)d && d < 9e15 && d > -9e15)
      snprintf(tmp, tmplen, "%lld", (long long)d);
    else
      snprintf(tmp, tmplen, "%.17g", d);
    return tmp;
  }
  return NULL;
}

int verify_line(const char *line, size_t len, long lineno, int flags,
                struct buf *out)
{
  char msg[160];
  while(len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r' ||
                    line[len - 1] == ' ' || line[len - 1] == '\t'))
    len--;
  cJSON *o = cJSON_ParseWithLength(line, len);
  if(!o || !cJSON_IsObject(o)) {
    snprintf(msg, sizeof(msg), "line %ld: not a JSON object", lineno);
    put_error(out, msg);
    cJSON_Delete(o);
    return -1;
  }
  char tg[64], tp[64];
  const char *gold = field(o, "gold", tg, sizeof(tg));
  const char *pred = field(o, "pred", tp, sizeof(tp));
  if(!gold || !pred) {
    snprintf(msg, sizeof(msg),
             "line %ld: field \"%s\" missing or not a string", lineno,
             gold ? "pred" : "gold");
    put_error(out, msg);
    cJSON_Delete(o);
    return -1;
  }
  struct gold_verdict v;
  gold_judge_ex(gold, pred, flags, &v);
  int clash = 0;
  for(size_t k = 0; k < sizeof(out_keys) / sizeof(out_keys[0]); k++)
    if(cJSON_GetObjectItemCaseSensitive(o, out_keys[k]))
      clash = 1;
  if(!clash) {
    /* the object's own text up to its closing brace */
    size_t end = len;
    while(end > 0 && line[end - 1] != '}')
      end--;
    size_t start = 0;
    while(start < end && line[start] != '{')
      start++;
    buf_append(out, line + start, end - 1 - start);
    if(o->child)
      buf_putc(out, ',');
    put_verdict(out, &v);
    buf_putc(out, '}');
  }
  else {
    for(size_t k = 0; k < sizeof(out_keys) / sizeof(out_keys[0]); k++)
      cJSON_DeleteItemFromObjectCaseSensitive(o, out_keys[k]);
    char *s = cJSON_PrintUnformatted(o);
    size_t sl = s ? strlen(s) : 0;
    if(sl >= 2) {
      buf_append(out, s, sl - 1);
      if(o->child)
        buf_putc(out, ',');
    }
    else
      buf_putc(out, '{');
    put_verdict(out, &v);
    buf_putc(out, '}');
    cJSON_free(s);
  }
  cJSON_Delete(o);
  return 0;
}
