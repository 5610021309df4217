#include "train/trainer.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "data/modular.h"

/* Sparse first layer when at most this fraction of the inputs differ from the background. */
#define SPARSE_MAX_DENSITY 0.5

static int load_data(trainer *t, const char *data_dir, gi_err *e) {
    const gi_config *c = &t->cfg;
    double mean = c->data.normalize_mean, sd = c->data.normalize_std;
    rng_t split;
    rng_seed(&split, noise_key((uint64_t)c->seed, STREAM_SPLIT, 0, 0));
    dataset pool = {0};
    if (strcmp(c->data.name, "modular") == 0) {
        if (dataset_make_modular(c->data.p, c->data.op, &pool, e)) return -1;
        int n_train = (int)(c->data.train_fraction * pool.n); /* as int(0.4 * p * p) */
        if (n_train < 1 || n_train >= pool.n) {
            int n = pool.n;
            dataset_free(&pool);
            return gi_fail(e, "data.train_fraction: %g of %d pairs leaves no training or no evaluation pair",
                           c->data.train_fraction, n);
        }
        int *order = gi_malloc((size_t)pool.n * sizeof(int));
        for (int i = 0; i < pool.n; i++) order[i] = i;
        rng_shuffle_int(&split, order, pool.n);
        dataset_subset(&pool, order, n_train, &t->sets[SUBSET_TRAIN]);
        dataset_subset(&pool, order + n_train, pool.n - n_train, &t->sets[SUBSET_EVAL]);
        free(order);
        dataset_free(&pool);
        return 0;
    }
    if (c->data.path[0]) {
        if (dataset_load_standard(c->data.path, 1, mean, sd, &pool, e)) return -1;
        if (dataset_load_standard(c->data.path, 0, mean, sd, &t->sets[SUBSET_EVAL], e)) { dataset_free(&pool); return -1; }
    } else {
        if (dataset_load_npm10k(data_dir, mean, sd, &pool, e)) return -1;
    }
    int n_train = (int)c->train.train_points;
    int spare = c->data.path[0] ? 0 : 1; /* the embedded set must also leave evaluation points */
    if (n_train > pool.n - spare) {
        int n = pool.n;
        dataset_free(&pool);
        return gi_fail(e, "train.train_points: %d requested but the dataset has %d examples%s", n_train, n,
                       spare ? " (at least one must remain for evaluation)" : "");
    }
    int *order = gi_malloc((size_t)pool.n * sizeof(int));
    for (int i = 0; i < pool.n; i++) order[i] = i;
    rng_shuffle_int(&split, order, pool.n);
    dataset_subset(&pool, order, n_train, &t->sets[SUBSET_TRAIN]);
    if (!c->data.path[0]) dataset_subset(&pool, order + n_train, pool.n - n_train, &t->sets[SUBSET_EVAL]);
    free(order);
    dataset_free(&pool);
    return 0;
}

int trainer_create(trainer *t, const gi_config *cfg, const char *data_dir, gi_err *e) {
    memset(t, 0, sizeof *t);
    t->cfg = *cfg;
    const gi_config *c = &t->cfg;
    activation act;
    optim_kind ok;
    if (activation_from_name(c->model.activation, &act)) return gi_fail(e, "model.activation: unknown '%s'", c->model.activation);
    if (loss_from_name(c->train.loss_function, &t->loss)) return gi_fail(e, "train.loss_function: unknown '%s'", c->train.loss_function);
    if (optim_from_name(c->train.optimizer, &ok)) return gi_fail(e, "train.optimizer: unknown '%s'", c->train.optimizer);
    if (load_data(t, data_dir, e)) { trainer_free(t); return -1; }
    dataset *tr = &t->sets[SUBSET_TRAIN], *ev = &t->sets[SUBSET_EVAL];
    t->density = sparse_from_dense(tr->x, tr->n, tr->dim, &t->sparse[SUBSET_TRAIN]);
    sparse_from_dense(ev->x, ev->n, ev->dim, &t->sparse[SUBSET_EVAL]);
    /* both subsets must share the background value the sparse product assumes */
    int same_background = t->sparse[SUBSET_TRAIN].background == t->sparse[SUBSET_EVAL].background;
    if (strcmp(c->train.first_layer, "dense") == 0) t->use_sparse = 0;
    else if (strcmp(c->train.first_layer, "sparse") == 0) t->use_sparse = 1;
    else t->use_sparse = t->density <= SPARSE_MAX_DENSITY && same_background;
    if (t->use_sparse && !same_background) {
        /* the sparse product assumes one background value for both subsets */
        trainer_free(t);
        return gi_fail(e, "train.first_layer: sparse needs the training and evaluation inputs to share their most "
                          "frequent value; use auto or dense");
    }

    if (mlp_create(&t->model, tr->dim, c->model.width, c->model.depth, tr->n_classes, act, c->model.output_bias)) {
        trainer_free(t);
        return gi_fail(e, "model: cannot create a network of depth %d and width %d", c->model.depth, c->model.width);
    }
    rng_t init;
    rng_seed(&init, noise_key((uint64_t)c->seed, STREAM_INIT, 0, 0));
    mlp_init_torch(&t->model, &init, (float)c->model.initialization_scale);
    if (c->model.zero_init_last) {
        int last = t->model.n_layers - 1;
        memset(t->model.params + t->model.w_off[last], 0, t->model.layer_params[last] * sizeof(float));
    }
    t->initial_norm = mlp_norms(&t->model, t->model.params, NULL);
    optim_create(&t->opt, ok, t->model.n_params, c->train.lr, c->train.weight_decay, c->train.betas[0],
                 c->train.betas[1], c->train.eps, c->train.momentum);

    int batch = c->train.batch_size > 0 ? (int)c->train.batch_size : tr->n;
    if (batch > tr->n) batch = tr->n;
    int chunk = (int)c->train.test_batch_size;
    mlp_acts_create(&t->batch_acts, &t->model, batch);
    mlp_acts_create(&t->eval_acts, &t->model, chunk);
    t->perm = gi_malloc((size_t)tr->n * sizeof(int));
    int n_all = tr->n > ev->n ? tr->n : ev->n;
    t->all_rows = gi_malloc((size_t)n_all * sizeof(int));
    for (int i = 0; i < n_all; i++) t->all_rows[i] = i;
    for (int i = 0; i < tr->n; i++) t->perm[i] = i;
    rng_seed(&t->shuffle_rng, noise_key((uint64_t)c->seed, STREAM_SHUFFLE, 0, 0));
    rng_shuffle_int(&t->shuffle_rng, t->perm, tr->n);
    t->batch_x = gi_malloc((size_t)batch * tr->dim * sizeof(float));
    t->batch_y = gi_malloc((size_t)(batch > chunk ? batch : chunk));
    return 0;
}

void trainer_free(trainer *t) {
    for (int s = 0; s < 2; s++) { dataset_free(&t->sets[s]); sparse_free(&t->sparse[s]); }
    mlp_free(&t->model);
    optim_free(&t->opt);
    mlp_acts_free(&t->batch_acts);
    mlp_acts_free(&t->eval_acts);
    free(t->perm); free(t->all_rows); free(t->batch_x); free(t->batch_y);
    memset(t, 0, sizeof *t);
}

/* The inputs of rows idx[0..rows) of a subset, sparse or gathered dense. */
static mlp_input batch_input(trainer *t, int subset, const int *idx, int rows, int contiguous_from) {
    mlp_input in = {.rows = rows};
    const dataset *d = &t->sets[subset];
    if (t->use_sparse) {
        in.sparse = &t->sparse[subset];
        in.idx = idx;
    } else if (contiguous_from >= 0) {
        in.dense = d->x + (size_t)contiguous_from * d->dim;
    } else {
        for (int r = 0; r < rows; r++)
            memcpy(t->batch_x + (size_t)r * d->dim, d->x + (size_t)idx[r] * d->dim, (size_t)d->dim * sizeof(float));
        in.dense = t->batch_x;
    }
    return in;
}

int trainer_step(trainer *t, gi_err *e) {
    const dataset *tr = &t->sets[SUBSET_TRAIN];
    int rows = t->batch_acts.max_rows;
    if (t->pos >= tr->n) { rng_shuffle_int(&t->shuffle_rng, t->perm, tr->n); t->pos = 0; }
    if (rows > tr->n - t->pos) rows = tr->n - t->pos; /* a short last batch, as DataLoader's drop_last=False */
    const int *idx = t->perm + t->pos;
    t->pos += rows;
    for (int r = 0; r < rows; r++) t->batch_y[r] = tr->y[idx[r]];
    mlp_input in = batch_input(t, SUBSET_TRAIN, idx, rows, -1);
    mlp_noise noise = {t->cfg.model.noise ? (float)t->cfg.mi.sigma : 0.0f,
                       noise_key((uint64_t)t->cfg.seed, STREAM_TRAIN_NOISE, (uint64_t)t->step, 0), 0, 0};
    mlp *m = &t->model;
    int C = m->dims[m->n_layers];
    mlp_forward(m, &in, &noise, &t->batch_acts);
    const float *logits = t->batch_acts.a[m->n_layers - 1];
    loss_stats st = loss_forward(t->loss, logits, t->batch_y, rows, C);
    t->last_batch_loss = loss_mean(t->loss, st, rows, C);
    if (!isfinite(t->last_batch_loss))
        return gi_fail(e, "step %lld: the training loss is %g (diverged)", (long long)t->step, t->last_batch_loss);
    loss_backward(t->loss, logits, t->batch_y, rows, C, t->batch_acts.dlogits);
    memset(m->grads, 0, m->n_params * sizeof(float));
    mlp_backward(m, &in, &t->batch_acts);
    optim_step(&t->opt, m->params, m->grads);
    if (t->cfg.train.fix_weight_norm) {
        /* the init-scale experiments: the global norm held at its initial value */
        double norm = mlp_norms(m, m->params, NULL);
        if (norm > 0) {
            float scale = (float)(t->initial_norm / norm);
            for (size_t i = 0; i < m->n_params; i++) m->params[i] *= scale;
        }
    }
    t->step++;
    return 0;
}

/* Forward over a whole subset in chunks: loss, accuracy, logits moments, dead units; for the
 * training subset also the full-set gradient (accumulated chunk by chunk into model.grads). */
static void evaluate_subset(trainer *t, int subset, metrics_row *row, int with_grad) {
    mlp *m = &t->model;
    const dataset *d = &t->sets[subset];
    int L = m->n_layers, C = m->dims[L], chunk = t->eval_acts.max_rows;
    unsigned char *alive_mem = gi_calloc((size_t)L * m->dims[1] + 1, 1), *alive[MLP_MAX_LAYERS];
    for (int l = 0; l < L - 1; l++) alive[l] = alive_mem + (size_t)l * m->dims[1];
    double loss_sum = 0.0, lsum = 0.0, lsq = 0.0;
    int correct = 0;
    if (with_grad) memset(m->grads, 0, m->n_params * sizeof(float));
    for (int r0 = 0; r0 < d->n; r0 += chunk) {
        int rows = d->n - r0 < chunk ? d->n - r0 : chunk;
        mlp_input in = batch_input(t, subset, t->all_rows + r0, rows, r0);
        mlp_noise noise = {t->cfg.model.noise ? (float)t->cfg.mi.sigma : 0.0f,
                           noise_key((uint64_t)t->cfg.seed, STREAM_EVAL_NOISE, (uint64_t)t->step, (uint64_t)subset),
                           (uint64_t)r0, 0};
        mlp_forward(m, &in, &noise, &t->eval_acts);
        const float *logits = t->eval_acts.a[L - 1];
        loss_stats st = loss_forward(t->loss, logits, d->y + r0, rows, C);
        loss_sum += st.sum;
        correct += st.correct;
        for (size_t i = 0; i < (size_t)rows * C; i++) { lsum += logits[i]; lsq += (double)logits[i] * logits[i]; }
        mlp_mark_alive(m, &t->eval_acts, rows, alive);
        for (int l = 0; l < L; l++)
            if (t->capture[subset][l])
                memcpy(t->capture[subset][l] + (size_t)r0 * m->dims[l + 1], t->eval_acts.a[l],
                       (size_t)rows * m->dims[l + 1] * sizeof(float));
        if (with_grad) {
            loss_backward(t->loss, logits, d->y + r0, rows, C, t->eval_acts.dlogits);
            /* loss_backward averages over this chunk; rescale to the mean over the whole subset */
            float scale = (float)rows / d->n;
            for (size_t i = 0; i < (size_t)rows * C; i++) t->eval_acts.dlogits[i] *= scale;
            mlp_backward(m, &in, &t->eval_acts);
        }
    }
    row->loss[subset] = loss_mean(t->loss, (loss_stats){loss_sum, correct}, d->n, C);
    row->acc[subset] = (double)correct / d->n;
    double cnt = (double)d->n * C;
    row->logits_mean[subset] = lsum / cnt;
    row->logits_var[subset] = lsq / cnt - (lsum / cnt) * (lsum / cnt);
    for (int l = 0; l < L - 1; l++) {
        int dead = 0;
        for (int j = 0; j < m->dims[l + 1]; j++) dead += !alive[l][j];
        row->dead[subset][l] = dead;
    }
    free(alive_mem);
}

/* A forward pass over a whole subset in chunks (noise NULL: none), each layer's output into out[l]. */
static void layers_forward(trainer *t, int subset, const mlp_noise *noise, float *const *out) {
    mlp *m = &t->model;
    const dataset *d = &t->sets[subset];
    int chunk = t->eval_acts.max_rows;
    for (int r0 = 0; r0 < d->n; r0 += chunk) {
        int rows = d->n - r0 < chunk ? d->n - r0 : chunk;
        mlp_input in = batch_input(t, subset, t->all_rows + r0, rows, r0);
        mlp_noise chunk_noise;
        if (noise) chunk_noise = *noise, chunk_noise.row_offset = (uint64_t)r0;
        mlp_forward(m, &in, noise ? &chunk_noise : NULL, &t->eval_acts);
        for (int l = 0; l < m->n_layers; l++)
            if (out[l]) memcpy(out[l] + (size_t)r0 * m->dims[l + 1], t->eval_acts.a[l], (size_t)rows * m->dims[l + 1] * sizeof(float));
    }
}

void trainer_layers_clean(trainer *t, int subset, float *const *out) { layers_forward(t, subset, NULL, out); }

void trainer_layers_redraw(trainer *t, int subset, int draw, float *const *out) {
    mlp_noise noise = {t->cfg.model.noise ? (float)t->cfg.mi.sigma : 0.0f,
                       noise_key((uint64_t)t->cfg.seed, STREAM_EVAL_REDRAW, (uint64_t)t->step,
                                 (uint64_t)subset << 32 | (uint32_t)draw),
                       0, 0};
    layers_forward(t, subset, &noise, out);
}

void trainer_evaluate(trainer *t, metrics_row *row) {
    memset(row, 0, sizeof *row);
    row->step = t->step;
    evaluate_subset(t, SUBSET_TRAIN, row, 1);
    mlp_norms(&t->model, t->model.grads, row->grad_norm);
    memset(t->model.grads, 0, t->model.n_params * sizeof(float));
    evaluate_subset(t, SUBSET_EVAL, row, 0);
    row->weight_norm = mlp_norms(&t->model, t->model.params, row->layer_norm);
}

int trainer_params_finite(const trainer *t) {
    for (size_t i = 0; i < t->model.n_params; i++)
        if (!isfinite(t->model.params[i])) return 0;
    return 1;
}
