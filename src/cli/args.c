#include "cli/args.h"
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* strtoll and strtod skip leading blanks; a flag's value with any is a mistake, not a number */
static int starts_like_a_number(const char *s) { return s && *s && !isspace((unsigned char)*s); }

int arg_parse_ll(const char *s, long long lo, long long hi, long long *out) {
    if (!starts_like_a_number(s)) return -1;
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (*end || errno == ERANGE || v < lo || v > hi) return -1;
    *out = v;
    return 0;
}

int arg_parse_double(const char *s, double lo, double hi, double *out) {
    if (!starts_like_a_number(s)) return -1;
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (*end || errno == ERANGE || !isfinite(v) || v < lo || v > hi) return -1;
    *out = v;
    return 0;
}

/* "an integer from 1 to 20", "an integer >= 0", ...: the bounds that are not the type's own */
static void describe_ll(char *buf, size_t n, long long lo, long long hi, long long type_min, long long type_max) {
    if (lo > type_min && hi < type_max) snprintf(buf, n, "an integer from %lld to %lld", lo, hi);
    else if (lo > type_min) snprintf(buf, n, "an integer >= %lld", lo);
    else if (hi < type_max) snprintf(buf, n, "an integer <= %lld", hi);
    else snprintf(buf, n, "an integer");
}

static int bad_value(const char *cmd, const char *flag, const char *what, const char *s) {
    fprintf(stderr, "grokinfo %s: %s: expected %s, got '%s'\n", cmd, flag, what, s ? s : "");
    return CLI_USAGE_ERROR;
}

static int ranged_ll(const char *cmd, const char *flag, const char *s, long long lo, long long hi,
                     long long type_min, long long type_max, long long *out) {
    if (arg_parse_ll(s, lo, hi, out) == 0) return 0;
    char what[96];
    describe_ll(what, sizeof what, lo, hi, type_min, type_max);
    return bad_value(cmd, flag, what, s);
}

int arg_int(const char *cmd, const char *flag, const char *s, int lo, int hi, int *out) {
    long long v;
    int rc = ranged_ll(cmd, flag, s, lo, hi, INT_MIN, INT_MAX, &v);
    if (rc == 0) *out = (int)v;
    return rc;
}

int arg_ll(const char *cmd, const char *flag, const char *s, long long lo, long long hi, long long *out) {
    return ranged_ll(cmd, flag, s, lo, hi, LLONG_MIN, LLONG_MAX, out);
}

int arg_double(const char *cmd, const char *flag, const char *s, double lo, double hi, double *out) {
    if (arg_parse_double(s, lo, hi, out) == 0) return 0;
    char what[96];
    if (isfinite(lo) && isfinite(hi)) snprintf(what, sizeof what, "a number from %g to %g", lo, hi);
    else if (isfinite(lo)) snprintf(what, sizeof what, "a number >= %g", lo);
    else if (isfinite(hi)) snprintf(what, sizeof what, "a number <= %g", hi);
    else snprintf(what, sizeof what, "a number");
    return bad_value(cmd, flag, what, s);
}
