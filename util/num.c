/* num.c - number formatting for output files (see num.h). */
#include "util/num.h"

#include <math.h>

void num_put(struct buf *b, double v)
{
  if(isfinite(v))
    buf_printf(b, "%.10g", v);
  else
    buf_puts(b, "nan");
}

void num_put_inf(struct buf *b, double v)
{
  if(isnan(v))
    buf_puts(b, "nan");
  else
    buf_printf(b, "%.10g", v);
}

void num_put_json(struct buf *b, double v)
{
  if(isfinite(v))
    buf_printf(b, "%.10g", v);
  else
    buf_puts(b, "null");
}
