/* cli.c - the command-line layer shared by every command (see cli.h). */
#include "runner/cli.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/err.h"

/* ---- typed parsers ---- */

static int digits_only(const char *s)
{
  return *s && strspn(s, "0123456789") == strlen(s);
}

enum cli_perr cli_long(const char *s, long lo, long hi, long *out)
{
  /* strtol alone would take " 5", "+5" and "0x5"; a '-' only where the
   * range has negatives */
  if(!digits_only(s + (*s == '-' && lo < 0)))
    return CLI_EINT;
  char *end;
  errno = 0;
  long v = strtol(s, &end, 10);
  if(*end || errno || v < lo || v > hi)
    return CLI_EINT;
  *out = v;
  return CLI_OK;
}

enum cli_perr cli_u64(const char *s, uint64_t *out)
{
  if(!digits_only(s)) /* strtoull would wrap "-5" */
    return CLI_EU64;
  char *end;
  errno = 0;
  unsigned long long v = strtoull(s, &end, 10);
  if(*end || errno || v > UINT64_MAX)
    return CLI_EU64;
  *out = (uint64_t)v;
  return CLI_OK;
}

/* A finite decimal number in [lo, hi], written plainly ("0.5", ".5",
 * "1e-3"): no blank, '+', hex, inf or nan; a '-' only if lo < 0.  0, or
 * -1. */
static int number(const char *s, double lo, double hi, double *out)
{
  const char *d = s + (*s == '-' && lo < 0);
  if(!((*d >= '0' && *d <= '9') || *d == '.') ||
     strspn(d, "0123456789.eE+-") != strlen(d))
    return -1;
  char *end;
  errno = 0;
  double v = strtod(s, &end);
  if(end == s || *end || errno || !isfinite(v) || v < lo || v > hi)
    return -1;
  *out = v;
  return 0;
}

enum cli_perr cli_double(const char *s, double lo, double hi, double *out)
{
  return number(s, lo, hi, out) ? CLI_ENUMBER : CLI_OK;
}

enum cli_perr cli_prob(const char *s, double *out)
{
  return number(s, 0, 1, out) ? CLI_EPROB : CLI_OK;
}

enum cli_perr cli_positive(const char *s, double *out)
{
  double v;
  if(number(s, 0, HUGE_VAL, &v) || !(v > 0))
    return CLI_EPOSITIVE;
  *out = v;
  return CLI_OK;
}

enum cli_perr cli_ints(const char *s, long lo, long hi, int **out,
                       size_t *n)
{
  size_t k = 0, cap = 8;
  int *v = xmalloc(cap * sizeof(*v));
  for(;;) {
    char item[32];
    size_t len = strcspn(s, ",");
    long x;
    if(len >= sizeof(item))
      break;
    memcpy(item, s, len);
    item[len] = '\0';
    if(cli_long(item, lo, hi, &x) || x < INT_MIN || x > INT_MAX)
      break;
    if(k == cap) {
      cap *= 2;
      v = xrealloc(v, cap * sizeof(*v));
    }
    v[k++] = (int)x;
    if(!s[len]) {
      *out = v;
      *n = k;
      return CLI_OK;
    }
    s += len + 1;
  }
  free(v);
  return CLI_ELIST;
}

enum cli_perr cli_pair(const char *s, long hi, long *k, long *n)
{
  char ks[32];
  const char *slash = strchr(s, '/');
  long a, b;
  if(!slash || (size_t)(slash - s) >= sizeof(ks))
    return CLI_EPAIR;
  memcpy(ks, s, (size_t)(slash - s));
  ks[slash - s] = '\0';
  if(cli_long(ks, 1, hi, &a) || cli_long(slash + 1, 1, hi, &b) || a > b)
    return CLI_EPAIR;
  *k = a;
  *n = b;
  return CLI_OK;
}

enum cli_perr cli_choice(const char *s, const char *const *words, int *out)
{
  for(int i = 0; words[i]; i++)
    if(!strcmp(s, words[i])) {
      *out = i;
      return CLI_OK;
    }
  return CLI_ECHOICE;
}

/* ---- messages ---- */

static void vsay(const char *cmd, const char *kind, const char *fmt,
                 va_list ap) __attribute__((format(printf, 3, 0)));
static void vsay(const char *cmd, const char *kind, const char *fmt,
                 va_list ap)
{
  fprintf(stderr, "bonrun%s%s: %s", cmd ? " " : "", cmd ? cmd : "", kind);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
}

/* cli_error, cli_warn, cli_note: vsay with their kind */
#define SAY(fn, kind)                                                   \
  void fn(const char *cmd, const char *fmt, ...)                        \
  {                                                                     \
    va_list ap;                                                         \
    va_start(ap, fmt);                                                  \
    vsay(cmd, kind, fmt, ap);                                           \
    va_end(ap);                                                         \
  }
SAY(cli_error, "")
SAY(cli_warn, "warning: ")
SAY(cli_note, "note: ")
#undef SAY

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
  va_list ap;
  fprintf(stderr, "bonrun %s: ", cmd);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fprintf(stderr, " (see bonrun %s --help)\n", cmd);
  return EXIT_USAGE;
}

/* A bound as people write it: 1000000, not 1e+06. */
static void bound(char *b, size_t cap, double x)
{
  if(x == floor(x) && fabs(x) < 1e18)
    snprintf(b, cap, "%.0f", x);
  else
    snprintf(b, cap, "%g", x);
}

/* What a value of spec must be, for CLI_EINT .. CLI_ECHOICE. */
static void expected(char *b, size_t cap, enum cli_perr e,
                     const struct cli_opt *spec)
{
  char lo[32] = "?", hi[32] = "?";
  if(spec) {
    bound(lo, sizeof(lo), spec->lo);
    bound(hi, sizeof(hi), spec->hi);
  }
  switch(e) {
  case CLI_EINT:
    snprintf(b, cap, "an integer from %s to %s", lo, hi);
    break;
  case CLI_EU64:
    snprintf(b, cap, "an integer from 0 to %llu",
             (unsigned long long)UINT64_MAX);
    break;
  case CLI_ENUMBER:
    snprintf(b, cap, "a number from %s to %s", lo, hi);
    break;
  case CLI_EPROB:
    snprintf(b, cap, "a probability from 0 to 1");
    break;
  case CLI_EPOSITIVE:
    snprintf(b, cap, "a positive number");
    break;
  case CLI_ELIST:
    snprintf(b, cap, "integers from %s to %s separated by commas", lo, hi);
    break;
  case CLI_EPAIR:
    snprintf(b, cap, "K/N with 1 <= K <= N <= %s", hi);
    break;
  case CLI_ECHOICE: {
    size_t len = 0;
    const char *const *w = spec ? spec->choices : NULL;
    b[0] = '\0';
    for(int i = 0; w && w[i] && len < cap; i++)
      len += (size_t)snprintf(b + len, cap - len, "%s%s", w[i],
                              !w[i + 1] ? "" : w[i + 2] ? ", " : " or ");
    break;
  }
  default:
    snprintf(b, cap, "a valid value");
  }
}

int cli_param_error(const char *cmd, const char *opt, const char *arg,
                    enum cli_perr e, const struct cli_opt *spec)
{
  char what[512];
  switch(e) {
  case CLI_EUNKNOWN:
    return cli_usage_error(cmd, "unknown option '%s'", opt);
  case CLI_EAMBIGUOUS:
    return cli_usage_error(cmd, "option '%s' is ambiguous: write more of "
                           "its name", opt);
  case CLI_ENEEDVALUE:
    return cli_usage_error(cmd, "option '%s' needs a value", opt);
  case CLI_ENOVALUE:
    return cli_usage_error(cmd, "option '%s' takes no value", opt);
  default:
    expected(what, sizeof(what), e, spec);
    return cli_usage_error(cmd, "%s: expected %s, got '%s'", opt, what,
                           arg ? arg : "");
  }
}

/* ---- option tables ---- */

#define LONG_VAL 256 /* getopt value of opts[i] given by its long name */

/* Store the value of opts[i]; CLI_OK or the error of its type. */
static enum cli_perr store(const struct cli_opt *o, const char *arg,
                           void *args)
{
  void *d = (char *)args + o->off;
  enum cli_perr e = CLI_OK;
  long l = 0;
  switch(o->type) {
  case CLI_FLAG: *(int *)d = 1; break;
  case CLI_STR: *(const char **)d = arg; break;
  case CLI_STRS: {
    struct cli_strs *s = d;
    s->v = xrealloc(s->v, (s->n + 1) * sizeof(*s->v));
    s->v[s->n++] = arg;
    break;
  }
  case CLI_INT:
  case CLI_LONG:
  case CLI_SIZE:
    e = cli_long(arg, (long)o->lo, (long)o->hi, &l);
    if(e)
      break;
    if(o->type == CLI_INT)
      *(int *)d = (int)l;
    else if(o->type == CLI_LONG)
      *(long *)d = l;
    else
      *(size_t *)d = (size_t)l;
    break;
  case CLI_U64: e = cli_u64(arg, d); break;
  case CLI_DOUBLE: e = cli_double(arg, o->lo, o->hi, d); break;
  case CLI_PROB: e = cli_prob(arg, d); break;
  case CLI_POSITIVE: e = cli_positive(arg, d); break;
  case CLI_INTS: {
    struct cli_ints *v = d;
    int *w;
    size_t n;
    e = cli_ints(arg, (long)o->lo, (long)o->hi, &w, &n);
    if(!e) { /* the last one wins */
      free(v->v);
      v->v = w;
      v->n = n;
    }
    break;
  }
  case CLI_PAIR: {
    struct cli_pair *p = d;
    e = cli_pair(arg, (long)o->hi, &p->k, &p->n);
    break;
  }
  case CLI_CHOICE: e = cli_choice(arg, o->choices, d); break;
  }
  return e;
}

/* Is name a prefix of two or more long options (and none exactly)? */
static int ambiguous(const struct cli_opt *opts, const char *name)
{
  size_t len = strlen(name), hits = 0;
  for(size_t i = 0; opts[i].name; i++) {
    if(!strcmp(opts[i].name, name))
      return 0;
    hits += !strncmp(opts[i].name, name, len);
  }
  return hits + !strncmp("help", name, len) > 1;
}

/* The message for getopt's '?' (unknown option, or a flag given a value)
 * and ':' (a value missing). */
static int option_error(const struct cli_cmd *c, int ch, int argc,
                        char **argv)
{
  char name[128];
  enum cli_perr e;
  if(optopt >= LONG_VAL) {
    snprintf(name, sizeof(name), "--%s", c->opts[optopt - LONG_VAL].name);
    e = ch == ':' ? CLI_ENEEDVALUE : CLI_ENOVALUE;
  }
  else if(optopt == 'h') {
    snprintf(name, sizeof(name), "--help");
    e = CLI_ENOVALUE;
  }
  else if(optopt) {
    snprintf(name, sizeof(name), "-%c", optopt);
    e = ch == ':' ? CLI_ENEEDVALUE : CLI_EUNKNOWN;
  }
  else { /* a long option getopt could not match */
    const char *a = optind > 0 && optind <= argc ? argv[optind - 1] : "?";
    snprintf(name, sizeof(name), "%.*s", (int)strcspn(a, "="), a);
    e = !strncmp(name, "--", 2) && ambiguous(c->opts, name + 2) ?
        CLI_EAMBIGUOUS : CLI_EUNKNOWN;
  }
  return cli_param_error(c->name, name, NULL, e, NULL);
}

/* Build getopt_long's tables for c: *lo (caller frees) and shorts. */
static void getopt_tables(const struct cli_cmd *c, struct option **lo,
                          char *shorts)
{
  size_t n = 0, k = 0;
  while(c->opts[n].name)
    n++;
  if(n > CLI_MAX_OPTS) { /* a table this long is a bug in the command */
    fprintf(stderr, "bonrun %s: more than %d options\n", c->name,
            CLI_MAX_OPTS);
    abort();
  }
  *lo = xcalloc(n + 2, sizeof(**lo));
  shorts[k++] = ':'; /* ':' for a missing value, '?' for the rest */
  shorts[k++] = 'h';
  for(size_t i = 0; i < n; i++) {
    const struct cli_opt *o = &c->opts[i];
    (*lo)[i].name = o->name;
    (*lo)[i].has_arg = o->type == CLI_FLAG ? no_argument
                                           : required_argument;
    (*lo)[i].val = LONG_VAL + (int)i;
    if(o->letter) {
      shorts[k++] = o->letter;
      if(o->type != CLI_FLAG)
        shorts[k++] = ':';
    }
  }
  shorts[k] = '\0';
  (*lo)[n].name = "help";
  (*lo)[n].has_arg = no_argument;
  (*lo)[n].val = 'h';
}

static int by_letter(const struct cli_opt *opts, int ch)
{
  int i = 0;
  while(opts[i].name && opts[i].letter != ch)
    i++;
  return i;
}

int cli_parse(const struct cli_cmd *c, int argc, char **argv, void *args,
              struct cli_parsed *p)
{
  struct option *lo;
  char shorts[2 * CLI_MAX_OPTS + 4];
  int rc = CLI_GO, ch;
  getopt_tables(c, &lo, shorts);
  p->seen = 0;
  opterr = 0;
  optind = 0; /* glibc: start afresh, whatever a previous parse left */
  while(rc == CLI_GO &&
        (ch = getopt_long(argc, argv, shorts, lo, NULL)) != -1) {
    if(ch == 'h') {
      fputs(c->usage, stdout);
      rc = EXIT_OK;
    }
    else if(ch == '?' || ch == ':')
      rc = option_error(c, ch, argc, argv);
    else {
      int i = ch >= LONG_VAL ? ch - LONG_VAL : by_letter(c->opts, ch);
      const struct cli_opt *o = &c->opts[i];
      enum cli_perr e = store(o, optarg, args);
      char name[128];
      if(ch >= LONG_VAL)
        snprintf(name, sizeof(name), "--%s", o->name);
      else
        snprintf(name, sizeof(name), "-%c", ch);
      if(e)
        rc = cli_param_error(c->name, name, optarg, e, o);
      p->seen |= (uint64_t)1 << i;
    }
  }
  free(lo);
  p->argi = optind;
  if(rc != CLI_GO)
    return rc;
  if(c->max_args >= 0 && argc - optind > c->max_args)
    return cli_usage_error(c->name, "unexpected argument '%s'",
                           argv[optind + c->max_args]);
  if(argc - optind < c->min_args)
    return cli_usage_error(c->name, "%s", c->missing_args);
  return CLI_GO;
}

void cli_free(const struct cli_cmd *c, void *args)
{
  for(const struct cli_opt *o = c->opts; o->name; o++) {
    void *d = (char *)args + o->off;
    if(o->type == CLI_STRS) {
      struct cli_strs *s = d;
      free(s->v);
      s->v = NULL;
      s->n = 0;
    }
    else if(o->type == CLI_INTS) {
      struct cli_ints *v = d;
      free(v->v);
      v->v = NULL;
      v->n = 0;
    }
  }
}

const char *cli_seen_name(const struct cli_cmd *c, uint64_t seen)
{
  for(int i = 0; c->opts[i].name && i < CLI_MAX_OPTS; i++)
    if(seen & ((uint64_t)1 << i))
      return c->opts[i].name;
  return NULL;
}
