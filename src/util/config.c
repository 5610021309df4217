/* config.c — one table of options; files (libyaml events) and overrides both go through
 * config_set, which parses the text for the option's type and checks its bounds. */
#include "util/config.h"
#include "util/config_text.h"
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum { T_INT, T_DBL, T_BOOL, T_STR, T_ENUM, T_DBL2 };
enum { LO_OPEN = 1, HI_OPEN = 2, NULLABLE = 4, UNUSED = 8, FALSE_ONLY = 16 };

typedef struct {
    const char *name;    /* dotted key */
    int type;
    size_t off, size;    /* where the value lives in gi_config */
    const char *def;     /* default, written as in a YAML file */
    double lo, hi;       /* numeric bounds (closed unless LO_OPEN/HI_OPEN) */
    int flags;
    const char *allowed; /* enums: "A|B|C", canonical spellings */
} option;

#define FLD(f) offsetof(gi_config, f), sizeof(((gi_config *)0)->f)
#define ANY (-INFINITY), INFINITY
#define GE(x) (x), INFINITY

/* Ordered by section: config_write_yaml relies on each section being contiguous. */
static const option options[] = {
    {"seed", T_INT, FLD(seed), "0", ANY, 0, NULL},
    {"custom_run_name", T_STR, FLD(custom_run_name), "null", ANY, NULLABLE, NULL},
    {"project_name", T_STR, FLD(project_name), "grokking-mnist-infoplane", ANY, 0, NULL},
    {"download_directory", T_STR, FLD(download_directory), "./", ANY, UNUSED, NULL},
    {"model.initialization_scale", T_DBL, FLD(model.initialization_scale), "8.0", ANY, 0, NULL},
    {"model.width", T_INT, FLD(model.width), "200", GE(1), 0, NULL},
    {"model.depth", T_INT, FLD(model.depth), "3", GE(1), 0, NULL},
    {"model.activation", T_ENUM, FLD(model.activation), "ReLU", ANY, 0,
     "ReLU|Tanh|Sigmoid|GELU|LeakyReLU|Identity"},
    {"model.noise", T_BOOL, FLD(model.noise), "true", ANY, 0, NULL},
    {"model.output_bias", T_BOOL, FLD(model.output_bias), "true", ANY, 0, NULL},
    {"model.zero_init_last", T_BOOL, FLD(model.zero_init_last), "false", ANY, 0, NULL},
    {"train.freqLog", T_INT, FLD(train.freqLog), "1000", GE(1), 0, NULL},
    {"train.n_first_steps_to_log", T_INT, FLD(train.n_first_steps_to_log), "30", GE(0), 0, NULL},
    {"train.optimization_steps", T_INT, FLD(train.optimization_steps), "100000", GE(0), 0, NULL},
    {"train.batch_size", T_INT, FLD(train.batch_size), "200", GE(0), 0, NULL},
    {"train.test_batch_size", T_INT, FLD(train.test_batch_size), "400", GE(1), 0, NULL},
    {"train.train_points", T_INT, FLD(train.train_points), "1000", GE(1), 0, NULL},
    {"train.loss_function", T_ENUM, FLD(train.loss_function), "MSE", ANY, 0, "MSE|CrossEntropy"},
    {"train.optimizer", T_ENUM, FLD(train.optimizer), "AdamW", ANY, 0, "AdamW|Adam|SGD"},
    {"train.weight_decay", T_DBL, FLD(train.weight_decay), "1e-2", GE(0), 0, NULL},
    {"train.lr", T_DBL, FLD(train.lr), "1e-3", GE(0), LO_OPEN, NULL},
    {"train.betas", T_DBL2, FLD(train.betas), "[0.9, 0.999]", 0, 1, HI_OPEN, NULL},
    {"train.eps", T_DBL, FLD(train.eps), "1e-8", GE(0), LO_OPEN, NULL},
    {"train.momentum", T_DBL, FLD(train.momentum), "0.0", GE(0), 0, NULL},
    {"train.eval_schedule", T_ENUM, FLD(train.eval_schedule), "seed", ANY, 0, "seed|log"},
    {"train.eval_points", T_INT, FLD(train.eval_points), "100", GE(2), 0, NULL},
    {"train.threads", T_INT, FLD(train.threads), "0", GE(0), 0, NULL},
    {"train.save_step_checkpoints", T_BOOL, FLD(train.save_step_checkpoints), "true", ANY, 0, NULL},
    {"train.fix_weight_norm", T_BOOL, FLD(train.fix_weight_norm), "false", ANY, 0, NULL},
    {"train.first_layer", T_ENUM, FLD(train.first_layer), "auto", ANY, 0, "auto|sparse|dense"},
    {"data.name", T_ENUM, FLD(data.name), "mnist", ANY, 0, "mnist|modular"},
    {"data.path", T_STR, FLD(data.path), "''", ANY, 0, NULL},
    {"data.normalize_mean", T_DBL, FLD(data.normalize_mean), "0.1307", ANY, 0, NULL},
    {"data.normalize_std", T_DBL, FLD(data.normalize_std), "0.3081", GE(0), LO_OPEN, NULL},
    {"data.p", T_INT, FLD(data.p), "97", 2, 255, 0, NULL},
    {"data.op", T_ENUM, FLD(data.op), "add", ANY, 0, "add|sub|mul|div"},
    {"data.train_fraction", T_DBL, FLD(data.train_fraction), "0.4", 0, 1, LO_OPEN | HI_OPEN, NULL},
    {"mi.enabled", T_BOOL, FLD(mi.enabled), "true", ANY, 0, NULL},
    {"mi.sigma", T_DBL, FLD(mi.sigma), "1e-3", GE(0), 0, NULL},
    {"mi.agn_relative_scale", T_BOOL, FLD(mi.agn_relative_scale), "false", ANY, FALSE_ONLY, NULL},
    /* auto, then measure/mi.c's estimator table in its order (util cannot include measure:
     * tests/test_estimator_table.c holds the two together) */
    {"mi.estimator", T_ENUM, FLD(mi.estimator), "auto", ANY, 0, "auto|ksg|kl|wkl|wkl-pooled|kde|gauss|gcmi|noise"},
    {"mi.k", T_INT, FLD(mi.k), "0", GE(0), 0, NULL},
    {"mi.entropy_estimator_params.method", T_ENUM, FLD(mi.method), "KL", ANY, 0, "KL|KDE"},
    {"mi.entropy_estimator_params.functional_params.n_jobs", T_INT, FLD(mi.n_jobs), "4", ANY, UNUSED, NULL},
    {"mi.entropy_estimator_params.functional_params.k_neighbours", T_INT, FLD(mi.k_neighbours), "20",
     GE(1), 0, NULL},
    {"mi.entropy_estimator_params.rescale", T_BOOL, FLD(mi.rescale), "true", ANY, 0, NULL},
    {"mi.compression", T_ENUM, FLD(mi.compression), "pca", ANY, 0,
     "pca|autoencoders|autoencoder|first_coords|smi"},
    {"mi.x_compression", T_ENUM, FLD(mi.x_compression), "autoencoder", ANY, 0, "autoencoder|pca"},
    {"mi.n_projections", T_INT, FLD(mi.n_projections), "1000", GE(1), 0, NULL},
    {"mi.eval_points", T_INT, FLD(mi.eval_points), "0", GE(0), 0, NULL},
    {"mi.check", T_BOOL, FLD(mi.check), "true", ANY, 0, NULL},
    {"mi.check_k", T_INT, FLD(mi.check_k), "5", GE(1), 0, NULL},
    {"mi.standardize", T_BOOL, FLD(mi.standardize), "false", ANY, 0, NULL},
    {"mi.noise_model", T_BOOL, FLD(mi.noise_model), "false", ANY, 0, NULL},
    {"mi.noise_sigma_rel", T_DBL, FLD(mi.noise_sigma_rel), "0.0", GE(0), 0, NULL},
    {"mi.noise_draws", T_INT, FLD(mi.noise_draws), "8", GE(1), 0, NULL},
    {"mi.noise_redraws", T_INT, FLD(mi.noise_redraws), "0", GE(0), 0, NULL},
    {"mi.noise_redraws_from", T_INT, FLD(mi.noise_redraws_from), "30", GE(0), 0, NULL},
    {"mi.pca.whiten_flag", T_BOOL, FLD(mi.pca_whiten), "true", ANY, 0, NULL},
    {"mi.filter_mi_plots_flag", T_BOOL, FLD(mi.filter_mi_plots), "false", ANY, UNUSED, NULL},
    {"ae.L_latent_dim", T_INT, FLD(ae.L_latent_dim), "4", GE(1), 0, NULL},
    {"ae.encoder_path", T_STR, FLD(ae.encoder_path), "''", ANY, UNUSED, NULL},
    {"ae.decoder_path", T_STR, FLD(ae.decoder_path), "''", ANY, UNUSED, NULL},
    {"ae.hidden", T_INT, FLD(ae.hidden), "256", GE(1), 0, NULL},
    {"ae.epochs", T_INT, FLD(ae.epochs), "30", GE(1), 0, NULL},
    {"ae.batch_size", T_INT, FLD(ae.batch_size), "128", GE(1), 0, NULL},
    {"ae.lr", T_DBL, FLD(ae.lr), "1e-3", GE(0), LO_OPEN, NULL},
    {"ae.latent_noise", T_DBL, FLD(ae.latent_noise), "0.1", GE(0), 0, NULL},
    {"oinfo.enabled", T_BOOL, FLD(oinfo.enabled), "false", ANY, 0, NULL},
    {"oinfo.every", T_INT, FLD(oinfo.every), "1", GE(1), 0, NULL},
    {"oinfo.subset", T_ENUM, FLD(oinfo.subset), "train", ANY, 0, "train|eval"},
    {"oinfo.clusters", T_INT, FLD(oinfo.clusters), "10", 2, 16, 0, NULL},
    {"oinfo.greedy_max", T_INT, FLD(oinfo.greedy_max), "0", GE(0), 0, NULL},
    {"oinfo.bias_correct", T_BOOL, FLD(oinfo.bias_correct), "false", ANY, 0, NULL},
    {"oinfo.ties", T_ENUM, FLD(oinfo.ties), "index", ANY, 0, "index|random|average"},
    {"oinfo.ties_check", T_ENUM, FLD(oinfo.ties_check), "none", ANY, 0, "none|index|random|average"},
    {"plot.enabled", T_BOOL, FLD(plot.enabled), "true", ANY, 0, NULL},
    {"summary.train_acc", T_DBL, FLD(summary.train_acc), "0.99", 0, 1, 0, NULL},
    {"summary.eval_acc", T_DBL, FLD(summary.eval_acc), "0.5", 0, 1, 0, NULL},
    {"phases.min_step", T_INT, FLD(phases.min_step), "30", GE(1), 0, NULL},
    {"phases.min_decades", T_DBL, FLD(phases.min_decades), "0.15", GE(0), 0, NULL},
    {"phases.min_points", T_INT, FLD(phases.min_points), "3", GE(2), 0, NULL},
    {"phases.penalty", T_DBL, FLD(phases.penalty), "1.0", GE(0), 0, NULL},
    {"phases.z", T_DBL, FLD(phases.z), "3.0", GE(0), 0, NULL},
    {"phases.min_change", T_DBL, FLD(phases.min_change), "0.1", GE(0), 0, NULL},
    {"phases.z_flat", T_DBL, FLD(phases.z_flat), "2.0", GE(0), 0, NULL},
};
#define N_OPTIONS (sizeof options / sizeof options[0])

/* ---- small helpers ---- */

/* "WHERE: KEY: message" (WHERE omitted when NULL). */
static int fail_key(gi_err *e, const char *where, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int fail_key(gi_err *e, const char *where, const char *key, const char *fmt, ...) {
    char msg[GI_ERRLEN];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (where) return gi_fail(e, "%s: %s: %s", where, key, msg);
    return gi_fail(e, "%s: %s", key, msg);
}

static const option *find_option(const char *key) {
    for (size_t i = 0; i < N_OPTIONS; i++)
        if (!strcmp(options[i].name, key)) return &options[i];
    return NULL;
}

/* The first option inside section `key` (e.g. "train" -> train.freqLog), or NULL. */
static const option *section_member(const char *key) {
    size_t n = strlen(key);
    for (size_t i = 0; i < N_OPTIONS; i++)
        if (n && !strncmp(options[i].name, key, n) && options[i].name[n] == '.') return &options[i];
    return NULL;
}

static int unknown_key(const char *key, const char *where, gi_err *e) {
    const char *pre = where ? where : "", *sep = where ? ": " : "";
    const option *m = section_member(key);
    if (m) return gi_fail(e, "%s%s%s: is a section, not a value (e.g. '%s')", pre, sep, key, m->name);
    /* A bare last component ("lr") suggests its full key; otherwise the nearest by edit distance. */
    const char *best = NULL;
    size_t bestd = (size_t)-1, n = strlen(key);
    for (size_t i = 0; i < N_OPTIONS; i++) {
        const char *name = options[i].name;
        size_t ln = strlen(name);
        size_t d = (ln > n && name[ln - n - 1] == '.' && !strcmp(name + ln - n, key)) ? 0
                                                                                    : edit_distance(key, name);
        if (d < bestd) bestd = d, best = name;
    }
    return gi_fail(e, "%s%sunknown config key '%.100s' (did you mean '%s'?)", pre, sep, key, best);
}

static int is_null_word(const char *s) {
    return !*s || !strcmp(s, "~") || !strcmp(s, "null") || !strcmp(s, "Null") || !strcmp(s, "NULL");
}

/* Copies a number without its '_' separators; only digits, sign, '.', exponent (no inf/nan/hex). */
static int clean_number(const char *s, char *buf, size_t size) {
    size_t n = 0;
    for (; *s; s++) {
        if (*s == '_') continue;
        if (!strchr("0123456789+-.eE", *s) || n + 1 >= size) return -1;
        buf[n++] = *s;
    }
    buf[n] = 0;
    return n ? 0 : -1;
}

static int parse_number(const char *s, double *out) {
    char buf[80], *end;
    if (clean_number(s, buf, sizeof buf)) return -1;
    *out = strtod(buf, &end);
    return *end || !isfinite(*out) ? -1 : 0;
}

/* Integers also accept whole floats such as 1e5. */
static int parse_int(const char *s, int64_t *out) {
    char buf[80], *end;
    double v;
    if (clean_number(s, buf, sizeof buf) || parse_number(buf, &v)) return -1;
    if (strpbrk(buf, ".eE")) {
        if (v != floor(v) || fabs(v) >= 9.2e18) return -1;
        *out = (int64_t)v;
        return 0;
    }
    errno = 0;
    long long x = strtoll(buf, &end, 10);
    if (*end || errno) return -1;
    *out = x;
    return 0;
}

static int parse_bool(const char *s, int *out) {
    static const char *yes[] = {"true", "yes", "on", "1"}, *no[] = {"false", "no", "off", "0"};
    for (int i = 0; i < 4; i++) {
        if (!strcasecmp(s, yes[i])) return *out = 1, 0;
        if (!strcasecmp(s, no[i])) return *out = 0, 0;
    }
    return -1;
}

static int in_bounds(double v, double lo, double hi, int flags) {
    int lo_ok = (flags & LO_OPEN) ? v > lo : v >= lo;
    int hi_ok = (flags & HI_OPEN) ? v < hi : v <= hi;
    return lo_ok && hi_ok;
}

/* " >= 1", " > 0", " in [0, 1)" or "" */
static void describe_bounds(char *buf, size_t n, double lo, double hi, int flags) {
    if (isinf(lo) && isinf(hi)) snprintf(buf, n, "%s", "");
    else if (isinf(hi)) snprintf(buf, n, " %s %.15g", (flags & LO_OPEN) ? ">" : ">=", lo);
    else if (isinf(lo)) snprintf(buf, n, " %s %.15g", (flags & HI_OPEN) ? "<" : "<=", hi);
    else snprintf(buf, n, " in %c%.15g, %.15g%c", (flags & LO_OPEN) ? '(' : '[', lo, hi, (flags & HI_OPEN) ? ')' : ']');
}

/* "A|B|C" -> "A, B, C" */
static void describe_allowed(char *buf, size_t n, const char *allowed) {
    size_t k = 0;
    for (const char *p = allowed; *p && k + 3 < n; p++) {
        if (*p == '|') buf[k++] = ',', buf[k++] = ' ';
        else buf[k++] = *p;
    }
    buf[k] = 0;
}

/* The canonical spelling of s among "A|B|C" (exact match first, then case-insensitive). */
static const char *match_enum(const char *allowed, const char *s, char *tmp, size_t n) {
    for (int pass = 0; pass < 2; pass++) {
        for (const char *p = allowed; *p;) {
            size_t len = strcspn(p, "|");
            if (len < n) {
                memcpy(tmp, p, len);
                tmp[len] = 0;
                if (pass == 0 ? !strcmp(tmp, s) : !strcasecmp(tmp, s)) return tmp;
            }
            p += len + (p[len] == '|');
        }
    }
    return NULL;
}

/* Integer bounds include the range of the field's C type. */
static void int_bounds(const option *o, double *lo, double *hi) {
    *lo = o->lo, *hi = o->hi;
    if (o->size == sizeof(int)) {
        if (*lo < INT_MIN) *lo = INT_MIN;
        if (*hi > INT_MAX) *hi = INT_MAX;
    }
}

/* Parses text (already unquoted; `quoted` says it was a quoted YAML scalar) into the field. */
static int set_value(gi_config *c, const option *o, const char *v, int quoted, const char *where, gi_err *e) {
    char *field = (char *)c + o->off, bounds[64], tmp[96];
    if (!quoted && (v[0] == '[' || v[0] == '{') && o->type != T_DBL2)
        return fail_key(e, where, o->name, "expected a single value, got '%.80s'", v);
    switch (o->type) {
    case T_INT: {
        int64_t x;
        double lo, hi;
        if (parse_int(v, &x)) return fail_key(e, where, o->name, "expected an integer, got '%.80s'", v);
        int_bounds(o, &lo, &hi);
        if (!in_bounds((double)x, lo, hi, o->flags)) {
            describe_bounds(bounds, sizeof bounds, lo, hi, o->flags);
            return fail_key(e, where, o->name, "expected an integer%s, got '%.80s'", bounds, v);
        }
        if (o->size == sizeof(int)) *(int *)field = (int)x;
        else *(int64_t *)field = x;
        return 0;
    }
    case T_DBL: {
        double x;
        if (parse_number(v, &x)) return fail_key(e, where, o->name, "expected a number, got '%.80s'", v);
        if (!in_bounds(x, o->lo, o->hi, o->flags)) {
            describe_bounds(bounds, sizeof bounds, o->lo, o->hi, o->flags);
            return fail_key(e, where, o->name, "expected a number%s, got '%.80s'", bounds, v);
        }
        *(double *)field = x;
        return 0;
    }
    case T_BOOL: {
        int b;
        if (parse_bool(v, &b)) return fail_key(e, where, o->name, "expected true or false, got '%.80s'", v);
        if (b && (o->flags & FALSE_ONLY)) return fail_key(e, where, o->name, "only false is supported");
        *(int *)field = b;
        return 0;
    }
    case T_STR: {
        if (!quoted && is_null_word(v)) {
            if (!(o->flags & NULLABLE)) return fail_key(e, where, o->name, "expected a string, got null");
            v = "";
        }
        size_t n = strlen(v);
        if (n >= o->size) return fail_key(e, where, o->name, "string too long (%zu > %zu characters)", n, o->size - 1);
        for (const char *p = v; *p; p++)
            if ((unsigned char)*p < 0x20) return fail_key(e, where, o->name, "control characters are not allowed");
        memset(field, 0, o->size);
        memcpy(field, v, n);
        return 0;
    }
    case T_ENUM: {
        const char *canon = match_enum(o->allowed, v, tmp, sizeof tmp);
        if (!canon) {
            char list[256];
            describe_allowed(list, sizeof list, o->allowed);
            return fail_key(e, where, o->name, "'%.80s' is not one of %s", v, list);
        }
        memset(field, 0, o->size);
        memcpy(field, canon, strlen(canon));
        return 0;
    }
    case T_DBL2: {
        char buf[160], *items[3];
        size_t n = strlen(v), k = 0;
        describe_bounds(bounds, sizeof bounds, o->lo, o->hi, o->flags);
        if (quoted || n < 2 || n >= sizeof buf || v[0] != '[' || v[n - 1] != ']')
            return fail_key(e, where, o->name, "expected a list of 2 numbers%s, got '%.80s'", bounds, v);
        memcpy(buf, v + 1, n - 2);
        buf[n - 2] = 0;
        for (char *tok = strtok(buf, ","); tok && k < 3; tok = strtok(NULL, ",")) items[k++] = tok;
        double x[2];
        for (size_t i = 0; i < k && k == 2; i++) {
            while (isspace((unsigned char)*items[i])) items[i]++;
            char *end = items[i] + strlen(items[i]);
            while (end > items[i] && isspace((unsigned char)end[-1])) *--end = 0;
            if (parse_number(items[i], &x[i]) || !in_bounds(x[i], o->lo, o->hi, o->flags)) k = 0;
        }
        if (k != 2) return fail_key(e, where, o->name, "expected a list of 2 numbers%s, got '%.80s'", bounds, v);
        memcpy(field, x, sizeof x);
        return 0;
    }
    }
    return fail_key(e, where, o->name, "internal error: bad option type");
}

/* Trims `value` and strips YAML quotes ('it''s', "a\"b") into buf; *quoted says there were some. */
static int unquote(const char *value, char *buf, size_t size, int *quoted) {
    while (isspace((unsigned char)*value)) value++;
    size_t n = strlen(value), k = 0;
    while (n && isspace((unsigned char)value[n - 1])) n--;
    if (n >= size) return -1;
    *quoted = n >= 2 && (value[0] == '\'' || value[0] == '"') && value[n - 1] == value[0];
    if (!*quoted) {
        memcpy(buf, value, n);
        buf[n] = 0;
        return 0;
    }
    for (size_t i = 1; i + 1 < n; i++) {
        if (value[0] == '\'' && value[i] == '\'' && value[i + 1] == '\'') i++;
        else if (value[0] == '"' && value[i] == '\\' && i + 2 < n) {
            i++;
            buf[k++] = value[i] == 'n' ? '\n' : value[i] == 't' ? '\t' : value[i];
            continue;
        }
        buf[k++] = value[i];
    }
    buf[k] = 0;
    return 0;
}

/* ---- public API ---- */

void config_defaults(gi_config *c) {
    memset(c, 0, sizeof *c);
    for (size_t i = 0; i < N_OPTIONS; i++) {
        char buf[64];
        int quoted = 0;
        unquote(options[i].def, buf, sizeof buf, &quoted);
        set_value(c, &options[i], buf, quoted, NULL, NULL); /* defaults always parse */
    }
}

int config_set(gi_config *c, const char *key, const char *value, const char *where, gi_err *e) {
    const option *o = find_option(key);
    if (!o) return unknown_key(key, where, e);
    char buf[2 * CFG_PATH + 1];
    int quoted;
    if (unquote(value, buf, sizeof buf, &quoted)) return fail_key(e, where, key, "value too long");
    if (set_value(c, o, buf, quoted, where, e)) return -1;
    if (o->flags & UNUSED) {
        for (int i = 0; i < c->n_unused; i++)
            if (!strcmp(c->unused[i], o->name)) return 0;
        if (c->n_unused < CFG_MAX_UNUSED)
            snprintf(c->unused[c->n_unused++], sizeof c->unused[0], "%s", o->name);
    }
    return 0;
}

int config_override(gi_config *c, const char *arg, gi_err *e) {
    const char *a = arg, *eq = strchr(arg, '=');
    if (!eq) return gi_fail(e, "override '%.200s': expected key=value", arg);
    while (*a == '+') a++;
    while (isspace((unsigned char)*a)) a++;
    size_t n = (size_t)(eq - a);
    while (n && isspace((unsigned char)a[n - 1])) n--;
    char key[128];
    if (n >= sizeof key) return gi_fail(e, "override: unknown config key '%.100s...'", a);
    memcpy(key, a, n);
    key[n] = 0;
    return config_set(c, key, eq + 1, "override", e);
}

/* ---- what the YAML loader (config_yaml.c) needs to know of the table ---- */

int config_is_key(const char *key) { return find_option(key) != NULL; }
int config_is_section(const char *key) { return section_member(key) != NULL; }
int config_is_null_word(const char *s) { return is_null_word(s); }

/* ---- writing and naming ---- */

/* An option's value as text: YAML (quoted strings, true/false, null) or Python str() style. */
static void format_value(const gi_config *c, const option *o, int yaml, char *out, size_t n) {
    const char *field = (const char *)c + o->off;
    switch (o->type) {
    case T_INT:
        snprintf(out, n, "%lld", o->size == sizeof(int) ? (long long)*(const int *)field
                                                        : (long long)*(const int64_t *)field);
        break;
    case T_DBL: py_float(*(const double *)field, out, n); break;
    case T_DBL2: {
        char a[40], b[40];
        py_float(((const double *)field)[0], a, sizeof a);
        py_float(((const double *)field)[1], b, sizeof b);
        snprintf(out, n, "[%s, %s]", a, b);
        break;
    }
    case T_BOOL: snprintf(out, n, "%s", *(const int *)field ? (yaml ? "true" : "True") : (yaml ? "false" : "False")); break;
    default:
        if (!yaml) snprintf(out, n, "%s", field);
        else if (!*field && (o->flags & NULLABLE)) snprintf(out, n, "null");
        else if (!yaml_needs_quotes(field)) snprintf(out, n, "%s", field);
        else {
            size_t k = 0;
            out[k++] = '\'';
            for (const char *p = field; *p && k + 3 < n; p++) {
                if (*p == '\'') out[k++] = '\'';
                out[k++] = *p;
            }
            out[k++] = '\'';
            out[k] = 0;
        }
    }
}

int config_n_options(void) { return (int)N_OPTIONS; }

const char *config_option_name(int i) { return i >= 0 && i < (int)N_OPTIONS ? options[i].name : NULL; }

void config_format_value(const gi_config *c, int i, char *out, size_t n) {
    if (i < 0 || i >= (int)N_OPTIONS) { if (n) out[0] = 0; return; }
    format_value(c, &options[i], 0, out, n);
}

int config_write_yaml(const gi_config *c, FILE *f) {
    const char *prev = "";
    char val[2 * CFG_PATH + 8];
    /* keys grokinfo does not use are written only when set to something else than their default,
     * so that reading the file back does not warn about keys nobody set */
    gi_config *d = gi_malloc(sizeof *d);
    config_defaults(d);
    for (size_t i = 0; i < N_OPTIONS; i++) {
        const char *name = options[i].name, *last = strrchr(name, '.');
        if ((options[i].flags & UNUSED) && !memcmp((const char *)c + options[i].off, (const char *)d + options[i].off,
                                                   options[i].size))
            continue;
        /* Open the sections of `name` that differ from those of the previous key. */
        size_t common = 0, depth = 0;
        while (name[common] && name[common] == prev[common]) common++;
        while (common && name[common - 1] != '.') common--;
        for (size_t j = 0; j < common; j++) depth += name[j] == '.';
        if (!common && strchr(name, '.') && i) fputc('\n', f);
        for (const char *p = name + common; last && p <= last;) {
            size_t len = strcspn(p, ".");
            fprintf(f, "%*s%.*s:\n", (int)(2 * depth++), "", (int)len, p);
            p += len + 1;
        }
        format_value(c, &options[i], 1, val, sizeof val);
        fprintf(f, "%*s%s: %s\n", (int)(2 * depth), "", last ? last + 1 : name, val);
        prev = name;
    }
    free(d);
    return ferror(f) ? -1 : 0;
}

int config_run_name(const gi_config *c, char *out, size_t n, gi_err *e) {
    char buf[4 * CFG_STR], val[2 * CFG_PATH + 8];
    size_t k = 0;
    if (!c->custom_run_name[0]) {
        char a[40], wd[40], lr[40];
        py_float(c->model.initialization_scale, a, sizeof a);
        py_float(c->train.weight_decay, wd, sizeof wd);
        py_float(c->train.lr, lr, sizeof lr);
        snprintf(buf, sizeof buf, "%s-a%s-wd%s-lr%s-s%lld", c->data.name, a, wd, lr, (long long)c->seed);
        k = strlen(buf);
    } else {
        for (const char *p = c->custom_run_name; *p;) {
            const char *piece = p;
            size_t len = 1;
            if (p[0] == '$' && p[1] == '{') {
                const char *end = strchr(p, '}');
                if (!end) return gi_fail(e, "custom_run_name: unterminated '${' in '%s'", c->custom_run_name);
                char key[128];
                snprintf(key, sizeof key, "%.*s", (int)(end - p - 2), p + 2);
                const option *o = find_option(key);
                if (!o) return gi_fail(e, "custom_run_name: unknown key '%s' in ${...}", key);
                format_value(c, o, 0, val, sizeof val);
                piece = val, len = strlen(val);
                p = end + 1;
            } else p++;
            if (k + len >= sizeof buf) return gi_fail(e, "custom_run_name: run name too long");
            memcpy(buf + k, piece, len);
            k += len;
        }
    }
    buf[k] = 0;
    for (char *q = buf; *q; q++)
        if (*q == '/' || isspace((unsigned char)*q)) *q = '_';
    if (!strcmp(buf, ".") || !strcmp(buf, "..") || !k)
        return gi_fail(e, "custom_run_name: '%s' is not a valid directory name", buf);
    if (k >= n) return gi_fail(e, "custom_run_name: run name too long (%zu characters)", k);
    memcpy(out, buf, k + 1);
    return 0;
}

uint64_t config_hash(const gi_config *c) {
    char *text = NULL;
    size_t len = 0;
    uint64_t h = 14695981039346656037ULL;
    FILE *f = open_memstream(&text, &len);
    if (!f) return h;
    config_write_yaml(c, f);
    fclose(f);
    for (size_t i = 0; i < len; i++) h = (h ^ (unsigned char)text[i]) * 1099511628211ULL;
    free(text);
    return h;
}

int config_validate(const gi_config *c, gi_err *e) {
    /* Every stored value goes back through the parser: the struct may have been edited directly. */
    gi_config scratch;
    char text[2 * CFG_PATH + 8], buf[2 * CFG_PATH + 8];
    for (size_t i = 0; i < N_OPTIONS; i++) {
        const option *o = &options[i];
        int quoted;
        format_value(c, o, 1, text, sizeof text);
        unquote(text, buf, sizeof buf, &quoted);
        if (set_value(&scratch, o, buf, quoted, NULL, e)) return -1;
        if (o->type == T_ENUM && strcmp((char *)&scratch + o->off, (const char *)c + o->off))
            return gi_fail(e, "%s: '%s' must be spelled '%s'", o->name, buf, (char *)&scratch + o->off);
    }
    int modular = strcmp(c->data.name, "modular") == 0;
    if (!modular && c->train.batch_size > c->train.train_points)
        return gi_fail(e, "train.batch_size (%lld) must be <= train.train_points (%lld), or 0 for full batch",
                       (long long)c->train.batch_size, (long long)c->train.train_points);
    if (modular && c->data.path[0]) return gi_fail(e, "data.path: the modular task makes its own data; leave data.path empty");
    if (modular && c->mi.enabled && strcmp(c->mi.x_compression, "autoencoder") == 0)
        return gi_fail(e, "mi.x_compression: the autoencoder is for images; use pca with data.name=modular");
    int k = c->mi.k > 0 ? c->mi.k : c->mi.k_neighbours;
    if (c->mi.enabled && c->mi.eval_points > 0 && c->mi.eval_points <= k) /* (the upper bound needs the data) */
        return gi_fail(e, "mi.eval_points: %d rows, but the estimator needs more than k = %d", c->mi.eval_points, k);
    if (c->mi.enabled && c->mi.noise_model && !(c->mi.sigma > 0) && !(c->mi.noise_sigma_rel > 0))
        return gi_fail(e, "mi.noise_model: needs a noise scale (mi.sigma > 0 or mi.noise_sigma_rel > 0)");
    if (c->mi.enabled && c->mi.check && c->mi.eval_points > 0 && c->mi.eval_points <= c->mi.check_k)
        return gi_fail(e, "mi.eval_points: %d rows, but the cross-check needs more than mi.check_k = %d", c->mi.eval_points,
                       c->mi.check_k);
    return 0;
}
