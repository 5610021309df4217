/* err.h — one-line error messages carried back to the caller.
 * Library functions return 0 on success and -1 on failure after filling a gi_err;
 * the CLI prints e.msg once. Nothing is printed from inside the library: what it has to say
 * besides an error (a warning, a note on progress) goes to a gi_sink its caller passes in. */
#ifndef GI_ERR_H
#define GI_ERR_H
#include <stddef.h>

#define GI_ERRLEN 512
typedef struct { char msg[GI_ERRLEN]; } gi_err;

/* Formats the message into e (if e is non-NULL) and returns -1, so that
 * `return gi_fail(e, "...")` reads as one step. */
int gi_fail(gi_err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Where the library's messages go, one line at a time (no newline): the CLI installs one that
 * prints on stderr (or stdout), tests one that keeps them. A NULL sink or fn drops them. */
typedef struct { void (*fn)(void *ctx, const char *line); void *ctx; } gi_sink;
void gi_say(const gi_sink *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Allocation that never returns NULL: out-of-memory aborts with file and line. */
void *gi_malloc_(size_t n, const char *file, int line);
void *gi_calloc_(size_t n, size_t size, const char *file, int line);
void *gi_realloc_(void *p, size_t n, const char *file, int line);
#define gi_malloc(n) gi_malloc_((n), __FILE__, __LINE__)
#define gi_calloc(n, s) gi_calloc_((n), (s), __FILE__, __LINE__)
#define gi_realloc(p, n) gi_realloc_((p), (n), __FILE__, __LINE__)
#endif
