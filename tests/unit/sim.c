/* Unit tests of the simulated policy and reward models. */
#include "sim/problems.h"
#include "sim/rm.h"
#include "sim/solve.h"
#include "tests/unit/test.h"

#include <stdlib.h>

TEST(sim_problems_are_reproducible_and_distinct)
{
  struct sim_problem *a = sim_problems(7, 0, 200), *b = sim_problems(7, 0, 200);
  struct sim_problem *c = sim_problems(7, 1, 200);
  int same = 1, differ = 0, dup = 0;
  for(int i = 0; i < 200; i++) {
    same &= !strcmp(a[i].question, b[i].question) &&
            !strcmp(a[i].answer, b[i].answer);
    differ |= strcmp(a[i].question, c[i].question) != 0;
    for(int k = 0; k < i; k++)
      dup += !strcmp(a[i].question, a[k].question);
  }
  CHECK(same);
  CHECK(differ);
  CHECK_INT(dup, 0);
  sim_problems_free(a, 200);
  sim_problems_free(b, 200);
  sim_problems_free(c, 200);
}

TEST(sim_reference_answers_by_hand)
{
  static const char *const cases[][2] = {
    {"Compute $73 \\times 41 - 37$.", "2956"},
    {"Compute $\\frac{1}{2} + \\frac{1}{3}$. Express the result as a fraction "
     "in lowest terms.", "\\frac{5}{6}"},
    {"Compute $\\frac{1}{2} + \\frac{1}{2}$.", "1"},
    {"Simplify $\\sqrt{448}$ completely.", "8\\sqrt{7}"},
    {"Simplify $\\sqrt{49}$ completely.", "7"},
    {"Solve for $x$: $3x - 16 = -7$.", "3"},
    {"Solve for $x$: $6x + 2 = 5$.", "\\frac{1}{2}"},
    {"Solve for $x$: $3x + 16 = 9$.", "-\\frac{7}{3}"},
    {"Expand $(x - 3)(x + 9)$.", "x^2 + 6x - 27"},
    {"Expand $(x - 3)(x + 3)$.", "x^2 - 9"},
    {"Expand $(x + 1)(x + 1)$.", "x^2 + 2x + 1"},
    {"A baker makes 5 trays of 7 muffins each and sells 9 of them. How many "
     "muffins are left?", "26"},
  };
  for(size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    struct buf b = BUF_INIT;
    CHECK_INT(sim_reference(cases[i][0], &b), 0);
    CHECK_STR(buf_str(&b), cases[i][1]);
    buf_free(&b);
  }
  struct buf b = BUF_INIT;
  CHECK_INT(sim_reference("What is the capital of France?", &b), -1);
  buf_free(&b);
}

TEST(sim_solve_is_a_function_of_problem_and_seed)
{
  struct sim_params pp;
  sim_params_default(&pp);
  const char *q = "Compute $73 \\times 41 - 37$.";
  struct buf a = BUF_INIT, b = BUF_INIT, c = BUF_INIT;
  sim_solve(&pp, q, 5, SIM_NATURAL, SIM_STYLE_MODEL, &a);
  sim_solve(&pp, "Please solve.\n\nCompute $73 \\times 41 - 37$.\nThink.", 5,
            SIM_NATURAL, SIM_STYLE_MODEL, &b);
  sim_solve(&pp, q, 6, SIM_NATURAL, SIM_STYLE_MODEL, &c);
  CHECK_STR(buf_str(&a), buf_str(&b));
  /* other seeds give other solutions (some may coincide with seed 5) */
  int differ = 0;
  for(uint64_t seed = 6; seed < 16; seed++) {
    buf_reset(&c);
    sim_solve(&pp, q, seed, SIM_NATURAL, SIM_STYLE_MODEL, &c);
    differ += strcmp(buf_str(&a), buf_str(&c)) != 0;
  }
  CHECK(differ >= 5);
  buf_free(&a);
  buf_free(&b);
  buf_free(&c);
}

TEST(sim_forced_outcomes_and_rate)
{
  struct sim_params pp;
  sim_params_default(&pp);
  struct sim_problem *ps = sim_problems(3, 0, 100);
  int natural = 0, total = 0;
  for(int i = 0; i < 100; i++)
    for(uint64_t s = 0; s < 20; s++) {
      struct buf b = BUF_INIT;
      CHECK_INT(sim_solve(&pp, ps[i].question, s, SIM_CORRECT,
                          SIM_STYLE_MODEL, &b), 1);
      CHECK(strstr(buf_str(&b), "\\boxed{") || strstr(buf_str(&b), "####"));
      buf_reset(&b);
      CHECK_INT(sim_solve(&pp, ps[i].question, s, SIM_WRONG_SLIP,
                          SIM_STYLE_MODEL, &b), 0);
      buf_reset(&b);
      natural += sim_solve(&pp, ps[i].question, s, SIM_NATURAL,
                           SIM_STYLE_MODEL, &b);
      total++;
      buf_free(&b);
    }
  /* skill 0.3, spread 1.5: the mean of sigmoid(0.3 - 1.5 Z) is near 0.55 */
  CHECK(natural > total * 0.40 && natural < total * 0.70);
  sim_problems_free(ps, 100);
}

TEST(sim_unknown_question_gives_no_answer)
{
  struct sim_params pp;
  sim_params_default(&pp);
  struct buf b = BUF_INIT;
  CHECK_INT(sim_solve(&pp, "Who wrote Hamlet?", 1, SIM_NATURAL,
                      SIM_STYLE_MODEL, &b), -1);
  CHECK(strstr(buf_str(&b), "boxed") == NULL);
  buf_free(&b);
}

TEST(sim_rm_catches_false_equations)
{
  struct sim_rm_params rp;
  CHECK_INT(sim_rm_preset("careful", &rp), 0);
  rp.check = 1.0;
  rp.false_alarm = 0.0;
  rp.noise = 0.0;
  double ok = sim_rm_score(&rp, "q", "We get $73 \\times 41 = 2993$ and "
                                     "$\\sqrt{64} = 8$ and $-3 + 9 = 6$.");
  double bad1 = sim_rm_score(&rp, "q", "We get $73 \\times 41 = 2992$.");
  double bad2 = sim_rm_score(&rp, "q", "We get $\\sqrt{64} = 9$.");
  double bad3 = sim_rm_score(&rp, "q", "We get $-3 - -7 = -10$.");
  CHECK(ok > bad1 + 1.5);
  CHECK(ok > bad2 + 1.5);
  CHECK(ok > bad3 + 1.5);
  CHECK_INT(sim_rm_preset("nonesuch", &rp), -1);
}

TEST(sim_rm_rewards_its_spurious_feature)
{
  struct sim_rm_params rp;
  CHECK_INT(sim_rm_preset("confident", &rp), 0);
  rp.noise = 0;
  double plain = sim_rm_score(&rp, "q", "So $2 + 2 = 4$.");
  double loud = sim_rm_score(&rp, "q", "Clearly, $2 + 2 = 4$. Obviously so.");
  CHECK_NEAR(loud - plain, 2 * rp.w_confident, 0.3);
  /* deterministic, and independent of the question text */
  CHECK(sim_rm_score(&rp, "a", "x") == sim_rm_score(&rp, "b", "x"));
}

TEST(sim_rm_quantum_makes_ties)
{
  struct sim_rm_params rp;
  CHECK_INT(sim_rm_preset("coarse", &rp), 0);
  double s = sim_rm_score(&rp, "q", "The answer is $\\boxed{3}$.");
  CHECK_NEAR(s / rp.quantum, floor(s / rp.quantum + 0.5), 1e-9);
}

TEST(sim_solves_real_problems_around_the_reference)
{
  struct sim_params pp;
  sim_params_default(&pp);
  static const struct {
    const char *q, *ref;
  } probs[] = {
    {"Convert the point $(0,3)$ to polar coordinates.",
     "\\left( 3, \\frac{\\pi}{2} \\right)"},
    {"Natalia sold clips to 48 of her friends. How many in all?", "72"},
    {"Which choice is right?", "C"},
    {"Name the shape.", "\\text{circle}"},
  };
  int natural = 0, total = 0;
  for(size_t k = 0; k < 4; k++)
    for(uint64_t s = 0; s < 200; s++) {
      struct buf a = BUF_INIT, b = BUF_INIT;
      int c = sim_solve_ref(&pp, probs[k].q, probs[k].ref, s, SIM_NATURAL,
                            SIM_STYLE_MODEL, &a);
      /* a pure function of (params, question, reference, seed) */
      CHECK_INT(sim_solve_ref(&pp, probs[k].q, probs[k].ref, s,
                              SIM_NATURAL, SIM_STYLE_MODEL, &b), c);
      CHECK_STR(buf_str(&a), buf_str(&b));
      CHECK(c == 0 || c == 1);
      /* the boxed answer is the reference exactly when meant correct */
      char want[300];
      snprintf(want, sizeof(want), "\\boxed{%s}", probs[k].ref);
      const char *box = strstr(buf_str(&a), "\\boxed{");
      CHECK(box != NULL);
      if(box)
        CHECK_MSG((strncmp(box, want, strlen(want)) == 0) == (c == 1),
                  "seed %llu: %s", (unsigned long long)s, buf_str(&a));
      natural += c;
      total++;
      buf_free(&a);
      buf_free(&b);
    }
  /* correct with roughly the configured chance (skill 0.3, spread 1.5:
   * per-problem probabilities differ; all four must be neither 0 nor 1) */
  CHECK(natural > total / 10 && natural < total * 9 / 10);
  /* forced outcomes, and no reference: the polite non-answer */
  struct buf t = BUF_INIT;
  CHECK_INT(sim_solve_ref(&pp, probs[1].q, "72", 3, SIM_CORRECT,
                          SIM_STYLE_HUMAN, &t), 1);
  CHECK(strstr(buf_str(&t), "\\boxed{72}") != NULL);
  buf_reset(&t);
  CHECK_INT(sim_solve_ref(&pp, probs[1].q, "72", 3, SIM_WRONG_SLIP,
                          SIM_STYLE_PLAIN, &t), 0);
  CHECK(strstr(buf_str(&t), "\\boxed{72}") == NULL);
  buf_reset(&t);
  CHECK_INT(sim_solve_ref(&pp, probs[1].q, NULL, 3, SIM_NATURAL,
                          SIM_STYLE_MODEL, &t), -1);
  buf_free(&t);
}
