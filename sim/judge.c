/* judge.c - the simulated LLM judges of `bonrun serve` (judge.h). */
#include "sim/judge.h"

#include <stdlib.h>
#include <string.h>

#include "sim/server.h"

static const char *const markers[] = {"{question}", "{response_a}",
                                      "{response_b}"};

struct mark {
  const char *at;   /* in the template */
  size_t len;
  int which;        /* index into markers */
};

/* The markers of tmpl in template order into m (at most 3).  The count,
 * or -1 when a marker appears twice or a response marker is absent. */
static int find_marks(const char *tmpl, struct mark *m)
{
  int n = 0;
  for(int w = 0; w < 3; w++) {
    const char *at = strstr(tmpl, markers[w]);
    if(!at) {
      if(w)
        return -1;
      continue;
    }
    size_t len = strlen(markers[w]);
    if(strstr(at + len, markers[w]))
      return -1;
    m[n++] = (struct mark){at, len, w};
  }
  for(int i = 1; i < n; i++)
    for(int j = i; j > 0 && m[j].at < m[j - 1].at; j--) {
      struct mark t = m[j];
      m[j] = m[j - 1];
      m[j - 1] = t;
    }
  return n;
}

int sim_judge_split_pair(const char *tmpl, const char *text, const char **a,
                         size_t *alen, const char **b, size_t *blen)
{
  struct mark m[3];
  int n = tmpl ? find_marks(tmpl, m) : -1;
  if(n < 2)
    return -1;
  size_t tl = strlen(text), head = (size_t)(m[0].at - tmpl);
  const char *tail = m[n - 1].at + m[n - 1].len;
  size_t taillen = strlen(tail);
  if(tl < head + taillen || strncmp(text, tmpl, head) ||
     strcmp(text + tl - taillen, tail))
    return -1;
  const char *pos = text + head, *end = text + tl - taillen;
  const char *span[3] = {NULL, NULL, NULL};
  size_t len[3] = {0, 0, 0};
  for(int i = 0; i < n; i++) {
    const char *stop = end;
    if(i + 1 < n) {
      const char *lit = m[i].at + m[i].len;
      size_t ll = (size_t)(m[i + 1].at - lit);
      if(!ll)
        return -1;
      char *s = xstrndup(lit, ll);
      const char *hit = strstr(pos, s);
      free(s);
      if(!hit || hit + ll > end)
        return -1;
      stop = hit;
      span[m[i].which] = pos;
      len[m[i].which] = (size_t)(stop - pos);
      pos = hit + ll;
      continue;
    }
    span[m[i].which] = pos;
    len[m[i].which] = (size_t)(stop - pos);
  }
  *a = span[1];
  *alen = len[1];
  *b = span[2];
  *blen = len[2];
  return 0;
}

void sim_judge_reply(const struct sim_rm_params *rm, const char *tmpl,
                     const char *pair_tmpl, const char *prompt,
                     struct buf *out)
{
  const char *a, *b;
  size_t al, bl;
  if(pair_tmpl && !sim_judge_split_pair(pair_tmpl, prompt, &a, &al, &b,
                                        &bl)) {
    char *sa = xstrndup(a, al), *sb = xstrndup(b, bl);
    double va = sim_rm_score(rm, "", sa), vb = sim_rm_score(rm, "", sb);
    free(sa);
    free(sb);
    buf_printf(out, "Both solutions were checked step by step.\n\n[[%s]]",
               va >= vb ? "A" : "B");
    return;
  }
  size_t len;
  const char *r = sim_server_split(tmpl, prompt, &len);
  char *resp = xstrndup(r, len);
  buf_printf(out, "The answer was checked step by step.\n\nRating: "
                  "[[%.17g]]", sim_rm_score(rm, "", resp));
  free(resp);
}
