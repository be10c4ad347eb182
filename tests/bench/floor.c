/* floor.c - the floors `make bench` puts beside the analysis (issue 14):
 * what any analysis of a long scores table must spend, written as a
 * minimal C program that knows the table's layout (problem_id pN,
 * sample_id N, rm rmN, score, correct; every pool complete) and does
 * nothing else:
 *
 *   bytes   map the file and read its bytes (in parallel), as bonrun's
 *           reader maps it;
 *   parse   parse every row into a score cube and the gold, in parallel
 *           (the file cut at line boundaries);
 *   curves  parse, then the gold and proxy BoN curves of every (RM,
 *           problem) at n = 1, 2, 4, ..., N with the exact weights computed
 *           once per n (tie blocks share their mean weight), each pool
 *           sorted by the radix sort of stats/order.h, then a paired
 *           bootstrap of those curves (B replicates), all in parallel.
 *
 * No oracle, tie bounds, KL, fits, votes, checks or files: `bonrun
 * analyze` does all of those on top.  The numbers are checked against
 * bonrun's (gold at the largest n). */
#include "tests/bench/floor.h"

#include <fcntl.h>
#include <math.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "stats/order.h"
#include "stats/runtime.h"
#include "util/err.h"
#include "util/rng.h"

static const double p10[23] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                               1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                               1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

/* a plain decimal ([-]digits[.digits]), exactly */
static const char *num(const char *p, double *out)
{
  int neg = *p == '-';
  p += neg;
  uint64_t m = 0;
  int ex = 0;
  for(; *p >= '0' && *p <= '9'; p++)
    m = m * 10 + (uint64_t)(*p - '0');
  if(*p == '.')
    for(p++; *p >= '0' && *p <= '9'; p++, ex--)
      m = m * 10 + (uint64_t)(*p - '0');
  double v = (double)m / p10[-ex];
  *out = neg ? -v : v;
  return p;
}

static const char *uint_after(const char *p, int skip, long *out)
{
  long v = 0;
  for(p += skip; *p >= '0' && *p <= '9'; p++)
    v = v * 10 + (*p - '0');
  *out = v;
  return p;
}

struct parse_job {
  const char *p, *e;
  long maxp, maxr, maxn;
};

struct scratch {
  char *block;      /* everything below, in one allocation */
  uint64_t *key;    /* [2 cap] */
  uint32_t *idx;    /* [2 cap] */
  double *g, *s, *wm; /* [cap] each */
};

struct fl {
  const char *data;
  size_t len;
  double *score;   /* [R][P][N] at capacity FLOOR_MAX_* */
  double *gold;    /* [P][N] */
  struct parse_job job[64];
  long P, R, N;
  int G, grid[40];
  double *W;       /* [G][N] */
  double *V;       /* [2][R][G][P] */
  size_t B;
  double *reps;    /* [B][2 R G] */
  struct scratch *w; /* [workers] */
};

#define MP 1024
#define MR 64
#define MN 2048

static void parse_chunk(void *arg, size_t k, int w)
{
  struct fl *f = arg;
  struct parse_job *j = &f->job[k];
  (void)w;
  for(const char *p = j->p; p < j->e; p++) {
    long pr, sa, rm;
    double s, g;
    p = uint_after(p, 1, &pr);
    p = uint_after(p, 1, &sa);
    p = uint_after(p, 3, &rm);
    p = num(p + 1, &s);
    p = num(p + 1, &g);
    p = memchr(p, '\n', (size_t)(j->e - p));
    if(!p || pr >= MP || rm >= MR || sa >= MN)
      break;
    f->score[((size_t)rm * MP + (size_t)pr) * MN + (size_t)sa] = s;
    f->gold[(size_t)pr * MN + (size_t)sa] = g;
    j->maxp = pr > j->maxp ? pr : j->maxp;
    j->maxr = rm > j->maxr ? rm : j->maxr;
    j->maxn = sa > j->maxn ? sa : j->maxn;
  }
}

static void curve_pool(void *arg, size_t k, int w)
{
  struct fl *f = arg;
  long N = f->N, r = (long)k / f->P, p = (long)k % f->P;
  const double *s = f->score + ((size_t)r * MP + (size_t)p) * MN;
  const double *gd = f->gold + (size_t)p * MN;
  uint64_t *key = f->w[w].key;
  uint32_t *idx = f->w[w].idx;
  double *g = f->w[w].g, *sv = f->w[w].s, *wm = f->w[w].wm;
  for(long i = 0; i < N; i++) {
    key[i] = stats_dkey(s[i]);
    idx[i] = (uint32_t)i;
  }
  stats_radix_sort(key, idx, (size_t)N, key + N, idx + N);
  int ties = 0;
  for(long i = 0; i < N; i++) {
    sv[i] = s[idx[i]];
    g[i] = gd[idx[i]];
    ties |= i > 0 && key[i] == key[i - 1];
  }
  for(int gi = 0; gi < f->G; gi++) {
    const double *wt = f->W + (size_t)gi * N;
    if(ties) { /* tie blocks share the mean weight */
      for(long a = 0; a < N;) {
        long b = a + 1;
        double ws = wt[a];
        while(b < N && key[b] == key[a])
          ws += wt[b++];
        for(long i = a; i < b; i++)
          wm[i] = ws / (double)(b - a);
        a = b;
      }
      wt = wm;
    }
    double gold = 0, proxy = 0;
    for(long i = f->grid[gi] - 1; i < N; i++) {
      gold += wt[i] * g[i];
      proxy += wt[i] * sv[i];
    }
    f->V[(((size_t)0 * f->R + r) * f->G + gi) * f->P + p] = gold;
    f->V[(((size_t)1 * f->R + r) * f->G + gi) * f->P + p] = proxy;
  }
}

static void boot_rep(void *arg, size_t b, int w)
{
  struct fl *f = arg;
  size_t ns = 2 * (size_t)f->R * f->G, P = (size_t)f->P;
  double *cnt = f->w[w].wm;
  struct rng r;
  rng_seed(&r, 1, b, 0);
  memset(cnt, 0, P * sizeof(double));
  for(size_t i = 0; i < P; i++)
    cnt[rng_below(&r, P)] += 1;
  for(size_t k = 0; k < ns; k++) {
    const double *v = f->V + k * P;
    double sum = 0;
    for(size_t p = 0; p < P; p++)
      sum += cnt[p] * v[p];
    f->reps[b * ns + k] = sum / (double)P;
  }
}

static void weights(struct fl *f)
{
  long N = f->N;
  f->G = 0;
  for(long n = 1; n < N; n *= 2)
    f->grid[f->G++] = (int)n;
  f->grid[f->G++] = (int)N;
  f->W = xcalloc((size_t)f->G * (size_t)N, sizeof(double));
  for(int gi = 0; gi < f->G; gi++) {
    int n = f->grid[gi];
    double lt = lgamma(N + 1.0) - lgamma(n + 1.0) - lgamma(N - n + 1.0);
    for(long i = n - 1; i < N; i++)
      f->W[(size_t)gi * N + i] = exp(lgamma(i + 1.0) - lgamma(n + 0.0) -
                                     lgamma(i - n + 2.0) - lt);
  }
}

static void do_parse(struct fl *f, int T)
{
  const char *p = memchr(f->data, '\n', f->len), *e = f->data + f->len;
  p = p ? p + 1 : e;
  int n = stats_workers(T, 64);
  const char *a = p;
  for(int k = 0; k < n; k++) {
    const char *b = k == n - 1 ? e : p + (e - p) / n * (k + 1);
    const char *nl = b < e && b > a ? memchr(b, '\n', (size_t)(e - b)) : NULL;
    b = nl ? nl + 1 : (b > a ? e : a);
    f->job[k] = (struct parse_job){a, b, -1, -1, -1};
    a = b;
  }
  stats_parallel((size_t)n, n, parse_chunk, f);
  f->P = f->R = f->N = 0;
  for(int k = 0; k < n; k++) {
    f->P = f->job[k].maxp + 1 > f->P ? f->job[k].maxp + 1 : f->P;
    f->R = f->job[k].maxr + 1 > f->R ? f->job[k].maxr + 1 : f->R;
    f->N = f->job[k].maxn + 1 > f->N ? f->job[k].maxn + 1 : f->N;
  }
}

static void do_curves(struct fl *f, int T)
{
  weights(f);
  int nw = stats_workers(T, (size_t)(f->R * f->P));
  f->w = xmalloc((size_t)nw * sizeof(*f->w));
  size_t cap = (size_t)(f->N > f->P ? f->N : f->P);
  for(int w = 0; w < nw; w++) {
    struct scratch *sc = &f->w[w];
    sc->block = xmalloc(cap * (2 * sizeof(uint64_t) + 2 * sizeof(uint32_t) +
                               3 * sizeof(double)));
    sc->key = (uint64_t *)sc->block;
    sc->g = (double *)(sc->key + 2 * cap);
    sc->s = sc->g + cap;
    sc->wm = sc->s + cap;
    sc->idx = (uint32_t *)(sc->wm + cap);
  }
  f->V = xmalloc(2 * (size_t)f->R * f->G * f->P * sizeof(double));
  stats_parallel((size_t)(f->R * f->P), T, curve_pool, f);
  f->reps = xmalloc(f->B * 2 * (size_t)f->R * f->G * sizeof(double));
  stats_parallel(f->B, T, boot_rep, f);
  for(int w = 0; w < nw; w++)
    free(f->w[w].block);
  free(f->w);
}

/* Touch every byte (a sum, so it cannot be skipped), in parallel. */
static void touch_chunk(void *arg, size_t k, int w)
{
  struct fl *f = arg;
  struct parse_job *j = &f->job[k];
  unsigned long sum = 0;
  (void)w;
  for(const char *p = j->p; p < j->e; p++)
    sum += (unsigned char)*p;
  j->maxp = (long)(sum & 1); /* kept */
}

static void do_bytes(struct fl *f, int T)
{
  int n = stats_workers(T, 64);
  for(int k = 0; k < n; k++)
    f->job[k] = (struct parse_job){f->data + f->len / n * k,
                                   k == n - 1 ? f->data + f->len
                                              : f->data + f->len / n * (k + 1),
                                   0, 0, 0};
  stats_parallel((size_t)n, n, touch_chunk, f);
}

int floor_run(const char *path, enum floor_kind kind, size_t B, int threads,
              double *gold_n)
{
  struct fl f;
  memset(&f, 0, sizeof(f));
  f.B = B;
  int fd = open(path, O_RDONLY);
  struct stat st;
  if(fd < 0 || fstat(fd, &st) != 0 || st.st_size < 1) {
    if(fd >= 0)
      close(fd);
    return -1;
  }
  f.len = (size_t)st.st_size;
  void *m = mmap(NULL, f.len, PROT_READ, MAP_PRIVATE, fd, 0);
  close(fd);
  if(m == MAP_FAILED)
    return -1;
  madvise(m, f.len, MADV_SEQUENTIAL); /* as bonrun reads it */
  f.data = m;
  if(kind == FLOOR_BYTES)
    do_bytes(&f, threads);
  else {
    f.score = xcalloc((size_t)MR * MP * MN, sizeof(double));
    f.gold = xcalloc((size_t)MP * MN, sizeof(double));
    do_parse(&f, threads);
  }
  if(kind == FLOOR_CURVES) {
    do_curves(&f, threads);
    double mean = 0; /* gold at the largest n, first RM */
    for(long p = 0; p < f.P; p++)
      mean += f.V[(size_t)(f.G - 1) * f.P + p];
    if(gold_n)
      *gold_n = mean / (double)f.P;
  }
  free(f.score);
  free(f.gold);
  free(f.W);
  free(f.V);
  free(f.reps);
  munmap(m, f.len);
  return 0;
}
