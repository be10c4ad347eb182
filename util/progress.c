#include "util/progress.h"

#include <stdio.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

void progress_start(struct progress *p, const char *label, size_t total,
                    int quiet)
{
  p->label = label;
  p->total = total;
  p->done = p->cached = 0;
  p->t0 = p->last = now();
  p->tty = isatty(2);
  p->quiet = quiet;
}

static void draw(struct progress *p, double t)
{
  double el = t - p->t0;
  size_t fresh = p->done - p->cached;
  double rate = el > 0 ? fresh / el : 0;
  double pct = p->total ? 100.0 * p->done / p->total : 100.0;
  int width = 24, fill = (int)(pct / 100.0 * width + 0.5);
  char bar[32];
  for(int i = 0; i < width; i++)
    bar[i] = i < fill ? '#' : '.';
  bar[width] = '\0';
  fprintf(stderr, "\r\033[K%-12s [%s] %5.1f%% %zu/%zu", p->label, bar, pct,
          p->done, p->total);
  if(rate > 0 && p->done < p->total)
    fprintf(stderr, "  %.0f/s  ~%.0fs left", rate,
            (p->total - p->done) / rate);
  fflush(stderr);
}

void progress_add(struct progress *p, size_t n, size_t cached)
{
  p->done += n;
  p->cached += cached;
  if(p->quiet || !p->tty)
    return;
  double t = now();
  if(t - p->last >= 0.1) {
    p->last = t;
    draw(p, t);
  }
}

void progress_end(struct progress *p, const char *note)
{
  if(p->quiet)
    return;
  double el = now() - p->t0;
  if(p->tty)
    fprintf(stderr, "\r\033[K");
  fprintf(stderr, "%-12s %zu done", p->label, p->done);
  if(p->cached)
    fprintf(stderr, " (%zu reused)", p->cached);
  fprintf(stderr, " in %.2fs%s%s\n", el, note && *note ? ", " : "",
          note ? note : "");
}
