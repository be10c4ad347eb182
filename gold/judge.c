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

/* The same reasons for a completion whose answer is its last number. */
static const char *const reason_last[] = {
  [R_EQ] = "equal (last number)",
  [R_EQ_ROUND] = "equal (rounded, last number)",
  [R_NUM] = "numeric mismatch (last number)",
  [R_EXPR] = "expression mismatch (last number)",
  [R_TYPE] = "type mismatch (last number)",
  [R_REL] = "relation mismatch (last number)",
  [R_TEXT] = "text mismatch (last number)",
  [R_CHOICE] = "choice mismatch (last number)",
  [R_LEN] = "length mismatch (last number)",
  [R_BRACKET] = "bracket mismatch (last number)",
  [R_ELEM] = "element mismatch (last number)",
  [R_BIG] = "too large (last number)",
  [R_COMPLEX] = "too complex (last number)",
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

/* A number written as a decimal: the literal 0.577, or d \times 10^{k}
 * with d a decimal (its places shift by k).  1 and *places, *sig. */
static int lone_dec(const struct side *s, int n, int *places, int *sig)
{
  const struct node *nd = &s->nd[n];
  if(nd->kind == N_NEG)
    nd = &s->nd[nd->a];
  int shift = 0;
  if(nd->kind == N_MUL) {
    const struct node *pw = &s->nd[nd->b], *ten, *e;
    if(pw->kind != N_POW)
      return 0;
    ten = &s->nd[pw->a];
    e = &s->nd[pw->b];
    int neg = e->kind == N_NEG;
    if(neg)
      e = &s->nd[e->a];
    int64_t k;
    if(ten->kind != N_NUM || s->lit[ten->lit].is_dec ||
       gnum_cmp(s->lit[ten->lit].q, gnum_int(10)) != 0 ||
       e->kind != N_NUM || s->lit[e->lit].is_dec ||
       !gnum_get_i64(s->lit[e->lit].q, &k) || k > 400)
      return 0;
    shift = neg ? -(int)k : (int)k;
    nd = &s->nd[nd->a];
  }
  if(nd->kind != N_NUM || !s->lit[nd->lit].is_dec)
    return 0;
  *places = s->lit[nd->lit].places - shift;
  *sig = s->lit[nd->lit].sig;
  return 1;
}

/* |x - y| <= 10^-places / 2, exactly. */
static int within_half_ulp(struct gctx *c, struct gnum x, struct gnum y,
                           int places)
{
  struct gnum d, t, half;
  if(gnum_sub(&c->pool, x, y, &d) || gnum_abs(&c->pool, d, &d))
    return 0;
  if(places > 400 || places < -400 ||
     gnum_pow(&c->pool, gnum_int(10), places, &t) ||
     gnum_mul(&c->pool, t, gnum_int(2), &t) ||
     gnum_div(&c->pool, gnum_int(1), t, &half))
    return 0;
  return gnum_cmp(d, half) <= 0;
}

static int cmp_const(struct gctx *c, struct side *A, int na, uint32_t ma,
                     struct side *B, int nb, uint32_t mb)
{
  int pa, ga, pb, gb;
  int da = lone_dec(A, na, &pa, &ga), db = lone_dec(B, nb, &pb, &gb);
  int dec = da != db, places = da ? pa : pb, sig = da ? ga : gb;
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
    else if(dec && sig >= MIN_SIG && within_half_ulp(c, va, vb, places))
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
    else if(dec && sig >= MIN_SIG && ai == 0 && bi == 0 &&
            fabs(ar - br) <= 0.5 * pow(10.0, -places) + 4e-16 * fabs(ar))
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

static int assigned_value(const struct side *s, const struct item *it);

static int cmp_rel(struct gctx *c, struct side *A, const struct item *ia,
                   struct side *B, const struct item *ib)
{
  /* f(x) = 2x+3 against y = 2x+3 or p(x) = ...: a definition is its value */
  if(ia->fhead || ib->fhead) {
    int va = assigned_value(A, ia), vb = assigned_value(B, ib);
    if(va >= 0 && vb >= 0 && (ia->fhead || A->nd[ia->e[0]].kind == N_VAR) &&
       (ib->fhead || B->nd[ib->e[0]].kind == N_VAR))
      return cmp_expr(c, A, va, 0, B, vb, 0);
  }
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

/* 1 when the variable of node v (or a variable under v) occurs in n. */
static int has_this_var(const struct side *s, int n, uint64_t h)
{
  if(n < 0 || !s->nd[n].hv)
    return 0;
  const struct node *nd = &s->nd[n];
  if(nd->kind == N_VAR)
    return nd->var == h;
  return has_this_var(s, nd->a, h) || has_this_var(s, nd->b, h);
}

/* 1 when a variable of the name at `name` occurs in the expression n. */
static int shares_var(const struct side *s, int name, int n)
{
  if(name < 0)
    return 0;
  const struct node *nd = &s->nd[name];
  if(nd->kind == N_VAR)
    return has_this_var(s, n, nd->var);
  return shares_var(s, nd->a, n) || shares_var(s, nd->b, n);
}

/* The value of an assignment "x = v" or "v = x" (x a lone variable not in
 * v), of a named quantity "AB = 4", "\Delta p = -\hbar\omega/c" (a name
 * on one side whose variables the other side does not use), of a
 * definition "f(x) = 2x", else -1. */
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
  if(gold_is_name(s, it->e[0]) && !shares_var(s, it->e[0], it->e[1]))
    return it->e[1];
  if(gold_is_name(s, it->e[1]) && !shares_var(s, it->e[1], it->e[0]))
    return it->e[0];
  return -1;
}

/* The named side of an assignment (the other side of assigned_value). */
static int assigned_name(const struct side *s, const struct item *it)
{
  int v = assigned_value(s, it);
  return v < 0 ? -1 : v == it->e[1] ? it->e[0] : it->e[1];
}

/* A hash of the expression tree at n (names of assignments compared). */
static uint64_t tree_hash(const struct side *s, int n)
{
  if(n < 0)
    return 7;
  const struct node *nd = &s->nd[n];
  uint64_t h = (uint64_t)nd->kind * 0x9e3779b97f4a7c15ULL ^ nd->var;
  if(nd->kind == N_NUM)
    h ^= (uint64_t)(int64_t)(s->lit[nd->lit].f * 1e6);
  h = (h ^ tree_hash(s, nd->a)) * 1099511628211ULL;
  return (h ^ (tree_hash(s, nd->b) << 1)) * 1099511628211ULL;
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
  if(r.n == 1 && gold_is_name(s, r.e[0]) && !gold_has_var(s, r.e[1])) {
    *lo = -1;
    *hi = r.e[1];
    *lb = '(';
    *rb = r.ops[0] == '<' ? ')' : ']';
    return 1;
  }
  if(r.n == 1 && gold_is_name(s, r.e[1]) && !gold_has_var(s, r.e[0])) {
    *lo = r.e[0];
    *hi = -1;
    *lb = r.ops[0] == '<' ? '(' : '[';
    *rb = ')';
    return 1;
  }
  if(r.n == 2 && gold_is_name(s, r.e[1]) && !gold_has_var(s, r.e[0]) &&
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

/* Two ratios a0:a1:... and b0:b1:...: proportional with a positive factor
 * (2:3 = 4:6), compared exactly when the parts are exact numbers, else in
 * double precision; parts with variables are compared part by part.  Two
 * clock times compare as minutes of the day; an hour written without
 * a.m. / p.m. (1 to 12) may be either half. */
static int cmp_ratio(struct gctx *c, struct side *A, const struct item *a,
                     struct side *B, const struct item *b)
{
  if(a->rows >= 0 && b->rows >= 0) {
    int x = a->rows, y = b->rows;
    return x == y || (a->cols && (x + 720) % 1440 == y) ||
                   (b->cols && (y + 720) % 1440 == x)
               ? R_EQ : R_NUM;
  }
  if((a->rows >= 0 && a->letter) || (b->rows >= 0 && b->letter))
    return R_TYPE; /* 4:30 p.m. is no ratio */
  if(a->n != b->n)
    return R_LEN;
  int mark = gnum_pool_mark(&c->pool), exact = 1, r = R_EQ;
  struct gnum va[GOLD_MAX_ELEMS], vb[GOLD_MAX_ELEMS];
  double fa[GOLD_MAX_ELEMS], fb[GOLD_MAX_ELEMS];
  for(int k = 0; k < a->n; k++) {
    const struct item *x = &A->it[A->kids[a->kid0 + k]];
    const struct item *y = &B->it[B->kids[b->kid0 + k]];
    if(x->kind != I_EXPR || y->kind != I_EXPR)
      return gnum_pool_release(&c->pool, mark), R_TYPE;
    if(gold_has_var(A, x->e[0]) || gold_has_var(B, y->e[0])) {
      gnum_pool_release(&c->pool, mark);
      return cmp_seq(c, A, a, B, b);
    }
    double im1, im2;
    if(exact && (gold_ev_exact(c, A, x->e[0], 0, 0, &va[k]) ||
                 gold_ev_exact(c, B, y->e[0], 0, 0, &vb[k])))
      exact = 0;
    if(gold_ev_float(c, A, x->e[0], 0, 0, &fa[k], &im1) ||
       gold_ev_float(c, B, y->e[0], 0, 0, &fb[k], &im2) || im1 || im2) {
      gnum_pool_release(&c->pool, mark);
      return c->over ? R_COMPLEX : R_NUM;
    }
  }
  for(int k = 1; k < a->n && r == R_EQ; k++) {
    if(exact) {
      struct gnum p, q;
      if(gnum_mul(&c->pool, va[k], vb[0], &p) ||
         gnum_mul(&c->pool, vb[k], va[0], &q))
        exact = 0;
      else if(gnum_cmp(p, q) != 0)
        r = R_NUM;
    }
    if(!exact && !close_c(fa[k] * fb[0], 0, fb[k] * fa[0], 0, CONST_TOL))
      r = R_NUM;
  }
  if(r == R_EQ && (fa[0] > 0) != (fb[0] > 0))
    r = R_NUM; /* the factor must be positive */
  gnum_pool_release(&c->pool, mark);
  return r;
}

/* "x = 2, y = 3" against the point (2, 3): the assigned values, in the
 * order written, against the elements of a parenthesised tuple (or of a
 * plain list).  Anything else: a list is not a tuple. */
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
  int worst = R_EQ;
  for(int k = 0; k < list->n; k++) {
    const struct item *e = &L->it[L->kids[list->kid0 + k]];
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

/* A list of >= 2 assignments to distinct names ("a = 1, b = 2"). */
static int distinct_assigns(const struct side *s, const struct item *list)
{
  uint64_t h[GOLD_MAX_ELEMS];
  if(list->n < 2)
    return 0;
  for(int k = 0; k < list->n; k++) {
    const struct item *e = &s->it[s->kids[list->kid0 + k]];
    if(e->kind != I_REL || e->pm_n || assigned_value(s, e) < 0)
      return 0;
    h[k] = tree_hash(s, assigned_name(s, e));
    for(int j = 0; j < k; j++)
      if(h[j] == h[k])
        return 0;
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
  if(a->kind == I_RATIO && b->kind == I_RATIO)
    return cmp_ratio(c, A, a, B, b);
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
  case I_RATIO: return it->rows >= 0 ? "time" : "ratio";
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
  int mark = gnum_pool_mark(&c->pool), pl, sg;
  long w = c->work;
  struct gnum v;
  int st = gold_ev_exact(c, sd, n, 0, 0, &v);
  const char *t;
  if(st == GN_OK)
    t = lone_dec(sd, n, &pl, &sg) ? "decimal"
        : gnum_is_int(v)          ? "integer"
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

/* A reference with k >= 2 boxes of different texts whose boxes all hold
 * the value of the last one ("15\frac{39}{40}" ... "\frac{639}{40}"): one
 * answer.  Uses both sides of c as scratch. */
static int boxes_one_value(struct gctx *c, const char *gold, int k)
{
  char last[GOLD_MAX_ANSWER + 1], other[GOLD_MAX_ANSWER + 1];
  int ll = gold_nth_box(gold, 0, last, sizeof(last)), one = 1;
  if(ll <= 0 || ll > GOLD_MAX_ANSWER)
    return 0;
  int mark = gnum_pool_mark(&c->pool);
  for(int i = 1; i < k && one; i++) {
    int ol = gold_nth_box(gold, i, other, sizeof(other));
    if(ol <= 0 || ol > GOLD_MAX_ANSWER ||
       gold_parse(c, &c->sd[0], last, ll) < 0 ||
       gold_parse(c, &c->sd[1], other, ol) < 0)
      one = 0;
    else
      one = IS_EQ(cmp_item(c, &c->sd[0], c->sd[0].root, 0, 0, &c->sd[1],
                           c->sd[1].root, 0, 0)) && !c->over;
  }
  gnum_pool_release(&c->pool, mark);
  c->work = 0;
  c->over = 0;
  return one;
}

/* A parsed answer that reads as prose holding a number: it does not
 * parse, or it is text (or a list with text in it), and has a digit. */
static int reads_as_prose(const struct side *P)
{
  if(!memchr(P->s, '0', (size_t)P->len) && !strpbrk(P->s, "123456789"))
    return 0;
  if(P->status == GS_PARSE)
    return 1;
  if(P->status || P->root < 0)
    return 0;
  const struct item *it = &P->it[P->root];
  if(it->kind == I_TEXT)
    return 1;
  if(it->kind != I_LIST)
    return 0;
  for(int k = 0; k < it->n; k++)
    if(P->it[P->kids[it->kid0 + k]].kind == I_TEXT)
      return 1;
  return 0;
}

/* How many values the reference answer lists (1 for a single value). */
static int ref_count(const struct side *G)
{
  if(G->root < 0)
    return 1;
  const struct item *it = &G->it[G->root];
  return (it->kind == I_LIST || it->kind == I_SET) && it->n >= 2 ? it->n
                                                                  : 1;
}

/* The completion's answer: when the reference lists k >= 2 values, its
 * last boxes that hold k elements; else the extraction order. */
static int extract_pred(const char *pred, int k, int flags, char *out,
                        size_t outlen, int *why)
{
  if(k >= 2) {
    int r = gold_extract_boxes(pred, k, 1, out, outlen);
    if(r != -1) {
      *why = r == -2 ? GX_UNTERM : GX_BOX;
      return r < 0 ? -1 : r;
    }
  }
  return gold_extract_ex(pred, flags, out, outlen, why);
}

static void compare(struct gctx *c, int why_p, struct gold_verdict *v)
{
  struct side *G = &c->sd[0], *P = &c->sd[1];
  v->gold_type = gold_type_name(c, G);
  v->pred_type = gold_type_name(c, P);
  if(G->lexed && P->lexed && gold_same_tokens(G, P)) {
    v->correct = 1;
    v->reason = why_p == GX_LAST ? reason_last[R_EQ] : "equal (same text)";
  }
  else if(G->status || P->status) {
    v->reason = status_reason(P->status ? P->status : G->status);
  }
  else {
    int r = cmp_item(c, G, G->root, 0, 0, P, P->root, 0, 0);
    if(c->over)
      r = R_COMPLEX;
    v->correct = IS_EQ(r);
    v->reason = why_p == GX_LAST ? reason_last[r] : reason_str[r];
  }
}

int gold_judge_ex(const char *gold, const char *pred, int flags,
                  struct gold_verdict *v)
{
  memset(v, 0, sizeof(*v));
  v->gold_type = v->pred_type = "none";
  if(!gold)
    gold = "";
  if(!pred)
    pred = "";
  struct gctx *c = malloc(sizeof(*c));
  if(!c) {
    v->reason = "too large";
    return 0;
  }
  gnum_pool_init(&c->pool);
  c->work = 0;
  c->over = 0;
  c->dom = 0;
  char ga[GOLD_MAX_ANSWER + 1], pa[GOLD_MAX_ANSWER + 1];
  int k = gold_count_boxes(gold, 8), why_g = GX_NONE, why_p = GX_NONE;
  if(k >= 2 && boxes_one_value(c, gold, k))
    k = 1;
  int gl = k >= 2 ? gold_extract_boxes(gold, k, 0, ga, sizeof(ga))
                  : gold_extract_ex(gold, GX_NO_LAST, ga, sizeof(ga),
                                    &why_g);
  copy_display(v->gold_answer, ga, gl);
  if(gl < 0 || gl > GOLD_MAX_ANSWER) {
    v->gold_type = gl < 0 ? "none" : "error";
    v->reason = gl < 0 ? "no gold answer" : "too long";
    goto out;
  }
  struct side *G = &c->sd[0], *P = &c->sd[1];
  gold_parse(c, G, ga, gl);
  int pl = extract_pred(pred, k >= 2 ? k : ref_count(G), flags, pa,
                        sizeof(pa), &why_p);
  copy_display(v->pred_answer, pa, pl);
  if(pl < 0) {
    v->reason = why_p == GX_UNTERM ? "unterminated box" : "no answer";
    goto out;
  }
  if(pl > GOLD_MAX_ANSWER) {
    v->pred_type = "error";
    v->reason = "too long";
    goto out;
  }
  gold_parse(c, P, pa, pl);
  if(why_p == GX_TEXT && !(flags & GOLD_STRICT) && reads_as_prose(P)) {
    /* "She has 26 - 8 = 18 dollars left.": a short text that reads as
     * prose with numbers is no answer by itself: the next rules */
    int l2 = gold_extract_ex(pred, flags | GX_NO_TEXT, pa, sizeof(pa),
                             &why_p);
    copy_display(v->pred_answer, pa, l2);
    if(l2 < 0 || l2 > GOLD_MAX_ANSWER) {
      v->reason = l2 < 0 ? "no answer" : "too long";
      goto out;
    }
    gold_parse(c, P, pa, l2);
  }
  compare(c, why_p, v);
out:
  gnum_pool_free(&c->pool);
  free(c);
  return v->correct;
}

int gold_judge(const char *gold, const char *pred, struct gold_verdict *v)
{
  return gold_judge_ex(gold, pred, 0, v);
}
