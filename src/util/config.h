/* config.h — grokinfo's configuration: one table of options (name, type, default, bounds),
 * filled from YAML files (libyaml) and hydra-style `key=value` overrides through the same
 * parser. Later settings win. The seed's own default.yaml loads unchanged: its keys that
 * grokinfo does not use yet are accepted and reported once as unused. */
#ifndef GI_CONFIG_H
#define GI_CONFIG_H
#include <stdint.h>
#include <stdio.h>
#include "util/err.h"

#define CFG_STR 256
#define CFG_PATH 1024
#define CFG_MAX_UNUSED 32

typedef struct {
    int64_t seed;
    char custom_run_name[CFG_STR]; /* "" means null: auto name */
    char project_name[CFG_STR];
    char download_directory[CFG_PATH];

    struct {
        double initialization_scale;
        int width;          /* hidden width */
        int depth;          /* number of Linear layers (>= 1) */
        char activation[32]; /* ReLU|Tanh|Sigmoid|GELU|LeakyReLU|Identity */
        int noise;          /* bool: Gaussian noise of sigma mi.sigma after each layer */
        int output_bias;    /* bool */
        int zero_init_last; /* bool: the last layer starts at 0 (init-scale experiments) */
    } model;

    struct {
        int64_t optimization_steps, batch_size, test_batch_size, train_points;
        int64_t freqLog, n_first_steps_to_log;
        char loss_function[32]; /* MSE|CrossEntropy */
        char optimizer[32];     /* AdamW|Adam|SGD */
        double lr, weight_decay, betas[2], eps, momentum;
        char eval_schedule[16]; /* seed|log */
        int64_t eval_points;    /* number of evaluations for the log schedule */
        int threads;            /* 0: all cores */
        int save_step_checkpoints; /* bool */
        char first_layer[16];   /* auto|sparse|dense: how the first layer multiplies (same math) */
        int fix_weight_norm;    /* bool: parameters rescaled to their initial global L2 norm after every step */
    } train;

    struct {
        char name[32];          /* mnist|modular */
        int p;                  /* modular: the modulus */
        char op[8];             /* modular: add|sub|mul|div */
        double train_fraction;  /* modular: share of the pairs that train */
        char path[CFG_PATH];    /* "" = embedded npm10k digits under data/mnist */
        double normalize_mean, normalize_std;
    } data;

    struct {
        int enabled;            /* bool: the information plane at every evaluation */
        double sigma;
        int agn_relative_scale; /* bool; only false is supported */
        char estimator[16];     /* auto (from method: KL -> wkl, KDE -> kde)|ksg|kl|wkl|wkl-pooled|kde|gauss|gcmi|noise */
        int k;                  /* 0: k_neighbours */
        char method[32];        /* mi.entropy_estimator_params.method */
        int n_jobs, k_neighbours, rescale;
        char compression[32];   /* layers: pca|first_coords|smi (autoencoder(s): pca, X by the autoencoder) */
        char x_compression[32]; /* X: autoencoder|pca */
        int n_projections;      /* smi */
        int eval_points;        /* rows of the evaluation set the plane uses: 0 = all */
        int check, check_k;     /* the cross-check beside it (mi_check.csv): on, and its KSG's k */
        int standardize;        /* ksg: z-score X's and L's columns first (the cross-check always does) */
        int noise_model;        /* mi_noise.csv: the noise-model estimate on the whole layers */
        double noise_sigma_rel; /* > 0: its σ relative to each layer's RMS (else mi.sigma, absolute) */
        int noise_draws;        /* its Monte-Carlo draws per component */
        int noise_redraws;      /* > 0: the plane measured again on that many fresh draws of the evaluation
                                   noise, and once on a fixed half of the rows (mi_redraws.csv) */
        int64_t noise_redraws_from; /* ... at evaluations from this step on */
        int pca_whiten;
        int filter_mi_plots;
    } mi;

    struct {
        int L_latent_dim;       /* compressed dimension of X and of each layer */
        char encoder_path[CFG_PATH], decoder_path[CFG_PATH];
        int hidden, epochs, batch_size;
        double lr, latent_noise;
    } ae;

    struct {
        int enabled, every;     /* O-information every `every` evaluations */
        char subset[8];         /* train|eval: the samples of the copula */
        int clusters, greedy_max, bias_correct;
        char ties[8];           /* index|random|average: the ranking of equal values (measure/oinfo.h) */
        char ties_check[8];     /* none, or a second rule measured beside it into oinfo_ties.csv */
    } oinfo;
    struct { int enabled; } plot; /* figures at the end of training (when gnuplot is installed) */
    struct { double train_acc, eval_acc; } summary;
    struct {                    /* the phase rule's constants (report/phases.h) */
        int64_t min_step;
        double min_decades;
        int min_points;
        double penalty, z, min_change, z_flat;
    } phases;

    /* Keys that were set but that grokinfo does not use (yet): reported once by the CLI. */
    int n_unused;
    char unused[CFG_MAX_UNUSED][96];
} gi_config;

void config_defaults(gi_config *c);
/* Reads a YAML file (nested maps flatten to dotted keys) and applies every key in order. */
int config_load_file(gi_config *c, const char *path, gi_err *e);
/* A run's configuration: the defaults, then RUN_DIR/config.yaml. */
int config_load_run(gi_config *c, const char *run_dir, gi_err *e);
/* One setting: dotted key and its value as text (YAML scalar syntax, `1_000`, `1e-3`, `null`,
 * `True`, quoted strings, `[0.9, 0.98]` for lists). Errors name the key and what is allowed;
 * an unknown key names the nearest known key. `where` prefixes the message (file:line or
 * "override"), may be NULL. */
int config_set(gi_config *c, const char *key, const char *value, const char *where, gi_err *e);
/* A hydra-style override "key=value" (also "+key=value", "++key=value"). */
int config_override(gi_config *c, const char *arg, gi_err *e);
/* Cross-field checks after everything is applied (e.g. batch_size <= train_points). */
int config_validate(const gi_config *c, gi_err *e);
/* The resolved config as YAML that config_load_file reads back to an identical struct. */
int config_write_yaml(const gi_config *c, FILE *f);
/* custom_run_name with ${key} interpolated (values formatted as OmegaConf would: 8.0, 0.01,
 * 100000, ReLU); when custom_run_name is null, an automatic name from the main values. */
int config_run_name(const gi_config *c, char *out, size_t n, gi_err *e);
/* For the YAML loader: is this a full key, a section prefix of keys, a YAML null? */
int config_is_key(const char *key);
int config_is_section(const char *key);
int config_is_null_word(const char *s);
/* The option table, for tools that walk every key (grokinfo compare): how many options, the
 * dotted name of option i (0 <= i < config_n_options()), and its value in c as OmegaConf would
 * print it (8.0, 0.01, True, ReLU, [0.9, 0.999]; "" for a null string). */
int config_n_options(void);
const char *config_option_name(int i);
void config_format_value(const gi_config *c, int i, char *out, size_t n);
/* A stable 64-bit hash of the resolved config (for cache file names). */
uint64_t config_hash(const gi_config *c);
#endif
