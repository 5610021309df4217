#define _POSIX_C_SOURCE 200809L
#include "util/atomic_file.h"
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int atomic_open(atomic_file *af, const char *path, gi_err *e) {
    if (strlen(path) >= sizeof af->path) return gi_fail(e, "%s: path too long", path);
    strcpy(af->path, path);
    snprintf(af->tmp, sizeof af->tmp, "%s.tmp.%ld", path, (long)getpid());
    af->f = fopen(af->tmp, "wb");
    if (!af->f) return gi_fail(e, "%s: cannot write (%s)", af->tmp, strerror(errno));
    return 0;
}

static void fsync_parent_dir(const char *path) {
    char buf[1024];
    snprintf(buf, sizeof buf, "%s", path);
    int fd = open(dirname(buf), O_RDONLY);
    if (fd >= 0) { fsync(fd); close(fd); }
}

int atomic_commit(atomic_file *af, gi_err *e) {
    int bad = ferror(af->f) != 0;
    if (fflush(af->f) != 0) bad = 1;
    int saved = errno;
    if (!bad && fsync(fileno(af->f)) != 0) { bad = 1; saved = errno; }
    if (fclose(af->f) != 0 && !bad) { bad = 1; saved = errno; }
    af->f = NULL;
    if (bad) {
        unlink(af->tmp);
        return gi_fail(e, "%s: write failed (%s); the previous file is kept", af->path, strerror(saved));
    }
    if (rename(af->tmp, af->path) != 0) {
        saved = errno;
        unlink(af->tmp);
        return gi_fail(e, "%s: cannot rename into place (%s)", af->path, strerror(saved));
    }
    fsync_parent_dir(af->path);
    return 0;
}

void atomic_abort(atomic_file *af) {
    if (af->f) fclose(af->f);
    af->f = NULL;
    unlink(af->tmp);
}

int atomic_write(const char *path, const void *data, size_t n, gi_err *e) {
    atomic_file af;
    if (atomic_open(&af, path, e)) return -1;
    fwrite(data, 1, n, af.f);
    return atomic_commit(&af, e);
}

int make_dirs(const char *path, gi_err *e) {
    char buf[1024];
    if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf) return gi_fail(e, "%s: path too long", path);
    for (char *p = buf + 1;; p++) {
        if (*p == '/' || *p == '\0') {
            char c = *p;
            *p = '\0';
            struct stat st;
            if (stat(buf, &st) == 0) {
                if (!S_ISDIR(st.st_mode)) return gi_fail(e, "%s: exists and is not a directory (needed for %s)", buf, path);
            } else if (mkdir(buf, 0777) != 0 && errno != EEXIST) {
                return gi_fail(e, "%s: cannot create directory (%s)", buf, strerror(errno));
            }
            *p = c;
            if (c == '\0') break;
        }
    }
    return 0;
}

int path_exists(const char *path) {
    struct stat st;
    return stat(path, &st) == 0;
}

int path_is_dir(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int path_is_file(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

int path_join(char *out, size_t n, const char *dir, const char *name, gi_err *e) {
    int len = snprintf(out, n, "%s/%s", dir, name);
    if (len < 0 || (size_t)len >= n)
        return gi_fail(e, "path too long (%d bytes, at most %zu): %s/%s", len, n - 1, dir, name);
    return 0;
}
