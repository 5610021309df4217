/* json.h — a small JSON reader for the files grokinfo writes (summary.json): the document is
 * flattened into a list of scalar leaves named by their path, objects' keys joined by '.' and
 * array elements by their index, e.g. "grokking_step", "oinfo.layers.0.synergy_peak_step",
 * "timing_seconds.total". Leaves are numbers, strings (\uXXXX kept as '?' outside ASCII), true,
 * false and null. Errors name the file, line and what was expected. */
#ifndef GI_JSON_H
#define GI_JSON_H
#include <stdio.h>
#include "util/err.h"

typedef enum { JSON_NULL, JSON_NUM, JSON_STR, JSON_BOOL } json_kind;

typedef struct {
    char *key;      /* the leaf's path */
    json_kind kind;
    double num;     /* JSON_NUM, and JSON_BOOL as 0/1 */
    char *str;      /* JSON_STR */
} json_leaf;

typedef struct {
    int n, cap;
    json_leaf *leaf; /* in document order */
} json_doc;

/* name is used in messages (a path, or NULL for "json"). */
int json_parse(const char *text, const char *name, json_doc *d, gi_err *e);
int json_read_file(const char *path, json_doc *d, gi_err *e);
/* The leaf at key, or NULL. */
const json_leaf *json_get(const json_doc *d, const char *key);
/* A number's value; NaN when the key is absent, null or not a number. */
double json_num(const json_doc *d, const char *key);
/* A string's value, or NULL. */
const char *json_str(const json_doc *d, const char *key);
void json_free(json_doc *d);

/* Writing: s as a JSON string, quoted, with '"', '\\' and control characters escaped. */
void json_write_string(FILE *f, const char *s);
#endif
