/* solve.c - solutions of the simulated policy (solve.h). */
#include "sim/solve.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sim/question.h"
#include "util/hash.h"
#include "util/rng.h"

void sim_params_default(struct sim_params *pp)
{
  pp->skill = 0.3;
  pp->spread = 1.5;
  pp->bluff = 0.35;
  pp->misread = 0.25;
  pp->verbosity = 1.0;
  pp->variety = 0.3;
}


/* Phrases a loud solution uses; sim/rm.c counts the same phrases. */
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

static void solve_steps(struct writer *w, const struct sim_q *p, int slip_step,
                        struct sim_work *out)
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
    sim_q_fraction(w->b, out->r[2], c, 0);
    buf_puts(w->b, "$.");
    sentence_end(w);
    break;
  case K_RAD: {
    long k = sim_q_square_part(v[0]), m = v[0] / (k * k);
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
    sim_q_fraction(w->b, a, v[0], 0);
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

static int checkable_steps(enum sim_kind k)
{
  switch(k) {
  case K_ARITH: case K_WORD: case K_EXP: return 2;
  case K_FRAC: return 4;
    case K_LIN: case K_RAD: return 1;
  default: return 1;
  }
}

/* Misread one number of the problem (every equation stays true). */
static void misread(struct rng *r, struct sim_q *p)
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

static long range_of(struct rng *r, long lo, long hi)
{
  return lo + (long)rng_below(r, (uint64_t)(hi - lo + 1));
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

/* Whether the sample is correct, and how a wrong one goes wrong: the
 * first draws of every solution, in this order. */
struct outcome {
  int correct, misread, bluff;
};

static struct outcome draw_outcome(const struct sim_params *pp,
                                   const char *canon, enum sim_force force,
                                   struct rng *r)
{
  struct outcome o;
  if(force == SIM_CORRECT)
    o.correct = 1;
  else if(force == SIM_NATURAL)
    o.correct = rng_unif(r) < sigmoid(pp->skill -
                                      difficulty(canon, pp->spread));
  else
    o.correct = 0;
  o.misread = !o.correct && force != SIM_WRONG_SLIP &&
              rng_unif(r) < pp->misread;
  o.bluff = !o.correct && rng_unif(r) < pp->bluff;
  return o;
}

static struct style draw_style(const struct sim_params *pp,
                               enum sim_style style, int bluff,
                               struct rng *r)
{
  struct style st = {0, 0, 0, 0, 0, 0, (int)rng_below(r, 8)};
  switch(style) {
  case SIM_STYLE_HUMAN:
    st.human = 1;
    break;
  case SIM_STYLE_PLAIN:
    st.filler = 1 + poisson(r, pp->verbosity);
    break;
  case SIM_STYLE_LOUD:
    st.fmt = 1;
    st.conf = 2 + poisson(r, 2.0);
    st.filler = 2 + poisson(r, pp->verbosity);
    st.closer = 1;
    break;
  default:
    if(bluff) {
      st.fmt = rng_unif(r) < 0.8;
      st.conf = 1 + poisson(r, 2.0);
      st.closer = rng_unif(r) < 0.7;
    }
    else {
      st.fmt = rng_unif(r) < 0.25;
      st.conf = poisson(r, 0.3);
      st.closer = rng_unif(r) < 0.1;
    }
    st.filler = poisson(r, pp->verbosity);
    break;
  }
  return st;
}

static void write_opening(struct writer *w)
{
  if(w->st.human)
    return;
  if(w->st.fmt)
    buf_puts(w->b, "### Solution\n\n");
  static const char *const openers[] = {
    "Let's solve this step by step.",
    "We work through the problem carefully.",
    "Let me think about this problem.",
  };
  buf_puts(w->b, openers[rng_below(w->r, 3)]);
  if(w->st.filler > 0) {
    buf_printf(w->b, " %s", filler(w));
    w->st.filler--;
  }
  buf_puts(w->b, "\n\n");
}

/* The filler sentences not used yet, each a paragraph. */
static void write_fillers(struct writer *w)
{
  while(w->st.filler > 0) {
    buf_printf(w->b, "%s\n\n", filler(w));
    w->st.filler--;
  }
}

/* The final answer line and any closer. */
static void write_ending(struct writer *w, const char *ans, int gsm)
{
  struct buf *out = w->b;
  if(w->st.human)
    buf_printf(out, "The answer is $\\boxed{%s}$.", ans);
  else if(gsm && rng_unif(w->r) < 0.3)
    buf_printf(out, "%s%s\n#### %s", w->st.fmt ? "**Answer:** " : "", ans,
               ans);
  else
    buf_printf(out, "%sThe final answer is $\\boxed{%s}$.",
               w->st.fmt ? "**Final Answer:** " : "", ans);
  if(w->st.closer)
    buf_printf(out, " %s", closers[rng_below(w->r, 3)]);
}

int sim_solve(const struct sim_params *pp, const char *question,
              uint64_t seed, enum sim_force force, enum sim_style style,
              struct buf *out)
{
  return sim_solve_ref(pp, question, NULL, seed, force, style, out);
}

/* A solution of one of the simulator's own problems. */
static int solve_own(const struct sim_params *pp, const struct sim_q *p,
                     uint64_t seed, enum sim_force force,
                     enum sim_style style, struct buf *out)
{
  /* Everything below depends on the problem itself, not on the text
   * around it, so a question inside any prompt template gives the same
   * solution as the bare question. */
  struct buf canon = BUF_INIT;
  sim_q_write(p, &canon);
  struct rng r;
  rng_seed(&r, seed, hash_str(HASH_INIT, buf_str(&canon)), 0x736f6cULL);
  struct outcome oc = draw_outcome(pp, buf_str(&canon), force, &r);
  struct style st = draw_style(pp, style, oc.bluff, &r);
  struct sim_q solved = *p;
  int slip_step = 99;
  if(!oc.correct) {
    if(oc.misread)
      misread(&r, &solved);
    else
      slip_step = (int)rng_below(&r, (uint64_t)checkable_steps(p->kind));
  }
  struct writer w = {out, &r, st, 0};
  write_opening(&w);
  struct sim_work wk = {{0}, 0};
  solve_steps(&w, &solved, slip_step, &wk);
  write_fillers(&w);
  struct buf ans = BUF_INIT;
  int form = oc.correct && rng_unif(&r) < pp->variety
                 ? 1 + (int)rng_below(&r, 2) : 0;
  sim_q_answer(&solved, &wk, form, &ans);
  write_ending(&w, buf_str(&ans), p->kind == K_WORD);
  buf_free(&ans);
  buf_free(&canon);
  return oc.correct;
}

/* A plausible wrong answer near ref: its last number slipped (as a person
 * slips), else the next choice letter, else ref plus one. */
static void wrong_answer(struct rng *r, const char *ref, struct buf *out)
{
  size_t n = strlen(ref), e = n;
  while(e > 0 && !(ref[e - 1] >= '0' && ref[e - 1] <= '9'))
    e--;
  if(e > 0) {
    size_t b = e;
    while(b > 0 && ref[b - 1] >= '0' && ref[b - 1] <= '9' && e - b < 9)
      b--;
    long v = strtol(ref + b, NULL, 10), w = slip_value(r, v);
    if(w < 0)
      w = v + 1;
    buf_append(out, ref, b);
    buf_printf(out, "%ld", w);
    buf_puts(out, ref + e);
    return;
  }
  if(n == 1 && ref[0] >= 'A' && ref[0] <= 'D') {
    buf_putc(out, (char)('A' + (ref[0] - 'A' + 1) % 4));
    return;
  }
  buf_printf(out, "%s + 1", ref);
}

/* A solution of a problem the simulator cannot read, written around the
 * reference answer: the same outcome and style draws as its own problems,
 * one checkable product (false when the sample slips), and the reference
 * or a plausible wrong answer at the end. */
static int solve_ref(const struct sim_params *pp, const char *question,
                     const char *ref, uint64_t seed, enum sim_force force,
                     enum sim_style style, struct buf *out)
{
  struct rng r;
  uint64_t h = hash_str(HASH_INIT, question);
  rng_seed(&r, seed, h, 0x726566ULL);
  struct outcome oc = draw_outcome(pp, question, force, &r);
  struct style st = draw_style(pp, style, oc.bluff, &r);
  struct writer w = {out, &r, st, 0};
  write_opening(&w);
  sentence_start(&w, "First we collect what the problem gives and what "
                     "it asks for.");
  sentence_end(&w);
  long a = range_of(&r, 12, 99), b = range_of(&r, 12, 99);
  int slip = !oc.correct && !oc.misread;
  eq(&w, "A key intermediate quantity is ", a, "\\times", b,
     slip ? slip_value(&r, a * b) : a * b, ".");
  sentence_start(&w, "Putting the pieces together gives the result.");
  sentence_end(&w);
  write_fillers(&w);
  struct buf ans = BUF_INIT;
  if(oc.correct)
    buf_puts(&ans, ref);
  else
    wrong_answer(&r, ref, &ans);
  write_ending(&w, buf_str(&ans), 0);
  buf_free(&ans);
  return oc.correct;
}

int sim_solve_ref(const struct sim_params *pp, const char *question,
                  const char *reference, uint64_t seed, enum sim_force force,
                  enum sim_style style, struct buf *out)
{
  struct sim_q p;
  if(sim_q_parse(question, &p) == 0)
    return solve_own(pp, &p, seed, force, style, out);
  if(reference && *reference)
    return solve_ref(pp, question, reference, seed, force, style, out);
  buf_puts(out, "I could not make sense of this problem, so I cannot give "
                "a final answer.");
  return -1;
}

static int blank_char(char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

size_t sim_tokens(const char *text)
{
  size_t n = 0;
  for(const char *p = text; *p; p++)
    n += !blank_char(*p) && (p == text || blank_char(p[-1]));
  return n;
}

size_t sim_tokens_prefix(const char *text, size_t max)
{
  size_t n = 0;
  for(const char *p = text; *p; p++)
    if(!blank_char(*p) && (p == text || blank_char(p[-1])) && n++ == max) {
      while(p > text && blank_char(p[-1]))
        p--;
      return (size_t)(p - text);
    }
  return strlen(text);
}
