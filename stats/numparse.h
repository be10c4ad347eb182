/* numparse.h - the numbers of input tables: one parser for scores, gold
 * values and step scores.  Internal to stats/ (and its tests).
 *
 * Accepted: what strtod accepts as a whole field (decimal and hex forms,
 * exponents, "inf", "nan"), with surrounding blanks (space, tab; a
 * trailing CR) ignored.  Missing: an empty field and the words nan, NaN,
 * NAN, NA, null, None, -nan (and whatever strtod reads as NaN).  Bad:
 * anything else, and infinities ("inf", or an overflow such as 1e999):
 * every number of a table must be finite.
 *
 * Exactness: plain decimals of at most 19 significant digits with a
 * mantissa below 2^53 and a decimal exponent within +-22 are converted
 * without strtod by one correctly rounded multiplication or division of
 * two exact doubles, which is the correctly rounded value; every other
 * spelling goes to strtod.  So the result is always strtod's, bit for bit
 * (including -0). */
#ifndef BON_STATS_NUMPARSE_H
#define BON_STATS_NUMPARSE_H

#include <stddef.h>

/* Parse s[0..n): 0 with *out set, 1 for a missing value (*out untouched),
 * -1 when it is not a finite number. */
int stats_parse_num(const char *s, size_t n, double *out);

/* A gold value: a number as above, or the words true (1) and false (0). */
int stats_parse_gold(const char *s, size_t n, double *out);

#endif
