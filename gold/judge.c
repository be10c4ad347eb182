/* judge.c - type-aware equivalence of two parsed answers, and gold_judge.
 *
 * Numbers without variables are compared exactly (rationals of any size)
 * when both sides evaluate exactly, else in double precision with a
 * relative tolerance of 1e-9.  A lone decimal literal against an exact or
 * irrational value is accepted when it is that value rounded to the
 * decimal's own places and has at least 3 significant digits.  Expressions
 * with variables are compared as functions: exactly at 4 rational points
 * when possible, else in complex double at 5 positive points (relative
 * tolerance 1e-8).  See gold/README.md for every policy. */
#include "gold/gint.h"
#include "gold/gold.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum {
  R_EQ, R_EQ_ROUND, R_NUM, R_EXPR, R_TYPE, R_REL, R_TEXT, R_CHOICE, R_LEN,
  R_BRACKET, R_ELEM, R_BIG, R_COMPLEX
};

static const char *const reason_str[] = {
  [R_EQ] = "equal", [R_EQ_ROUND] = "equal (rounded)",
  [R_NUM] = "numeric mismatch", [R_EXPR] = "expression mismatch",
  [R_TYPE] = "type mismatch", [R_REL] = "relation mismatch",
  [R_TEXT] = "text mismatch",
  [R_CHOICE] = "choice mismatch", [R_LEN] = "length mismatch",
  [R_BRACKET] = "bracket mismatch", [R_ELEM] = "element mismatch",
  [R_BIG] = "too large", [R_COMPLEX] = "too complex",
};

#define IS_EQ(r) ((r) == R_EQ || (r) == R_EQ_ROUND)

#define EXACT_POINTS 4
#define FLOAT_POINTS GOLD_POINTS
#define CONST_TOL 1e-9
#define VAR_TOL 1e-8
#define MIN_SIG 3

/* ------------------------------------------------------------ numbers */

static int close_c(double ar, double ai, double br, double bi, double tol)
{
  double d = hypot(ar - br, ai - bi);
  double ma = hypot(ar, ai), mb = hypot(br, bi);
  if(ma == 0 || mb == 0)
    return d < 1e-12;
  return d <= tol * (ma > mb ? ma : mb);
}

static const struct lit *lone_dec(const struct side *s, int n)
{
  const struct node *nd = &s->nd[n];
  if(nd->kind == N_NEG)
    nd = &s->nd[nd->a];
  if(nd->kind == N_NUM && s->lit[nd->lit].is_dec)
    return &s->lit[nd->lit];
  return NULL;
}

/* |x - y| <= 10^-places / 2, exactly. */
static int within_half_ulp(struct gctx *c, struct gnum x, struct gnum y,
                           int places)
{
  struct gnum d, t, half;
  if(gnum_sub(&c->pool, x, y, &d) || gnum_abs(&c->pool, d, &d))
    return 0;
  if(gnum_pow(&c->pool, gnum_int(10), places, &t) ||
     gnum_mul(&c->pool, t, gnum_int(2), &t) ||
     gnum_div(&c->pool, gnum_int(1), t, &half))
    return 0;
  return gnum_cmp(d, half) <= 0;
}

static int cmp_const(struct gctx *c, struct side *A, int na, uint32_t ma,
                     struct side *B, int nb, uint32_t mb)
{
  const struct lit *da = lone_dec(A, na), *db = lone_dec(B, nb);
  const struct lit *dec = da && !db ? da : db && !da ? db : NULL;
  int mark = gnum_pool_mark(&c->pool);
  struct gnum va, vb;
  int sa = gold_ev_exact(c, A, na, 0, ma, &va);
  int sb = gold_ev_exact(c, B, nb, 0, mb, &vb);
  int r;
  if(c->over)
    r = R_COMPLEX;
  else if(sa == GN_OK && sb == GN_OK) {
    if(gnum_cmp(va, vb) == 0)
      r = R_EQ;
    else if(dec && dec->sig >= MIN_SIG &&
            within_half_ulp(c, va, vb, dec->places))
      r = R_EQ_ROUND;
    else
      r = R_NUM;
  }
  else {
    double ar, ai, br, bi;
    int fa = gold_ev_float(c, A, na, 0, ma, &ar, &ai);
    int fb = gold_ev_float(c, B, nb, 0, mb, &br, &bi);
    if(c->over)
      r = R_COMPLEX;
    else if(fa != GN_OK || fb != GN_OK)
      r = (fa == GN_BIG || fb == GN_BIG || sa == GN_BIG || sb == GN_BIG)
              ? R_BIG : R_NUM;
    else if(close_c(ar, ai, br, bi, CONST_TOL))
      r = R_EQ;
    else if(dec && dec->sig >= MIN_SIG && ai == 0 && bi == 0 &&
            fabs(ar - br) <= 0.5 * pow(10.0, -dec->places) +
                                 4e-16 * fabs(ar))
      r = R_EQ_ROUND;
    else
      r = R_NUM;
  }
  gnum_pool_release(&c->pool, mark);
  return r;
}

static int cmp_var(struct gctx *c, struct side *A, int na, uint32_t ma,
                   struct side *B, int nb, uint32_t mb)
{
  int valid = 0, exact = 1;
  for(int j = 0; j < EXACT_POINTS && exact; j++) {
    int mark = gnum_pool_mark(&c->pool);
    struct gnum va, vb;
    int sa = gold_ev_exact(c, A, na, j, ma, &va);
    int sb = sa == GN_OK || sa == GN_UNDEF
                 ? gold_ev_exact(c, B, nb, j, mb, &vb) : sa;
    int diff = 0;
    if(sa == GN_OK && sb == GN_OK) {
      diff = gnum_cmp(va, vb) != 0;
      valid++;
    }
    else if(sa != GN_UNDEF && sb != GN_UNDEF &&
            !(sa == GN_OK && sb == GN_UNDEF))
      exact = 0;
    gnum_pool_release(&c->pool, mark);
    if(c->over)
      return R_COMPLEX;
    if(diff)
      return R_EXPR;
  }
  if(exact && valid >= 2)
    return R_EQ;
  valid = 0;
  int big = 0;
  for(int j = 0; j < FLOAT_POINTS; j++) {
    double ar, ai, br, bi;
    int fa = gold_ev_float(c, A, na, j, ma, &ar, &ai);
    int fb = gold_ev_float(c, B, nb, j, mb, &br, &bi);
    if(c->over)
      return R_COMPLEX;
    if(fa == GN_OK && fb == GN_OK) {
      if(!close_c(ar, ai, br, bi, VAR_TOL))
        return R_EXPR;
      valid++;
    }
    else if(fa == GN_BIG || fb == GN_BIG)
      big = 1;
  }
  if(valid >= 3)
    return R_EQ;
  return big ? R_BIG : R_EXPR;
}

static int cmp_expr(struct gctx *c, struct side *A, int na, uint32_t ma,
                    struct side *B, int nb, uint32_t mb)
{
  int ia = gold_inf_sign(A, na), ib = gold_inf_sign(B, nb);
  if(ia || ib)
    return ia == ib && ia != 2 ? R_EQ : R_NUM;
  if(gold_has_var(A, na) || gold_has_var(B, nb))
    return cmp_var(c, A, na, ma, B, nb, mb);
  return cmp_const(c, A, na, ma, B, nb, mb);
}

/* ---------------------------------------------------------- relations */

static int flip(int op)
{
  switch(op) {
  case '<': return '>';
  case '>': return '<';
  case 'l': return 'g';
  case 'g': return 'l';
  default: return op;
  }
}

/* Normalised relation: operands and ops, > and >= turned around. */
struct rel {
  int n; /* operators */
  char ops[GOLD_MAX_REL];
  int e[GOLD_MAX_REL + 1];
};

static void norm_rel(const struct item *it, struct rel *r)
{
  int down = 1;
  r->n = it->nops;
  for(int k = 0; k < it->nops; k++)
    if(it->ops[k] != '>' && it->ops[k] != 'g')
      down = 0;
  for(int k = 0; k <= it->nops; k++)
    r->e[k] = down ? it->e[it->nops - k] : it->e[k];
  for(int k = 0; k < it->nops; k++)
    r->ops[k] = down ? (char)flip(it->ops[it->nops - 1 - k]) : it->ops[k];
}

/* f_A = la - ra and f_B = lb - rb proportional (ratio > 0 if positive). */
static int cmp_prop(struct gctx *c, struct side *A, int la, int ra,
                    struct side *B, int lb, int rb, int positive)
{
  int mark = gnum_pool_mark(&c->pool);
  struct gnum ratio = gnum_int(0);
  int have = 0, exact = 1, valid = 0, r = -1;
  for(int j = 0; j < EXACT_POINTS && exact && r < 0; j++) {
    struct gnum x, y, da, db;
    int st = gold_ev_exact(c, A, la, j, 0, &x);
    if(!st)
      st = gold_ev_exact(c, A, ra, j, 0, &y);
    if(!st)
      st = gnum_sub(&c->pool, x, y, &da);
    if(!st)
      st = gold_ev_exact(c, B, lb, j, 0, &x);
    if(!st)
      st = gold_ev_exact(c, B, rb, j, 0, &y);
    if(!st)
      st = gnum_sub(&c->pool, x, y, &db);
    if(st == GN_UNDEF)
      continue;
    if(st) {
      exact = 0;
      break;
    }
    valid++;
    if(!have) {
      if(gnum_sign(db) == 0) {
        if(gnum_sign(da) != 0)
          r = R_EXPR;
        continue;
      }
      if(gnum_div(&c->pool, da, db, &ratio)) {
        exact = 0;
        break;
      }
      have = 1;
      if(gnum_sign(ratio) == 0 || (positive && gnum_sign(ratio) < 0))
        r = R_EXPR;
    }
    else {
      struct gnum t;
      if(gnum_mul(&c->pool, ratio, db, &t)) {
        exact = 0;
        break;
      }
      if(gnum_cmp(t, da) != 0)
        r = R_EXPR;
    }
  }
  gnum_pool_release(&c->pool, mark);
  if(c->over)
    return R_COMPLEX;
  if(r >= 0)
    return r;
  if(exact && valid >= 2)
    return R_EQ;
  /* floating point */
  double rr = 0, ri = 0;
  have = 0;
  valid = 0;
  for(int j = 0; j < FLOAT_POINTS; j++) {
    double xr, xi, yr, yi, ur, ui, vr, vi;
    if(gold_ev_float(c, A, la, j, 0, &xr, &xi) ||
       gold_ev_float(c, A, ra, j, 0, &yr, &yi) ||
       gold_ev_float(c, B, lb, j, 0, &ur, &ui) ||
       gold_ev_float(c, B, rb, j, 0, &vr, &vi))
      continue;
    double dar = xr - yr, dai = xi - yi, dbr = ur - vr, dbi = ui - vi;
    double scale = hypot(xr, xi) + hypot(yr, yi) + hypot(ur, ui) +
                   hypot(vr, vi) + 1e-300;
    double na = hypot(dar, dai), nb = hypot(dbr, dbi);
    valid++;
    if(!have) {
      if(nb <= 1e-12 * scale) {
        if(na > 1e-12 * scale)
          return R_EXPR;
        continue;
      }
      double den = dbr * dbr + dbi * dbi;
      rr = (dar * dbr + dai * dbi) / den;
      ri = (dai * dbr - dar * dbi) / den;
      have = 1;
      if(positive && (rr <= 0 || fabs(ri) > 1e-9 * fabs(rr)))
        return R_EXPR;
    }
    else {
      double pr = rr * dbr - ri * dbi, pi = rr * dbi + ri * dbr;
      if(!close_c(pr, pi, dar, dai, VAR_TOL) &&
         hypot(pr - dar, pi - dai) > 1e-12 * scale)
        return R_EXPR;
    }
  }
  if(c->over)
    return R_COMPLEX;
  return valid >= 3 ? R_EQ : R_EXPR;
}

static int cmp_rel(struct gctx *c, struct side *A, const struct item *ia,
                   struct side *B, const struct item *ib)
{
  struct rel ra, rb;
  norm_rel(ia, &ra);
  norm_rel(ib, &rb);
  if(ra.n != rb.n)
    return R_REL;
  for(int k = 0; k < ra.n; k++)
    if(ra.ops[k] != rb.ops[k])
      return R_REL;
  if(ra.n == 1)
    return cmp_prop(c, A, ra.e[0], ra.e[1], B, rb.e[0], rb.e[1],
                    ra.ops[0] != '=' && ra.ops[0] != 'n');
  for(int k = 0; k <= ra.n; k++) {
    int r = cmp_expr(c, A, ra.e[k], 0, B, rb.e[k], 0);
    if(!IS_EQ(r))
      return r;
  }
  return R_EQ;
}

/* The value of an assignment "x = v" or "v = x" (x a lone variable not in
 * v), else -1. */
static int assigned_value(const struct side *s, const struct item *it)
{
  if(it->kind != I_REL || it->nops != 1 || it->ops[0] != '=')
    return -1;
  if(it->fhead)
    return it->e[1];
  const struct node *l = &s->nd[it->e[0]], *r = &s->nd[it->e[1]];
  if(l->kind == N_VAR && !gold_has_var(s, it->e[1]))
    return it->e[1];
  if(r->kind == N_VAR && !gold_has_var(s, it->e[0]))
    return it->e[0];
  if(l->kind == N_VAR && r->kind != N_VAR)
    return it->e[1];
  return -1;
}

/* A one-variable inequality or chain as an interval: its ends (-1 for an
 * infinite end) and brackets.  Returns 0 when it is not one. */
static int rel_interval(const struct side *s, const struct item *it,
                        int *lo, int *hi, char *lb, char *rb)
{
  struct rel r;
  norm_rel(it, &r);
  for(int k = 0; k < r.n; k++)
    if(r.ops[k] != '<' && r.ops[k] != 'l')
      return 0;
  const struct node *nd = s->nd;
  if(r.n == 1 && nd[r.e[0]].kind == N_VAR && !gold_has_var(s, r.e[1])) {
    *lo = -1;
    *hi = r.e[1];
    *lb = '(';
    *rb = r.ops[0] == '<' ? ')' : ']';
    return 1;
  }
  if(r.n == 1 && nd[r.e[1]].kind == N_VAR && !gold_has_var(s, r.e[0])) {
    *lo = r.e[0];
    *hi = -1;
    *lb = r.ops[0] == '<' ? '(' : '[';
    *rb = ')';
    return 1;
  }
  if(r.n == 2 && nd[r.e[1]].kind == N_VAR && !gold_has_var(s, r.e[0]) &&
     !gold_has_var(s, r.e[2])) {
    *lo = r.e[0];
    *hi = r.e[2];
    *lb = r.ops[0] == '<' ? '(' : '[';
    *rb = r.ops[1] == '<' ? ')' : ']';
    return 1;
  }
  return 0;
}

static int cmp_rel_interval(struct gctx *c, struct side *R,
                            const struct item *rel, struct side *T,
                            const struct item *tup)
{
  int lo, hi;
  char lb, rb;
  if(!rel_interval(R, rel, &lo, &hi, &lb, &rb) || tup->n != 2)
    return R_TYPE;
  if(lb != tup->lb || rb != tup->rb)
    return R_BRACKET;
  const struct item *a = &T->it[T->kids[tup->kid0]];
  const struct item *b = &T->it[T->kids[tup->kid0 + 1]];
  if(a->kind != I_EXPR || b->kind != I_EXPR)
    return R_TYPE;
  int r1 = lo < 0 ? (gold_inf_sign(T, a->e[0]) == -1 ? R_EQ : R_ELEM)
                  : cmp_expr(c, R, lo, 0, T, a->e[0], 0);
  if(!IS_EQ(r1))
    return r1 == R_NUM ? R_ELEM : r1;
  int r2 = hi < 0 ? (gold_inf_sign(T, b->e[0]) == 1 ? R_EQ : R_ELEM)
                  : cmp_expr(c, R, hi, 0, T, b->e[0], 0);
  if(!IS_EQ(r2))
    return r2 == R_NUM ? R_ELEM : r2;
  return r1 == R_EQ_ROUND ? r1 : r2;
}

/* -------------------------------------------------------------- items */

struct ent {
  int item;
  uint32_t mask;
};

static int is_coll(const struct side *s, int it, int expanded)
{
  const struct item *x = &s->it[it];
  if(x->kind == I_LIST || x->kind == I_SET)
    return 1;
  return !expanded && x->pm_n > 0 && (x->kind == I_EXPR || x->kind == I_REL);
}

static int add_expanded(const struct side *s, int it, struct ent *e, int *n)
{
  const struct item *x = &s->it[it];
  int cnt = x->pm_n > 0 && (x->kind == I_EXPR || x->kind == I_REL)
                ? 1 << x->pm_n : 1;
  for(int b = 0; b < cnt; b++) {
    if(*n >= GOLD_MAX_ELEMS)
      return -1;
    e[*n].item = it;
    e[*n].mask = (uint32_t)b << x->pm_lo;
    (*n)++;
  }
  return 0;
}

/* The elements of a collection: a list or set gives its children (each
 * expanded over its \pm signs), an unexpanded \pm item its 2^k values,
 * a union its parts when union_ok (against a list: "x < -1 or x > 1"),
 * anything else itself. */
static int gather(const struct side *s, int it, uint32_t mask, int expanded,
                  int union_ok, struct ent *e, int *n)
{
  const struct item *x = &s->it[it];
  *n = 0;
  if(x->kind == I_LIST || x->kind == I_SET ||
     (x->kind == I_UNION && union_ok)) {
    for(int k = 0; k < x->n; k++)
      if(add_expanded(s, s->kids[x->kid0 + k], e, n) < 0)
        return -1;
    return 0;
  }
  if(!expanded)
    return add_expanded(s, it, e, n);
  e[0].item = it;
  e[0].mask = mask;
  *n = 1;
  return 0;
}

static int cmp_item(struct gctx *c, struct side *A, int ia, uint32_t ma,
                    int xa, struct side *B, int ib, uint32_t mb, int xb);

static int cmp_multiset(struct gctx *c, struct side *A, const struct ent *ea,
                        int na, struct side *B, const struct ent *eb, int nb)
{
  if(na != nb)
    return R_LEN;
  uint8_t used[GOLD_MAX_ELEMS] = {0};
  int worst = R_EQ;
  for(int i = 0; i < na; i++) {
    int found = 0;
    for(int j = 0; j < nb && !found; j++) {
      if(used[j])
        continue;
      int r = cmp_item(c, A, ea[i].item, ea[i].mask, 1, B, eb[j].item,
                       eb[j].mask, 1);
      if(r == R_COMPLEX)
        return r;
      if(IS_EQ(r)) {
        used[j] = 1;
        found = 1;
        if(r == R_EQ_ROUND)
          worst = r;
      }
    }
    if(!found)
      return R_ELEM;
  }
  return worst;
}

static int expr_letter(const struct side *s, const struct item *it)
{
  if(it->kind != I_EXPR)
    return 0;
  const struct node *nd = &s->nd[it->e[0]];
  if(nd->kind == N_E)
    return 'E';
  if(nd->kind != N_VAR)
    return 0;
  for(const char *l = "ABCDEabcde"; *l; l++) {
    uint64_t h = 1469598103934665603ULL;
    h ^= (unsigned char)*l;
    h *= 1099511628211ULL;
    if(h == nd->var)
      return *l >= 'a' ? *l - 'a' + 'A' : *l;
  }
  return 0;
}

static int is_vector(const struct item *m, const struct item *t)
{
  return m->kind == I_MATRIX && t->kind == I_TUPLE && t->lb == '(' &&
         t->rb == ')' && (m->rows == 1 || m->cols == 1) &&
         m->rows * m->cols == t->n;
}

static int cmp_seq(struct gctx *c, struct side *A, const struct item *a,
                   struct side *B, const struct item *b)
{
  if(a->n != b->n)
    return R_LEN;
  int worst = R_EQ;
  for(int k = 0; k < a->n; k++) {
    int r = cmp_item(c, A, A->kids[a->kid0 + k], 0, 0, B,
                     B->kids[b->kid0 + k], 0, 0);
    if(!IS_EQ(r))
      return r == R_TYPE || r == R_LEN || r == R_BIG || r == R_COMPLEX
                 ? r : R_ELEM;
    if(r == R_EQ_ROUND)
      worst = r;
  }
  return worst;
}

/* Name of the variable an assignment sets (its first letter token). */
static int assign_name(const struct side *s, const struct item *e,
                       const char **name)
{
  const struct node *l = &s->nd[e->e[0]], *r = &s->nd[e->e[1]];
  const struct node *v = l->kind == N_VAR ? l : r->kind == N_VAR ? r : NULL;
  if(!v || v->lit < 0) {
    *name = "";
    return 0;
  }
  const struct tok *t = &s->tok[v->lit];
  *name = s->s + t->pos;
  return t->len;
}

/* "x = 2, y = 3" against the point (2, 3): the assignments, sorted by
 * variable name (stable: x_1 before x_2 as written), against the elements
 * of a parenthesised tuple.  Anything else: a list is not a tuple. */
static int cmp_assign_tuple(struct gctx *c, struct side *L,
                            const struct item *list, struct side *T,
                            const struct item *tup)
{
  if(tup->kind == I_TUPLE && (tup->lb != '(' || tup->rb != ')'))
    return R_TYPE;
  for(int k = 0; k < list->n; k++) {
    const struct item *e = &L->it[L->kids[list->kid0 + k]];
    if(e->kind != I_REL || e->pm_n || assigned_value(L, e) < 0)
      return R_TYPE;
  }
  if(list->n != tup->n)
    return R_LEN;
  int ord[GOLD_MAX_ELEMS];
  for(int k = 0; k < list->n; k++) {
    const char *nk;
    int lk = assign_name(L, &L->it[L->kids[list->kid0 + k]], &nk);
    int j = k;
    while(j > 0) {
      const char *nj;
      int lj = assign_name(L, &L->it[L->kids[list->kid0 + ord[j - 1]]], &nj);
      int m = lj < lk ? lj : lk, c2 = memcmp(nj, nk, (size_t)m);
      if(c2 < 0 || (c2 == 0 && lj <= lk))
        break;
      ord[j] = ord[j - 1];
      j--;
    }
    ord[j] = k;
  }
  int worst = R_EQ;
  for(int k = 0; k < list->n; k++) {
    const struct item *e = &L->it[L->kids[list->kid0 + ord[k]]];
    const struct item *t = &T->it[T->kids[tup->kid0 + k]];
    if(t->kind != I_EXPR)
      return R_TYPE;
    int r = cmp_expr(c, L, assigned_value(L, e), 0, T, t->e[0], 0);
    if(!IS_EQ(r))
      return r == R_NUM || r == R_EXPR ? R_ELEM : r;
    if(r == R_EQ_ROUND)
      worst = r;
  }
  return worst;
}

/* A list of >= 2 assignments to distinct variables ("a = 1, b = 2"). */
static int distinct_assigns(const struct side *s, const struct item *list)
{
  if(list->n < 2)
    return 0;
  for(int k = 0; k < list->n; k++) {
    const struct item *e = &s->it[s->kids[list->kid0 + k]];
    const char *nk;
    if(e->kind != I_REL || e->pm_n || assigned_value(s, e) < 0)
      return 0;
    int lk = assign_name(s, e, &nk);
    if(lk == 0)
      return 0;
    for(int j = 0; j < k; j++) {
      const char *nj;
      int lj = assign_name(s, &s->it[s->kids[list->kid0 + j]], &nj);
      if(lj == lk && !memcmp(nj, nk, (size_t)lk))
        return 0;
    }
  }
  return 1;
}

/* A list of plain values (no relation, no \pm). */
static int plain_list(const struct side *s, const struct item *list)
{
  for(int k = 0; k < list->n; k++) {
    const struct item *e = &s->it[s->kids[list->kid0 + k]];
    if(e->kind != I_EXPR || e->pm_n)
      return 0;
  }
  return 1;
}

static int cmp_item(struct gctx *c, struct side *A, int ia, uint32_t ma,
                    int xa, struct side *B, int ib, uint32_t mb, int xb)
{
  const struct item *a = &A->it[ia], *b = &B->it[ib];
  if(c->over)
    return R_COMPLEX;
  if(a->kind == I_LIST && b->kind == I_TUPLE)
    return cmp_assign_tuple(c, A, a, B, b);
  if(a->kind == I_TUPLE && b->kind == I_LIST)
    return cmp_assign_tuple(c, B, b, A, a);
  /* "x = 1, y = 2" against "1, 2": by variable name, like a point, so
   * that "2, 1" does not swap the values */
  if(a->kind == I_LIST && b->kind == I_LIST) {
    if(distinct_assigns(A, a) && plain_list(B, b))
      return cmp_assign_tuple(c, A, a, B, b);
    if(distinct_assigns(B, b) && plain_list(A, a))
      return cmp_assign_tuple(c, B, b, A, a);
  }
  if(is_coll(A, ia, xa) || is_coll(B, ib, xb)) {
    struct ent ea[GOLD_MAX_ELEMS], eb[GOLD_MAX_ELEMS];
    int na, nb;
    if(gather(A, ia, ma, xa, b->kind == I_LIST, ea, &na) < 0 ||
       gather(B, ib, mb, xb, a->kind == I_LIST, eb, &nb) < 0)
      return R_COMPLEX;
    return cmp_multiset(c, A, ea, na, B, eb, nb);
  }
  if(a->kind == I_UNION || b->kind == I_UNION) {
    struct ent ea[GOLD_MAX_ELEMS], eb[GOLD_MAX_ELEMS];
    int na = 0, nb = 0;
    if(a->kind == I_UNION)
      for(int k = 0; k < a->n; k++)
        ea[na++] = (struct ent){A->kids[a->kid0 + k], 0};
    else
      ea[na++] = (struct ent){ia, 0};
    if(b->kind == I_UNION)
      for(int k = 0; k < b->n; k++)
        eb[nb++] = (struct ent){B->kids[b->kid0 + k], 0};
    else
      eb[nb++] = (struct ent){ib, 0};
    return cmp_multiset(c, A, ea, na, B, eb, nb);
  }
  if(a->kind == I_TUPLE && b->kind == I_TUPLE) {
    if(a->lb != b->lb || a->rb != b->rb)
      return R_BRACKET;
    return cmp_seq(c, A, a, B, b);
  }
  if(a->kind == I_MATRIX && b->kind == I_MATRIX) {
    if(a->rows != b->rows || a->cols != b->cols)
      return R_LEN;
    return cmp_seq(c, A, a, B, b);
  }
  if(is_vector(a, b) || is_vector(b, a)) {
    const struct item *m = a->kind == I_MATRIX ? a : b;
    const struct item *t = a->kind == I_MATRIX ? b : a;
    if(m->rows * m->cols != t->n)
      return R_LEN;
    return cmp_seq(c, A, a, B, b);
  }
  if(a->kind == I_REL && b->kind == I_REL)
    return cmp_rel(c, A, a, B, b);
  if(a->kind == I_REL && b->kind == I_TUPLE)
    return cmp_rel_interval(c, A, a, B, b);
  if(a->kind == I_TUPLE && b->kind == I_REL)
    return cmp_rel_interval(c, B, b, A, a);
  if(a->kind == I_REL && b->kind == I_EXPR) {
    int v = assigned_value(A, a);
    return v < 0 ? R_TYPE : cmp_expr(c, A, v, ma, B, b->e[0], mb);
  }
  if(a->kind == I_EXPR && b->kind == I_REL) {
    int v = assigned_value(B, b);
    return v < 0 ? R_TYPE : cmp_expr(c, A, a->e[0], ma, B, v, mb);
  }
  if(a->kind == I_EXPR && b->kind == I_EXPR)
    return cmp_expr(c, A, a->e[0], ma, B, b->e[0], mb);
  if(a->kind == I_CHOICE || b->kind == I_CHOICE) {
    int la = a->kind == I_CHOICE ? a->letter : expr_letter(A, a);
    int lb = b->kind == I_CHOICE ? b->letter : expr_letter(B, b);
    if(!la || !lb)
      return R_TYPE;
    return la == lb ? R_EQ : R_CHOICE;
  }
  if(a->kind == I_TEXT && b->kind == I_TEXT)
    return a->tlen == b->tlen &&
                   !memcmp(A->text + a->text, B->text + b->text, a->tlen)
               ? R_EQ : R_TEXT;
  return R_TYPE;
}

/* -------------------------------------------------------------- types */

const char *gold_type_name(struct gctx *c, struct side *sd)
{
  if(sd->root < 0)
    return "error";
  const struct item *it = &sd->it[sd->root];
  switch(it->kind) {
  case I_REL:
    for(int k = 0; k < it->nops; k++)
      if(it->ops[k] != '=')
        return "inequality";
    return "equation";
  case I_LIST: return "list";
  case I_SET: return "set";
  case I_UNION: return "union";
  case I_MATRIX: return "matrix";
  case I_TEXT: return "text";
  case I_CHOICE: return "choice";
  case I_TUPLE:
    if(it->lb != '(' || it->rb != ')')
      return "interval";
    for(int k = 0; k < it->n; k++) {
      const struct item *e = &sd->it[sd->kids[it->kid0 + k]];
      if(e->kind == I_EXPR && gold_inf_sign(sd, e->e[0]))
        return "interval";
    }
    return "tuple";
  default: break;
  }
  int n = it->e[0];
  if(gold_inf_sign(sd, n))
    return "real";
  if(gold_has_var(sd, n))
    return "expr";
  if(it->pm_n)
    return "list";
  int mark = gnum_pool_mark(&c->pool);
  long w = c->work;
  struct gnum v;
  int st = gold_ev_exact(c, sd, n, 0, 0, &v);
  const char *t;
  if(st == GN_OK)
    t = lone_dec(sd, n) ? "decimal" : gnum_is_int(v) ? "integer"
                                                     : "rational";
  else if(st == GN_INEXACT) {
    double re, im;
    gold_ev_float(c, sd, n, 0, 0, &re, &im);
    t = im != 0 ? "complex" : "real";
  }
  else
    t = "real";
  c->work = w;
  c->over = 0;
  gnum_pool_release(&c->pool, mark);
  return t;
}

/* -------------------------------------------------------------- judge */

static void copy_display(char *dst, const char *src, int len)
{
  if(len < 0) {
    dst[0] = '\0';
    return;
  }
  size_t n = strlen(src);
  if(n > GOLD_ANSWER_DISPLAY - 1) {
    n = GOLD_ANSWER_DISPLAY - 1;
    /* do not cut a UTF-8 sequence */
    while(n > 0 && ((unsigned char)src[n] & 0xc0) == 0x80)
      n--;
  }
  memcpy(dst, src, n);
  dst[n] = '\0';
}

static const char *status_reason(int st)
{
  switch(st) {
  case GS_DEEP: return "too deep";
  case GS_LONG: return "too long";
  case GS_COMPLEX: return "too complex";
  default: return "parse error";
  }
}

static int extract_side(const char *text, int k, char *out, size_t outlen,
                        int *why)
{
  *why = -1;
  if(k >= 2) {
    int r = gold_extract_boxes(text, k, out, outlen);
    if(r != -1) {
      *why = r == -2 ? -2 : -1;
      return r < 0 ? -1 : r;
    }
  }
  return gold_extract_ex(text, out, outlen, why);
}

int gold_judge(const char *gold, const char *pred, struct gold_verdict *v)
{
  memset(v, 0, sizeof(*v));
  v->gold_type = v->pred_type = "none";
  if(!gold)
    gold = "";
  if(!pred)
    pred = "";
  char ga[GOLD_MAX_ANSWER + 1], pa[GOLD_MAX_ANSWER + 1];
  int k = gold_count_boxes(gold, 8), why_g, why_p;
  int gl = extract_side(gold, k, ga, sizeof(ga), &why_g);
  int pl = extract_side(pred, k, pa, sizeof(pa), &why_p);
  copy_display(v->gold_answer, ga, gl);
  copy_display(v->pred_answer, pa, pl);
  if(gl < 0) {
    v->reason = "no gold answer";
    return 0;
  }
  if(pl < 0) {
    v->reason = why_p == -2 ? "unterminated box" : "no answer";
    return 0;
  }
  if(gl > GOLD_MAX_ANSWER || pl > GOLD_MAX_ANSWER) {
    v->gold_type = gl > GOLD_MAX_ANSWER ? "error" : "none";
    v->pred_type = pl > GOLD_MAX_ANSWER ? "error" : "none";
    v->reason = "too long";
    return 0;
  }
  struct gctx *c = malloc(sizeof(*c));
  if(!c) {
    v->reason = "too large";
    return 0;
  }
  gnum_pool_init(&c->pool);
  c->work = 0;
  c->over = 0;
  c->dom = 0;
  struct side *G = &c->sd[0], *P = &c->sd[1];
  gold_parse(c, G, ga, gl);
  gold_parse(c, P, pa, pl);
  v->gold_type = gold_type_name(c, G);
  v->pred_type = gold_type_name(c, P);
  if(G->lexed && P->lexed && gold_same_tokens(G, P)) {
    v->correct = 1;
    v->reason = "equal (same text)";
  }
  else if(G->status || P->status) {
    v->reason = status_reason(P->status ? P->status : G->status);
  }
  else {
    int r = cmp_item(c, G, G->root, 0, 0, P, P->root, 0, 0);
    if(c->over)
      r = R_COMPLEX;
    v->correct = IS_EQ(r);
    v->reason = reason_str[r];
  }
  gnum_pool_free(&c->pool);
  free(c);
  return v->correct;
}
