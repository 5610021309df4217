#include "train/metrics.h"
#include <math.h>

const char *const subset_name[2] = {[SUBSET_TRAIN] = "train", [SUBSET_EVAL] = "eval"};

void metrics_header(FILE *f, int L) {
    fprintf(f, "step,train_loss,train_acc,eval_loss,eval_acc,weight_norm");
    for (int l = 0; l < L; l++) fprintf(f, ",weight_norm_l%d", l + 1);
    for (int l = 0; l < L; l++) fprintf(f, ",grad_norm_l%d", l + 1);
    fprintf(f, ",train_logits_mean,train_logits_var,eval_logits_mean,eval_logits_var");
    for (int s = 0; s < 2; s++)
        for (int l = 0; l < L - 1; l++) fprintf(f, ",dead_%s_l%d", subset_name[s], l + 1);
    fprintf(f, ",seconds\n");
}

void metrics_write_row(FILE *f, const metrics_row *r, int L) {
    fprintf(f, "%lld,%.9g,%.6g,%.9g,%.6g,%.9g", (long long)r->step, r->loss[0], r->acc[0], r->loss[1],
            r->acc[1], r->weight_norm);
    for (int l = 0; l < L; l++) fprintf(f, ",%.9g", r->layer_norm[l]);
    for (int l = 0; l < L; l++) fprintf(f, ",%.9g", r->grad_norm[l]);
    fprintf(f, ",%.9g,%.9g,%.9g,%.9g", r->logits_mean[0], r->logits_var[0], r->logits_mean[1], r->logits_var[1]);
    for (int s = 0; s < 2; s++)
        for (int l = 0; l < L - 1; l++) fprintf(f, ",%d", r->dead[s][l]);
    fprintf(f, ",%.3f\n", r->seconds);
}

double mlp_norms(const mlp *m, const float *v, double *per_layer) {
    double total = 0.0;
    for (int l = 0; l < m->n_layers; l++) {
        const float *p = v + m->w_off[l];
        double s = 0.0;
        for (size_t i = 0; i < m->layer_params[l]; i++) s += (double)p[i] * p[i];
        if (per_layer) per_layer[l] = sqrt(s);
        total += s;
    }
    return sqrt(total);
}
