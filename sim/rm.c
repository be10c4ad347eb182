/* rm.c - the simulated reward models (rm.h). */
#include "sim/rm.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util/err.h"
#include "util/hash.h"
#include "util/rng.h"

static const struct {
  const char *name;
  struct sim_rm_params p;
} presets[] = {
  /*             check fa    w_cor w_len w_conf w_fmt noise quantum */
  {"careful",   {0.95, 0.02, 2.0, 0.0, 0.0, 0.0, 0.3, 0.0, 0}},
  {"thorough",  {0.90, 0.10, 2.0, 0.1, 0.0, 0.0, 0.4, 0.0, 0}},
  {"lenient",   {0.70, 0.02, 2.0, 0.0, 0.0, 0.0, 0.6, 0.0, 0}},
  {"verbose",   {0.90, 0.02, 2.0, 1.4, 0.0, 0.0, 0.4, 0.0, 0}},
  {"confident", {0.85, 0.02, 2.0, 0.0, 0.7, 0.0, 0.4, 0.0, 0}},
  {"formatted", {0.80, 0.02, 2.0, 0.0, 0.0, 0.6, 0.4, 0.0, 0}},
  {"coarse",    {0.75, 0.05, 2.0, 0.0, 0.3, 0.3, 0.5, 0.5, 0}},
  {"noisy",     {0.50, 0.05, 2.0, 0.0, 0.0, 0.0, 1.2, 0.0, 0}},
  {"shallow",   {0.30, 0.02, 2.0, 0.3, 0.4, 0.4, 0.8, 0.0, 0}},
};
#define NPRESETS (sizeof(presets) / sizeof(presets[0]))

int sim_rm_preset(const char *name, struct sim_rm_params *out)
{
  for(size_t i = 0; i < NPRESETS; i++)
    if(!strcmp(presets[i].name, name)) {
      *out = presets[i].p;
      return 0;
    }
  return -1;
}

const char *sim_rm_preset_names(void)
{
  return "careful, thorough, lenient, verbose, confident, formatted, coarse, "
         "noisy, shallow";
}

/* ---- reading a solution ------------------------------------------------ */

static const char *const loud_phrases[] = {
  "Clearly", "Obviously", "It is easy to see", "Without a doubt",
  "Trivially", "Of course", "definitely", "completely confident",
  "no doubt",
};

static int count_sub(const char *s, const char *needle)
{
  int n = 0;
  size_t len = strlen(needle);
  while((s = strstr(s, needle))) {
    n++;
    s += len;
  }
  return n;
}

/* Parse an optionally signed integer at *p, skipping spaces. */
static int read_int(const char **p, long *out)
{
  const char *s = *p;
  while(*s == ' ')
    s++;
  char *end;
  if(!(isdigit((unsigned char)*s) || (*s == '-' &&
                                      isdigit((unsigned char)s[1]))))
    return -1;
  long v = strtol(s, &end, 10);
  if(labs(v) > 1000000000L)
    return -1;
  *out = v;
  *p = end;
  return 0;
}

static int skip(const char **p, const char *lit)
{
  const char *s = *p;
  while(*s == ' ')
    s++;
  size_t n = strlen(lit);
  if(strncmp(s, lit, n))
    return -1;
  *p = s + n;
  return 0;
}

/* Judge one math segment [s, e): 1 a true equation, 0 a false one, -1 not
 * an equation this grader checks. */
static int check_segment(const char *s, const char *e)
{
  char tmp[128];
  size_t n = (size_t)(e - s);
  if(n >= sizeof(tmp))
    return -1;
  memcpy(tmp, s, n);
  tmp[n] = '\0';
  const char *p = tmp;
  long a, b, c;
  if(!skip(&p, "\\sqrt{")) {
    if(read_int(&p, &a) || skip(&p, "}") || skip(&p, "=") ||
       read_int(&p, &c))
      return -1;
    while(*p == ' ')
      p++;
    return *p ? -1 : (c >= 0 && c * c == a);
  }
  if(read_int(&p, &a))
    return -1;
  int op;
  if(!skip(&p, "\\times"))
    op = '*';
  else if(!skip(&p, "+"))
    op = '+';
  else if(!skip(&p, "-"))
    op = '-';
  else
    return -1;
  if(read_int(&p, &b) || skip(&p, "=") || read_int(&p, &c))
    return -1;
  while(*p == ' ')
    p++;
  if(*p)
    return -1;
  long v = op == '*' ? a * b : op == '+' ? a + b : a - b;
  return v == c;
}

/* What a grader notices in a text: whether it flags an equation (one
 * draw from r per math segment, true or false), confident phrases, and
 * markdown markers (at most 4 counted). */
struct reading {
  int flagged, loud, fmt;
};

static struct reading read_text(const struct sim_rm_params *rp,
                                const char *text, struct rng *r)
{
  struct reading rd = {0, 0, 0};
  const char *s = text;
  for(;;) {
    const char *a = strchr(s, '$');
    if(!a)
      break;
    const char *b = strchr(a + 1, '$');
    if(!b)
      break;
    int ok = check_segment(a + 1, b);
    double u = rng_unif(r);
    if((ok == 0 && u < rp->check) || (ok == 1 && u < rp->false_alarm))
      rd.flagged = 1;
    s = b + 1;
  }
  for(size_t i = 0; i < sizeof(loud_phrases) / sizeof(loud_phrases[0]); i++)
    rd.loud += count_sub(text, loud_phrases[i]);
  rd.fmt = count_sub(text, "**") / 2 + count_sub(text, "###");
  if(rd.fmt > 4)
    rd.fmt = 4;
  return rd;
}

double sim_rm_score(const struct sim_rm_params *rp, const char *question,
                    const char *response)
{
  /* The response alone drives the score: a server that gets the question
   * and response through any template scores exactly as in process. */
  (void)question;
  uint64_t h = hash_str(HASH_INIT, response);
  struct rng r;
  rng_seed(&r, rp->id, h, 0x726d);
  struct reading rd = read_text(rp, response, &r);
  double len = (double)strlen(response);
  double score = (rd.flagged ? 0.0 : rp->w_correct) +
                 rp->w_length * log2((len + 50.0) / 800.0) +
                 rp->w_confident * rd.loud + rp->w_format * rd.fmt +
                 rp->noise * rng_normal(&r);
  if(rp->quantum > 0)
    score = rp->quantum * floor(score / rp->quantum + 0.5);
  return score;
}

/* ---- a process RM: one probability per step ---------------------------- */

/* p(good) of one step [s, s+n), trimmed. */
static double step_good(const struct sim_rm_params *rp, const char *s,
                        size_t n)
{
  while(n && isspace((unsigned char)*s)) {
    s++;
    n--;
  }
  while(n && isspace((unsigned char)s[n - 1]))
    n--;
  char *step = xstrndup(s, n);
  struct rng r;
  rng_seed(&r, rp->id, hash_str(HASH_INIT, step), 0x7374);
  struct reading rd = read_text(rp, step, &r);
  free(step);
  double z = (rd.flagged ? -rp->w_correct : rp->w_correct) +
             rp->w_confident * rd.loud + rp->w_format * rd.fmt +
             rp->noise * rng_normal(&r);
  return 1.0 / (1.0 + exp(-z));
}

size_t sim_rm_step_scores(const struct sim_rm_params *rp, const char *text,
                          const char *tag, double **p_good)
{
  size_t tl = strlen(tag), n = 0;
  *p_good = NULL;
  if(!tl)
    return 0;
  for(const char *p = text; (p = strstr(p, tag)); p += tl)
    n++;
  if(!n)
    return 0;
  double *out = xmalloc(n * sizeof(*out));
  const char *p = text;
  for(size_t k = 0; k < n; k++) {
    const char *e = strstr(p, tag);
    out[k] = step_good(rp, p, (size_t)(e - p));
    p = e + tl;
  }
  *p_good = out;
  return n;
}
