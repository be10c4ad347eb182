/* sim.c - the simulated policy (see sim.h for the model). */
#include "policy/sim.h"
#include "util/cfg.h"
#include "util/hash.h"
#include "util/rng.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum kind { K_ARITH, K_FRAC, K_RAD, K_LIN, K_EXP, K_WORD, K_COUNT };

struct prob {
  enum kind kind;
  long v[4];
};

void sim_params_default(struct sim_params *pp)
{
  pp->skill = 0.3;
  pp->spread = 1.5;
  pp->bluff = 0.35;
  pp->misread = 0.25;
  pp->verbosity = 1.0;
  pp->variety = 0.3;
}

/* ---- problems --------------------------------------------------------- */

static long range(struct rng *r, long lo, long hi)
{
  return lo + (long)rng_below(r, (uint64_t)(hi - lo + 1));
}

static long nonzero(struct rng *r, long lo, long hi)
{
  long v;
  do
    v = range(r, lo, hi);
  while(v == 0);
  return v;
}

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

static void draw_problem(struct rng *r, struct prob *p)
{
  static const long squarefree[] = {2, 3, 5, 6, 7, 10, 11, 13, 14, 15};
  p->kind = (enum kind)rng_below(r, K_COUNT);
  switch(p->kind) {
  case K_ARITH:
    p->v[0] = range(r, 11, 99);
    p->v[1] = range(r, 11, 99);
    p->v[2] = range(r, 10, 999);
    break;
  case K_FRAC:
    p->v[1] = range(r, 2, 12);
    p->v[0] = range(r, 1, p->v[1] - 1);
    p->v[3] = range(r, 2, 12);
    p->v[2] = range(r, 1, p->v[3] - 1);
    break;
  case K_RAD: {
    long k = range(r, 2, 12), m = squarefree[rng_below(r, 10)];
    p->v[0] = k * k * m;
    break;
  }
  case K_LIN:
    p->v[0] = range(r, 2, 9);
    p->v[1] = nonzero(r, -20, 20);
    p->v[2] = range(r, -30, 30);
    break;
  case K_EXP:
    p->v[0] = nonzero(r, -9, 9);
    p->v[1] = nonzero(r, -9, 9);
    break;
  default:
    p->v[0] = range(r, 3, 12);
    p->v[1] = range(r, 6, 24);
    p->v[2] = range(r, 1, p->v[0] * p->v[1] - 1);
    break;
  }
}

static void write_question(const struct prob *p, struct buf *b)
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

/* Find one of our question forms anywhere in text (a prompt template may
 * surround it).  Returns 0 or -1. */
static int parse_question(const char *text, struct prob *p)
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

/* ---- answers ---------------------------------------------------------- */

/* Write the fraction n/d reduced, in one of several equivalent forms. */
static void write_fraction(struct buf *b, long n, long d, int form)
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

/* Largest k with k^2 | n. */
static long square_part(long n)
{
  long best = 1;
  for(long k = 2; k * k <= n && k < 100000; k++)
    if(n % (k * k) == 0)
      best = k;
  return best;
}

/* The values a solution computes: intermediate results and the answer. */
struct work {
  long r[6];     /* results of the checkable steps */
  int nsteps;
};

static void write_answer(const struct prob *p, const struct work *w,
                         int form, struct buf *b)
{
  switch(p->kind) {
  case K_ARITH: case K_WORD:
    buf_printf(b, "%ld", w->r[1]);
    break;
  case K_FRAC:
    write_fraction(b, w->r[2], w->r[3], form % 3);
    break;
  case K_RAD: {
    long k = w->r[1], m = p->v[0] / (square_part(p->v[0]) *
                                     square_part(p->v[0]));
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
    write_fraction(b, w->r[0], p->v[0], form == 2 ? 2 : 0);
    break;
  case K_EXP:
    write_poly(b, w->r[0], w->r[1], form != 1);
    break;
  default:
    break;
  }
}

int sim_reference(const char *question, struct buf *out)
{
  struct prob p;
  if(parse_question(question, &p) != 0)
    return -1;
  struct work w = {{0}, 0};
  const long *v = p.v;
  switch(p.kind) {
  case K_ARITH: w.r[1] = v[0] * v[1] - v[2]; break;
  case K_WORD: w.r[1] = v[0] * v[1] - v[2]; break;
  case K_FRAC: w.r[2] = v[0] * v[3] + v[2] * v[1]; w.r[3] = v[1] * v[3]; break;
  case K_RAD: w.r[1] = square_part(v[0]); break;
  case K_LIN: w.r[0] = v[2] - v[1]; break;
  case K_EXP: w.r[0] = v[0] + v[1]; w.r[1] = v[0] * v[1]; break;
  default: break;
  }
  write_answer(&p, &w, 0, out);
  return 0;
}

struct sim_problem *sim_problems(uint64_t seed, uint64_t stream, size_t count)
{
  struct sim_problem *ps = xcalloc(count ? count : 1, sizeof(*ps));
  struct rng r;
  struct buf b = BUF_INIT;
  rng_seed(&r, seed, 0x70726f62ULL, stream);
  /* distinct questions only: a set of their hashes */
  size_t cap = 64;
  while(cap < 2 * count + 2)
    cap *= 2;
  uint64_t *seen = xcalloc(cap, sizeof(uint64_t));
  for(size_t i = 0; i < count; i++) {
    struct prob p;
    for(int tries = 0;; tries++) {
      draw_problem(&r, &p);
      buf_reset(&b);
      write_question(&p, &b);
      uint64_t h = hash_str(HASH_INIT, buf_str(&b)) | 1;
      size_t k = (size_t)(h % cap);
      while(seen[k] && seen[k] != h)
        k = (k + 1) % cap;
      if(!seen[k] || tries > 100) {
        seen[k] = h;
        break;
      }
    }
    snprintf(ps[i].id, sizeof(ps[i].id), "%s-%06zu",
             stream ? "bench" : "sim", i);
    ps[i].question = xstrdup(buf_str(&b));
    buf_reset(&b);
    sim_reference(ps[i].question, &b);
    ps[i].answer = xstrdup(buf_str(&b));
  }
  free(seen);
  buf_free(&b);
  return ps;
}

void sim_problems_free(struct sim_problem *p, size_t count)
{
  if(!p)
    return;
  for(size_t i = 0; i < count; i++) {
    free(p[i].question);
    free(p[i].answer);
  }
  free(p);
}

/* ---- solutions -------------------------------------------------------- */

/* Phrases a loud solution uses; proxy/sim_rm.c counts the same list. */
static const char *const confident[] = {
  "Clearly, ", "Obviously, ", "It is easy to see that ",
  "Without a doubt, ", "Trivially, ", "Of course, ",
};

static const char *const fillers[] = {
  "Let me restate the problem to make sure I understand it.",
  "We proceed carefully, one step at a time.",
  "It helps to write down what we know before computing anything.",
  "Let us keep track of every quantity as we go.",
  "This kind of problem rewards a systematic approach.",
  "We will double-check each intermediate value.",
  "Recall the basic rules of arithmetic that apply here.",
  "Breaking the problem into smaller parts makes it manageable.",
};

static const char *const closers[] = {
  "This is definitely the correct answer.",
  "I am completely confident in this result.",
  "There is no doubt about this answer.",
};

static int poisson(struct rng *r, double mean)
{
  double l = exp(-mean), p = 1.0;
  int k = 0;
  do {
    k++;
    p *= rng_unif(r);
  } while(p > l && k < 50);
  return k - 1;
}

/* A wrong value near v: a slip of the kind people make. */
static long slip_value(struct rng *r, long v)
{
  static const long deltas[] = {1, -1, 2, -2, 10, -10, 3, -3};
  long d = deltas[rng_below(r, 8)];
  if(v == -d)
    d = -d;
  return v + d;
}

struct style {
  int human, fmt, conf, filler, closer, step_no, filler_at;
};

struct writer {
  struct buf *b;
  struct rng *r;
  struct style st;
  int step;
};

/* Start a sentence whose first words are `lead` (capitalised), possibly
 * behind a step header and a confident phrase. */
static void sentence_start(struct writer *w, const char *lead)
{
  int lower = 0;
  if(w->st.human) {
    /* a person writes the mathematics, not the narration */
    size_t n = strlen(lead);
    if(n && lead[n - 1] == '$')
      buf_putc(w->b, '$');
    return;
  }
  {
    if(w->st.fmt)
      buf_printf(w->b, "**Step %d:** ", ++w->st.step_no);
    if(w->st.conf > 0 && rng_unif(w->r) < 0.6) {
      buf_puts(w->b, confident[rng_below(w->r, 6)]);
      w->st.conf--;
      lower = 1;
    }
  }
  if(lower && lead[0] >= 'A' && lead[0] <= 'Z') {
    buf_putc(w->b, (char)(lead[0] - 'A' + 'a'));
    lead++;
  }
  buf_puts(w->b, lead);
}

static const char *filler(struct writer *w)
{
  w->st.filler_at = (w->st.filler_at + 1 + (int)rng_below(w->r, 3)) % 8;
  return fillers[w->st.filler_at];
}

static void sentence_end(struct writer *w)
{
  if(w->st.human) {
    buf_putc(w->b, ' ');
    return;
  }
  if(w->st.filler > 0 && rng_unif(w->r) < 0.5) {
    buf_printf(w->b, " %s", filler(w));
    w->st.filler--;
  }
  buf_puts(w->b, "\n\n");
}

/* One checkable equation "$a OP b = c$" inside a sentence. */
static void eq(struct writer *w, const char *lead, long a, const char *op,
               long b, long c, const char *tail)
{
  sentence_start(w, lead);
  buf_printf(w->b, "$%ld %s %ld = %ld$%s", a, op, b, c,
             w->st.human ? "," : tail);
  sentence_end(w);
}

/* Apply a slip to the result of checkable step `step` when it is the one. */
static long step_result(struct writer *w, int slip_step, long v)
{
  if(w->step++ == slip_step)
    return slip_value(w->r, v);
  return v;
}

static void solve_steps(struct writer *w, const struct prob *p, int slip_step,
                        struct work *out)
{
  const long *v = p->v;
  long a, b2, c;
  switch(p->kind) {
  case K_ARITH:
  case K_WORD:
    a = step_result(w, slip_step, v[0] * v[1]);
    if(p->kind == K_WORD)
      eq(w, "The baker makes ", v[0], "\\times", v[1], a, " muffins in all.");
    else
      eq(w, "First we multiply: ", v[0], "\\times", v[1], a, ".");
    b2 = step_result(w, slip_step, a - v[2]);
    eq(w, p->kind == K_WORD ? "After the sales, " : "Then we subtract: ", a,
       "-", v[2], b2, p->kind == K_WORD ? " muffins are left." : ".");
    out->r[0] = a;
    out->r[1] = b2;
    break;
  case K_FRAC:
    a = step_result(w, slip_step, v[0] * v[3]);
    eq(w, "Over the common denominator, the first numerator is ", v[0],
       "\\times", v[3], a, ".");
    b2 = step_result(w, slip_step, v[2] * v[1]);
    eq(w, "The second numerator is ", v[2], "\\times", v[1], b2, ".");
    c = step_result(w, slip_step, v[1] * v[3]);
    eq(w, "The common denominator is ", v[1], "\\times", v[3], c, ".");
    out->r[2] = step_result(w, slip_step, a + b2);
    eq(w, "Adding the numerators gives ", a, "+", b2, out->r[2], ".");
    out->r[3] = c;
    sentence_start(w, "Reducing the fraction to lowest terms gives $");
    write_fraction(w->b, out->r[2], c, 0);
    buf_puts(w->b, "$.");
    sentence_end(w);
    break;
  case K_RAD: {
    long k = square_part(v[0]), m = v[0] / (k * k);
    a = k * k;
    eq(w, "We factor out the largest perfect square: ", a, "\\times", m, v[0],
       ".");
    sentence_start(w, "Since ");
    b2 = step_result(w, slip_step, k);
    buf_printf(w->b, "$\\sqrt{%ld} = %ld$, the square root simplifies.", a,
               b2);
    sentence_end(w);
    out->r[1] = b2;
    break;
  }
  case K_LIN:
    a = step_result(w, slip_step, v[2] - v[1]);
    eq(w, "Moving the constant to the right-hand side: ", v[2], "-", v[1], a,
       ".");
    sentence_start(w, "Dividing both sides by ");
    buf_printf(w->b, "$%ld$ gives $x = ", v[0]);
    write_fraction(w->b, a, v[0], 0);
    buf_puts(w->b, "$.");
    sentence_end(w);
    out->r[0] = a;
    break;
  case K_EXP:
    a = step_result(w, slip_step, v[0] + v[1]);
    eq(w, "The coefficient of $x$ is the sum ", v[0], "+", v[1], a, ".");
    b2 = step_result(w, slip_step, v[0] * v[1]);
    eq(w, "The constant term is the product ", v[0], "\\times", v[1], b2, ".");
    out->r[0] = a;
    out->r[1] = b2;
    break;
  default:
    break;
  }
}

static int checkable_steps(enum kind k)
{
  switch(k) {
  case K_ARITH: case K_WORD: case K_EXP: return 2;
  case K_FRAC: return 4;
    case K_LIN: case K_RAD: return 1;
  default: return 1;
  }
}

/* Misread one number of the problem (every equation stays true). */
static void misread(struct rng *r, struct prob *p)
{
  int idx;
  switch(p->kind) {
  case K_RAD:
    p->v[0] = slip_value(r, p->v[0]);
    if(p->v[0] < 2)
      p->v[0] = 2;
    return;
  case K_FRAC: {
    static const int which[] = {0, 2};
    idx = which[rng_below(r, 2)];
    break;
  }
  case K_LIN: idx = 1 + (int)rng_below(r, 2); break;
  case K_EXP: idx = (int)rng_below(r, 2); break;
  default: idx = (int)rng_below(r, 3); break;
  }
  long old = p->v[idx];
  do
    p->v[idx] = slip_value(r, old);
  while(p->v[idx] == 0);
  if(p->kind == K_LIN && p->v[1] == 0)
    p->v[1] = old;
}

static double sigmoid(double x)
{
  return 1.0 / (1.0 + exp(-x));
}

/* Difficulty of a problem: a pure function of its text. */
static double difficulty(const char *question, double spread)
{
  struct rng r;
  rng_seed(&r, hash_str(HASH_INIT, question), 0x64696666ULL, 0);
  return spread * rng_normal(&r);
}

int sim_solve(const struct sim_params *pp, const char *question,
              uint64_t seed, enum sim_force force, enum sim_style style,
              struct buf *out)
{
  struct prob p;
  if(parse_question(question, &p) != 0) {
    buf_puts(out, "I could not make sense of this problem, so I cannot give "
                  "a final answer.");
    return -1;
  }
  /* Everything below depends on the problem itself, not on the text
   * around it, so a question inside any prompt template gives the same
   * solution as the bare question. */
  struct buf canon = BUF_INIT;
  write_question(&p, &canon);
  struct rng r;
  rng_seed(&r, seed, hash_str(HASH_INIT, buf_str(&canon)), 0x736f6cULL);

  int correct;
  if(force == SIM_CORRECT)
    correct = 1;
  else if(force == SIM_NATURAL)
    correct = rng_unif(&r) < sigmoid(pp->skill -
                                     difficulty(buf_str(&canon), pp->spread));
  else
    correct = 0;
  int is_misread = !correct && force != SIM_WRONG_SLIP &&
                   rng_unif(&r) < pp->misread;
  int bluff = !correct && rng_unif(&r) < pp->bluff;

  struct style st = {0, 0, 0, 0, 0, 0, (int)rng_below(&r, 8)};
  switch(style) {
  case SIM_STYLE_HUMAN:
    st.human = 1;
    break;
  case SIM_STYLE_PLAIN:
    st.filler = 1 + poisson(&r, pp->verbosity);
    break;
  case SIM_STYLE_LOUD:
    st.fmt = 1;
    st.conf = 2 + poisson(&r, 2.0);
    st.filler = 2 + poisson(&r, pp->verbosity);
    st.closer = 1;
    break;
  default:
    if(bluff) {
      st.fmt = rng_unif(&r) < 0.8;
      st.conf = 1 + poisson(&r, 2.0);
      st.closer = rng_unif(&r) < 0.7;
    }
    else {
      st.fmt = rng_unif(&r) < 0.25;
      st.conf = poisson(&r, 0.3);
      st.closer = rng_unif(&r) < 0.1;
    }
    st.filler = poisson(&r, pp->verbosity);
    break;
  }

  struct prob solved = p;
  int slip_step = 99;
  if(!correct) {
    if(is_misread)
      misread(&r, &solved);
    else
      slip_step = (int)rng_below(&r, (uint64_t)checkable_steps(p.kind));
  }

  struct writer w = {out, &r, st, 0};
  if(!st.human) {
    if(st.fmt)
      buf_puts(out, "### Solution\n\n");
    static const char *const openers[] = {
      "Let's solve this step by step.",
      "We work through the problem carefully.",
      "Let me think about this problem.",
    };
    buf_puts(out, openers[rng_below(&r, 3)]);
    if(w.st.filler > 0) {
      buf_printf(out, " %s", filler(&w));
      w.st.filler--;
    }
    buf_puts(out, "\n\n");
  }
  struct work wk = {{0}, 0};
  solve_steps(&w, &solved, slip_step, &wk);
  while(w.st.filler > 0) {
    buf_printf(out, "%s\n\n", filler(&w));
    w.st.filler--;
  }

  struct buf ans = BUF_INIT;
  int form = correct && rng_unif(&r) < pp->variety ? 1 + (int)rng_below(&r, 2)
                                                   : 0;
  write_answer(&solved, &wk, form, &ans);
  if(st.human)
    buf_printf(out, "The answer is $\\boxed{%s}$.", buf_str(&ans));
  else if(p.kind == K_WORD && rng_unif(&r) < 0.3)
    buf_printf(out, "%s%s\n#### %s", st.fmt ? "**Answer:** " : "",
               buf_str(&ans), buf_str(&ans));
  else
    buf_printf(out, "%sThe final answer is $\\boxed{%s}$.",
               st.fmt ? "**Final Answer:** " : "", buf_str(&ans));
  if(st.closer)
    buf_printf(out, " %s", closers[rng_below(&r, 3)]);
  buf_free(&ans);
  buf_free(&canon);
  return correct;
}

/* ---- the policy backend ----------------------------------------------- */

static const struct cfg_field sim_fields[] = {
  {"backend", CFG_STRING, 0, "\"sim\"", 0, 0, NULL, "the policy backend"},
  {"samples", CFG_INT, 0, "16", 1, 1e6, NULL,
   "completions per problem, N"},
  {"skill", CFG_NUMBER, 0, "0.3", -10, 10, NULL,
   "mean logit of solving a problem"},
  {"spread", CFG_NUMBER, 0, "1.5", 0, 10, NULL,
   "sd of per-problem difficulty, in logits"},
  {"bluff", CFG_NUMBER, 0, "0.35", 0, 1, NULL,
   "share of wrong samples written in a loud, confident style"},
  {"misread", CFG_NUMBER, 0, "0.25", 0, 1, NULL,
   "share of wrong samples that misread a number"},
  {"verbosity", CFG_NUMBER, 0, "1.0", 0, 20, NULL,
   "mean number of filler sentences"},
  {"variety", CFG_NUMBER, 0, "0.3", 0, 1, NULL,
   "share of correct answers written in a non-canonical form"},
  {NULL, 0, 0, NULL, 0, 0, NULL, NULL},
};

static int sim_open(struct policy *p, cJSON *section, const char *file,
                    struct bon_err *err)
{
  if(cfg_check(section, sim_fields, file, "policy", err))
    return -1;
  struct sim_params *pp = xcalloc(1, sizeof(*pp));
  pp->skill = cfg_num(section, "skill", 0);
  pp->spread = cfg_num(section, "spread", 0);
  pp->bluff = cfg_num(section, "bluff", 0);
  pp->misread = cfg_num(section, "misread", 0);
  pp->verbosity = cfg_num(section, "verbosity", 0);
  pp->variety = cfg_num(section, "variety", 0);
  p->state = pp;
  char key[256];
  snprintf(key, sizeof(key), "sim:%.17g:%.17g:%.17g:%.17g:%.17g:%.17g",
           pp->skill, pp->spread, pp->bluff, pp->misread, pp->verbosity,
           pp->variety);
  p->cache_key = xstrdup(key);
  p->describe = xstrdup("sim (built-in simulated policy)");
  return 0;
}

static int sim_generate(struct policy *p, const struct policy_job *jobs,
                        size_t njobs, policy_sink sink, void *ctx,
                        struct bon_err *err)
{
  (void)err;
  const struct sim_params *pp = p->state;
  struct buf b = BUF_INIT;
  for(size_t i = 0; i < njobs; i++) {
    buf_reset(&b);
    sim_solve(pp, jobs[i].question, jobs[i].seed, SIM_NATURAL,
              SIM_STYLE_MODEL, &b);
    if(sink(ctx, &jobs[i], buf_str(&b), NULL, 0))
      break;
  }
  buf_free(&b);
  return 0;
}

static void sim_close(struct policy *p)
{
  free(p->state);
}

int sim_policy_params(const struct policy *p, struct sim_params *out)
{
  if(p->backend != &policy_sim_backend)
    return -1;
  *out = *(const struct sim_params *)p->state;
  return 0;
}

const struct policy_backend policy_sim_backend = {
  "sim", sim_open, sim_generate, sim_close,
};
