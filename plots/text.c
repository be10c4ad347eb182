/* text.c - numbers, intervals and cells of report.md (text.h). */
#include "plots/text.h"

#include <math.h>
#include <stdio.h>

void plot_fmt_num(struct buf *b, double v, int digits)
{
  if(!isfinite(v)) {
    buf_puts(b, "n/a");
    return;
  }
  if(fabs(v) < 0.5 * pow(10, -digits))
    v = 0; /* no "-0.00" */
  buf_printf(b, "%.*f", digits, v);
}

void plot_fmt_ci(struct buf *b, double v, double lo, double hi, int digits)
{
  plot_fmt_num(b, v, digits);
  if(!isfinite(v) || !isfinite(lo) || !isfinite(hi))
    return;
  buf_puts(b, " [");
  plot_fmt_num(b, lo, digits);
  buf_puts(b, ", ");
  plot_fmt_num(b, hi, digits);
  buf_puts(b, "]");
}

void plot_fmt_level(char *out, size_t len, double level)
{
  snprintf(out, len, "%.4g%%", 100 * level);
}

void plot_md_cell(struct buf *b, const char *s)
{
  for(; *s; s++) {
    unsigned char c = (unsigned char)*s;
    if(c == '|' || c == '\\' || c == '*' || c == '_' || c == '`' ||
       c == '[' || c == ']' || c == '<' || c == '>')
      buf_putc(b, '\\');
    buf_putc(b, c < 0x20 || c == 0x7f ? ' ' : (char)c);
  }
}
