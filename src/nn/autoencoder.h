/* autoencoder.h — the lossy compressor of X for the information plane (Butakov et al. 2024):
 * a dense autoencoder in -> hidden -> latent (sigmoid) -> hidden -> in, trained by grokinfo's own
 * engine (mlp + AdamW) with an L1 reconstruction loss and Gaussian noise on the latent code
 * while training (so that the code keeps its information at a scale the noise cannot hide).
 * The encoder's code of each image is X's compressed representation. */
#ifndef GI_AUTOENCODER_H
#define GI_AUTOENCODER_H
#include <stdint.h>
#include "nn/mlp.h"
#include "util/err.h"

typedef struct {
    int hidden, latent;   /* widths: in -> hidden -> latent -> hidden -> in */
    int epochs, batch;
    double lr;
    float latent_noise;   /* sigma of the noise added to the code while training */
    uint64_t seed;
} ae_options;

typedef struct { mlp net; int latent; } autoencoder;

/* Trains on the n rows of x (n x d, float). *final_loss: mean L1 of the last epoch. */
int ae_train(autoencoder *ae, const float *x, int n, int d, const ae_options *o, double *final_loss, gi_err *e);
/* The code of each row (noise-free): out is n x latent. */
void ae_encode(const autoencoder *ae, const float *x, int n, double *out);
/* Mean |x - decode(encode(x))| over all entries (noise-free). */
double ae_reconstruction_l1(const autoencoder *ae, const float *x, int n);
void ae_free(autoencoder *ae);

/* Binary file: magic, version, dims, params, CRC-32; written atomically. */
int ae_save(const autoencoder *ae, const char *path, gi_err *e);
int ae_load(autoencoder *ae, const char *path, gi_err *e);

#endif
