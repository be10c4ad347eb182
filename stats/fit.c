/* fit.c - Gao et al. overoptimization fits (see fit.h). */
#include "stats/fit.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_multifit.h>
#include <math.h>
#include <stdlib.h>

#include "stats/bon.h"
#include "stats/csv.h"
#include "stats/runtime.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/num.h"

double stats_fit_eval(enum stats_fit_form form, double alpha, double beta,
                      double d)
{
  if(d <= 0)
    return 0;
  return form == STATS_FIT_BON ? d * (alpha - beta * d)
                               : d * (alpha - beta * log(d));
}

double stats_fit_d_star(enum stats_fit_form form, double alpha, double beta)
{
  if(isnan(alpha) || isnan(beta))
    return NAN;
  if(!(beta > 0))
    return INFINITY;
  if(form == STATS_FIT_BON)
    return alpha <= 0 ? 0 : alpha / (2 * beta);
  return exp(alpha / beta - 1);
}

double stats_fit_n_star(double d_star)
{
  if(isnan(d_star))
    return NAN;
  if(d_star <= 0)
    return 1;
  return stats_kl_bon_inverse(d_star * d_star);
}

void stats_fit_ab(enum stats_fit_form form, int m, const double *d,
                  const double *y, const double *var, double *alpha,
                  double *beta)
{
  int k = 0, unit = var == NULL;
  for(int i = 0; i < m; i++)
    if(d[i] > 0 && isfinite(d[i]) && isfinite(y[i])) {
      k++;
      if(var && !(var[i] > 0 && isfinite(var[i])))
        unit = 1;
    }
  *alpha = *beta = NAN;
  if(k < 2)
    return;
  double s11 = 0, s12 = 0, s22 = 0, s1y = 0, s2y = 0;
  for(int i = 0; i < m; i++) {
    if(!(d[i] > 0 && isfinite(d[i]) && isfinite(y[i])))
      continue;
    double w = unit ? 1.0 : 1.0 / var[i];
    double x1 = d[i];
    double x2 = form == STATS_FIT_BON ? -d[i] * d[i] : -d[i] * log(d[i]);
    s11 += w * x1 * x1;
    s12 += w * x1 * x2;
    s22 += w * x2 * x2;
    s1y += w * x1 * y[i];
    s2y += w * x2 * y[i];
  }
  double det = s11 * s22 - s12 * s12;
  if(!(fabs(det) > 1e-12 * s11 * s22))
    return;
  *alpha = (s22 * s1y - s12 * s2y) / det;
  *beta = (s11 * s2y - s12 * s1y) / det;
}

void stats_fit_design_init(struct stats_fit_design *fd,
                           enum stats_fit_form form, int m, const double *d,
                           const double *var)
{
  fd->m = m;
  fd->wx1 = xcalloc((size_t)(m ? m : 1), sizeof(double));
  fd->wx2 = xcalloc((size_t)(m ? m : 1), sizeof(double));
  fd->use = xcalloc((size_t)(m ? m : 1), 1);
  int k = 0, unit = var == NULL;
  for(int i = 0; i < m; i++)
    if(d[i] > 0 && isfinite(d[i])) {
      fd->use[i] = 1;
      k++;
      if(var && !(var[i] > 0 && isfinite(var[i])))
        unit = 1;
    }
  fd->s11 = fd->s12 = fd->s22 = 0;
  for(int i = 0; i < m; i++) {
    if(!fd->use[i])
      continue;
    double w = unit ? 1.0 : 1.0 / var[i];
    double x1 = d[i];
    double x2 = form == STATS_FIT_BON ? -d[i] * d[i] : -d[i] * log(d[i]);
    fd->s11 += w * x1 * x1;
    fd->s12 += w * x1 * x2;
    fd->s22 += w * x2 * x2;
    fd->wx1[i] = w * x1;
    fd->wx2[i] = w * x2;
  }
  fd->det = fd->s11 * fd->s22 - fd->s12 * fd->s12;
  fd->ok = k >= 2 && fabs(fd->det) > 1e-12 * fd->s11 * fd->s22;
}

void stats_fit_design_free(struct stats_fit_design *fd)
{
  free(fd->wx1);
  free(fd->wx2);
  free(fd->use);
}

void stats_fit_ab_design(const struct stats_fit_design *fd,
                         enum stats_fit_form form, const double *d,
                         const double *y, const double *var, double *alpha,
                         double *beta)
{
  double s1y = 0, s2y = 0;
  for(int i = 0; i < fd->m; i++) {
    if(!fd->use[i])
      continue;
    if(!isfinite(y[i])) { /* the point drops out: the full fit */
      stats_fit_ab(form, fd->m, d, y, var, alpha, beta);
      return;
    }
    s1y += fd->wx1[i] * y[i];
    s2y += fd->wx2[i] * y[i];
  }
  *alpha = *beta = NAN;
  if(!fd->ok)
    return;
  *alpha = (fd->s22 * s1y - fd->s12 * s2y) / fd->det;
  *beta = (fd->s11 * s2y - fd->s12 * s1y) / fd->det;
}

static void set_nan(struct stats_fit *o)
{
  o->alpha = o->alpha_se = o->beta = o->beta_se = o->r2 = NAN;
  o->d_star = o->kl_star = o->n_star = o->r_star = NAN;
}

void stats_fit_curve(enum stats_fit_form form, int m, const double *d,
                     const double *y, const double *var,
                     struct stats_fit *o)
{
  int k = 0, unit = var == NULL;
  set_nan(o);
  o->extrap_kl = o->extrap_rmse = NAN;
  for(int i = 0; i < m; i++)
    if(d[i] > 0 && isfinite(d[i]) && isfinite(y[i])) {
      k++;
      if(var && !(var[i] > 0 && isfinite(var[i])))
        unit = 1;
    }
  o->points = k;
  if(k < 2)
    return;
  stats_init(); /* GSL reports errors by status, never aborts */
  gsl_matrix *X = gsl_matrix_alloc((size_t)k, 2);
  gsl_vector *w = gsl_vector_alloc((size_t)k);
  gsl_vector *yv = gsl_vector_alloc((size_t)k);
  gsl_vector *c = gsl_vector_alloc(2);
  gsl_matrix *cov = gsl_matrix_alloc(2, 2);
  gsl_multifit_linear_workspace *ws = gsl_multifit_linear_alloc((size_t)k, 2);
  int j = 0;
  for(int i = 0; i < m; i++) {
    if(!(d[i] > 0 && isfinite(d[i]) && isfinite(y[i])))
      continue;
    gsl_matrix_set(X, (size_t)j, 0, d[i]);
    gsl_matrix_set(X, (size_t)j, 1, form == STATS_FIT_BON ? -d[i] * d[i]
                                                          : -d[i] * log(d[i]));
    gsl_vector_set(w, (size_t)j, unit ? 1.0 : 1.0 / var[i]);
    gsl_vector_set(yv, (size_t)j, y[i]);
    j++;
  }
  double chisq = NAN;
  int rc = gsl_multifit_wlinear(X, w, yv, c, cov, &chisq, ws);
  if(rc == GSL_SUCCESS) {
    double a = gsl_vector_get(c, 0), b = gsl_vector_get(c, 1);
    double scale = 1;
    if(unit)
      scale = k > 2 ? chisq / (k - 2) : NAN;
    o->alpha = a;
    o->beta = b;
    o->alpha_se = sqrt(gsl_matrix_get(cov, 0, 0) * scale);
    o->beta_se = sqrt(gsl_matrix_get(cov, 1, 1) * scale);
    double sw = 0, swy = 0, tss = 0;
    for(int i = 0; i < k; i++) {
      sw += gsl_vector_get(w, (size_t)i);
      swy += gsl_vector_get(w, (size_t)i) * gsl_vector_get(yv, (size_t)i);
    }
    double ybar = swy / sw;
    for(int i = 0; i < k; i++) {
      double e = gsl_vector_get(yv, (size_t)i) - ybar;
      tss += gsl_vector_get(w, (size_t)i) * e * e;
    }
    o->r2 = tss > 0 ? 1 - chisq / tss : NAN;
    o->d_star = stats_fit_d_star(form, a, b);
    o->kl_star = o->d_star * o->d_star;
    o->n_star = stats_fit_n_star(o->d_star);
    if(!(b > 0))
      o->r_star = INFINITY;
    else if(form == STATS_FIT_BON)
      o->r_star = a <= 0 ? 0 : a * a / (4 * b);
    else
      o->r_star = b * o->d_star;
  }
  gsl_multifit_linear_free(ws);
  gsl_matrix_free(cov);
  gsl_vector_free(c);
  gsl_vector_free(yv);
  gsl_vector_free(w);
  gsl_matrix_free(X);
}

double stats_fit_extrap(enum stats_fit_form form, int m, const double *d,
                        const double *y, const double *var, double kl_max)
{
  double din[256], yin[256], vin[256];
  int k = 0, out = 0;
  if(m > 256)
    return NAN;
  for(int i = 0; i < m; i++)
    if(d[i] * d[i] <= kl_max) {
      din[k] = d[i];
      yin[k] = y[i];
      vin[k] = var ? var[i] : 0;
      k++;
    }
  struct stats_fit f;
  stats_fit_curve(form, k, din, yin, var ? vin : NULL, &f);
  if(f.points < 2 || !isfinite(f.alpha))
    return NAN;
  double ss = 0;
  for(int i = 0; i < m; i++)
    if(d[i] * d[i] > kl_max && isfinite(y[i])) {
      double e = y[i] - stats_fit_eval(form, f.alpha, f.beta, d[i]);
      ss += e * e;
      out++;
    }
  return out ? sqrt(ss / out) : NAN;
}

const char stats_fits_header[] =
  "rm,curve,form,alpha,alpha_se,beta,beta_se,r2,d_star,kl_star,n_star,"
  "r_star,gold0,points,extrap_kl,extrap_rmse,alpha_lo,alpha_hi,beta_lo,"
  "beta_hi,d_star_lo,d_star_hi,n_star_lo,n_star_hi\n";

/* ",x": "nan", infinities kept (a fit that never turns down) */
static void num(struct buf *b, double x)
{
  buf_putc(b, ',');
  num_put_inf(b, x);
}

void stats_fit_csv_row(struct buf *b, const char *rm, const char *curve,
                       enum stats_fit_form form, const struct stats_fit *f,
                       double f0, const double *ci)
{
  stats_csv_put(b, rm);
  buf_printf(b, ",%s,%s", curve, form == STATS_FIT_BON ? "bon" : "rl");
  double row[] = {f->alpha, f->alpha_se, f->beta, f->beta_se, f->r2,
                  f->d_star, f->kl_star, f->n_star, f->r_star, f0};
  for(size_t i = 0; i < sizeof(row) / sizeof(row[0]); i++)
    num(b, row[i]);
  buf_printf(b, ",%d", f->points);
  num(b, f->extrap_kl);
  num(b, f->extrap_rmse);
  for(int i = 0; i < 8; i++)
    num(b, ci ? ci[i] : NAN);
  buf_putc(b, '\n');
}
