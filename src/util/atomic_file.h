/* atomic_file.h — write a file so that readers see either the old or the new whole file.
 * Writes PATH.tmp.PID, fsyncs it, renames it over PATH, then fsyncs the directory. */
#ifndef GI_ATOMIC_FILE_H
#define GI_ATOMIC_FILE_H
#include <stdio.h>
#include "util/err.h"

typedef struct { FILE *f; char path[1024]; char tmp[1100]; } atomic_file;

int atomic_open(atomic_file *af, const char *path, gi_err *e);
/* Flushes, fsyncs and renames; on any write error removes the temporary and keeps the old file. */
int atomic_commit(atomic_file *af, gi_err *e);
void atomic_abort(atomic_file *af);
/* Whole-buffer convenience. */
int atomic_write(const char *path, const void *data, size_t n, gi_err *e);
/* mkdir -p; a component that exists and is not a directory is an error naming it. */
int make_dirs(const char *path, gi_err *e);
/* Whether path exists (stat succeeds), and whether it is a directory / a regular file. */
int path_exists(const char *path);
int path_is_dir(const char *path);
int path_is_file(const char *path);
/* The longest path grokinfo builds; path buffers are GI_PATH bytes. */
#define GI_PATH 4096
/* out = dir/name; a result that does not fit in n bytes is an error naming both parts. */
int path_join(char *out, size_t n, const char *dir, const char *name, gi_err *e);
#endif
