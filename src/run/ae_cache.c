/* ae_cache.c — the run layer's cache of the X autoencoder, shared by every run on the same data. */
#include "run/ae_cache.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>
#include "util/atomic_file.h"

int ae_cached(autoencoder *ae, const char *path, const float *x, int n, int d, const ae_options *o, int *trained,
              const gi_sink *log, gi_err *e) {
    char lock_path[GI_PATH + 8];
    snprintf(lock_path, sizeof lock_path, "%s.lock", path);
    int fd = open(lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) return gi_fail(e, "%s: cannot create the lock file (%s)", lock_path, strerror(errno));
    while (flock(fd, LOCK_EX) != 0)
        if (errno != EINTR) { close(fd); return gi_fail(e, "%s: cannot lock (%s)", lock_path, strerror(errno)); }
    int rc, loaded = 0;
    *trained = 0;
    memset(ae, 0, sizeof *ae);
    gi_err load_err = {0};
    if (access(path, F_OK) == 0 && ae_load(ae, path, &load_err) == 0) {
        loaded = 1;
        if (ae->net.dims[0] != d || ae->net.dims[1] != o->hidden || ae->latent != o->latent) { ae_free(ae); loaded = 0; }
    }
    if (loaded) {
        rc = 0;
    } else {
        if (access(path, F_OK) == 0) {
            if (load_err.msg[0]) gi_say(log, "grokinfo: %s; training it again", load_err.msg);
            else gi_say(log, "grokinfo: %s: an autoencoder of another shape; training it again", path);
        }
        double loss;
        rc = ae_train(ae, x, n, d, o, &loss, e);
        if (rc == 0) {
            *trained = 1;
            rc = ae_save(ae, path, e);
            if (rc) ae_free(ae);
        }
    }
    flock(fd, LOCK_UN);
    close(fd);
    return rc;
}
