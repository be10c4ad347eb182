/* fit.h - overoptimization fits of Gao, Schulman and Hilton (2022).
 *
 * The curve is recentred so that its n = 1 value is 0: R(d) = f(d) - f(0),
 * with d = sqrt(KL).  Two forms, both linear in (alpha, beta):
 *   bon:  R(d) = d (alpha - beta d)       peak d* = alpha / (2 beta),
 *                                          R* = alpha^2 / (4 beta)
 *   rl:   R(d) = d (alpha - beta log d)   peak d* = exp(alpha / beta - 1),
 *                                          R* = beta d*
 * fitted by weighted linear least squares without an intercept
 * (gsl_multifit_wlinear).  KL* = d*^2 and n* inverts KL_bon(n) = KL*.
 * With beta <= 0 the fitted curve never turns down: d*, KL*, n*, R* are
 * inf.  With alpha <= 0 < beta the peak is at the start: d* = 0, n* = 1.
 * Pure: no I/O. */
#ifndef BON_STATS_FIT_H
#define BON_STATS_FIT_H

enum stats_fit_form { STATS_FIT_BON = 0, STATS_FIT_RL = 1 };

struct stats_fit {
  double alpha, alpha_se, beta, beta_se;
  double r2;      /* weighted, about the weighted mean of the points */
  double d_star, kl_star, n_star, r_star;
  int points;     /* points used (those with d > 0) */
  double extrap_kl, extrap_rmse; /* see stats_fit_extrap */
};

/* Fit m points (d[i], y[i]) (y recentred); points with d <= 0 or a
 * non-finite value are skipped.  var: per-point variances (bootstrap) used
 * as weights 1/var, or NULL (or any var <= 0) for unit weights.  Standard
 * errors: from the covariance with the given variances; with unit weights
 * scaled by the residual variance chi2 / (points - 2).  Fewer than 2
 * usable points give NaN everywhere (points says how many).  Fills every
 * field except extrap_*.  Never fails. */
void stats_fit_curve(enum stats_fit_form form, int m, const double *d,
                     const double *y, const double *var,
                     struct stats_fit *out);

/* Extrapolation check: fit on the points with d^2 <= kl_max and return
 * the root mean squared error of the prediction on the others (NaN when
 * fewer than 2 points are in or none is out). */
double stats_fit_extrap(enum stats_fit_form form, int m, const double *d,
                        const double *y, const double *var, double kl_max);

/* The same weighted least squares as stats_fit_curve (same points
 * skipped, same weights) for alpha and beta only, by the 2x2 normal
 * equations: no allocation, for refitting bootstrap replicates.  NaN when
 * fewer than 2 points are usable or the system is singular. */
void stats_fit_ab(enum stats_fit_form form, int m, const double *d,
                  const double *y, const double *var, double *alpha,
                  double *beta);

/* stats_fit_ab for many curves y on the same points d and variances var
 * (bootstrap replicates): what does not depend on y, computed once. */
struct stats_fit_design {
  int m, ok;          /* ok: >= 2 usable points, not singular */
  double s11, s12, s22, det;
  double *wx1, *wx2;  /* [m] w d, w x2 of each usable point */
  unsigned char *use; /* [m] the points with d > 0, finite */
};
void stats_fit_design_init(struct stats_fit_design *fd,
                           enum stats_fit_form form, int m, const double *d,
                           const double *var);
void stats_fit_design_free(struct stats_fit_design *fd);
/* Exactly stats_fit_ab(form, m, d, y, var, ...) of the design's form, d
 * and var, in fewer steps when every y of a usable point is finite. */
void stats_fit_ab_design(const struct stats_fit_design *fd,
                         enum stats_fit_form form, const double *d,
                         const double *y, const double *var, double *alpha,
                         double *beta);

/* The peak d* of a fitted curve, by the rules above: inf when beta <= 0,
 * 0 for the bon form with alpha <= 0, NaN when alpha or beta is NaN. */
double stats_fit_d_star(enum stats_fit_form form, double alpha, double beta);

/* n* of a peak d*: the n with KL_bon(n) = d*^2 (1 at d* = 0, inf at inf,
 * NaN for NaN).  Non-decreasing in d*. */
double stats_fit_n_star(double d_star);

/* The fitted R(d). */
double stats_fit_eval(enum stats_fit_form form, double alpha, double beta,
                      double d);

/* ---- fits.csv rows (stats/formats.md), shared by analyze and
 * analyze --curves so the two files keep one layout. */
struct buf;
/* The header line of fits.csv, '\n' included. */
extern const char stats_fits_header[];
/* Append one row: rm (quoted when needed), curve ("gold"/"proxy"), the
 * form, f's fields, f0 (the curve at n = 1 / kl = 0), then ci: the
 * intervals alpha_lo, alpha_hi, beta_lo, beta_hi, d_star_lo, d_star_hi,
 * n_star_lo, n_star_hi (NULL = all nan).  Numbers as %.10g, "nan" for
 * NaN. */
void stats_fit_csv_row(struct buf *b, const char *rm, const char *curve,
                       enum stats_fit_form form, const struct stats_fit *f,
                       double f0, const double *ci);

#endif
