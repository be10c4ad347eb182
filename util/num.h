/* num.h - how bonrun writes numbers into the files it produces.
 *
 * One home for number formatting, so every table, JSON summary and plot
 * data file spells the same value the same way: ten significant digits
 * ("%.10g"), enough to round-trip every figure the statistics report, and
 * a fixed word for values that are not finite. */
#ifndef BON_NUM_H
#define BON_NUM_H

#include "util/buf.h"

/* v as "%.10g"; "nan" for NaN and for +-inf (CSV, TSV, gnuplot data). */
void num_put(struct buf *b, double v);

/* v as "%.10g", infinities kept ("inf", "-inf"); "nan" for NaN.  For
 * the analysis tables, where an infinite value means something (a fitted
 * curve that never turns down has its peak at d* = inf). */
void num_put_inf(struct buf *b, double v);

/* v as "%.10g"; "null" when v is not finite (JSON has no NaN). */
void num_put_json(struct buf *b, double v);

/* v exactly as printf's "%.17g" writes it (every double round-trips),
 * without printf in the common case: the record stores and scores.csv
 * write one per score. */
void num_put_g17(struct buf *b, double v);

#endif
