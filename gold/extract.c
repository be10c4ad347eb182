/* extract.c - the final answer of a completion or reference solution.
 *
 * Order (docs/answers.md, section 1): after the last </think> (an
 * unclosed <think>: no answer), the last \boxed{...} / \fbox{...} /
 * \boxed 5 (a later unterminated box means no answer); else the answer
 * phrase that ends last ("final answer is", "answer is", "answer:",
 * "####", <answer>...</answer>), its math span or its sentence; else the
 * math or bold span of a short last answer sentence; else the text itself
 * when it is not prose (at most PROSE_WORDS words of three letters or
 * more, LaTeX commands aside); else (not GOLD_STRICT) the last number of
 * the last sentence holding one (a list marker that opens the last line
 * holding a value: no answer); else no answer.  Boxes and phrases only with
 * GOLD_STRICT.  Every scan is linear in the text (boxes and the think tag
 * are searched from the end). */
#include "gold/gint.h"
#include "gold/gold.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>


/* Length of "\boxed" / "\fbox" at s+i (not followed by a letter), or 0. */
static size_t box_cmd(const char *s, size_t n, size_t i)
{
  static const char *const names[] = {"\\boxed", "\\fbox"};
  static const size_t lens[] = {6, 5};
  for(int k = 0; k < 2; k++) {
    size_t l = lens[k];
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
static int undouble(char *t, int len);

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

static int isblank_c(char c)
{
  return isspace((unsigned char)c);
}

/* A parenthesis of words closing the answer at b, after a space:
 * "(without quotes)", "(degrees)", "(approximately)" - letters, spaces,
 * '-' and '\'' only, with a word of three letters or more.  Its '('
 * index, else 0. */
static size_t prose_paren(const char *s, size_t a, size_t b)
{
  if(b - a < 6 || s[b - 1] != ')')
    return 0;
  size_t i = b - 1, run = 0, best = 0;
  while(i > a) {
    char c = s[--i];
    if(c == '(')
      break;
    if(isalpha((unsigned char)c)) {
      if(++run > best)
        best = run;
    }
    else if(c == ' ' || c == '-' || c == '\'')
      run = 0;
    else
      return 0;
  }
  if(s[i] != '(' || best < 3 || i < a + 2 || s[i - 1] != ' ')
    return 0;
  return i;
}

/* Trim [*a, *b): spaces, markdown bold, quotes, a trailing period or
 * comma. */
static void trim(const char *s, size_t *a, size_t *b)
{
  for(;;) {
    size_t a0 = *a, b0 = *b;
    while(*a < *b && isblank_c(s[*a]))
      (*a)++;
    while(*b > *a && isblank_c(s[*b - 1]))
      (*b)--;
    while(*a < *b && (s[*a] == '*' || s[*a] == '"'))
      (*a)++;
    while(*b > *a && (s[*b - 1] == '*' || s[*b - 1] == '"'))
      (*b)--;
    if(*b > *a && (s[*b - 1] == '.' || s[*b - 1] == ',') &&
       !(*b - *a >= 3 && s[*b - 2] == '.')) /* not an ellipsis "..." */
      (*b)--;
    if(*a == a0 && *b == b0)
      break;
  }
}

__attribute__((always_inline)) static inline int put(const char *s, size_t a,
                                                  size_t b, char *out,
                                                  size_t outlen)
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

/* ------------------------------------------------------ <think> blocks */

/* A reasoning model's <think>...</think> is not part of the answer: the
 * text starts after the last "</think>".  Returns 0 and *start, or -1 for
 * a "<think>" never closed after it.  One backward scan for '>'. */
static int think_start(const char *s, size_t n, size_t *start)
{
  size_t i = n;
  *start = 0;
  while(i > 0) {
    const char *p = memrchr(s, '>', i);
    if(!p)
      return 0;
    i = (size_t)(p - s);
    if(i >= 7 && !memcmp(s + i - 7, "</think", 7)) {
      *start = i + 1;
      return 0;
    }
    if(i >= 6 && !memcmp(s + i - 6, "<think", 6))
      return -1;
  }
  return 0;
}

/* --------------------------------------------------- boxes of a region */

/* Elements of a boxed answer: top-level ',' and ';' separators + 1. */
static int box_elems(const char *s, size_t a, size_t b)
{
  int d = 0, c = 1;
  for(size_t i = a; i < b; i++) {
    char ch = s[i];
    if(ch == '\\' && i + 1 < b) {
      if(s[i + 1] == '{' || s[i + 1] == '(' || s[i + 1] == '[')
        d++;
      else if(s[i + 1] == '}' || s[i + 1] == ')' || s[i + 1] == ']')
        d--;
      i++;
    }
    else if(ch == '(' || ch == '[' || ch == '{')
      d++;
    else if(ch == ')' || ch == ']' || ch == '}')
      d--;
    else if(d == 0 && (ch == ',' || ch == ';'))
      c++;
  }
  return c;
}

int gold_count_boxes(const char *text, int cap)
{
  size_t n, i, fa = 0, fb = 0;
  int c = 0, same = 1;
  if(!strstr(text, "box"))
    return 0; /* the common bare answer: one scan */
  n = strlen(text);
  if(think_start(text, n, &i) < 0)
    return 0;
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

int gold_nth_box(const char *text, int i, char *out, size_t outlen)
{
  size_t n = strlen(text), t0, a, b, st;
  if(outlen)
    out[0] = '\0';
  if(think_start(text, n, &t0) < 0)
    return -1;
  const char *s = text + t0;
  size_t limit = n - t0;
  for(int k = 0; k <= i; k++) {
    if(last_box(s, limit, n - t0, &a, &b, &st) <= 0)
      return -1;
    limit = st;
  }
  int r = put(s, a, b, out, outlen);
  return r > 0 && (size_t)r < outlen ? undouble(out, r) : r;
}

int gold_extract_boxes(const char *text, int k, int by_elems, char *out,
                       size_t outlen)
{
  size_t n = strlen(text), t0, limit = n;
  size_t sa[8], sb[8];
  int got = 0, elems = 0;
  if(outlen)
    out[0] = '\0';
  if(think_start(text, n, &t0) < 0)
    return -1;
  const char *s = text + t0;
  n -= t0;
  limit = n;
  while(got < 8 && (by_elems ? elems : got) < k) {
    size_t a, b, st;
    int r = got ? last_box(s, limit, n, &a, &b, &st)
                : final_box(s, n, &a, &b, &st);
    if(r < 0 && got == 0)
      return -2;
    if(r <= 0)
      break;
    trim(s, &a, &b);
    sa[got] = a;
    sb[got] = b;
    elems += box_elems(s, a, b);
    got++;
    limit = st;
  }
  if(got == 0)
    return -1;
  size_t len = 0, w = 0;
  for(int i = got - 1; i >= 0; i--) {
    const char *pieces[2] = {i < got - 1 ? ", " : "", s + sa[i]};
    size_t lens[2] = {i < got - 1 ? 2 : 0, sb[i] - sa[i]};
    for(int p = 0; p < 2; p++) {
      for(size_t q = 0; q < lens[p]; q++)
        if(outlen && w + 1 < outlen)
          out[w++] = pieces[p][q];
      len += lens[p];
    }
  }
  if(outlen)
    out[w] = '\0';
  if(len > 0 && len < outlen)
    len = (size_t)undouble(out, (int)len);
  return len == 0 ? -1 : (len > 0x7fffffff ? 0x7fffffff : (int)len);
}

/* ------------------------------------------------------------ phrases */

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

/* --------------------------------------------------- sentences, values */

/* A word of prose at i (3+ letters, not a LaTeX command name, not the
 * separators "and" / "or"): its length, else 0. */
static size_t prose_word(const char *s, size_t a, size_t b, size_t i)
{
  if(!isalpha((unsigned char)s[i]) ||
     (i > a && (isalpha((unsigned char)s[i - 1]) || s[i - 1] == '\\')))
    return 0;
  size_t j = i;
  while(j < b && isalpha((unsigned char)s[j]))
    j++;
  if(j - i < 3 || (j - i == 3 && !strncasecmp(s + i, "and", 3)))
    return 0;
  return j - i;
}

/* Any word of prose in [a, b)? */
static int has_prose(const char *s, size_t a, size_t b)
{
  for(size_t i = a; i < b; i++) {
    if(!isalpha((unsigned char)s[i]))
      continue;
    size_t j = i;
    while(j < b && isalpha((unsigned char)s[j]))
      j++;
    if(j - i >= 3 && (i == a || s[i - 1] != '\\') &&
       !(j - i == 3 && !strncasecmp(s + i, "and", 3)))
      return 1;
    i = j;
  }
  return 0;
}

/* A math span opening at i: its delimiter lengths and content [*ca, *cb),
 * the index after it in *end; 0 when none opens there.  Inline $...$ and
 * \(...\) stay on one line; a $...$ that opens on a digit and holds a
 * word of prose is currency ("$5 for apples and $3"), not math. */
static int math_span(const char *s, size_t a, size_t b, size_t i,
                     size_t *ca, size_t *cb, size_t *end)
{
  static const char *const dl[][2] = {
    {"$$", "$$"}, {"\\[", "\\]"}, {"\\(", "\\)"}, {"$", "$"}};
  static const size_t dlen[] = {2, 2, 2, 1};
  if(s[i] != '$' && s[i] != '\\')
    return 0;
  if(s[i] == '$' && i > a && s[i - 1] == '\\')
    return 0; /* \$ */
  for(int k = 0; k < 4; k++) {
    size_t l = dlen[k];
    if(i + l > b || memcmp(s + i, dl[k][0], l))
      continue;
    const char *c = find_str(s, b, i + l, dl[k][1]);
    if(!c)
      return 0;
    size_t e = (size_t)(c - s);
    if(k >= 2 && memchr(s + i + l, '\n', e - i - l))
      return 0;
    if(k == 3 && isdigit((unsigned char)s[i + 1])) {
      int d = 0; /* words inside \text{...} are units, not prose */
      for(size_t j = i + 1; j < e; j++) {
        d += s[j] == '{' ? 1 : s[j] == '}' ? -1 : 0;
        if(d == 0 && isblank_c(s[j - 1]) && prose_word(s, i + 1, e, j) &&
           islower((unsigned char)s[j]))
          return 0;
      }
    }
    *ca = i + l;
    *cb = e;
    *end = e + l;
    return 1;
  }
  return 0;
}

/* Three digits after a thousands separator at i (",", "{,}", ",\!"). */
static size_t num_sep(const char *s, size_t b, size_t i)
{
  static const char *const seps[] = {",\\!", "{,}", "\\,", ","};
  for(int k = 0; k < 4; k++) {
    size_t l = strlen(seps[k]);
    if(i + l + 3 <= b && !memcmp(s + i, seps[k], l) &&
       isdigit((unsigned char)s[i + l]) &&
       isdigit((unsigned char)s[i + l + 1]) &&
       isdigit((unsigned char)s[i + l + 2]) &&
       (i + l + 3 == b || !isdigit((unsigned char)s[i + l + 3])))
      return l + 3;
  }
  return 0;
}

/* A number starting at i ("-12", "7,425,000", "3.5", "2/3"): its end,
 * else i. */
static size_t number_at(const char *s, size_t a, size_t b, size_t i)
{
  size_t j = i;
  if(s[j] == '-' && j + 1 < b && isdigit((unsigned char)s[j + 1]) &&
     (j == a || !isalnum((unsigned char)s[j - 1])))
    j++;
  if(j >= b || !isdigit((unsigned char)s[j]) ||
     (i > a && (isalnum((unsigned char)s[i - 1]) || s[i - 1] == '.' ||
                s[i - 1] == '_')))
    return i;
  while(j < b && isdigit((unsigned char)s[j]))
    j++;
  for(size_t k; (k = num_sep(s, b, j)) > 0;)
    j += k;
  if(j + 1 < b && s[j] == '.' && isdigit((unsigned char)s[j + 1]))
    for(j++; j < b && isdigit((unsigned char)s[j]);)
      j++;
  if(j + 1 < b && s[j] == '/' && isdigit((unsigned char)s[j + 1]))
    for(j++; j < b && isdigit((unsigned char)s[j]);)
      j++;
  return j;
}

/* A list marker at i: a number that opens its line (blanks and
 * markdown '#', '*', '-' before it) followed by '.' or ')', a blank and
 * more text on the line ("11. **Find the roots**", "2) Divide").  The
 * index after the '.' or ')', else i.  (s is the whole text: the line
 * may open before the region.) */
static size_t list_marker(const char *s, size_t b, size_t i)
{
  size_t j = i, k = i;
  while(k > 0 && (s[k - 1] == ' ' || s[k - 1] == '\t' || s[k - 1] == '#' ||
                  s[k - 1] == '*' || s[k - 1] == '-'))
    k--;
  if(k > 0 && s[k - 1] != '\n')
    return i;
  while(j < b && j - i < 4 && isdigit((unsigned char)s[j]))
    j++;
  if(j == i || j + 2 >= b || (s[j] != '.' && s[j] != ')') ||
     (s[j + 1] != ' ' && s[j + 1] != '\t'))
    return i;
  for(size_t q = j + 2; q < b && s[q] != '\n'; q++)
    if(!isblank_c(s[q]))
      return j + 1;
  return i;
}

/* Markdown bold **...** opening at i, on one line, at most 64 bytes,
 * without math delimiters inside (a math span inside stays a math span):
 * its content [*ca, *cb) and the index after it.  The closing '**' may
 * lie past b (trim drops it from a text's end): s is NUL-terminated. */
static int bold_span(const char *s, size_t b, size_t i, size_t *ca,
                     size_t *cb, size_t *end)
{
  if(i + 2 >= b || s[i + 1] != '*' || s[i + 2] == '*' || isblank_c(s[i + 2]))
    return 0;
  for(size_t j = i + 2; j < i + 2 + 64; j++) {
    char c = s[j];
    if(c == '\0' || c == '\n' || c == '$' || c == '\\')
      return 0;
    if(c == '*') {
      if(s[j + 1] != '*' || isblank_c(s[j - 1]))
        return 0;
      *ca = i + 2;
      *cb = j;
      *end = j + 2;
      return 1;
    }
  }
  return 0;
}

/* What a sentence holds: its last value (a math span's content, a bold
 * span's content or a number), whether prose comes before that value,
 * its prose words. */
struct sent {
  size_t va, vb;   /* the last value, [va, vb); va == vb: none */
  size_t vend;     /* where that value ends in the text */
  int span;        /* the value is a math span */
  int words;       /* prose words outside math spans */
  int words_before; /* ... before the value */
  int marker;      /* the value is a list marker: a step begins, no value */
};

/* Scan [a, b) for sentences; *last gets the last one that holds a value
 * (*last->va == last->vb when none does); returns the prose words of the
 * whole region outside math spans.  stop_at_end: one sentence only. */
static int scan_sentences(const char *s, size_t a, size_t b, int one,
                          struct sent *last)
{
  struct sent cur = {0, 0, 0, 0, 0, 0, 0};
  int total = 0;
  memset(last, 0, sizeof(*last));
  for(size_t i = a; i <= b;) {
    int brk = i == b;
    if(!brk && !one) {
      char ch = s[i];
      brk = ch == '\n' ||
            ((ch == '.' || ch == '!' || ch == '?') &&
             (i + 1 == b || isblank_c(s[i + 1])));
    }
    if(brk) {
      if(cur.vb > cur.va)
        *last = cur;
      memset(&cur, 0, sizeof(cur));
      i++;
      continue;
    }
    size_t ca, cb, e, w;
    if(math_span(s, a, b, i, &ca, &cb, &e) ||
       (s[i] == '*' && bold_span(s, b, i, &ca, &cb, &e))) {
      cur.va = ca;
      cur.vb = cb;
      cur.vend = e;
      cur.span = 1;
      cur.marker = 0;
      cur.words_before = cur.words;
      /* a number inside the span is still the last number */
      i = e < b ? e : b;
      continue;
    }
    if((w = prose_word(s, a, b, i)) > 0) {
      cur.words++;
      total++;
      i += w;
      continue;
    }
    if(isdigit((unsigned char)s[i]) && (w = list_marker(s, b, i)) > i) {
      cur.va = i; /* "11. Next step": a list marker, not a value */
      cur.vb = cur.vend = w - 1;
      cur.span = 0;
      cur.marker = 1;
      cur.words_before = cur.words;
      i = w;
      continue;
    }
    size_t ne = number_at(s, a, b, i);
    if(ne > i) {
      /* an integer coefficient and its variable ("2x", "3i") are one
       * term; "5m²", "2.5x", "12th" stay numbers */
      if(ne < b && isalpha((unsigned char)s[ne]) &&
         (ne + 1 == b || (!isalpha((unsigned char)s[ne + 1]) &&
                          (unsigned char)s[ne + 1] < 0x80))) {
        size_t q = i + (s[i] == '-');
        while(q < ne && isdigit((unsigned char)s[q]))
          q++;
        if(q == ne)
          ne++;
      }
      cur.va = i;
      cur.vb = ne;
      cur.vend = ne;
      cur.span = 0;
      cur.marker = 0;
      cur.words_before = cur.words;
      i = ne;
      continue;
    }
    if(isalpha((unsigned char)s[i]))
      while(i < b && isalpha((unsigned char)s[i]))
        i++;
    else
      i++;
  }
  return total;
}

/* The last number of a value-bearing sentence, looking inside a math
 * span too ("is $5 \times 6 \times 4 = 120$"). */
static int last_number(const char *s, const struct sent *st, size_t *a,
                       size_t *b)
{
  if(!st->span) {
    *a = st->va;
    *b = st->vb;
    return 1;
  }
  int found = 0;
  for(size_t i = st->va; i < st->vb;) {
    size_t e = number_at(s, st->va, st->vb, i);
    if(e > i) {
      *a = i;
      *b = e;
      found = 1;
      i = e;
    }
    else
      i++;
  }
  return found;
}

#define PROSE_WORDS 5 /* a text with more prose words is a solution */
#define SPAN_WORDS 12 /* an answer sentence with a span: at most so many */

/* The answer after a phrase ending at j: a math span right after it, else
 * the rest of the sentence, cut before ", <prose>" ("72, in total, so"),
 * and reduced to its last value when prose leads to it ("The largest $n$
 * is 34"). */
static int after_phrase(const char *s, size_t n, size_t j, char *out,
                        size_t outlen)
{
  while(j < n && (s[j] == ' ' || s[j] == '\t' || s[j] == ':' ||
                  s[j] == '*'))
    j++;
  size_t e = j, ca, cb, se;
  while(e < n && s[e] != '\n')
    e++;
  if(j < n && (s[j] == '$' || s[j] == '\\') &&
     math_span(s, 0, n, j, &ca, &cb, &se))
    return put(s, ca, cb, out, outlen);
  /* up to the end of the sentence: ". " not inside a number; or a comma
   * that leads into prose */
  int d = 0;
  for(size_t i = j; i < e; i++) {
    char ch = s[i];
    if(ch == '(' || ch == '[' || ch == '{')
      d++;
    else if(ch == ')' || ch == ']' || ch == '}')
      d--;
    if((ch == '.' || ch == '!' || ch == '?') &&
       (i + 1 == e || isblank_c(s[i + 1]))) {
      e = i;
      break;
    }
    if(ch == ',' && d == 0) {
      size_t k = i + 1, w = 0;
      while(k < e && s[k] == ' ')
        k++;
      while(k + w < e && islower((unsigned char)s[k + w]))
        w++;
      if(w >= 2 && !isalpha((unsigned char)s[k + w]) &&
         !(w == 2 && !strncmp(s + k, "or", 2)) &&
         !(w == 3 && !strncmp(s + k, "and", 3))) {
        e = i;
        break;
      }
    }
  }
  struct sent st;
  scan_sentences(s, j, e, 1, &st);
  if(st.vb > st.va && st.words_before > 0)
    return put(s, st.va, st.vb, out, outlen);
  return put(s, j, e, out, outlen);
}

/* The phrase that ends last among the answer phrases; -1 when none. */
static long last_phrase(const char *s, size_t n, int *kind)
{
  static const char *const phr[] = {
    "final answer is", "final answer:", "answer is", "answer:", "####",
    "<answer>"};
  long best = -1;
  *kind = -1;
  /* every phrase but "####" holds "answer": one scan when none does */
  int any = rfind_ci(s, n, "answer") >= 0;
  for(int k = 0; k < (int)(sizeof(phr) / sizeof(phr[0])); k++) {
    if(!any && k != 4)
      continue;
    long p = rfind_ci(s, n, phr[k]);
    if(p >= 0 && p + (long)strlen(phr[k]) > best) {
      best = p + (long)strlen(phr[k]);
      *kind = k;
    }
  }
  return best;
}

/* ------------------------------------------------------ double escapes */

/* Text copied from a JSON dump may have every backslash doubled
 * ("\\frac{1}{2}"): when a doubled backslash stands before a command name
 * of two letters or more, or before one of ! { } $ %, undo the doubling in
 * place (four backslashes,
 * a doubled matrix row, become two; a plain row "\\ " stays).  Returns
 * the new length. */
static int undouble(char *t, int len)
{
  int dbl = 0;
  for(int i = 0; i + 2 < len && !dbl; i++)
    if(t[i] == '\\' && t[i + 1] == '\\') {
      dbl = (i + 3 < len && isalpha((unsigned char)t[i + 2]) &&
             isalpha((unsigned char)t[i + 3])) ||
            strchr("!{}$%", t[i + 2]) != NULL;
      i++;
    }
  if(!dbl)
    return len;
  int w = 0;
  for(int i = 0; i < len; i++) {
    if(t[i] == '\\' && i + 1 < len && t[i + 1] == '\\') {
      if(i + 3 < len && t[i + 2] == '\\' && t[i + 3] == '\\') {
        t[w++] = '\\';
        t[w++] = '\\';
        i += 3;
        continue;
      }
      if(i + 2 < len && !isspace((unsigned char)t[i + 2]) &&
         !isdigit((unsigned char)t[i + 2]) && t[i + 2] != '-') {
        t[w++] = '\\';
        i++;
        continue;
      }
    }
    t[w++] = t[i];
  }
  t[w] = '\0';
  return w;
}

/* ------------------------------------------------------------ the order */

/* Copy [a, b) as the answer and undo double escapes in it. */
/* The end of [a, b) without a closing parenthesis of words ("x (without
 * quotes)", "x (degrees)."). */
__attribute__((noinline)) static size_t drop_paren(const char *s, size_t a,
                                                   size_t b)
{
  size_t e = s[b - 1] == '.' ? b - 1 : b;
  size_t p = e > a && s[e - 1] == ')' ? prose_paren(s, a, e) : 0;
  return p ? p : b;
}

static int answer(const char *s, size_t a, size_t b, char *out,
                  size_t outlen)
{
  int r = put(s, a, b, out, outlen);
  if(r > 3 && outlen && (size_t)r < outlen)
    r = undouble(out, r);
  return r;
}

int gold_extract_ex(const char *text, int flags, char *out, size_t outlen,
                    int *why)
{
  size_t n = text ? strlen(text) : 0, t0;
  *why = GX_NONE;
  if(outlen)
    out[0] = '\0';
  if(!n)
    return -1;
  if(think_start(text, n, &t0) < 0)
    return -1;
  const char *s = text + t0;
  n -= t0;
  size_t a, b, st;
  int r = final_box(s, n, &a, &b, &st);
  if(r < 0) {
    *why = GX_UNTERM;
    return -1;
  }
  if(r > 0) {
    *why = GX_BOX;
    return answer(s, a, b, out, outlen);
  }
  int kind;
  long p = last_phrase(s, n, &kind);
  if(p >= 0) {
    char tmp[GOLD_MAX_ANSWER + 8];
    int l;
    *why = GX_PHRASE;
    if(kind == 5) { /* <answer>...</answer> */
      const char *c = find_str(s, n, (size_t)p, "</answer>");
      return answer(s, (size_t)p, c ? (size_t)(c - s) : n, out, outlen);
    }
    l = after_phrase(s, n, (size_t)p, tmp, sizeof(tmp));
    if(l < 0)
      return -1;
    if(l > GOLD_MAX_ANSWER) { /* too long for tmp: its true length */
      put(tmp, 0, strlen(tmp), out, outlen);
      return l;
    }
    /* "Answer: 12 (without quotes)", "Answer: 108 (degrees)." */
    size_t e = (size_t)l;
    if(e >= 6 && (tmp[e - 1] == ')' || tmp[e - 1] == '.'))
      e = drop_paren(tmp, 0, e);
    return answer(tmp, 0, e, out, outlen);
  }
  if(flags & GOLD_STRICT)
    return -1;
  a = 0;
  b = n;
  trim(s, &a, &b);
  if(!has_prose(s, a, b)) { /* the text itself (a bare answer) */
    *why = GX_TEXT;
    return answer(s, a, b, out, outlen);
  }
  struct sent last;
  int words = scan_sentences(s, a, b, 0, &last);
  if(last.marker)
    return -1; /* the text stops in a new numbered step */
  if(words == 0 || (words <= PROSE_WORDS && !(last.span && last.words) &&
                    !(flags & GX_NO_TEXT))) {
    *why = GX_TEXT;
    return answer(s, a, b, out, outlen);
  }
  if(last.vb > last.va && last.span && last.words <= SPAN_WORDS) {
    *why = GX_SPAN;
    return answer(s, last.va, last.vb, out, outlen);
  }
  if(!(flags & GX_NO_LAST) && last.vb > last.va &&
     last_number(s, &last, &a, &b)) {
    *why = GX_LAST;
    return answer(s, a, b, out, outlen);
  }
  return -1;
}

int gold_extract(const char *text, char *out, size_t outlen)
{
  int why;
  return gold_extract_ex(text ? text : "", 0, out, outlen, &why);
}
