/* ae_cache.h — the X autoencoder trained once per dataset and settings, then loaded from a file. */
#ifndef GI_AE_CACHE_H
#define GI_AE_CACHE_H
#include "nn/autoencoder.h"

/* The cached autoencoder at `path`: loaded when it is there and valid, else trained and saved.
 * An exclusive lock on PATH.lock makes parallel runs wait for one training instead of racing.
 * *trained tells which happened; a corrupt cache is reported (to log) and replaced. */
int ae_cached(autoencoder *ae, const char *path, const float *x, int n, int d, const ae_options *o, int *trained,
              const gi_sink *log, gi_err *e);
#endif
