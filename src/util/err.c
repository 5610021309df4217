#include "util/err.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

int gi_fail(gi_err *e, const char *fmt, ...) {
    if (e) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(e->msg, sizeof e->msg, fmt, ap);
        va_end(ap);
    }
    return -1;
}

void gi_say(const gi_sink *s, const char *fmt, ...) {
    if (!s || !s->fn) return;
    char line[2 * GI_ERRLEN];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    s->fn(s->ctx, line);
}

void *gi_malloc_(size_t n, const char *file, int line) {
    void *p = malloc(n ? n : 1);
    if (!p) { fprintf(stderr, "grokinfo: out of memory (%zu bytes) at %s:%d\n", n, file, line); abort(); }
    return p;
}

void *gi_realloc_(void *p, size_t n, const char *file, int line) {
    void *q = realloc(p, n ? n : 1);
    if (!q) { fprintf(stderr, "grokinfo: out of memory (%zu bytes) at %s:%d\n", n, file, line); abort(); }
    return q;
}

void *gi_calloc_(size_t n, size_t size, const char *file, int line) {
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p) { fprintf(stderr, "grokinfo: out of memory (%zu x %zu bytes) at %s:%d\n", n, size, file, line); abort(); }
    return p;
}
