/* gp.c - gnuplot scripts: quoting, the shared style, running gnuplot. */
#include "plots/gp.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "util/fsutil.h"

int plot_fmt_parse(const char *s, enum plot_fmt *f, struct bon_err *err)
{
  if(!strcmp(s, "png"))
    *f = PLOT_PNG;
  else if(!strcmp(s, "svg"))
    *f = PLOT_SVG;
  else if(!strcmp(s, "pdf"))
    *f = PLOT_PDF;
  else
    return bon_errf(err, "unknown format '%s': use png, svg or pdf", s);
  return 0;
}

const char *plot_fmt_ext(enum plot_fmt f)
{
  return f == PLOT_SVG ? "svg" : f == PLOT_PDF ? "pdf" : "png";
}

void plot_gp_str(struct buf *b, const char *s)
{
  buf_putc(b, '\'');
  for(; *s; s++) {
    unsigned char c = (unsigned char)*s;
    if(c == '\'')
      buf_puts(b, "''");
    else if(c < 0x20 || c == 0x7f)
      buf_putc(b, ' ');
    else
      buf_putc(b, (char)c);
  }
  buf_putc(b, '\'');
}

/* Okabe & Ito (2008), ordered so the first colours differ most in grey;
 * yellow, weak on white, comes last. */
static const char *const colors[8] = {
  "#0072B2", "#D55E00", "#009E73", "#CC79A7",
  "#E69F00", "#56B4E9", "#000000", "#F0E442",
};
/* Dash types and point types chosen to stay distinct without colour. */
static const char *const dashes[8] = {
  "1", "(12,5)", "(3,4)", "(12,4,3,4)", "(20,6)", "(6,3,2,3,2,3)",
  "(2,2)", "(16,4,4,4,4,4)",
};
static const int points[8] = {7, 5, 9, 13, 11, 4, 6, 8};

const char *plot_gp_color(int i)
{
  return colors[((i % 8) + 8) % 8];
}

void plot_gp_preamble(struct buf *b, enum plot_fmt f, int w, int h,
                      const char *image_name)
{
  buf_puts(b, "set encoding utf8\n");
  switch(f) {
  case PLOT_SVG:
    buf_printf(b, "set terminal svg size %d,%d dynamic noenhanced "
               "font 'DejaVu Sans,11' linewidth 1.2 background '#ffffff'\n",
               w, h);
    break;
  case PLOT_PDF:
    buf_printf(b, "set terminal pdfcairo size %.4fin,%.4fin noenhanced "
               "font 'DejaVu Sans,11' fontscale 0.72 linewidth 1.0 "
               "pointscale 0.7\n",
               w / 100.0, h / 100.0);
    break;
  default:
    buf_printf(b, "set terminal pngcairo size %d,%d noenhanced "
               "font 'DejaVu Sans,11' linewidth 1.2 background '#ffffff'\n",
               w, h);
  }
  buf_puts(b, "set output ");
  plot_gp_str(b, image_name);
  buf_puts(b, "\n");
  buf_puts(b, "# Okabe-Ito colours; each line type also has its own dash "
              "and point type\n");
  for(int i = 0; i < 8; i++)
    buf_printf(b, "set linetype %d lc rgb '%s' lw 2 dt %s pt %d ps 1.2\n",
               i + 1, colors[i], dashes[i], points[i]);
  buf_puts(b, "set linetype cycle 8\n"
              "set clip two\nset border lw 1\n"
              "set grid lc rgb '#d9d9d9' lw 1 dt 1\n"
              "set tics out nomirror\n");
}

int plot_gp_run(const char *dir, const char *script, struct buf *warn,
                struct bon_err *err)
{
  const char *prog = getenv("BONRUN_GNUPLOT");
  if(!prog || !*prog)
    prog = "gnuplot";
  int fds[2];
  if(pipe(fds) != 0)
    return bon_errf(err, "cannot create a pipe: %s", strerror(errno));
  pid_t pid = fork();
  if(pid < 0) {
    close(fds[0]);
    close(fds[1]);
    return bon_errf(err, "cannot start %s: %s", prog, strerror(errno));
  }
  if(pid == 0) {
    int nul = open("/dev/null", O_RDWR);
    if(nul >= 0) {
      dup2(nul, 0);
      dup2(nul, 1);
    }
    dup2(fds[1], 2);
    close(fds[0]);
    close(fds[1]);
    if(chdir(dir) != 0)
      _exit(126);
    setenv("TZ", "UTC", 1);
    setenv("LC_ALL", "C.UTF-8", 1);
    char *argv[] = {(char *)prog, (char *)script, NULL};
    execvp(prog, argv);
    static const char msg[] = "cannot execute gnuplot\n";
    ssize_t w = write(2, msg, sizeof(msg) - 1);
    (void)w;
    _exit(127);
  }
  close(fds[1]);
  struct buf out = BUF_INIT;
  char chunk[4096];
  /* Read its stderr until it closes; a gnuplot that runs past the limit is
   * killed (a figure takes well under a second). */
  time_t deadline = time(NULL) + PLOT_GP_TIMEOUT_S;
  int timed_out = 0;
  for(;;) {
    struct pollfd pfd = {fds[0], POLLIN, 0};
    int pr = poll(&pfd, 1, 1000);
    if(pr < 0 && errno == EINTR)
      continue;
    if(pr == 0) {
      if(time(NULL) > deadline) {
        kill(pid, SIGKILL);
        timed_out = 1;
        break;
      }
      continue;
    }
    ssize_t n = read(fds[0], chunk, sizeof(chunk));
    if(n < 0 && errno == EINTR)
      continue;
    if(n <= 0)
      break;
    buf_append(&out, chunk, (size_t)n);
  }
  close(fds[0]);
  int status = 0;
  while(waitpid(pid, &status, 0) < 0 && errno == EINTR)
    ;
  buf_puts(warn, buf_str(&out));
  int rc = 0;
  if(timed_out)
    rc = bon_errf(err, "%s %s (in %s): no answer after %d s; killed", prog,
                  script, dir, PLOT_GP_TIMEOUT_S);
  else if(WIFSIGNALED(status))
    rc = bon_errf(err, "%s %s (in %s): killed by signal %d", prog, script,
                  dir, WTERMSIG(status));
  else if(WEXITSTATUS(status) == 127 || WEXITSTATUS(status) == 126)
    rc = bon_errf(err, "%s %s (in %s): cannot run gnuplot; is it installed "
                  "(apt-get install gnuplot-nox) or $BONRUN_GNUPLOT set?",
                  prog, script, dir);
  else if(WEXITSTATUS(status) != 0) {
    /* gnuplot ends with the message that matters ("file" line N: ...). */
    const char *all = buf_str(&out), *s = all, *e = all + strlen(all);
    while(e > all && (e[-1] == '\n' || e[-1] == ' ' || e[-1] == '\r'))
      e--;
    for(s = e; s > all && s[-1] != '\n'; s--)
      ;
    size_t l = (size_t)(e - s);
    rc = bon_errf(err, "%s %s (in %s) failed (exit %d): %.*s", prog, script,
                  dir, WEXITSTATUS(status), (int)(l > 300 ? 300 : l), s);
  }
  buf_free(&out);
  return rc;
}

int plot_pdf_fix_date(const char *path, struct bon_err *err)
{
  size_t len;
  char *data = fs_read_file(path, &len, err);
  if(!data)
    return -1;
  static const char key[] = "/CreationDate (D:";
  static const char fixed[] = "20000101000000";
  int changed = 0;
  char *p = data;
  while((p = memmem(p, len - (size_t)(p - data), key, sizeof(key) - 1))) {
    p += sizeof(key) - 1;
    size_t k = 0;
    while(k < 14 && p + k < data + len && p[k] >= '0' && p[k] <= '9')
      k++;
    memcpy(p, fixed, k);
    changed = 1;
  }
  int rc = 0;
  if(changed)
    rc = fs_write_atomic(path, data, len, err);
  free(data);
  return rc;
}
