/* args.h — numbers from the command line. A flag's value is parsed whole (no trailing letters, no
 * silent 0 as atoi gives) and within bounds; when it is not, one line names the command and the
 * flag, e.g.  grokinfo acts: --layer: expected an integer >= 1, got 'x'  and the caller returns 2. */
#ifndef GI_CLI_ARGS_H
#define GI_CLI_ARGS_H

/* The exit code of a usage error (a bad flag or value), as every command returns it. */
#define CLI_USAGE_ERROR 2

/* s whole as a base-10 integer (an optional sign, then digits only) in [lo, hi]:
 * 0 and *out set, or -1 (*out untouched). */
int arg_parse_ll(const char *s, long long lo, long long hi, long long *out);
/* s whole as a finite number (strtod's syntax, no "nan" or "inf") in [lo, hi]: 0 and *out, or -1. */
int arg_parse_double(const char *s, double lo, double hi, double *out);

/* The value s of flag for command cmd: 0 and *out set; or the line
 *   grokinfo CMD: FLAG: expected an integer from LO to HI, got 'S'
 * on stderr ("an integer >= LO" when hi is the type's largest value) and CLI_USAGE_ERROR. */
int arg_int(const char *cmd, const char *flag, const char *s, int lo, int hi, int *out);
int arg_ll(const char *cmd, const char *flag, const char *s, long long lo, long long hi, long long *out);
/* The same for a real number ("expected a number from LO to HI", bounds may be +-HUGE_VAL). */
int arg_double(const char *cmd, const char *flag, const char *s, double lo, double hi, double *out);

#endif
