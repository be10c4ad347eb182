/* parse.c - LaTeX / plain-text answer -> tokens -> typed structure.
 *
 * The lexer drops formatting noise (\left, \!, $, \displaystyle, units
 * after a value, degree marks, percent signs, ...) and produces at most
 * GOLD_MAX_TOK tokens.  The parser builds, in fixed arrays, a structure
 * item (list, set, tuple/interval, union, matrix, relation, text, choice
 * or expression) whose expressions are trees of struct node.  Recursion is
 * bounded by GOLD_MAX_DEPTH. */
#include "gold/gint.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

/* ---------------------------------------------------------------- lexer */

struct lx {
  struct side *sd;
  const char *s;
  int n, i;
  int depth;  /* ( [ \{ depth, for thousands separators */
  int tend[16]; /* closing-brace positions of transparent \text groups */
  int ntend;
  int trig;   /* a trig function was lexed: degree marks become C_DEG */
  uint8_t single[GOLD_MAX_ANSWER + 8]; /* lex one digit only here */
};

enum {
  A_NOISE, A_CMD, A_FUNC, A_REL, A_CHAR, A_VAR, A_TEXT, A_FONT, A_MATHBB,
  A_BEGIN, A_END, A_DEG, A_OPNAME, A_FRAC, A_SQRT, A_BINOM
};

struct cmdent {
  const char *name;
  uint8_t act, code;
};

static const struct cmdent cmds[] = {
  {"frac", A_FRAC, C_FRAC}, {"dfrac", A_FRAC, C_FRAC},
  {"tfrac", A_FRAC, C_FRAC}, {"cfrac", A_FRAC, C_FRAC},
  {"sqrt", A_SQRT, C_SQRT}, {"binom", A_BINOM, C_BINOM},
  {"choose", A_CMD, C_CHOOSE},
  {"dbinom", A_BINOM, C_BINOM}, {"tbinom", A_BINOM, C_BINOM},
  {"pi", A_CMD, C_PI}, {"infty", A_CMD, C_INF}, {"infin", A_CMD, C_INF},
  {"cdot", A_CMD, C_TIMES}, {"times", A_CMD, C_TIMES},
  {"ast", A_CMD, C_TIMES}, {"div", A_CMD, C_DIV}, {"pm", A_CMD, C_PM},
  {"mp", A_CMD, C_MP}, {"in", A_CMD, C_IN}, {"cup", A_CMD, C_CUP},
  {"cap", A_CMD, C_CAP}, {"setminus", A_CMD, C_SETMINUS},
  {"{", A_CMD, C_LSET}, {"}", A_CMD, C_RSET}, {"lbrace", A_CMD, C_LSET},
  {"rbrace", A_CMD, C_RSET}, {"langle", A_CMD, C_LANGLE},
  {"rangle", A_CMD, C_RANGLE}, {"lfloor", A_CMD, C_LFLOOR},
  {"rfloor", A_CMD, C_RFLOOR}, {"lceil", A_CMD, C_LCEIL},
  {"rceil", A_CMD, C_RCEIL}, {"\\", A_CMD, C_ROW}, {"cr", A_CMD, C_ROW},
  {"emptyset", A_CMD, C_EMPTY}, {"varnothing", A_CMD, C_EMPTY},
  {"le", A_REL, 'l'}, {"leq", A_REL, 'l'}, {"leqslant", A_REL, 'l'},
  {"ge", A_REL, 'g'}, {"geq", A_REL, 'g'}, {"geqslant", A_REL, 'g'},
  {"ne", A_REL, 'n'}, {"neq", A_REL, 'n'}, {"lt", A_REL, '<'},
  {"gt", A_REL, '>'}, {"approx", A_REL, 'a'}, {"equiv", A_REL, '='},
  {"ldots", A_CMD, C_DOTS}, {"cdots", A_CMD, C_DOTS},
  {"dots", A_CMD, C_DOTS}, {"dotsc", A_CMD, C_DOTS},
  {"vert", A_CHAR, '|'}, {"lvert", A_CHAR, '|'}, {"rvert", A_CHAR, '|'},
  {"|", A_CHAR, '|'}, {"mid", A_CHAR, '|'},
  {"sin", A_FUNC, F_SIN}, {"cos", A_FUNC, F_COS}, {"tan", A_FUNC, F_TAN},
  {"sec", A_FUNC, F_SEC}, {"csc", A_FUNC, F_CSC}, {"cot", A_FUNC, F_COT},
  {"arcsin", A_FUNC, F_ASIN}, {"arccos", A_FUNC, F_ACOS},
  {"arctan", A_FUNC, F_ATAN}, {"sinh", A_FUNC, F_SINH},
  {"cosh", A_FUNC, F_COSH}, {"tanh", A_FUNC, F_TANH},
  {"log", A_FUNC, F_LOG}, {"lg", A_FUNC, F_LOG}, {"ln", A_FUNC, F_LN},
  {"exp", A_FUNC, F_EXP},
  {"text", A_TEXT, 0}, {"textbf", A_TEXT, 0}, {"textit", A_TEXT, 0},
  {"textrm", A_TEXT, 0}, {"textnormal", A_TEXT, 0}, {"textsf", A_TEXT, 0},
  {"texttt", A_TEXT, 0}, {"mbox", A_TEXT, 0}, {"hbox", A_TEXT, 0},
  {"mathrm", A_TEXT, 0}, {"emph", A_TEXT, 0}, {"textup", A_TEXT, 0},
  {"mathbf", A_FONT, 0}, {"boldsymbol", A_FONT, 0}, {"mathit", A_FONT, 0},
  {"mathsf", A_FONT, 0}, {"mathtt", A_FONT, 0}, {"bm", A_FONT, 0},
  {"mathcal", A_FONT, 0}, {"boxed", A_FONT, 0}, {"fbox", A_FONT, 0},
  {"underline", A_FONT, 0}, {"overline", A_FONT, 0},
  {"mathbb", A_MATHBB, 0}, {"operatorname", A_OPNAME, 0},
  {"begin", A_BEGIN, 0}, {"end", A_END, 0},
  {"circ", A_DEG, 0}, {"degree", A_DEG, 0}, {"%", A_DEG, 0},
  {"$", A_NOISE, 0}, {"left", A_NOISE, 0}, {"right", A_NOISE, 0},
  {"big", A_NOISE, 0}, {"Big", A_NOISE, 0}, {"bigg", A_NOISE, 0},
  {"Bigg", A_NOISE, 0}, {"bigl", A_NOISE, 0}, {"bigr", A_NOISE, 0},
  {"Bigl", A_NOISE, 0}, {"Bigr", A_NOISE, 0}, {"biggl", A_NOISE, 0},
  {"biggr", A_NOISE, 0}, {"Biggl", A_NOISE, 0}, {"Biggr", A_NOISE, 0},
  {"displaystyle", A_NOISE, 0}, {"textstyle", A_NOISE, 0},
  {"scriptstyle", A_NOISE, 0}, {"limits", A_NOISE, 0},
  {"quad", A_NOISE, 0}, {"qquad", A_NOISE, 0}, {",", A_NOISE, 0},
  {"!", A_NOISE, 0}, {";", A_NOISE, 0}, {":", A_NOISE, 0},
  {" ", A_NOISE, 0}, {"(", A_NOISE, 0}, {")", A_NOISE, 0},
  {"[", A_NOISE, 0}, {"]", A_NOISE, 0}, {"hline", A_NOISE, 0},
  {"enspace", A_NOISE, 0}, {"thinspace", A_NOISE, 0},
  {"medspace", A_NOISE, 0}, {"thickspace", A_NOISE, 0},
  {"negthinspace", A_NOISE, 0}, {"nonumber", A_NOISE, 0},
  {"alpha", A_VAR, 0}, {"beta", A_VAR, 0}, {"gamma", A_VAR, 0},
  {"delta", A_VAR, 0}, {"epsilon", A_VAR, 0}, {"varepsilon", A_VAR, 0},
  {"zeta", A_VAR, 0}, {"eta", A_VAR, 0}, {"theta", A_VAR, 0},
  {"vartheta", A_VAR, 0}, {"iota", A_VAR, 0}, {"kappa", A_VAR, 0},
  {"lambda", A_VAR, 0}, {"mu", A_VAR, 0}, {"nu", A_VAR, 0},
  {"xi", A_VAR, 0}, {"rho", A_VAR, 0}, {"sigma", A_VAR, 0},
  {"tau", A_VAR, 0}, {"upsilon", A_VAR, 0}, {"phi", A_VAR, 0},
  {"varphi", A_VAR, 0}, {"chi", A_VAR, 0}, {"psi", A_VAR, 0},
  {"omega", A_VAR, 0}, {"Gamma", A_VAR, 0}, {"Delta", A_VAR, 0},
  {"Theta", A_VAR, 0}, {"Lambda", A_VAR, 0}, {"Xi", A_VAR, 0},
  {"Sigma", A_VAR, 0}, {"Phi", A_VAR, 0}, {"Psi", A_VAR, 0},
  {"Omega", A_VAR, 0}, {"ell", A_VAR, 0},
};

static const char *const units2[] = {
  "cm", "mm", "km", "kg", "mg", "lb", "oz", "ft", "yd", "ml", "hr",
  "mi", "am", "pm", "in", "sq", "mL", "dm", "ms", "kW", "Hz",
};

/* two-letter words that are text, not a product of two variables */
static const char *const words2[] = {
  "no", "No", "is", "of", "to", "at", "on", "by", "an", "as", "be",
  "if", "it", "up", "so", "we",
};

static const struct cmdent *find_cmd(const char *s, int len)
{
  if(len <= 0)
    return NULL;
  for(size_t k = 0; k < sizeof(cmds) / sizeof(cmds[0]); k++) {
    const char *nm = cmds[k].name;
    if(nm[0] == s[0] && !strncmp(nm, s, (size_t)len) && nm[len] == '\0')
      return &cmds[k];
  }
  return NULL;
}

static int word_is(const char *s, int len, const char *w)
{
  if(len <= 0 || tolower((unsigned char)s[0]) != w[0])
    return 0;
  int wl = (int)strlen(w);
  if(wl != len)
    return 0;
  for(int i = 0; i < len; i++)
    if(tolower((unsigned char)s[i]) != w[i])
      return 0;
  return 1;
}

static int emit(struct lx *L, int k, int c, int pos, int len)
{
  struct side *sd = L->sd;
  if(sd->ntok >= GOLD_MAX_TOK - 1) {
    sd->status = GS_LONG;
    return -1;
  }
  struct tok *t = &sd->tok[sd->ntok++];
  t->k = (uint8_t)k;
  t->c = (uint8_t)c;
  t->pos = (uint16_t)pos;
  t->len = (uint16_t)len;
  t->lit = -1;
  t->match = -1;
  t->depth = 0;
  if(k == T_FUNC && c <= F_COT)
    L->trig = 1;
  return 0;
}

/* A degree mark at [pos, pos + len): dropped (30^\circ = 30), except once
 * a trig function was seen, where the parser needs it (\sin 30^\circ). */
static int deg_mark(struct lx *L, int pos, int len)
{
  return L->trig ? emit(L, T_CMD, C_DEG, pos, len) : 0;
}

static int value_end(const struct side *sd)
{
  if(sd->ntok == 0)
    return 0;
  const struct tok *t = &sd->tok[sd->ntok - 1];
  switch(t->k) {
  case T_NUM: case T_VAR: case T_ENDENV: return 1;
  case T_CHAR: return t->c == ')' || t->c == ']' || t->c == '}' ||
                      t->c == '!';
  case T_CMD: return t->c == C_PI || t->c == C_RSET || t->c == C_INF ||
                     t->c == C_RANGLE || t->c == C_DEG;
  default: return 0;
  }
}

/* Index of the '}' closing the '{' at j, or -1. */
static int match_brace(const char *s, int n, int j)
{
  int d = 0;
  for(int i = j; i < n; i++) {
    if(s[i] == '\\') {
      i++;
      continue;
    }
    if(s[i] == '{')
      d++;
    else if(s[i] == '}' && --d == 0)
      return i;
  }
  return -1;
}

static int skip_sp(const char *s, int n, int i)
{
  while(i < n && isspace((unsigned char)s[i]))
    i++;
  return i;
}

/* Skip one macro argument at i, marking a bare digit as one-digit. */
static int mark_arg(struct lx *L, int i)
{
  i = skip_sp(L->s, L->n, i);
  if(i >= L->n)
    return i;
  char ch = L->s[i];
  if(ch == '{') {
    int m = match_brace(L->s, L->n, i);
    return m < 0 ? L->n : m + 1;
  }
  if(isdigit((unsigned char)ch)) {
    L->single[i] = 1;
    return i + 1;
  }
  if(ch == '\\') {
    i++;
    if(i < L->n && isalpha((unsigned char)L->s[i]))
      while(i < L->n && isalpha((unsigned char)L->s[i]))
        i++;
    else
      i++;
    return i;
  }
  return i + 1;
}

/* Skip "^2", "^{2}", "^3" after a unit. */
static int skip_unit_pow(const char *s, int n, int i)
{
  int j = skip_sp(s, n, i);
  if(j < n && s[j] == '^') {
    j = skip_sp(s, n, j + 1);
    if(j < n && isdigit((unsigned char)s[j]))
      return j + 1;
    if(j < n && s[j] == '{') {
      int m = match_brace(s, n, j);
      return m < 0 ? n : m + 1;
    }
  }
  return i;
}

static int new_lit(struct side *sd)
{
  if(sd->nlit >= GOLD_MAX_LIT) {
    sd->status = GS_COMPLEX;
    return -1;
  }
  return sd->nlit++;
}

static int three_digits(const char *s, int n, int j)
{
  return j + 3 <= n && isdigit((unsigned char)s[j]) &&
         isdigit((unsigned char)s[j + 1]) &&
         isdigit((unsigned char)s[j + 2]) &&
         (j + 3 == n || !isdigit((unsigned char)s[j + 3]));
}

/* Length of a thousands separator at i ("," at top level, "{,}" and
 * "{ , }", ",\!" and ",\! ", "\,", "\ ", "\!", one plain space)
 * followed by exactly three digits, else 0. */
static int thousands_sep(struct lx *L, int i)
{
  const char *s = L->s;
  int n = L->n, j = i;
  while(j < n && s[j] == ' ')
    j++;
  if(j < n && s[j] == '{') {
    int k = skip_sp(s, n, j + 1);
    if(k < n && s[k] == ',') {
      k = skip_sp(s, n, k + 1);
      if(k < n && s[k] == '}') {
        k = skip_sp(s, n, k + 1);
        if(three_digits(s, n, k))
          return k - i;
      }
    }
  }
  if(i + 3 <= n && !memcmp(s + i, ",\\!", 3)) {
    int k = skip_sp(s, n, i + 3);
    if(k - i <= 4 && three_digits(s, n, k))
      return k - i;
  }
  if(i + 2 <= n && (!memcmp(s + i, "\\,", 2) || !memcmp(s + i, "\\ ", 2) ||
                    !memcmp(s + i, "\\!", 2)) &&
     three_digits(s, n, i + 2))
    return 2;
  if(i < n && s[i] == ',' && L->depth == 0 && three_digits(s, n, i + 1))
    return 1;
  if(i + 1 < n && s[i] == ' ' && three_digits(s, n, i + 1))
    return 1;
  return 0;
}

/* Emit the exact value of a repeating decimal: digits dig (frac of them
 * after the point) then the repeated block rep (r digits). */
static int lex_repeat(struct lx *L, int start, char *dig, int nd, int frac,
                      const char *rep, int r, int end)
{
  struct side *sd = L->sd;
  struct gnum_pool *p = &sd->ctx->pool;
  struct gnum a, b, num, den, t, q;
  memcpy(dig + nd, rep, (size_t)r);
  int st = gnum_from_dec(p, dig, nd + r, 0, 0, &a);
  if(!st)
    st = gnum_from_dec(p, dig, nd, 0, 0, &b);
  if(!st)
    st = gnum_sub(p, a, b, &num);
  if(!st)
    st = gnum_pow(p, gnum_int(10), r, &t);
  if(!st)
    st = gnum_sub(p, t, gnum_int(1), &t);
  if(!st)
    st = gnum_pow(p, gnum_int(10), frac, &den);
  if(!st)
    st = gnum_mul(p, den, t, &den);
  if(!st)
    st = gnum_div(p, num, den, &q);
  int li = st ? -1 : new_lit(sd);
  if(li < 0) {
    sd->status = GS_COMPLEX;
    return -1;
  }
  struct lit *lt = &sd->lit[li];
  lt->q = q;
  lt->f = gnum_to_double(q);
  lt->places = 0;
  lt->sig = 0;
  lt->is_dec = 0;
  if(emit(L, T_NUM, 0, start, end - start) < 0)
    return -1;
  sd->tok[sd->ntok - 1].lit = (int16_t)li;
  L->i = end;
  return 0;
}

static int lex_num(struct lx *L)
{
  struct side *sd = L->sd;
  const char *s = L->s;
  int n = L->n, i = L->i, start = i;
  char dig[GOLD_MAX_ANSWER + 40];
  int nd = 0, frac = 0, dec = 0, exp10 = 0;
  if(L->single[i]) {
    dig[nd++] = s[i++];
  }
  else {
    int grp = 0, ngroups = 0;
    for(;;) {
      while(i < n && isdigit((unsigned char)s[i])) {
        dig[nd++] = s[i++];
        grp++;
      }
      /* groups: 1-3 digits, then 3 each; "0,111" is no number */
      int k = grp <= 3 && (ngroups == 0 || grp == 3) && nd > 0 &&
                      dig[0] != '0'
                  ? thousands_sep(L, i) : 0;
      if(!k)
        break;
      i += k;
      grp = 0;
      ngroups++;
    }
    if(i + 1 < n && s[i] == '.' && isdigit((unsigned char)s[i + 1])) {
      dec = 1;
      i++;
      while(i < n && isdigit((unsigned char)s[i])) {
        dig[nd++] = s[i++];
        frac++;
      }
    }
    /* repeating decimal 0.1\overline{6} */
    int ov = i + (i < n && s[i] == '.' && !dec);
    if(ov + 10 <= n && !memcmp(s + ov, "\\overline{", 10)) {
      int k = ov + 10, r = 0;
      while(k < n && isdigit((unsigned char)s[k]) && r < 30)
        k++, r++;
      if(r > 0 && k < n && s[k] == '}')
        return lex_repeat(L, start, dig, nd, frac, s + ov + 10, r, k + 1);
    }
    if(nd == 0)
      dig[nd++] = '0';
    /* 1.5e3, 2E-4 (not followed by a letter) */
    if(i < n && (s[i] == 'e' || s[i] == 'E')) {
      int j = i + 1, sg = 1;
      if(j < n && (s[j] == '+' || s[j] == '-')) {
        sg = s[j] == '-' ? -1 : 1;
        j++;
      }
      if(j < n && isdigit((unsigned char)s[j])) {
        int e = 0, k = j;
        while(k < n && isdigit((unsigned char)s[k]) && e < 100000)
          e = e * 10 + (s[k++] - '0');
        if(k >= n || !isalpha((unsigned char)s[k])) {
          exp10 = sg * e;
          i = k;
        }
      }
    }
  }
  int sig = 0, seen = 0;
  for(int k = 0; k < nd; k++) {
    if(dig[k] != '0')
      seen = 1;
    if(seen)
      sig++;
  }
  int li = new_lit(sd);
  if(li < 0)
    return -1;
  struct lit *lt = &sd->lit[li];
  int st = gnum_from_dec(&sd->ctx->pool, dig, nd, frac, exp10, &lt->q);
  if(st) {
    sd->status = GS_COMPLEX;
    return -1;
  }
  lt->f = gnum_to_double(lt->q);
  lt->places = (int16_t)(frac - exp10 < 0 ? 0 : frac - exp10);
  lt->sig = (int16_t)sig;
  lt->is_dec = (uint8_t)dec;
  if(emit(L, T_NUM, 0, start, i - start) < 0)
    return -1;
  sd->tok[sd->ntok - 1].lit = (int16_t)li;
  /* base subscript 1011_2, 777_{8}: the digits stand, the base goes */
  if(!dec && i < n && s[i] == '_') {
    int j = i + 1;
    if(j < n && s[j] == '{') {
      int k = j + 1;
      while(k < n && isdigit((unsigned char)s[k]))
        k++;
      if(k < n && s[k] == '}' && k > j + 1)
        i = k + 1;
    }
    else if(j < n && isdigit((unsigned char)s[j])) {
      while(j < n && isdigit((unsigned char)s[j]))
        j++;
      i = j;
    }
  }
  L->i = i;
  return 0;
}

static int in_text(const struct lx *L)
{
  return L->ntend > 0;
}

/* "am", "pm", "a.m.", "P.M." at i (after a value: a clock time's half
 * of the day): 'a' or 'p' and the end in *end, else 0. */
static int meridiem(const char *s, int n, int i, int *end)
{
  char h = (char)tolower((unsigned char)s[i]);
  if(h != 'a' && h != 'p')
    return 0;
  int j = i + 1, dots = 0;
  if(j < n && s[j] == '.')
    j++, dots++;
  if(j >= n || (s[j] != 'm' && s[j] != 'M'))
    return 0;
  j++;
  if(j < n && s[j] == '.')
    j++, dots++;
  if(j < n && isalpha((unsigned char)s[j]))
    return 0;
  if(dots == 1 && s[i + 1] == '.')
    return 0;
  if(!dots && (isupper((unsigned char)s[i]) ||
                isupper((unsigned char)s[j - 1])))
    return 0; /* "AM" is a segment */
  *end = j;
  return h;
}

static int lex_letters(struct lx *L)
{
  const char *s = L->s;
  int i = L->i, start = i;
  while(i < L->n && isalpha((unsigned char)s[i]))
    i++;
  int len = i - start;
  L->i = i;
  int half = len <= 2 ? meridiem(s, L->n, start, &L->i) : 0;
  if(half)
    return emit(L, T_UNIT, half, start, L->i - start);
  if(len == 1)
    return emit(L, T_VAR, 0, start, 1);
  const struct cmdent *c = find_cmd(s + start, len);
  if(c && c->act == A_FUNC)
    return emit(L, T_FUNC, c->code, start, len);
  if(word_is(s + start, len, "or") || word_is(s + start, len, "and"))
    return emit(L, T_SEP, 0, start, len);
  if(word_is(s + start, len, "pi"))
    return emit(L, T_CMD, C_PI, start, len);
  if(word_is(s + start, len, "sqrt"))
    return emit(L, T_CMD, C_SQRT, start, len);
  if(word_is(s + start, len, "infinity") || word_is(s + start, len, "inf"))
    return emit(L, T_CMD, C_INF, start, len);
  if(word_is(s + start, len, "degrees") || word_is(s + start, len, "degree")
     || word_is(s + start, len, "deg"))
    return deg_mark(L, start, len);
  if(len == 2) {
    for(size_t k = 0; k < sizeof(units2) / sizeof(units2[0]); k++)
      if(!memcmp(units2[k], s + start, 2))
        return emit(L, T_UNIT, 0, start, len);
    for(size_t k = 0; k < sizeof(words2) / sizeof(words2[0]); k++)
      if(!memcmp(words2[k], s + start, 2))
        return emit(L, T_WORD, 0, start, len);
    if(!in_text(L)) {
      if(emit(L, T_VAR, 0, start, 1) < 0)
        return -1;
      return emit(L, T_VAR, 0, start + 1, 1);
    }
  }
  return emit(L, T_WORD, 0, start, len);
}

/* Text that opens with "with", "where", "since" or "because": a
 * comment on the value before it. */
static int comment_word(const char *s, int len)
{
  static const char *const w[] = {"with", "where", "since", "because"};
  int c = tolower((unsigned char)s[0]);
  if(c != 'w' && c != 's' && c != 'b')
    return 0;
  for(int k = 0; k < 4; k++) {
    int l = (int)strlen(w[k]);
    if(len >= l && !strncasecmp(s, w[k], (size_t)l) &&
       (len == l || !isalpha((unsigned char)s[l])))
      return 1;
  }
  return 0;
}

/* \text{...} and friends, the command name ending at i. */
static int lex_text(struct lx *L, int i)
{
  const char *s = L->s;
  int n = L->n;
  int j = skip_sp(s, n, i);
  if(j >= n || s[j] != '{') {
    L->i = j;
    return 0;
  }
  int close = match_brace(s, n, j);
  if(close < 0)
    close = n;
  int a = j + 1, b = close;
  while(a < b && isspace((unsigned char)s[a]))
    a++;
  while(b > a && isspace((unsigned char)s[b - 1]))
    b--;
  if(a == b) {
    L->i = close + 1;
    return 0;
  }
  if(word_is(s + a, b - a, "or") || word_is(s + a, b - a, "and") ||
     word_is(s + a, b - a, ",") || word_is(s + a, b - a, "or ")) {
    L->i = close + 1;
    return emit(L, T_SEP, 0, a, b - a);
  }
  int me;
  int half = meridiem(s, b, a, &me);
  if(half && me == b && value_end(L->sd)) {
    L->i = close + 1;
    return emit(L, T_UNIT, half, a, b - a);
  }
  if(value_end(L->sd) && isalpha((unsigned char)s[a])) {
    if(comment_word(s + a, b - a)) {
      /* commentary after the value ends it: "x+1 \text{ with a
       * remainder of } 3" is x+1 */
      L->i = n;
      return 0;
    }
    /* a unit after a value: 5\text{ cm}^2 */
    L->i = skip_unit_pow(s, n, close + 1 > n ? n : close + 1);
    return 0;
  }
  if(L->ntend >= 16) {
    L->sd->status = GS_DEEP;
    return -1;
  }
  L->tend[L->ntend++] = close;
  L->i = j + 1;
  return 0;
}

static int lex_cmd(struct lx *L)
{
  const char *s = L->s;
  int n = L->n, start = L->i, i = start + 1;
  if(i >= n) {
    L->i = n;
    return 0;
  }
  int nb = i;
  if(isalpha((unsigned char)s[i]))
    while(i < n && isalpha((unsigned char)s[i]))
      i++;
  else
    i++;
  const struct cmdent *c = find_cmd(s + nb, i - nb);
  L->i = i;
  if(!c)
    return emit(L, T_CMD, C_UNKNOWN, start, i - start);
  switch(c->act) {
  case A_NOISE: case A_FONT: return 0;
  case A_DEG: /* \circ, \degree; \% is dropped */
    return s[nb] == '%' ? 0 : deg_mark(L, start, i - start);
  case A_CMD:
    if(c->code == C_LSET)
      L->depth++;
    else if(c->code == C_RSET)
      L->depth--;
    return emit(L, T_CMD, c->code, start, i - start);
  case A_FRAC: case A_BINOM:
    mark_arg(L, mark_arg(L, i));
    return emit(L, T_CMD, c->code, start, i - start);
  case A_SQRT: {
    int j = skip_sp(s, n, i);
    if(j < n && s[j] != '[')
      mark_arg(L, j);
    return emit(L, T_CMD, c->code, start, i - start);
  }
  case A_FUNC: return emit(L, T_FUNC, c->code, start, i - start);
  case A_REL: return emit(L, T_REL, c->code, start, i - start);
  case A_CHAR: return emit(L, T_CHAR, c->code, start, i - start);
  case A_VAR: return emit(L, T_VAR, 0, start, i - start);
  case A_TEXT: return lex_text(L, i);
  case A_MATHBB: {
    int j = skip_sp(s, n, i);
    if(j + 2 < n && s[j] == '{' && s[j + 2] == '}') {
      L->i = j + 3;
      if(s[j + 1] == 'R')
        return emit(L, T_CMD, C_REALS, start, j + 3 - start);
      return emit(L, T_VAR, 0, j + 1, 1);
    }
    return 0;
  }
  case A_OPNAME: {
    int j = skip_sp(s, n, i);
    if(j < n && s[j] == '{') {
      int m = match_brace(s, n, j);
      if(m < 0)
        m = n;
      const struct cmdent *f = find_cmd(s + j + 1, m - j - 1);
      L->i = m < n ? m + 1 : n;
      if(f && f->act == A_FUNC)
        return emit(L, T_FUNC, f->code, j + 1, m - j - 1);
      return emit(L, T_WORD, 0, j + 1, m - j - 1);
    }
    return 0;
  }
  case A_BEGIN: case A_END: {
    int j = skip_sp(s, n, i);
    if(j >= n || s[j] != '{')
      return 0;
    int m = match_brace(s, n, j);
    if(m < 0) {
      L->i = n;
      return 0;
    }
    const char *nm = s + j + 1;
    int nl = m - j - 1;
    L->i = m + 1;
    int mat = nl >= 6 && !memcmp(nm + nl - 6, "matrix", 6);
    int arr = nl == 5 && !memcmp(nm, "array", 5);
    if(!mat && !arr)
      return 0;
    if(c->act == A_END)
      return emit(L, T_ENDENV, 0, start, L->i - start);
    if(arr) {
      int k = skip_sp(s, n, L->i);
      if(k < n && s[k] == '{') {
        int m2 = match_brace(s, n, k);
        L->i = m2 < 0 ? n : m2 + 1;
      }
    }
    return emit(L, T_BEGIN, 0, start, m + 1 - start);
  }
  }
  return 0;
}

static int lex_utf8(struct lx *L)
{
  const unsigned char *u = (const unsigned char *)L->s + L->i;
  int rem = L->n - L->i, start = L->i;
  static const struct {
    const char *seq;
    int k, c;
  } map[] = {
    {"\xcf\x80", T_CMD, C_PI}, {"\xe2\x88\x9a", T_CMD, C_SQRT},
    {"\xc3\x97", T_CMD, C_TIMES}, {"\xc2\xb7", T_CMD, C_TIMES},
    {"\xc3\xb7", T_CMD, C_DIV}, {"\xe2\x88\x92", T_CHAR, '-'},
    {"\xe2\x80\x93", T_CHAR, '-'}, {"\xe2\x89\xa4", T_REL, 'l'},
    {"\xe2\x89\xa5", T_REL, 'g'}, {"\xe2\x89\xa0", T_REL, 'n'},
    {"\xe2\x88\x9e", T_CMD, C_INF}, {"\xc2\xb1", T_CMD, C_PM},
    {"\xe2\x88\xaa", T_CMD, C_CUP}, {"\xc2\xb0", 0, 0},
    {"\xe2\x80\xaf", 0, 0}, {"\xc2\xa0", 0, 0},
    {"\xe2\x80\xa6", T_CMD, C_DOTS},
  };
  for(size_t k = 0; k < sizeof(map) / sizeof(map[0]); k++) {
    int l = (int)strlen(map[k].seq);
    if(rem >= l && !memcmp(u, map[k].seq, (size_t)l)) {
      L->i += l;
      if(!strcmp(map[k].seq, "\xc2\xb0")) /* the degree sign */
        return deg_mark(L, start, l);
      if(!map[k].k)
        return 0;
      return emit(L, map[k].k, map[k].c, start, l);
    }
  }
  /* any other multi-byte character: one opaque char token */
  int l = 1;
  while(l < rem && l < 4 && (u[l] & 0xc0) == 0x80)
    l++;
  L->i += l;
  return emit(L, T_CHAR, '?', start, l);
}

static int lex(struct side *sd, const char *s, int n)
{
  struct lx L;
  L.sd = sd;
  L.s = s;
  L.n = n;
  L.i = 0;
  L.depth = 0;
  L.ntend = 0;
  L.trig = 0;
  memset(L.single, 0, (size_t)n + 1);
  while(L.i < n) {
    if(sd->status)
      return -1;
    int i = L.i;
    unsigned char ch = (unsigned char)s[i];
    if(L.ntend && i >= L.tend[L.ntend - 1]) {
      L.ntend--;
      L.i = i + 1;
      continue;
    }
    if(isspace(ch) || ch == '$' || ch == '~' || ch == '%' || ch == '`') {
      L.i++;
      continue;
    }
    int r = 0;
    if(isdigit(ch) || (ch == '.' && i + 1 < n &&
                       isdigit((unsigned char)s[i + 1])))
      r = lex_num(&L);
    else if(ch == '.' && i + 2 < n && s[i + 1] == '.' && s[i + 2] == '.') {
      L.i += 3;
      r = emit(&L, T_CMD, C_DOTS, i, 3);
    }
    else if(ch == '.') {
      L.i++;
      continue;
    }
    else if(isalpha(ch))
      r = lex_letters(&L);
    else if(ch == '\\')
      r = lex_cmd(&L);
    else if(ch >= 0x80)
      r = lex_utf8(&L);
    else if(ch == '^') {
      /* degrees: ^\circ, ^{\circ} */
      int j = skip_sp(s, n, i + 1);
      int brace = j < n && s[j] == '{';
      int k = skip_sp(s, n, j + brace);
      if(k + 5 <= n && !memcmp(s + k, "\\circ", 5)) {
        k = skip_sp(s, n, k + 5);
        if(brace && k < n && s[k] == '}')
          k++;
        L.i = k;
        r = deg_mark(&L, i, k - i);
        if(r < 0)
          return -1;
        continue;
      }
      L.i++;
      r = emit(&L, T_CHAR, '^', i, 1);
    }
    else if(ch == '*' && i + 1 < n && s[i + 1] == '*') {
      L.i += 2;
      r = emit(&L, T_CHAR, '^', i, 2);
    }
    else if(ch == '<' || ch == '>' || ch == '=' ||
            (ch == '!' && i + 1 < n && s[i + 1] == '=')) {
      int c = ch, l = 1;
      if(i + 1 < n && s[i + 1] == '=') {
        c = ch == '<' ? 'l' : ch == '>' ? 'g' : ch == '!' ? 'n' : '=';
        l = 2;
      }
      L.i += l;
      r = emit(&L, T_REL, c, i, l);
    }
    else {
      if(ch == '(' || ch == '[')
        L.depth++;
      else if(ch == ')' || ch == ']')
        L.depth--;
      L.i++;
      r = emit(&L, T_CHAR, ch, i, 1);
    }
    if(r < 0)
      return -1;
  }
  return sd->status ? -1 : 0;
}

/* ------------------------------------------------------ bracket matching */

static int opener(const struct tok *t)
{
  if(t->k == T_CHAR)
    return t->c == '(' || t->c == '[' || t->c == '{';
  if(t->k == T_CMD)
    return t->c == C_LSET || t->c == C_LANGLE || t->c == C_LFLOOR ||
           t->c == C_LCEIL;
  return t->k == T_BEGIN;
}

static int closer(const struct tok *t)
{
  if(t->k == T_CHAR)
    return t->c == ')' || t->c == ']' || t->c == '}';
  if(t->k == T_CMD)
    return t->c == C_RSET || t->c == C_RANGLE || t->c == C_RFLOOR ||
           t->c == C_RCEIL;
  return t->k == T_ENDENV;
}

static int pairs(const struct tok *o, const struct tok *c)
{
  if(o->k == T_BEGIN)
    return c->k == T_ENDENV;
  if(o->k == T_CHAR && (o->c == '(' || o->c == '['))
    return c->k == T_CHAR && (c->c == ')' || c->c == ']');
  if(o->k == T_CHAR)
    return c->k == T_CHAR && c->c == '}';
  if(c->k != T_CMD)
    return 0;
  return (o->c == C_LSET && c->c == C_RSET) ||
         (o->c == C_LANGLE && c->c == C_RANGLE) ||
         (o->c == C_LFLOOR && c->c == C_RFLOOR) ||
         (o->c == C_LCEIL && c->c == C_RCEIL);
}

static int match_pass(struct side *sd)
{
  int16_t st[GOLD_MAX_DEPTH];
  int ns = 0;
  for(int i = 0; i < sd->ntok; i++) {
    struct tok *t = &sd->tok[i];
    t->depth = (int8_t)ns;
    if(opener(t)) {
      if(ns >= GOLD_MAX_DEPTH) {
        sd->status = GS_DEEP;
        return -1;
      }
      st[ns++] = (int16_t)i;
    }
    else if(closer(t)) {
      if(!ns || !pairs(&sd->tok[st[ns - 1]], t)) {
        sd->status = GS_PARSE;
        return -1;
      }
      int o = st[--ns];
      t->match = (int16_t)o;
      sd->tok[o].match = (int16_t)i;
      t->depth = (int8_t)ns;
    }
  }
  if(ns) {
    sd->status = GS_PARSE;
    return -1;
  }
  return 0;
}

/* ------------------------------------------------------ expression parser */

struct ps {
  struct side *sd;
  int pos, hi, depth, absd;
  int trig; /* parsing a trig function's argument: degrees to radians */
  int lo;   /* the first token of the whole expression */
};

static const struct tok end_tok = {T_END, 0, 0, 0, -1, -1, 0};

static const struct tok *peek(const struct ps *p)
{
  return p->pos < p->hi ? &p->sd->tok[p->pos] : &end_tok;
}

static int is_ch(const struct tok *t, int c)
{
  return t->k == T_CHAR && t->c == c;
}

static int is_cmd(const struct tok *t, int c)
{
  return t->k == T_CMD && t->c == c;
}

static int mk(struct ps *p, int kind, int a, int b)
{
  struct side *sd = p->sd;
  if(sd->nnode >= GOLD_MAX_NODE) {
    sd->status = GS_COMPLEX;
    return -1;
  }
  struct node *nd = &sd->nd[sd->nnode];
  nd->kind = (uint8_t)kind;
  nd->fn = 0;
  nd->a = (int16_t)a;
  nd->b = (int16_t)b;
  nd->pm = -1;
  nd->lit = -1;
  nd->var = 0;
  nd->hv = (uint8_t)((a >= 0 && sd->nd[a].hv) || (b >= 0 && sd->nd[b].hv));
  nd->hinf = (uint8_t)(kind == N_INF || (a >= 0 && sd->nd[a].hinf) ||
                       (b >= 0 && sd->nd[b].hinf));
  return sd->nnode++;
}

static int fail(struct ps *p)
{
  if(!p->sd->status)
    p->sd->status = GS_PARSE;
  return -1;
}

static uint64_t fnv(uint64_t h, const char *s, int n)
{
  for(int i = 0; i < n; i++) {
    h ^= (unsigned char)s[i];
    h *= 1099511628211ULL;
  }
  return h;
}

static int p_sum(struct ps *p);
static int p_unary(struct ps *p);
static int p_power(struct ps *p);
static int p_primary(struct ps *p, int nomixed);

static int enter(struct ps *p)
{
  if(++p->depth > GOLD_MAX_DEPTH) {
    p->sd->status = GS_DEEP;
    return -1;
  }
  return 0;
}

static int expect(struct ps *p, int c)
{
  if(!is_ch(peek(p), c))
    return fail(p);
  p->pos++;
  return 0;
}

static int starts_primary(const struct ps *p, const struct tok *t)
{
  switch(t->k) {
  case T_NUM: case T_VAR: case T_FUNC: return 1;
  case T_CHAR:
    return t->c == '(' || t->c == '[' || t->c == '{' ||
           (t->c == '|' && p->absd == 0);
  case T_CMD:
    return t->c == C_FRAC || t->c == C_SQRT || t->c == C_BINOM ||
           t->c == C_PI || t->c == C_INF || t->c == C_LFLOOR ||
           t->c == C_LCEIL || t->c == C_UNKNOWN || t->c == C_DOTS;
  default: return 0;
  }
}

static int p_sum(struct ps *p)
{
  if(enter(p) < 0)
    return -1;
  int l = p_unary(p);
  while(l >= 0) {
    const struct tok *t = peek(p);
    if(is_ch(t, '+') || is_ch(t, '-')) {
      p->pos++;
      int r = p_unary(p);
      if(r < 0)
        return -1;
      l = mk(p, t->c == '+' ? N_ADD : N_SUB, l, r);
    }
    else if(is_cmd(t, C_PM) || is_cmd(t, C_MP)) {
      p->pos++;
      int r = p_unary(p);
      if(r < 0)
        return -1;
      l = mk(p, N_PM, l, r);
      if(l >= 0) {
        p->sd->nd[l].pm = (int16_t)p->sd->npm++;
        p->sd->nd[l].fn = t->c == C_MP;
      }
    }
    else
      break;
  }
  p->depth--;
  return l;
}

/* The operand of an explicit * or /: a signed power and the factors
 * juxtaposed to it ("1/2x" is 1/(2x)), not a further * or /, so that
 * "1/2*x" is x/2 and "a/b/c" is (a/b)/c. */
static int p_operand(struct ps *p)
{
  if(enter(p) < 0)
    return -1;
  const struct tok *t = peek(p);
  int r;
  if(is_ch(t, '-')) {
    p->pos++;
    int a = p_operand(p);
    r = a < 0 ? -1 : mk(p, N_NEG, a, -1);
  }
  else if(is_ch(t, '+')) {
    p->pos++;
    r = p_operand(p);
  }
  else if(is_cmd(t, C_PM) || is_cmd(t, C_MP))
    r = p_unary(p);
  else {
    r = p_power(p);
    while(r >= 0 && starts_primary(p, peek(p))) {
      int x = p_power(p);
      r = x < 0 ? -1 : mk(p, N_MUL, r, x);
    }
  }
  p->depth--;
  return r;
}

/* term: factors joined by *, /, or juxtaposition, left to right */
static int p_term(struct ps *p, int first)
{
  int l = first;
  while(l >= 0) {
    const struct tok *t = peek(p);
    if(is_ch(t, '*') || is_cmd(t, C_TIMES)) {
      p->pos++;
      int r = p_operand(p);
      l = r < 0 ? -1 : mk(p, N_MUL, l, r);
    }
    else if(is_ch(t, '/') || is_cmd(t, C_DIV)) {
      p->pos++;
      int r = p_operand(p);
      l = r < 0 ? -1 : mk(p, N_DIV, l, r);
    }
    else if(starts_primary(p, t)) {
      int r = p_power(p);
      l = r < 0 ? -1 : mk(p, N_MUL, l, r);
    }
    else
      break;
  }
  return l;
}

static int p_unary(struct ps *p)
{
  if(enter(p) < 0)
    return -1;
  const struct tok *t = peek(p);
  int r;
  if(is_ch(t, '-')) {
    p->pos++;
    int a = p_unary(p);
    r = a < 0 ? -1 : mk(p, N_NEG, a, -1);
  }
  else if(is_ch(t, '+')) {
    p->pos++;
    r = p_unary(p);
  }
  else if(is_cmd(t, C_PM) || is_cmd(t, C_MP)) {
    p->pos++;
    int a = p_unary(p);
    r = a < 0 ? -1 : mk(p, N_PM, -1, a);
    if(r >= 0) {
      p->sd->nd[r].pm = (int16_t)p->sd->npm++;
      p->sd->nd[r].fn = t->c == C_MP;
    }
  }
  else {
    r = p_power(p);
    if(r >= 0)
      r = p_term(p, r);
  }
  p->depth--;
  return r;
}

/* x degrees in radians: x * pi / 180 */
static int deg_to_rad(struct ps *p, int x)
{
  struct side *sd = p->sd;
  int pi = mk(p, N_PI, -1, -1);
  int m = pi < 0 ? -1 : mk(p, N_MUL, x, pi);
  int li = m < 0 ? -1 : new_lit(sd);
  if(li < 0)
    return -1;
  struct lit *lt = &sd->lit[li];
  lt->q = gnum_int(180);
  lt->f = 180;
  lt->places = 0;
  lt->sig = 3;
  lt->is_dec = 0;
  int d = mk(p, N_NUM, -1, -1);
  if(d < 0)
    return -1;
  sd->nd[d].lit = (int16_t)li;
  return mk(p, N_DIV, m, d);
}

/* A degree mark after x: radians inside a trig argument, else dropped. */
static int p_deg(struct ps *p, int x)
{
  while(x >= 0 && is_cmd(peek(p), C_DEG)) {
    p->pos++;
    if(p->trig)
      x = deg_to_rad(p, x);
  }
  return x;
}

/* Factorials after x: "!" is n!, two adjacent "!!" the double factorial
 * n!! (fn = 2); "(n!)!" is written with brackets. */
static int p_bang(struct ps *p, int x)
{
  while(x >= 0 && is_ch(peek(p), '!')) {
    const struct tok *t = peek(p);
    p->pos++;
    int dbl = is_ch(peek(p), '!') && peek(p)->pos == t->pos + 1;
    p->pos += dbl;
    x = mk(p, N_FACT, x, -1);
    if(x >= 0 && dbl)
      p->sd->nd[x].fn = 2;
  }
  return x;
}

static int p_postfix(struct ps *p)
{
  return p_deg(p, p_bang(p, p_primary(p, 0)));
}

static int p_power(struct ps *p)
{
  if(enter(p) < 0)
    return -1;
  int b = p_postfix(p);
  if(b >= 0 && is_ch(peek(p), '^')) {
    p->pos++;
    int e;
    if(is_ch(peek(p), '-')) {
      p->pos++;
      int a = p_power(p);
      e = a < 0 ? -1 : mk(p, N_NEG, a, -1);
    }
    else
      e = p_power(p);
    b = e < 0 ? -1 : mk(p, N_POW, b, e);
    b = p_deg(p, p_bang(p, b));
  }
  p->depth--;
  return b;
}

/* A macro argument: {group} or one primary. */
static int p_arg(struct ps *p)
{
  return p_primary(p, 1);
}

static int int_lit_tok(const struct side *sd, int i, int hi)
{
  if(i >= hi || sd->tok[i].k != T_NUM)
    return 0;
  const struct lit *l = &sd->lit[sd->tok[i].lit];
  return !l->is_dec && gnum_is_int(l->q);
}

/* Token span of an integer macro argument at i ("3" or "{3}"), or 0. */
static int int_arg_len(const struct side *sd, int i, int hi)
{
  if(int_lit_tok(sd, i, hi))
    return 1;
  if(i + 2 < hi && is_ch(&sd->tok[i], '{') && int_lit_tok(sd, i + 1, hi) &&
     is_ch(&sd->tok[i + 2], '}'))
    return 3;
  return 0;
}

/* e, or {e \choose k} as binomial(e, k) */
static int p_choose(struct ps *p, int e)
{
  if(e >= 0 && is_cmd(peek(p), C_CHOOSE)) {
    p->pos++;
    int k = p_sum(p);
    e = k < 0 ? -1 : mk(p, N_BINOM, e, k);
  }
  return e;
}

static int p_group(struct ps *p, int close)
{
  p->pos++;
  int e = p_choose(p, p_sum(p));
  if(e < 0 || expect(p, close) < 0)
    return -1;
  return e;
}

static const uint8_t inverse_fn[] = {
  [F_SIN] = F_ASIN, [F_COS] = F_ACOS, [F_TAN] = F_ATAN,
};

static int p_func(struct ps *p, int fn)
{
  int base = -1, pw = -1;
  if(is_ch(peek(p), '_')) {
    p->pos++;
    if((base = p_arg(p)) < 0)
      return -1;
  }
  if(is_ch(peek(p), '^')) {
    p->pos++;
    if(is_ch(peek(p), '-')) {
      p->pos++;
      int a = p_arg(p);
      pw = a < 0 ? -1 : mk(p, N_NEG, a, -1);
    }
    else
      pw = p_arg(p);
    if(pw < 0)
      return -1;
  }
  int arg, trig = p->trig;
  p->trig = fn <= F_COT;
  if(is_ch(peek(p), '('))
    arg = p_deg(p, p_primary(p, 1)); /* \sin(30)^\circ */
  else {
    arg = p_power(p);
    while(arg >= 0) {
      const struct tok *t = peek(p);
      if(t->k != T_NUM && t->k != T_VAR && !is_cmd(t, C_PI))
        break;
      int r = p_power(p);
      arg = r < 0 ? -1 : mk(p, N_MUL, arg, r);
    }
  }
  p->trig = trig;
  if(arg < 0)
    return -1;
  /* \sin^{-1} x is arcsin */
  if(pw >= 0 && p->sd->nd[pw].kind == N_NEG) {
    const struct node *m = &p->sd->nd[p->sd->nd[pw].a];
    if(m->kind == N_NUM && gnum_cmp(p->sd->lit[m->lit].q, gnum_int(1)) == 0
       && fn < (int)sizeof(inverse_fn) && inverse_fn[fn]) {
      fn = inverse_fn[fn];
      pw = -1;
    }
  }
  int f = mk(p, N_FUNC, arg, base);
  if(f < 0)
    return -1;
  p->sd->nd[f].fn = (uint8_t)fn;
  return pw >= 0 ? mk(p, N_POW, f, pw) : f;
}

/* A mixed number written "4 4/9" after the integer token t: the whole
 * expression (maybe signed) is an integer, spaces, then a proper
 * fraction of integers (0 <= numerator < denominator). */
static int mixed_slash(const struct ps *p, const struct tok *t)
{
  const struct side *sd = p->sd;
  int i = p->pos, w = (int)(t - sd->tok);
  if(!(w == p->lo || (w == p->lo + 1 && (is_ch(&sd->tok[p->lo], '-') ||
                                          is_ch(&sd->tok[p->lo], '+')))))
    return 0;
  if(i + 3 != p->hi || !int_lit_tok(sd, w, p->hi) ||
     !int_lit_tok(sd, i, p->hi) || !is_ch(&sd->tok[i + 1], '/') ||
     !int_lit_tok(sd, i + 2, p->hi))
    return 0;
  int gap = sd->tok[i].pos - (t->pos + t->len);
  if(gap < 1)
    return 0;
  for(int k = 0; k < gap; k++)
    if(sd->s[t->pos + t->len + k] != ' ')
      return 0;
  struct gnum nu = sd->lit[sd->tok[i].lit].q;
  struct gnum de = sd->lit[sd->tok[i + 2].lit].q;
  return gnum_sign(nu) >= 0 && gnum_cmp(nu, de) < 0;
}

/* A variable, a Greek letter, or a command we do not know (\hbar,
 * \odot, \ldots): a symbol named by its text and its subscript. */
static int p_var(struct ps *p, const struct tok *t)
{
  struct side *sd = p->sd;
  int r;
  p->pos++;
  uint64_t h = t->k == T_CMD && t->c == C_DOTS
                   ? fnv(1469598103934665603ULL, "...", 3)
                   : fnv(1469598103934665603ULL, sd->s + t->pos, t->len);
  int sub = 0;
  if(is_ch(peek(p), '_')) {
    p->pos++;
    const struct tok *u = peek(p);
    if(u->k == T_END)
      return fail(p);
    /* hashed: the tokens [first, last]; x_{1} is x_1 */
    int first = p->pos, last = p->pos, end = p->pos;
    if(is_ch(u, '{') && u->match > p->pos && u->match < p->hi) {
      end = u->match;
      first = p->pos + 1;
      last = end - 1;
    }
    h = fnv(h, "_", 1);
    for(int k = first; k <= last; k++)
      h = fnv(h, sd->s + sd->tok[k].pos, sd->tok[k].len);
    p->pos = end + 1;
    sub = 1;
  }
  if(!sub && t->len == 1 && sd->s[t->pos] == 'e')
    r = mk(p, N_E, -1, -1);
  else if(!sub && t->len == 1 && sd->s[t->pos] == 'i')
    r = mk(p, N_I, -1, -1);
  else {
    r = mk(p, N_VAR, -1, -1);
    if(r >= 0) {
      sd->nd[r].var = h;
      sd->nd[r].hv = 1;
      sd->nd[r].lit = (int16_t)(t - sd->tok); /* its name token */
    }
  }
  return r;
}

static int p_primary(struct ps *p, int nomixed)
{
  struct side *sd = p->sd;
  const struct tok *t = peek(p);
  if(enter(p) < 0)
    return -1;
  int r = -1;
  switch(t->k) {
  case T_NUM: {
    p->pos++;
    r = mk(p, N_NUM, -1, -1);
    if(r < 0)
      break;
    sd->nd[r].lit = t->lit;
    if(!nomixed && mixed_slash(p, t)) {
      int nu = mk(p, N_NUM, -1, -1), de = mk(p, N_NUM, -1, -1);
      if(nu < 0 || de < 0)
        return -1;
      sd->nd[nu].lit = sd->tok[p->pos].lit;
      sd->nd[de].lit = sd->tok[p->pos + 2].lit;
      p->pos += 3;
      int fr = mk(p, N_DIV, nu, de);
      r = fr < 0 ? -1 : mk(p, N_ADD, r, fr);
      break;
    }
    /* mixed number 2\frac14 */
    const struct tok *f = peek(p);
    if(!nomixed && is_cmd(f, C_FRAC) && !sd->lit[t->lit].is_dec) {
      int a1 = int_arg_len(sd, p->pos + 1, p->hi);
      int a2 = a1 ? int_arg_len(sd, p->pos + 1 + a1, p->hi) : 0;
      if(a1 && a2) {
        int fr = p_primary(p, 1);
        r = fr < 0 ? -1 : mk(p, N_ADD, r, fr);
      }
    }
    break;
  }
  case T_VAR:
    r = p_var(p, t);
    break;
  case T_FUNC:
    p->pos++;
    r = p_func(p, t->c);
    break;
  case T_CHAR:
    if(t->c == '(')
      r = p_group(p, ')');
    else if(t->c == '[')
      r = p_group(p, ']');
    else if(t->c == '{') {
      if(is_ch(p->pos + 1 < p->hi ? &sd->tok[p->pos + 1] : &end_tok, '}')) {
        p->pos += 2;
        r = p_primary(p, nomixed);
      }
      else
        r = p_group(p, '}');
    }
    else if(t->c == '|' && p->absd == 0) {
      p->absd++;
      int e = p_group(p, '|');
      p->absd--;
      r = e < 0 ? -1 : mk(p, N_ABS, e, -1);
    }
    else
      r = fail(p);
    break;
  case T_CMD:
    if(t->c == C_UNKNOWN || t->c == C_DOTS) {
      r = p_var(p, t);
      break;
    }
    p->pos++;
    switch(t->c) {
    case C_FRAC: case C_BINOM: {
      int a = p_arg(p);
      int b = a < 0 ? -1 : p_arg(p);
      r = b < 0 ? -1 : mk(p, t->c == C_FRAC ? N_DIV : N_BINOM, a, b);
      break;
    }
    case C_SQRT: {
      int idx = -1;
      if(is_ch(peek(p), '[')) {
        idx = p_group(p, ']');
        if(idx < 0)
          break;
      }
      int a = p_arg(p);
      r = a < 0 ? -1 : mk(p, N_ROOT, a, idx);
      break;
    }
    case C_PI: r = mk(p, N_PI, -1, -1); break;
    case C_INF: r = mk(p, N_INF, -1, -1); break;
    case C_LFLOOR: case C_LCEIL: {
      int e = p_sum(p);
      const struct tok *c = peek(p);
      if(e < 0 || !is_cmd(c, t->c == C_LFLOOR ? C_RFLOOR : C_RCEIL)) {
        r = fail(p);
        break;
      }
      p->pos++;
      r = mk(p, t->c == C_LFLOOR ? N_FLOOR : N_CEIL, e, -1);
      break;
    }
    default: r = fail(p);
    }
    break;
  default:
    r = fail(p);
  }
  p->depth--;
  return r;
}

/* Parse tokens [lo, hi) as one whole expression; -1 if it fails. */
static int parse_expr(struct side *sd, int lo, int hi)
{
  struct ps p = {sd, lo, hi, 0, 0, 0, lo};
  int e = p_choose(&p, p_sum(&p));
  if(e < 0)
    return -1;
  if(p.pos != hi) {
    if(!sd->status)
      sd->status = GS_PARSE;
    return -1;
  }
  return e;
}

/* ------------------------------------------------------- structure items */

static int new_item(struct side *sd, int kind)
{
  if(sd->nitem >= GOLD_MAX_ITEM) {
    sd->status = GS_COMPLEX;
    return -1;
  }
  struct item *it = &sd->it[sd->nitem];
  memset(it, 0, sizeof(*it));
  it->kind = (uint8_t)kind;
  it->e[0] = -1;
  it->text = -1;
  return sd->nitem++;
}

static int set_kids(struct side *sd, int it, const int16_t *k, int n)
{
  if(sd->nkids + n > GOLD_MAX_KIDS) {
    sd->status = GS_COMPLEX;
    return -1;
  }
  sd->it[it].kid0 = (int16_t)sd->nkids;
  sd->it[it].n = (int16_t)n;
  memcpy(sd->kids + sd->nkids, k, sizeof(int16_t) * (size_t)n);
  sd->nkids += n;
  return 0;
}

static int parse_item(struct side *sd, int lo, int hi, int depth);

static int is_sep(const struct tok *t)
{
  return t->k == T_SEP || (t->k == T_CHAR && (t->c == ',' || t->c == ';'));
}

/* Split [lo,hi) at tokens of depth d accepted by pred; parse the parts. */
static int split_parts(struct side *sd, int lo, int hi, int d,
                       int (*pred)(const struct tok *), int16_t *kids,
                       int *nk, int depth)
{
  int start = lo;
  *nk = 0;
  for(int i = lo; i <= hi; i++) {
    if(i < hi && !(sd->tok[i].depth == d && pred(&sd->tok[i])))
      continue;
    if(i > start) {
      if(*nk >= GOLD_MAX_ELEMS) {
        sd->status = GS_COMPLEX;
        return -1;
      }
      int k = parse_item(sd, start, i, depth + 1);
      if(k < 0)
        return -1;
      kids[(*nk)++] = (int16_t)k;
    }
    start = i + 1;
  }
  return 0;
}

static int count_at(const struct side *sd, int lo, int hi, int d,
                    int (*pred)(const struct tok *))
{
  int c = 0;
  for(int i = lo; i < hi; i++)
    if(sd->tok[i].depth == d && pred(&sd->tok[i]))
      c++;
  return c;
}

static int is_cup(const struct tok *t)
{
  return t->k == T_CMD && t->c == C_CUP;
}

static int is_comma(const struct tok *t)
{
  return t->k == T_CHAR && t->c == ',';
}

static int is_semi(const struct tok *t)
{
  return t->k == T_CHAR && t->c == ';';
}

static int is_amp(const struct tok *t)
{
  return t->k == T_CHAR && t->c == '&';
}

static int is_row(const struct tok *t)
{
  return t->k == T_CMD && t->c == C_ROW;
}

static int is_wordish(const struct tok *t)
{
  return t->k == T_WORD || t->k == T_UNIT;
}

static void add_text(struct side *sd, const char *s, int n, int lower)
{
  for(int i = 0; i < n && sd->ntext < GOLD_TEXT_BUF - 1; i++)
    sd->text[sd->ntext++] =
        lower ? (char)tolower((unsigned char)s[i]) : s[i];
}

static int text_item(struct side *sd, int lo, int hi)
{
  int it = new_item(sd, I_TEXT);
  if(it < 0)
    return -1;
  sd->it[it].text = (int16_t)sd->ntext;
  for(int i = lo; i < hi; i++) {
    const struct tok *t = &sd->tok[i];
    if(t->k != T_NUM && t->k != T_VAR && t->k != T_WORD && t->k != T_UNIT &&
       t->k != T_SEP)
      continue;
    for(int k = 0; k < t->len; k++) {
      char ch = sd->s[t->pos + k];
      if(isalnum((unsigned char)ch) || ch == '.' || ch == '\\')
        add_text(sd, &ch, 1, 1);
    }
  }
  sd->it[it].tlen = (int16_t)(sd->ntext - sd->it[it].text);
  return it;
}

/* "C. x = 42" (the whole answer): an option's letter, a period, a
 * space, then the option's text. */
static int dot_choice(const struct side *sd, int lo, int hi)
{
  const struct tok *t = sd->tok;
  if(lo == 0 && hi - lo >= 2 && t[lo].k == T_VAR && t[lo].len == 1 &&
     t[lo].pos == 0 && t[lo].pos + 2 < sd->len &&
     sd->s[t[lo].pos + 1] == '.' && sd->s[t[lo].pos + 2] == ' ') {
    char c = sd->s[t[lo].pos];
    if(c >= 'A' && c <= 'E')
      return c;
  }
  return 0;
}

static int choice_letter(const struct side *sd, int lo, int hi)
{
  const struct tok *t = sd->tok;

  if(hi - lo == 1 && t[lo].k == T_VAR && t[lo].len == 1) {
    char c = sd->s[t[lo].pos];
    return c >= 'A' && c <= 'E' ? c : 0;
  }
  if(hi - lo >= 3 && is_ch(&t[lo], '(') && t[lo + 1].k == T_VAR &&
     t[lo + 1].len == 1 && is_ch(&t[lo + 2], ')')) {
    char c = (char)toupper((unsigned char)sd->s[t[lo + 1].pos]);
    if(c < 'A' || c > 'E')
      return 0;
    if(hi - lo == 3 || t[lo + 3].k == T_NUM || t[lo + 3].k == T_WORD ||
       t[lo + 3].k == T_UNIT)
      return c;
  }
  return 0;
}

static int expr_item(struct side *sd, int lo, int hi)
{
  int pm0 = sd->npm;
  int e = parse_expr(sd, lo, hi);
  if(e < 0)
    return -1;
  if(sd->npm > GOLD_MAX_PM) {
    sd->status = GS_COMPLEX;
    return -1;
  }
  int it = new_item(sd, I_EXPR);
  if(it < 0)
    return -1;
  sd->it[it].e[0] = (int16_t)e;
  sd->it[it].pm_lo = (int16_t)pm0;
  sd->it[it].pm_n = (int16_t)(sd->npm - pm0);
  return it;
}

/* Lone variable (or tuple of variables) on the left of '='. */
static int var_side(const struct side *sd, int lo, int hi)
{
  if(hi - lo == 1 && sd->tok[lo].k == T_VAR)
    return 1;
  if(hi - lo == 3 && sd->tok[lo].k == T_VAR && is_ch(&sd->tok[lo + 1], '_'))
    return 1;
  if(hi - lo >= 3 && is_ch(&sd->tok[lo], '(') && sd->tok[lo].match == hi - 1) {
    for(int i = lo + 1; i < hi - 1; i++)
      if(sd->tok[i].k != T_VAR && !is_ch(&sd->tok[i], ','))
        return 0;
    return 1;
  }
  return 0;
}

static int is_colon(const struct tok *t)
{
  return t->k == T_CHAR && t->c == ':';
}

/* Tokens [lo, hi) at depth d name a quantity: letters and unknown
 * commands, subscripts, colons ("V_1:V_2", "S_{ABC}:S"), no number. */
static int name_tokens(const struct side *sd, int lo, int hi, int d)
{
  if(lo >= hi)
    return 0;
  for(int i = lo; i < hi; i++) {
    const struct tok *t = &sd->tok[i];
    if(t->depth > d || t->k == T_VAR || is_ch(t, '_') || is_ch(t, ':') ||
       is_ch(t, '{') || is_ch(t, '}') || is_cmd(t, C_UNKNOWN) ||
       (t->k == T_NUM && i > lo && is_ch(&t[-1], '_')))
      continue;
    return 0;
  }
  return 1;
}

/* The end of a function's name at lo ("f", "\Phi", "n_{\gamma"}"), or lo. */
static int fname_end(const struct side *sd, int lo, int hi)
{
  const struct tok *t = sd->tok;
  if(lo >= hi || !(t[lo].k == T_VAR || is_cmd(&t[lo], C_UNKNOWN)))
    return lo;
  int i = lo + 1;
  if(i + 1 < hi && is_ch(&t[i], '_')) {
    i++;
    i = is_ch(&t[i], '{') && t[i].match > i ? t[i].match + 1 : i + 1;
  }
  return i;
}

int gold_is_name(const struct side *s, int n)
{
  if(n < 0)
    return 0;
  const struct node *nd = &s->nd[n];
  switch(nd->kind) {
  case N_VAR: return 1;
  case N_MUL: case N_DIV:
    return gold_is_name(s, nd->a) && gold_is_name(s, nd->b);
  case N_POW: /* \omega^{\prime} */
    return gold_is_name(s, nd->a) && s->nd[nd->b].kind == N_VAR;
  default: return 0;
  }
}

/* An equality chain "x = 2+3 = 5", "a+b = 12+25 = 37", "\frac{\sqrt3}{3}
 * \approx 0.577": an approximation tail goes (the exact part counts;
 * "x \approx 11" is x = 11), then a chain is its last side, kept as the
 * value of a named left side ("x = 11"); a relation of constants only
 * ("256+37 = 293") is its right side. */
static void chain(struct side *sd, struct item *it)
{
  int n0 = it->fhead || gold_is_name(sd, it->e[0]), nc = it->nops;
  for(int k = 0; k < nc; k++)
    if(it->ops[k] != '=' && it->ops[k] != 'a')
      return;
  for(int k = 0; k < nc; k++)
    if(it->ops[k] == 'a') {
      if(k == 0 && n0)
        it->ops[k] = '=';
      else {
        nc = k;
        break;
      }
    }
  int val = -1;
  if(nc >= 2 && n0) {
    it->e[1] = it->e[nc];
    nc = 1;
  }
  else if(nc >= 2 || (nc == 1 && !gold_has_var(sd, it->e[0]) &&
                      !gold_has_var(sd, it->e[1])))
    val = it->e[nc];
  else if(nc == 0)
    val = it->e[0];
  it->nops = (uint8_t)nc;
  if(val >= 0) {
    it->kind = I_EXPR;
    it->e[0] = (int16_t)val;
    it->nops = 0;
    it->fhead = 0;
  }
}

static int rel_item(struct side *sd, int lo, int hi, int d, int depth)
{
  int cut[GOLD_MAX_REL + 1], nc = 0;
  for(int i = lo; i < hi; i++)
    if(sd->tok[i].depth == d && sd->tok[i].k == T_REL) {
      if(nc >= GOLD_MAX_REL)
        return sd->status = GS_COMPLEX, -1;
      cut[nc++] = i;
    }
  /* x = (1, 2), (x, y) = (1, 2), S = \{1, 2\}: the right side is it */
  if(nc == 1 && sd->tok[cut[0]].c == '=' && var_side(sd, lo, cut[0])) {
    int r = cut[0] + 1;
    if(r < hi && (is_ch(&sd->tok[r], '(') || is_ch(&sd->tok[r], '[') ||
                  is_cmd(&sd->tok[r], C_LSET) || sd->tok[r].k == T_BEGIN ||
                  is_cmd(&sd->tok[r], C_EMPTY)) &&
       (count_at(sd, r, hi, d + 1, is_comma) > 0 ||
        count_at(sd, r, hi, d, is_cup) > 0 || !is_ch(&sd->tok[r], '(')) &&
       !is_ch(&sd->tok[r], '{'))
      return parse_item(sd, r, hi, depth + 1);
  }
  /* a named ratio: V_1:V_2 = 11:21 is 11:21 */
  if(nc == 1 && sd->tok[cut[0]].c == '=' &&
     count_at(sd, lo, cut[0], d, is_colon) > 0 &&
     name_tokens(sd, lo, cut[0], d) && cut[0] + 1 < hi)
    return parse_item(sd, cut[0] + 1, hi, depth + 1);
  int it = new_item(sd, I_REL);
  if(it < 0)
    return -1;
  /* f(x) = ..., g(x, y) = ..., n_{\gamma}(\nu) = ...: a function's name
   * on the left, not part of the value */
  int fe = nc >= 1 && sd->tok[cut[0]].c == '=' ? fname_end(sd, lo, cut[0])
                                                 : lo;
  if(fe > lo && cut[0] - fe >= 3 && is_ch(&sd->tok[fe], '(') &&
     sd->tok[fe].match == cut[0] - 1 && var_side(sd, fe, cut[0]))
    sd->it[it].fhead = 1;
  int pm0 = sd->npm, start = lo;
  for(int k = 0; k <= nc; k++) {
    int end = k < nc ? cut[k] : hi, e;
    if(k == 0 && sd->it[it].fhead) {
      struct ps p = {sd, lo, end, 0, 0, 0, lo};
      e = mk(&p, N_VAR, -1, -1);
      if(e >= 0) {
        sd->nd[e].var = fnv(1469598103934665603ULL, sd->s + sd->tok[lo].pos,
                            sd->tok[end - 1].pos + sd->tok[end - 1].len -
                                sd->tok[lo].pos);
        sd->nd[e].hv = 1;
        sd->nd[e].lit = (int16_t)lo;
      }
    }
    else
      e = parse_expr(sd, start, end);
    if(e < 0)
      return -1;
    sd->it[it].e[k] = (int16_t)e;
    if(k < nc)
      sd->it[it].ops[k] = (char)sd->tok[cut[k]].c;
    start = end + 1;
  }
  if(sd->npm > GOLD_MAX_PM)
    return sd->status = GS_COMPLEX, -1;
  sd->it[it].nops = (uint8_t)nc;
  sd->it[it].pm_lo = (int16_t)pm0;
  sd->it[it].pm_n = (int16_t)(sd->npm - pm0);
  chain(sd, &sd->it[it]);
  return it;
}

/* a:b, a:b:c: a ratio; h:mm, h:mm:ss (hour <= 24, minutes and seconds of
 * two digits, < 60), maybe with a.m. / p.m.: also a clock time. */
static int ratio_item(struct side *sd, int lo, int hi, int d, int depth)
{
  const struct tok *t = sd->tok;
  int half = 0;
  if(hi - lo >= 2 && t[hi - 1].k == T_UNIT && t[hi - 1].c) {
    half = t[hi - 1].c;
    hi--;
  }
  int16_t kids[GOLD_MAX_ELEMS];
  int nk;
  if(split_parts(sd, lo, hi, d, is_colon, kids, &nk, depth) < 0)
    return -1;
  if(nk < 2 || count_at(sd, lo, hi, d, is_colon) != nk - 1)
    return sd->status = GS_PARSE, -1;
  int it = new_item(sd, I_RATIO);
  if(it < 0 || set_kids(sd, it, kids, nk) < 0)
    return -1;
  struct item *x = &sd->it[it];
  x->rows = -1;
  x->letter = (char)half;
  int64_t v[3];
  int ok = nk <= 3 && hi - lo == 2 * nk - 1;
  for(int k = 0; ok && k < nk; k++) {
    const struct tok *u = &t[lo + 2 * k];
    ok = int_lit_tok(sd, lo + 2 * k, hi) &&
         gnum_get_i64(sd->lit[u->lit].q, &v[k]) &&
         (k == 0 ? u->len <= 2 && v[k] <= 24 : u->len == 2 && v[k] < 60);
  }
  if(ok && nk == 3 && v[2] != 0)
    ok = 0; /* seconds: a ratio then */
  if(ok && half && (v[0] == 0 || v[0] > 12))
    ok = 0;
  if(ok) {
    int64_t h = v[0];
    if(half)
      h = h % 12 + (half == 'p' ? 12 : 0);
    x->rows = (int16_t)((h % 24) * 60 + v[1]);
    x->cols = (int16_t)(!half && v[0] >= 1 && v[0] <= 12);
  }
  return it;
}

static int matrix_item(struct side *sd, int lo, int hi, int depth)
{
  int d = sd->tok[lo].depth + 1;
  int16_t kids[GOLD_MAX_ELEMS];
  int nk = 0, rows = 0, cols = -1, start = lo + 1;
  for(int i = lo + 1; i <= hi - 1; i++) {
    if(i < hi - 1 && !(sd->tok[i].depth == d && is_row(&sd->tok[i])))
      continue;
    if(i > start) {
      int16_t rk[GOLD_MAX_ELEMS];
      int nr = 0;
      if(count_at(sd, start, i, d, is_amp) + 1 + nk > GOLD_MAX_ELEMS)
        return sd->status = GS_COMPLEX, -1;
      /* cells may be empty only as a whole empty row */
      int cs = start;
      for(int k = start; k <= i; k++) {
        if(k < i && !(sd->tok[k].depth == d && is_amp(&sd->tok[k])))
          continue;
        if(k == cs)
          return sd->status = GS_PARSE, -1;
        int c = parse_item(sd, cs, k, depth + 1);
        if(c < 0)
          return -1;
        rk[nr++] = (int16_t)c;
        cs = k + 1;
      }
      if(cols >= 0 && nr != cols)
        return sd->status = GS_PARSE, -1;
      cols = nr;
      memcpy(kids + nk, rk, sizeof(int16_t) * (size_t)nr);
      nk += nr;
      rows++;
    }
    start = i + 1;
  }
  if(rows == 0)
    return sd->status = GS_PARSE, -1;
  int it = new_item(sd, I_MATRIX);
  if(it < 0 || set_kids(sd, it, kids, nk) < 0)
    return -1;
  sd->it[it].rows = (int16_t)rows;
  sd->it[it].cols = (int16_t)cols;
  return it;
}

static int reals_item(struct side *sd)
{
  struct ps p = {sd, 0, 0, 0, 0, 0, 0};
  int inf1 = mk(&p, N_INF, -1, -1);
  int ninf = inf1 < 0 ? -1 : mk(&p, N_NEG, inf1, -1);
  int inf2 = mk(&p, N_INF, -1, -1);
  int a = new_item(sd, I_EXPR), b = new_item(sd, I_EXPR);
  int it = new_item(sd, I_TUPLE);
  if(ninf < 0 || inf2 < 0 || a < 0 || b < 0 || it < 0)
    return -1;
  sd->it[a].e[0] = (int16_t)ninf;
  sd->it[b].e[0] = (int16_t)inf2;
  int16_t k[2] = {(int16_t)a, (int16_t)b};
  sd->it[it].lb = '(';
  sd->it[it].rb = ')';
  return set_kids(sd, it, k, 2) < 0 ? -1 : it;
}

/* How many separators and operators stand at bracket depth d. */
struct seps {
  int sep, semi, comma, cup, rel, colon;
};

static struct seps count_seps(const struct tok *t, int lo, int hi, int d)
{
  struct seps n = {0, 0, 0, 0, 0, 0};
  for(int i = lo; i < hi; i++) {
    const struct tok *u = &t[i];
    if(u->depth != d)
      continue;
    if(u->k == T_CHAR) {
      n.comma += u->c == ',';
      n.semi += u->c == ';';
      n.colon += u->c == ':';
    }
    else if(u->k == T_SEP)
      n.sep++;
    else if(u->k == T_REL)
      n.rel++;
    else if(is_cup(u))
      n.cup++;
  }
  return n;
}

/* An item of `kind` whose kids are the parts of [lo, hi) split at depth d
 * where pred holds; a list of one part is that part. */
static int parts_item(struct side *sd, int kind, int lo, int hi, int d,
                      int (*pred)(const struct tok *), int depth)
{
  int16_t kids[GOLD_MAX_ELEMS];
  int nk;
  if(split_parts(sd, lo, hi, d, pred, kids, &nk, depth) < 0)
    return -1;
  if(kind == I_LIST && nk == 1)
    return kids[0];
  int it = new_item(sd, kind);
  if(it < 0 || set_kids(sd, it, kids, nk) < 0)
    return -1;
  return it;
}

/* (1, 2), [a, b), <1, 2> and (0; -2; 6) written with semicolons: a tuple
 * or interval with its brackets; 0 when [lo, hi) is not one. */
static int bracket_item(struct side *sd, int lo, int hi, int d, int depth)
{
  const struct tok *t = sd->tok;
  if(!(is_ch(&t[lo], '(') || is_ch(&t[lo], '[') ||
       is_cmd(&t[lo], C_LANGLE)) || t[lo].match != hi - 1)
    return 0;
  int comma = count_at(sd, lo + 1, hi - 1, d + 1, is_comma) > 0;
  if(!comma && count_at(sd, lo + 1, hi - 1, d + 1, is_semi) == 0)
    return 0;
  int it = parts_item(sd, I_TUPLE, lo + 1, hi - 1, d + 1,
                      comma ? is_comma : is_semi, depth);
  if(it < 0)
    return -1;
  int ang = is_cmd(&t[lo], C_LANGLE);
  sd->it[it].lb = ang ? '(' : (char)t[lo].c;
  sd->it[it].rb = ang ? ')' : (char)t[hi - 1].c;
  return it + 1;  /* 0 means "not a tuple" */
}

/* The end of the value before trailing units or words (5 apples, 3 cm^2,
 * 4 m/s), or hi when there are none. */
static int trim_units(const struct tok *t, int lo, int hi)
{
  for(int w = lo + 1; w < hi; w++) {
    if(!is_wordish(&t[w]))
      continue;
    int ok = 1;
    for(int k = w; k < hi && ok; k++)
      ok = is_wordish(&t[k]) || t[k].k == T_VAR || is_ch(&t[k], '/') ||
           is_ch(&t[k], '^') || (t[k].k == T_NUM && is_ch(&t[k - 1], '^'));
    const struct tok *pv = &t[w - 1];
    int valend = pv->k == T_NUM || pv->k == T_VAR || is_ch(pv, ')') ||
                 is_ch(pv, '}') || is_cmd(pv, C_PI) || is_ch(pv, ']');
    if(ok && valend)
      return w;
  }
  return hi;
}

static int choice_item(struct side *sd, int letter)
{
  int it = new_item(sd, I_CHOICE);
  if(it >= 0)
    sd->it[it].letter = (char)letter;
  return it;
}

static int parse_item(struct side *sd, int lo, int hi, int depth)
{
  if(depth > GOLD_MAX_DEPTH)
    return sd->status = GS_DEEP, -1;
  if(lo >= hi)
    return sd->status = GS_PARSE, -1;
  const struct tok *t = sd->tok;
  /* x \in S */
  if(hi - lo > 2 && t[lo].k == T_VAR && is_cmd(&t[lo + 1], C_IN))
    lo += 2;
  int d = t[lo].depth;
  int dc = depth == 0 ? dot_choice(sd, lo, hi) : 0;
  if(dc)
    return choice_item(sd, dc);
  struct seps n = count_seps(t, lo, hi, d);
  if(n.sep + n.semi + n.comma > 0) {
    /* "p=5, q=2; p=7, q=2": ';' between groups of ',' */
    int groups = n.semi > 0 && n.comma > 0;
    return parts_item(sd, I_LIST, lo, hi, d, groups ? is_semi : is_sep,
                      depth);
  }
  if(n.cup > 0)
    return parts_item(sd, I_UNION, lo, hi, d, is_cup, depth);
  if(n.rel > 0)
    return rel_item(sd, lo, hi, d, depth);
  if(n.colon > 0)
    return ratio_item(sd, lo, hi, d, depth);
  if(hi - lo == 1 && is_cmd(&t[lo], C_EMPTY))
    return new_item(sd, I_SET);
  if(hi - lo == 1 && is_cmd(&t[lo], C_REALS))
    return reals_item(sd);
  /* \{1, 2\}, and {1, 2} with bare braces */
  if((is_cmd(&t[lo], C_LSET) ||
      (is_ch(&t[lo], '{') && count_at(sd, lo + 1, hi - 1, d + 1,
                                       is_comma) > 0)) &&
     t[lo].match == hi - 1)
    return parts_item(sd, I_SET, lo + 1, hi - 1, d + 1, is_comma, depth);
  int tup = bracket_item(sd, lo, hi, d, depth);
  if(tup)
    return tup < 0 ? -1 : tup - 1;
  if(t[lo].k == T_BEGIN && t[lo].match == hi - 1)
    return matrix_item(sd, lo, hi, depth);
  if(hi - lo >= 4 && (is_ch(&t[lo], '(') || is_ch(&t[lo], '[')) &&
     t[lo].match == hi - 1 && t[lo + 1].k == T_BEGIN &&
     t[lo + 1].match == hi - 2)
    return matrix_item(sd, lo + 1, hi - 1, depth);
  int c = choice_letter(sd, lo, hi);
  if(c)
    return choice_item(sd, c);
  hi = trim_units(t, lo, hi);
  for(int k = lo; k < hi; k++)
    if(is_wordish(&t[k]))
      return text_item(sd, lo, hi);
  return expr_item(sd, lo, hi);
}

int gold_parse(struct gctx *c, struct side *sd, const char *s, int len)
{
  sd->ctx = c;
  sd->s = s;
  sd->len = len;
  sd->ntok = sd->nnode = sd->nlit = sd->nitem = sd->nkids = 0;
  sd->ntext = sd->npm = 0;
  sd->root = -1;
  sd->status = GS_OK;
  sd->lexed = 0;
  if(len > GOLD_MAX_ANSWER) {
    sd->status = GS_LONG;
    return -1;
  }
  if(lex(sd, s, len) < 0)
    return -1;
  sd->lexed = 1;
  if(match_pass(sd) < 0)
    return -1;
  if(sd->ntok == 0) {
    sd->status = GS_PARSE;
    return -1;
  }
  int r = parse_item(sd, 0, sd->ntok, 0);
  if(r < 0) {
    if(!sd->status)
      sd->status = GS_PARSE;
    return -1;
  }
  sd->root = r;
  sd->status = GS_OK;
  return 0;
}

int gold_same_tokens(const struct side *a, const struct side *b)
{
  if(a->ntok != b->ntok || a->ntok == 0)
    return 0;
  for(int i = 0; i < a->ntok; i++) {
    const struct tok *x = &a->tok[i], *y = &b->tok[i];
    if(x->k != y->k || x->c != y->c)
      return 0;
    if(x->k == T_NUM || x->k == T_VAR || x->k == T_WORD || x->k == T_UNIT ||
       (x->k == T_CMD && x->c == C_UNKNOWN) || (x->k == T_CHAR && x->c == '?'))
      if(x->len != y->len || memcmp(a->s + x->pos, b->s + y->pos, x->len))
        return 0;
  }
  return 1;
}
