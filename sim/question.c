/* question.c - the simulated problems' text and answers (question.h). */
#include "sim/question.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static long gcdl(long a, long b)
{
  a = labs(a);
  b = labs(b);
  while(b) {
    long t = a % b;
    a = b;
    b = t;
  }
  return a;
}

void sim_q_write(const struct sim_q *p, struct buf *b)
{
  const long *v = p->v;
  switch(p->kind) {
  case K_ARITH:
    buf_printf(b, "Compute $%ld \\times %ld - %ld$.", v[0], v[1], v[2]);
    break;
  case K_FRAC:
    buf_printf(b, "Compute $\\frac{%ld}{%ld} + \\frac{%ld}{%ld}$. Express the "
                  "result as a fraction in lowest terms.", v[0], v[1], v[2],
               v[3]);
    break;
  case K_RAD:
    buf_printf(b, "Simplify $\\sqrt{%ld}$ completely.", v[0]);
    break;
  case K_LIN:
    buf_printf(b, "Solve for $x$: $%ldx %c %ld = %ld$.", v[0],
               v[1] < 0 ? '-' : '+', labs(v[1]), v[2]);
    break;
  case K_EXP:
    buf_printf(b, "Expand $(x %c %ld)(x %c %ld)$.", v[0] < 0 ? '-' : '+',
               labs(v[0]), v[1] < 0 ? '-' : '+', labs(v[1]));
    break;
  default:
    buf_printf(b, "A baker makes %ld trays of %ld muffins each and sells %ld "
                  "of them. How many muffins are left?", v[0], v[1], v[2]);
    break;
  }
}

int sim_q_parse(const char *text, struct sim_q *p)
{
  const char *s;
  char c1, c2;
  long *v = p->v;
  memset(p, 0, sizeof(*p));
  if((s = strstr(text, "Compute $\\frac{")) &&
     sscanf(s, "Compute $\\frac{%ld}{%ld} + \\frac{%ld}{%ld}$", &v[0], &v[1],
            &v[2], &v[3]) == 4 && v[1] > 0 && v[3] > 0 && v[1] < 100000 &&
     v[3] < 100000 && labs(v[0]) < 100000 && labs(v[2]) < 100000) {
    p->kind = K_FRAC;
    return 0;
  }
  if((s = strstr(text, "Compute $")) &&
     sscanf(s, "Compute $%ld \\times %ld - %ld$", &v[0], &v[1], &v[2]) == 3 &&
     labs(v[0]) < 1000000 && labs(v[1]) < 1000000 && labs(v[2]) < 1000000) {
    p->kind = K_ARITH;
    return 0;
  }
  if((s = strstr(text, "Simplify $\\sqrt{")) &&
     sscanf(s, "Simplify $\\sqrt{%ld}$", &v[0]) == 1 && v[0] > 0 &&
     v[0] < 100000000) {
    p->kind = K_RAD;
    return 0;
  }
  if((s = strstr(text, "Solve for $x$: $")) &&
     sscanf(s, "Solve for $x$: $%ldx %c %ld = %ld$", &v[0], &c1, &v[1],
            &v[2]) == 4 && (c1 == '+' || c1 == '-') && v[0] != 0 &&
     labs(v[0]) < 100000 && labs(v[1]) < 100000 && labs(v[2]) < 100000) {
    if(c1 == '-')
      v[1] = -v[1];
    p->kind = K_LIN;
    return 0;
  }
  if((s = strstr(text, "Expand $(x ")) &&
     sscanf(s, "Expand $(x %c %ld)(x %c %ld)$", &c1, &v[0], &c2, &v[1]) == 4 &&
     (c1 == '+' || c1 == '-') && (c2 == '+' || c2 == '-') &&
     labs(v[0]) < 100000 && labs(v[1]) < 100000) {
    if(c1 == '-')
      v[0] = -v[0];
    if(c2 == '-')
      v[1] = -v[1];
    p->kind = K_EXP;
    return 0;
  }
  if((s = strstr(text, "A baker makes ")) &&
     sscanf(s, "A baker makes %ld trays of %ld muffins each and sells %ld",
            &v[0], &v[1], &v[2]) == 3 && labs(v[0]) < 100000 &&
     labs(v[1]) < 100000 && labs(v[2]) < 1000000) {
    p->kind = K_WORD;
    return 0;
  }
  return -1;
}

void sim_q_fraction(struct buf *b, long n, long d, int form)
{
  long g = gcdl(n, d);
  if(g == 0)
    g = 1;
  n /= g;
  d /= g;
  if(d < 0) {
    n = -n;
    d = -d;
  }
  if(d == 1) {
    buf_printf(b, "%ld", n);
    return;
  }
  const char *sign = n < 0 ? "-" : "";
  switch(form) {
  case 1: buf_printf(b, "%s\\dfrac{%ld}{%ld}", sign, labs(n), d); break;
  case 2: buf_printf(b, "%ld/%ld", n, d); break;
  default: buf_printf(b, "%s\\frac{%ld}{%ld}", sign, labs(n), d); break;
  }
}

static void write_poly(struct buf *b, long s, long t, int spaced)
{
  const char *sp = spaced ? " " : "";
  buf_puts(b, "x^2");
  if(s) {
    buf_printf(b, "%s%c%s", sp, s < 0 ? '-' : '+', sp);
    if(labs(s) != 1)
      buf_printf(b, "%ld", labs(s));
    buf_putc(b, 'x');
  }
  if(t)
    buf_printf(b, "%s%c%s%ld", sp, t < 0 ? '-' : '+', sp, labs(t));
}

long sim_q_square_part(long n)
{
  long best = 1;
  for(long k = 2; k * k <= n && k < 100000; k++)
    if(n % (k * k) == 0)
      best = k;
  return best;
}

void sim_q_answer(const struct sim_q *p, const struct sim_work *w,
                  int form, struct buf *b)
{
  switch(p->kind) {
  case K_ARITH: case K_WORD:
    buf_printf(b, "%ld", w->r[1]);
    break;
  case K_FRAC:
    sim_q_fraction(b, w->r[2], w->r[3], form % 3);
    break;
  case K_RAD: {
    long k = w->r[1], m = p->v[0] / (sim_q_square_part(p->v[0]) *
                                     sim_q_square_part(p->v[0]));
    if(m == 1)
      buf_printf(b, "%ld", k);
    else if(k == 1)
      buf_printf(b, "\\sqrt{%ld}", m);
    else
      buf_printf(b, form == 1 ? "%ld \\sqrt %ld" : "%ld\\sqrt{%ld}", k, m);
    break;
  }
  case K_LIN:
    if(form == 1)
      buf_puts(b, "x = ");
    sim_q_fraction(b, w->r[0], p->v[0], form == 2 ? 2 : 0);
    break;
  case K_EXP:
    write_poly(b, w->r[0], w->r[1], form != 1);
    break;
  default:
    break;
  }
}

void sim_q_solve(const struct sim_q *p, struct sim_work *w)
{
  const long *v = p->v;
  memset(w, 0, sizeof(*w));
  switch(p->kind) {
  case K_ARITH: w->r[1] = v[0] * v[1] - v[2]; break;
  case K_WORD: w->r[1] = v[0] * v[1] - v[2]; break;
  case K_FRAC: w->r[2] = v[0] * v[3] + v[2] * v[1]; w->r[3] = v[1] * v[3];
    break;
  case K_RAD: w->r[1] = sim_q_square_part(v[0]); break;
  case K_LIN: w->r[0] = v[2] - v[1]; break;
  case K_EXP: w->r[0] = v[0] + v[1]; w->r[1] = v[0] * v[1]; break;
  default: break;
  }
}
