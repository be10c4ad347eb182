/* gint.h - internals of the gold verifier shared by lex/parse/eval/judge.
 *
 * One judgement works in one struct gctx (a single allocation): two sides
 * (gold, pred), each with fixed-size arrays of tokens, expression nodes,
 * literals and structure items, plus the pool of big rationals.  Nothing
 * here allocates per token; every array has a hard cap and overflowing one
 * is an error with a reason, never a crash. */
#ifndef BON_GOLD_GINT_H
#define BON_GOLD_GINT_H

#include "gold/gnum.h"

#include <stdint.h>

#define GOLD_MAX_ANSWER 1024 /* bytes of one extracted answer */
#define GOLD_MAX_TOK 512
#define GOLD_MAX_NODE 768
#define GOLD_MAX_LIT 256
#define GOLD_MAX_ITEM 160
#define GOLD_MAX_KIDS 320
#define GOLD_MAX_DEPTH 64
#define GOLD_MAX_PM 6    /* \pm signs in one side */
#define GOLD_MAX_ELEMS 64 /* elements of one flattened collection */
#define GOLD_MAX_WORK 400000 /* node evaluations per judgement */
#define GOLD_TEXT_BUF 2048

/* token kinds */
enum {
  T_END,
  T_NUM,   /* lit = literal index */
  T_VAR,   /* a letter or a Greek command; text span is its name */
  T_WORD,  /* a word of text (>= 3 letters, or >= 2 inside \text) */
  T_UNIT,  /* a short unit word (cm, kg, ...); c: 'a' / 'p' for a.m. /
            * p.m. */
  T_SEP,   /* "or", "and": list separator */
  T_CHAR,  /* c: one of + - * / ^ _ ( ) [ ] { } , ; | ! & ' and others */
  T_REL,   /* c: '=', '<', '>', 'l' (<=), 'g' (>=), 'n' (!=), 'a' (~=) */
  T_CMD,   /* c: C_* below */
  T_FUNC,  /* c: F_* below */
  T_BEGIN, /* \begin{pmatrix} and friends */
  T_ENDENV
};

enum {
  C_FRAC = 1, C_SQRT, C_BINOM, C_PI, C_INF, C_TIMES, C_DIV, C_PM, C_MP,
  C_IN, C_CUP, C_CAP, C_SETMINUS, C_LSET, C_RSET, C_LANGLE, C_RANGLE,
  C_LFLOOR, C_RFLOOR, C_LCEIL, C_RCEIL, C_ROW, C_EMPTY, C_REALS, C_UNKNOWN,
  C_DEG, /* a degree mark, only lexed once a trig function was seen */
  C_CHOOSE, /* {n \choose k} */
  C_DOTS    /* ..., \ldots, \cdots: an ellipsis */
};

enum {
  F_SIN = 1, F_COS, F_TAN, F_SEC, F_CSC, F_COT, F_ASIN, F_ACOS, F_ATAN,
  F_SINH, F_COSH, F_TANH, F_LOG, F_LN, F_EXP
};

struct tok {
  uint8_t k, c;
  uint16_t pos, len;
  int16_t lit;
  int16_t match; /* for brackets: index of the partner token, else -1 */
  int8_t depth;  /* bracket depth before this token */
};

struct lit {
  struct gnum q;
  double f;
  int16_t places; /* digits after the decimal point */
  int16_t sig;    /* significant digits */
  uint8_t is_dec; /* written with a decimal point */
};

/* expression node kinds */
enum {
  N_NUM, N_VAR, N_PI, N_E, N_I, N_INF, N_ADD, N_SUB, N_MUL, N_DIV, N_NEG,
  N_POW, N_ROOT, N_FUNC, N_FACT, N_ABS, N_FLOOR, N_CEIL, N_PM, N_BINOM
};

struct node {
  uint8_t kind, fn; /* fn: F_* for N_FUNC; 1 for \mp in N_PM */
  uint8_t hv;       /* a variable occurs in this subtree */
  uint8_t hinf;     /* an infinity occurs in this subtree */
  int16_t a, b;     /* children (-1: none) */
  int16_t pm;       /* N_PM: its sign bit */
  int16_t lit;      /* N_NUM: literal; N_VAR: token of its name */
  uint64_t var;     /* N_VAR: hash of the name */
};

/* structure item kinds */
enum {
  I_EXPR, I_REL, I_LIST, I_SET, I_TUPLE, I_UNION, I_MATRIX, I_TEXT,
  I_CHOICE, I_RATIO /* a:b(:c); a clock time when rows >= 0 */
};

#define GOLD_MAX_REL 8

struct item {
  uint8_t kind;
  char lb, rb;       /* I_TUPLE brackets: '(' '[' ')' ']' */
  uint8_t nops;      /* I_REL: number of relation operators */
  char ops[GOLD_MAX_REL];
  int16_t e[GOLD_MAX_REL + 1]; /* I_EXPR: e[0]; I_REL: the operands */
  int16_t n, kid0;   /* children in side.kids[kid0 .. kid0+n) */
  int16_t rows, cols; /* I_MATRIX; I_RATIO: rows = minute of the day
                       * of a clock time (-1: not one), cols = 1 when its
                       * hour can be read as a.m. or p.m. */
  int16_t pm_lo, pm_n; /* \pm bits used by this item */
  int16_t text, tlen; /* I_TEXT: normalised text in side.text */
  char letter;        /* I_CHOICE; I_RATIO: 'a' / 'p' (a.m. / p.m.) */
  uint8_t fhead;      /* I_REL: "f(x) = ...", the left side is a name */
};

/* parse status of a side */
enum { GS_OK = 0, GS_PARSE, GS_DEEP, GS_LONG, GS_COMPLEX };

struct gctx;

struct side {
  struct gctx *ctx;
  const char *s;
  int len;
  struct tok tok[GOLD_MAX_TOK];
  int ntok;
  struct node nd[GOLD_MAX_NODE];
  int nnode;
  struct lit lit[GOLD_MAX_LIT];
  int nlit;
  struct item it[GOLD_MAX_ITEM];
  int nitem;
  int16_t kids[GOLD_MAX_KIDS];
  int nkids;
  char text[GOLD_TEXT_BUF];
  int ntext;
  int npm;
  int root;   /* item index, -1 on failure */
  int status; /* GS_* */
  int lexed;  /* the whole answer was tokenised */
};

struct gctx {
  struct gnum_pool pool;
  long work;
  int over; /* work bound hit */
  int dom;  /* float evaluation left the reals on a variable's value */
  struct side sd[2];
};

/* lex + parse one answer (s, len <= GOLD_MAX_ANSWER) into sd; sets
 * sd->root and sd->status.  Returns 0 or -1. */
int gold_parse(struct gctx *c, struct side *sd, const char *s, int len);
/* 1 when node n of s names a quantity: a variable or symbol, products
 * and quotients of them ("AB", "\frac{NO}{BO}", "\Delta p"). */
int gold_is_name(const struct side *s, int n);
/* 1 when the two token streams are the same (same normalised text). */
int gold_same_tokens(const struct side *a, const struct side *b);
/* Type name of the root item of a parsed side. */
const char *gold_type_name(struct gctx *c, struct side *sd);

/* evaluation (eval.c) at point j (0..GOLD_POINTS-1; variables get values
 * derived from their name and j), with the \pm signs in mask.  Exact
 * points: j = 0 all variables positive, j = 1 all negative, j = 2, 3 signs
 * from the name (so that two variables also get opposite signs).  Float
 * points: j < GOLD_POS_POINTS positive, then signed as the exact ones; a
 * signed float point where a square root, even root, logarithm or
 * fractional power of a variable's expression gets a negative real
 * argument is outside the real domain and evaluates to GN_UNDEF. */
#define GOLD_POINTS 8
#define GOLD_POS_POINTS 5
int gold_ev_exact(struct gctx *c, struct side *s, int n, int j,
                  uint32_t mask, struct gnum *out);
int gold_ev_float(struct gctx *c, struct side *s, int n, int j,
                  uint32_t mask, double *re, double *im);
int gold_has_var(const struct side *s, int n);
/* +1 / -1 for +-infinity, 0 for no infinity, 2 for infinity inside a
 * bigger expression. */
int gold_inf_sign(const struct side *s, int n);

/* extraction helpers (extract.c) */
/* Complete boxes in text (at most cap); 1 when all have the same text. */
int gold_count_boxes(const char *text, int cap);
/* The last boxes of the text (after its think block) joined by ", "
 * (oldest first) into out: k boxes, or (by_elems) as many as hold k
 * elements (top-level ',' and ';' separate them), at most 8.  Returns the
 * length, -1 no box, -2 unterminated last box. */
int gold_extract_boxes(const char *text, int k, int by_elems, char *out,
                       size_t outlen);
/* The i-th box from the end (0: the last) into out; length or -1. */
int gold_nth_box(const char *text, int i, char *out, size_t outlen);
/* How an answer was found (*why of gold_extract_ex). */
enum {
  GX_NONE = -1, GX_BOX, GX_PHRASE, GX_SPAN, GX_TEXT, GX_LAST, GX_UNTERM
};
/* The extraction order of docs/answers.md; flags: GOLD_STRICT (box or
 * answer phrase only), GX_NO_TEXT (a short text with prose words is not
 * its own answer: it read as prose).  Returns the length or -1. */
#define GX_NO_TEXT 0x100
#define GX_NO_LAST 0x200 /* no last-number rule: a reference (a proof's
                          * last number is no answer) */
int gold_extract_ex(const char *text, int flags, char *out, size_t outlen,
                    int *why);

#endif
