/* extract.c - the final answer of a completion or reference solution.
 *
 * Order (answers.md "Extraction"): the last \boxed{...} / \fbox{...} /
 * \boxed 5 (a later unterminated box means no answer); else the last of
 * "final answer is", "answer is", "answer:", "####", <answer>...</answer>;
 * else the text itself when it is not prose (at most PROSE_WORDS words of
 * three letters or more, LaTeX commands aside); else no answer.
 * Every scan is linear in the text (boxes are searched from the end). */
#include "gold/gint.h"
#include "gold/gold.h"

#include <ctype.h>
#include <string.h>

#define PROSE_WORDS 5 /* more words of >= 3 letters: prose, no answer */

/* Length of "\boxed" / "\fbox" at s+i (not followed by a letter), or 0. */
static size_t box_cmd(const char *s, size_t n, size_t i)
{
  static const char *const names[] = {"\\boxed", "\\fbox"};
  for(int k = 0; k < 2; k++) {
    size_t l = strlen(names[k]);
    if(i + l <= n && !memcmp(s + i, names[k], l) &&
       (i + l == n || !isalpha((unsigned char)s[i + l])))
      return l;
  }
  return 0;
}

/* The argument of a box whose command ends at j: 1 and [a, b) when
 * complete, 0 when unterminated. */
static int box_arg(const char *s, size_t n, size_t j, size_t *a, size_t *b)
{
  while(j < n && isspace((unsigned char)s[j]))
    j++;
  if(j >= n)
    return 0;
  if(s[j] == '{') {
    int d = 0;
    for(size_t i = j; i < n; i++) {
      if(s[i] == '\\') {
        i++;
        continue;
      }
      if(s[i] == '{')
        d++;
      else if(s[i] == '}' && --d == 0) {
        *a = j + 1;
        *b = i;
        return 1;
      }
    }
    return 0;
  }
  size_t i = j;
  while(i < n && !isspace((unsigned char)s[i]) && s[i] != '$')
    i++;
  if(i == j)
    return 0;
  *a = j;
  *b = i;
  return 1;
}

static void trim(const char *s, size_t *a, size_t *b);

/* The last box starting before `limit`: 1 complete ([a,b), start), 0 none,
 * -1 unterminated. */
static int last_box(const char *s, size_t limit, size_t n, size_t *a,
                    size_t *b, size_t *start)
{
  size_t i = limit;
  while(i > 0) {
    const char *p = memrchr(s, '\\', i);
    if(!p)
      return 0;
    i = (size_t)(p - s);
    size_t l = box_cmd(s, n, i);
    if(l) {
      *start = i;
      return box_arg(s, n, i + l, a, b) ? 1 : -1;
    }
  }
  return 0;
}

/* 1 when a box opened with '{' in s[0, n) is never closed (the same
 * brace and escape rules as box_arg), in one forward pass. */
static int open_box(const char *s, size_t n)
{
  long d = 0, m = 0; /* depth; depth outside the outermost open box */
  int open = 0;
  for(size_t i = 0; i < n; i++) {
    if(s[i] == '\\') {
      size_t l = box_cmd(s, n, i);
      if(l) {
        size_t j = i + l;
        while(j < n && isspace((unsigned char)s[j]))
          j++;
        if(j < n && s[j] == '{') {
          if(!open) {
            open = 1;
            m = d;
          }
          d++;
          i = j;
          continue;
        }
      }
      i++;
    }
    else if(s[i] == '{')
      d++;
    else if(s[i] == '}' && --d <= m)
      open = 0;
  }
  return open;
}

/* The last box of the whole text s (s[n] == 0), as last_box, but -1
 * (unterminated) also when an earlier box is never closed around it
 * (\boxed{\boxed{5}).  The checks run only when "box" occurs before the
 * last box (one SIMD strstr in the common case). */
static int final_box(const char *s, size_t n, size_t *a, size_t *b,
                     size_t *start)
{
  int r = last_box(s, n, n, a, b, start);
  size_t a2, b2, st2;
  const char *q = r > 0 ? strstr(s, "box") : NULL;
  if(q && (size_t)(q - s) < *start &&
     last_box(s, *start, n, &a2, &b2, &st2) != 0 && open_box(s, n))
    return -1;
  return r;
}

int gold_count_boxes(const char *text, int cap)
{
  size_t n = strlen(text), i = 0, fa = 0, fb = 0;
  int c = 0, same = 1;
  while(i < n && c < cap) {
    const char *p = memchr(text + i, '\\', n - i);
    if(!p)
      break;
    i = (size_t)(p - text);
    size_t l = box_cmd(text, n, i), a, b;
    if(l && box_arg(text, n, i + l, &a, &b)) {
      trim(text, &a, &b);
      if(c == 0) {
        fa = a;
        fb = b;
      }
      else if(b - a != fb - fa || memcmp(text + a, text + fa, b - a))
        same = 0;
      c++;
      i = b;
    }
    else
      i++;
  }
  return c > 1 && same ? 1 : c;
}

static int isblank_c(char c)
{
  return isspace((unsigned char)c);
}

/* Trim [*a, *b): spaces, markdown bold, trailing period. */
static void trim(const char *s, size_t *a, size_t *b)
{
  for(;;) {
    size_t a0 = *a, b0 = *b;
    while(*a < *b && isblank_c(s[*a]))
      (*a)++;
    while(*b > *a && isblank_c(s[*b - 1]))
      (*b)--;
    while(*a < *b && s[*a] == '*')
      (*a)++;
    while(*b > *a && s[*b - 1] == '*')
      (*b)--;
    if(*b > *a && s[*b - 1] == '.')
      (*b)--;
    if(*a == a0 && *b == b0)
      break;
  }
}

static int put(const char *s, size_t a, size_t b, char *out, size_t outlen)
{
  trim(s, &a, &b);
  size_t len = b - a;
  if(outlen) {
    size_t m = len < outlen - 1 ? len : outlen - 1;
    memcpy(out, s + a, m);
    out[m] = '\0';
  }
  if(len == 0)
    return -1;
  return len > 0x7fffffff ? 0x7fffffff : (int)len;
}

int gold_extract_boxes(const char *text, int k, char *out, size_t outlen)
{
  size_t n = strlen(text), limit = n;
  size_t sa[8], sb[8];
  int got = 0;
  if(k > 8)
    k = 8;
  if(outlen)
    out[0] = '\0';
  while(got < k) {
    size_t a, b, st;
    int r = got ? last_box(text, limit, n, &a, &b, &st)
                : final_box(text, n, &a, &b, &st);
    if(r < 0 && got == 0)
      return -2;
    if(r <= 0)
      break;
    sa[got] = a;
    sb[got] = b;
    got++;
    limit = st;
  }
  if(got == 0)
    return -1;
  size_t len = 0, w = 0;
  for(int i = got - 1; i >= 0; i--) {
    size_t a = sa[i], b = sb[i];
    trim(text, &a, &b);
    const char *pieces[2] = {i < got - 1 ? ", " : "", text + a};
    size_t lens[2] = {i < got - 1 ? 2 : 0, b - a};
    for(int p = 0; p < 2; p++) {
      for(size_t q = 0; q < lens[p]; q++)
        if(outlen && w + 1 < outlen)
          out[w++] = pieces[p][q];
      len += lens[p];
    }
  }
  if(outlen)
    out[w] = '\0';
  return len == 0 ? -1 : (len > 0x7fffffff ? 0x7fffffff : (int)len);
}

/* Last case-insensitive occurrence of pat in s[0, n); returns its index or
 * -1. */
static long rfind_ci(const char *s, size_t n, const char *pat)
{
  size_t m = strlen(pat);
  if(m > n)
    return -1;
  for(size_t i = n - m + 1; i-- > 0;) {
    if(tolower((unsigned char)s[i]) != pat[0])
      continue;
    size_t k = 1;
    while(k < m && tolower((unsigned char)s[i + k]) == pat[k])
      k++;
    if(k == m)
      return (long)i;
  }
  return -1;
}

static const char *find_str(const char *s, size_t n, size_t from,
                            const char *pat)
{
  size_t m = strlen(pat);
  for(size_t i = from; i + m <= n; i++)
    if(!memcmp(s + i, pat, m) &&
       !(pat[0] == '$' && i > 0 && s[i - 1] == '\\')) /* not \$ */
      return s + i;
  return NULL;
}

/* The answer after a phrase ending at j. */
static int after_phrase(const char *s, size_t n, size_t j, char *out,
                        size_t outlen)
{
  while(j < n && (s[j] == ' ' || s[j] == '\t' || s[j] == ':' ||
                  s[j] == '*'))
    j++;
  size_t e = j;
  while(e < n && s[e] != '\n')
    e++;
  static const char *const dl[][2] = {
    {"$$", "$$"}, {"$", "$"}, {"\\(", "\\)"}, {"\\[", "\\]"}};
  for(int k = 0; k < 4; k++) {
    size_t l = strlen(dl[k][0]);
    if(j + l <= n && !memcmp(s + j, dl[k][0], l)) {
      const char *c = find_str(s, n, j + l, dl[k][1]);
      if(c)
        return put(s, j + l, (size_t)(c - s), out, outlen);
      break;
    }
  }
  /* up to the end of the sentence: ". " not inside a number */
  for(size_t i = j; i < e; i++)
    if(s[i] == '.' && (i + 1 == e || isblank_c(s[i + 1])) &&
       !(i > j && i + 1 < e && isdigit((unsigned char)s[i - 1]) &&
         isdigit((unsigned char)s[i + 1]))) {
      e = i;
      break;
    }
  return put(s, j, e, out, outlen);
}

static int prose_words(const char *s, size_t n)
{
  int w = 0;
  for(size_t i = 0; i < n;) {
    if(isalpha((unsigned char)s[i])) {
      size_t j = i;
      while(j < n && isalpha((unsigned char)s[j]))
        j++;
      if(j - i >= 3 && !(i > 0 && s[i - 1] == '\\'))
        w++;
      i = j;
    }
    else
      i++;
  }
  return w;
}

int gold_extract_ex(const char *text, char *out, size_t outlen, int *why)
{
  size_t n = text ? strlen(text) : 0;
  *why = -1;
  if(outlen)
    out[0] = '\0';
  if(!n)
    return -1;
  size_t a, b, st;
  int r = final_box(text, n, &a, &b, &st);
  if(r < 0) {
    *why = -2;
    return -1;
  }
  if(r > 0) {
    *why = 0;
    return put(text, a, b, out, outlen);
  }
  /* phrases: the one that ends last wins */
  static const char *const phr[] = {
    "final answer is", "final answer:", "answer is", "answer:", "####",
    "<answer>"};
  long best = -1;
  int bk = -1;
  for(int k = 0; k < (int)(sizeof(phr) / sizeof(phr[0])); k++) {
    long p = rfind_ci(text, n, phr[k]);
    if(p >= 0 && p + (long)strlen(phr[k]) > best) {
      best = p + (long)strlen(phr[k]);
      bk = k;
    }
  }
  if(bk >= 0) {
    *why = 0;
    if(!strcmp(phr[bk], "<answer>")) {
      const char *c = find_str(text, n, (size_t)best, "</answer>");
      return put(text, (size_t)best, c ? (size_t)(c - text) : n, out,
                 outlen);
    }
    return after_phrase(text, n, (size_t)best, out, outlen);
  }
  a = 0;
  b = n;
  trim(text, &a, &b);
  if(prose_words(text + a, b - a) <= PROSE_WORDS) {
    *why = 0;
    return put(text, a, b, out, outlen);
  }
  return -1;
}

int gold_extract(const char *text, char *out, size_t outlen)
{
  int why;
  return gold_extract_ex(text ? text : "", out, outlen, &why);
}
