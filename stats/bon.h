/* bon.h - the unbiased best-of-n estimator on one pool, and the KL of
 * best-of-n (docs/methods.md).
 *
 * A pool is the N scored candidates of one (RM, problem).  Sorted ascending
 * by proxy score, the chance that the proxy-argmax of a uniformly random
 * n-subset is rank i (1-based) is w_i = C(i-1, n-1) / C(N, n).  We never
 * form binomials: with F_b = C(b, n) / C(N, n) (the chance that all n lie
 * in the lowest b ranks), F_N = 1 and F_(b-1) = F_b (b - n) / b, so every
 * weight is a difference of F and w_i = F_i - F_(i-1).
 *
 * Ties: a tie block occupying ranks a..b shares F_b - F_(a-1) evenly
 * (uniformly random tie-breaking).  The pessimistic / optimistic variants
 * break ties adversarially / favourably: within the block the worst / best
 * gold takes the top rank (this is exactly "the worst / best gold among the
 * tied members that are in the subset").  tie_rate is the chance that the
 * subset's top score is shared by two or more of its members.
 *
 * Weights below 1e-20 are dropped (their contribution is far below
 * rounding of the result).  Pure functions: no I/O.
 */
#ifndef BON_STATS_BON_H
#define BON_STATS_BON_H

#include <stdint.h>

/* One pool, sorted once and then evaluated at any n.  Its memory is kept
 * between uses: stats_pool_set refills a pool without allocating when it
 * is no larger than before. */
struct stats_pool {
  int N;
  double *s;      /* [N] scores, ascending (ties ordered by gold asc) */
  double *g;      /* [N] gold in the same order */
  int *perm;      /* [N] original index of each sorted position */
  int nblk;
  int *bstart;    /* [nblk + 1] tie-block boundaries in sorted positions */
  double *gsort;  /* [N] gold ascending (for the oracle), unless binary */
  int ncls;       /* answer classes (distinct answers; a candidate with no
                     answer is a class of its own) */
  int *cls;       /* [N] class of each sorted position */
  int *cls_cnt;   /* [ncls] members */
  double *cls_val; /* [ncls] mean gold of the members (these three are
                      filled on first use when there are no answers) */
  double *F;      /* [N + 1] scratch */
  double *q;      /* [ncls] scratch */
  int *tmp;       /* [2 N + ncls] scratch for votes */
  double *tmpd;   /* [ncls] scratch */
  double *lx;     /* [N + 1] log(b / N), filled on first use */
  /* internal: capacities and sort scratch */
  int cap, lx_n, map_cap, binary, ones, cls_ready;
  uint64_t *key;  /* [2 cap] */
  uint32_t *idx;  /* [2 cap] */
  uint32_t *cnt;  /* [cap + 1] */
  int *map;       /* [map_cap] answer -> class */
};

/* What the estimator gives at one n. */
struct stats_bon_point {
  double gold;      /* E[gold of BoN_n], random tie-breaking */
  double proxy;     /* E[proxy score of BoN_n] */
  double gold_pess; /* worst gold among the tied at the top */
  double gold_opt;  /* best gold among the tied at the top */
  double tie_rate;  /* P(top score of the subset is shared) */
  double oracle;    /* E[max gold over the subset] (= pass@n, binary gold) */
  double kl_plugin; /* plug-in KL(BoN_n || pool) on atoms (answer classes) */
};

/* The weights of the estimator depend on N and n only, so they are
 * computed once for every pool of that size: F_b for each n of a grid,
 * the logarithms of the plug-in KL, and the plug-in KL itself of a pool
 * whose N candidates are N distinct atoms without ties (no answer classes
 * shared, no equal scores), which is then a closed form of N and n. */
struct stats_bon_weights {
  int N, G;
  int *n;         /* [G] the grid */
  double *F;      /* [G][N + 1] */
  int *lo;        /* [G] lowest b with F_b > 0 */
  double *lx;     /* [N + 1] log(b / N) */
  double *kl_distinct; /* [G] */
  double *Gt;     /* [G][N + 1] (b / N)^n, 0 below 1e-20: BoN with
                     replacement from the pool */
  double *kl_term; /* [G][N] the plug-in KL term of an atom that is one
                      candidate at each rank (0 for none) */
  double *orc;    /* [G][N + 1] the binary-gold oracle with k ones */
};

/* The weights of pools of N candidates at the G values of grid (each in
 * 1..N).  Free with stats_bon_weights_free.  Cannot fail. */
void stats_bon_weights_init(struct stats_bon_weights *w, int N,
                            const int *grid, int G);
void stats_bon_weights_free(struct stats_bon_weights *w);

/* Build a pool from N scores and golds (original order).  answer: class
 * labels per candidate (any non-negative ints; -1 = no answer, a class of
 * its own), or NULL (every candidate its own atom).  NaN scores must have
 * been removed by the caller.  Returns 0, or -1 when N < 1. */
int stats_pool_init(struct stats_pool *p, int N, const double *score,
                    const double *gold, const int32_t *answer);
/* The answer-class arrays of p (cls, cls_cnt, cls_val), which a pool
 * without answers fills only when something needs them. */
void stats_pool_classes(struct stats_pool *p);

/* stats_pool_init on a pool already initialised (or set), reusing its
 * memory. */
int stats_pool_set(struct stats_pool *p, int N, const double *score,
                   const double *gold, const int32_t *answer);
void stats_pool_free(struct stats_pool *p);

/* The BoN estimate at n (1 <= n <= N; other n give NaN everywhere). */
void stats_bon_at(struct stats_pool *p, int n, struct stats_bon_point *out);

/* The estimate at every n of w's grid into out[0..w->G), with the weights
 * shared (w->N must be p->N): identical, to the last bit, to stats_bon_at
 * at each n. */
void stats_bon_curve(struct stats_pool *p, const struct stats_bon_weights *w,
                     struct stats_bon_point *out);

/* Majority vote (weighted = 0) or score-weighted vote (weighted = 1) over
 * answer classes, expected over uniformly random n-subsets.  The chosen
 * class counts its mean gold; ties between classes are averaged (uniform
 * tie-breaking).  Weighted vote sums the scores of each class's members
 * (shifted by the pool minimum when any score is negative, so weights are
 * >= 0).  Exact by enumeration when C(N, n) <= STATS_VOTE_EXACT, exact in
 * closed form for n = 1 and n = N, otherwise a Monte Carlo estimate over
 * stats_vote_draws(n) subsets drawn from the stream (seed, a, b). */
#define STATS_VOTE_EXACT 4096
int stats_vote_draws(int n);
double stats_vote(struct stats_pool *p, int n, int weighted, uint64_t seed,
                  uint64_t a, uint64_t b);

/* Analytic KL of best-of-n: log n - (n - 1) / n (n may be real >= 1). */
double stats_kl_bon(double n);
/* Its inverse: the n >= 1 with stats_kl_bon(n) = kl; 1 at kl = 0, inf at
 * inf, NaN for a kl that cannot be (negative, or NaN).  The one inverse
 * of the project (fits' n*, the plots' axes). */
double stats_kl_bon_inverse(double kl);

#endif
