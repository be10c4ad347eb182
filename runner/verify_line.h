/* verify_line.h - the line protocol of `bonrun verify`: a JSON object with
 * "gold" and "pred" in, the same object with the verdict out. */
#ifndef BON_VERIFY_LINE_H
#define BON_VERIFY_LINE_H

#include <stddef.h>

#include "util/buf.h"

/* Parse a JSON object with string fields "gold" and "pred" (a number is
 * read as its text), judge it (gold_judge_ex with flags), and append one
 * JSON object line (without the newline) to out: every input field passed
 * through, then "correct", "gold_answer", "pred_answer", "gold_type",
 * "pred_type", "reason" (an input field of one of these names is
 * replaced).  Returns 0, or -1 for a malformed line, in which case the
 * appended object carries "correct": false, "error": <message naming line
 * lineno> and "reason": "malformed input".  Thread-safe. */
int verify_line(const char *line, size_t len, long lineno, int flags,
                struct buf *out);

#endif
