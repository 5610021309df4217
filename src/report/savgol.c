#include "report/savgol.h"
#include <math.h>
#include <stdlib.h>

/* Solves the (order+1)-square system G x = r in place by Gaussian elimination with partial pivoting. */
static void solve(int n, double G[][SAVGOL_MAX_ORDER + 1], double *r) {
    for (int c = 0; c < n; c++) {
        int p = c;
        for (int i = c + 1; i < n; i++)
            if (fabs(G[i][c]) > fabs(G[p][c])) p = i;
        for (int j = 0; j < n; j++) { double t = G[c][j]; G[c][j] = G[p][j]; G[p][j] = t; }
        double t = r[c]; r[c] = r[p]; r[p] = t;
        for (int i = c + 1; i < n; i++) {
            double f = G[i][c] / G[c][c];
            for (int j = c; j < n; j++) G[i][j] -= f * G[c][j];
            r[i] -= f * r[c];
        }
    }
    for (int c = n - 1; c >= 0; c--) {
        for (int j = c + 1; j < n; j++) r[c] -= G[c][j] * r[j];
        r[c] /= G[c][c];
    }
}

void savgol_weights(int window, int order, int deriv, int at, double *w) {
    int np = order + 1;
    /* local coordinate t = (k - at) / h keeps the Gram matrix well conditioned */
    double h = window > 1 ? 0.5 * (window - 1) : 1.0;
    double G[SAVGOL_MAX_ORDER + 1][SAVGOL_MAX_ORDER + 1] = {{0}}, x[SAVGOL_MAX_ORDER + 1] = {0};
    for (int k = 0; k < window; k++) {
        double t = (k - at) / h, tp = 1.0;
        double pw[2 * SAVGOL_MAX_ORDER + 1];
        for (int p = 0; p < 2 * np - 1; p++) { pw[p] = tp; tp *= t; }
        for (int p = 0; p < np; p++)
            for (int q = 0; q < np; q++) G[p][q] += pw[p + q];
    }
    /* the estimate is coefficient `deriv` of the fit: row `deriv` of G^-1 A^T (G is symmetric) */
    x[deriv] = 1.0;
    solve(np, G, x);
    for (int k = 0; k < window; k++) {
        double t = (k - at) / h, tp = 1.0, s = 0.0;
        for (int q = 0; q < np; q++) { s += x[q] * tp; tp *= t; }
        w[k] = deriv ? s / h : s;
    }
}

int savgol(const double *y, int n, int window, int order, int deriv, double *out, gi_err *e) {
    if (window < 1 || window % 2 == 0) return gi_fail(e, "savgol: window %d must be odd and positive", window);
    if (order < 0 || order >= window || order > SAVGOL_MAX_ORDER)
        return gi_fail(e, "savgol: order %d must be in 0..%d and below the window %d", order, SAVGOL_MAX_ORDER, window);
    if (deriv < 0 || deriv > 1 || deriv > order) return gi_fail(e, "savgol: derivative %d needs 0 or 1 and <= order", deriv);
    if (n < window) return gi_fail(e, "savgol: %d samples, fewer than the window %d", n, window);
    int m = window / 2;
    double *w = gi_malloc((size_t)window * sizeof(double));
    savgol_weights(window, order, deriv, m, w);
    for (int i = m; i < n - m; i++) {
        double s = 0.0;
        for (int k = 0; k < window; k++) s += w[k] * y[i - m + k];
        out[i] = s;
    }
    for (int at = 0; at < m; at++) {
        savgol_weights(window, order, deriv, at, w);
        double s = 0.0;
        for (int k = 0; k < window; k++) s += w[k] * y[k];
        out[at] = s;
        savgol_weights(window, order, deriv, window - 1 - at, w);
        s = 0.0;
        for (int k = 0; k < window; k++) s += w[k] * y[n - window + k];
        out[n - 1 - at] = s;
    }
    free(w);
    return 0;
}
