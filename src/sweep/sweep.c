/* sweep.c — sweep files, points, and running them as child processes. */
#include "sweep/sweep.h"
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>
#include "util/yaml_text.h"

/* ---- the sweep file ---- */

typedef struct { yaml_parser_t p; const char *path; gi_err *e; } reader;

static int next(reader *r, yaml_event_t *ev) { return yaml_next_event(&r->p, r->path, ev, r->e); }

static size_t line_of(const yaml_event_t *ev) { return (size_t)ev->start_mark.line + 1; }

static void free_list(char ***items, int *n) {
    for (int i = 0; i < *n; i++) free((*items)[i]);
    free(*items);
    *items = NULL;
    *n = 0;
}

/* The scalars of a sequence whose start was consumed; nothing is kept on an error. */
static int read_list(reader *r, char ***out, int *n) {
    *out = NULL;
    *n = 0;
    for (;;) {
        yaml_event_t ev;
        if (next(r, &ev)) { free_list(out, n); return -1; }
        if (ev.type == YAML_SEQUENCE_END_EVENT) { yaml_event_delete(&ev); return 0; }
        if (ev.type != YAML_SCALAR_EVENT) {
            size_t line = line_of(&ev);
            yaml_event_delete(&ev);
            free_list(out, n);
            return gi_fail(r->e, "%s:%zu: expected a list of values", r->path, line);
        }
        *out = gi_realloc(*out, (size_t)(*n + 1) * sizeof **out);
        (*out)[(*n)++] = yaml_scalar_text(&ev);
        yaml_event_delete(&ev);
    }
}

static void push_base(sweep_spec *s, const char *key, char *value) {
    s->base_key = gi_realloc(s->base_key, (size_t)(s->n_base + 1) * sizeof *s->base_key);
    s->base_value = gi_realloc(s->base_value, (size_t)(s->n_base + 1) * sizeof *s->base_value);
    s->base_key[s->n_base] = strdup(key);
    s->base_value[s->n_base++] = value;
}

/* base: nested maps flatten to dotted keys; lists become "[a, b]" */
static int read_base(reader *r, sweep_spec *s, const char *prefix, int depth) {
    for (;;) {
        yaml_event_t k, v;
        if (next(r, &k)) return -1;
        if (k.type == YAML_MAPPING_END_EVENT) { yaml_event_delete(&k); return 0; }
        if (k.type != YAML_SCALAR_EVENT || depth > 8) {
            size_t line = line_of(&k);
            yaml_event_delete(&k);
            return gi_fail(r->e, "%s:%zu: base: expected key: value", r->path, line);
        }
        char key[256];
        int too_long = snprintf(key, sizeof key, "%s%s", prefix, (char *)k.data.scalar.value) >= (int)sizeof key;
        size_t kline = line_of(&k);
        yaml_event_delete(&k);
        if (too_long) return gi_fail(r->e, "%s:%zu: base: a key longer than 255 characters", r->path, kline);
        if (next(r, &v)) return -1;
        int rc = 0;
        if (v.type == YAML_SCALAR_EVENT) push_base(s, key, yaml_scalar_text(&v));
        else if (v.type == YAML_MAPPING_START_EVENT) {
            char p[260];
            snprintf(p, sizeof p, "%s.", key);
            rc = read_base(r, s, p, depth + 1);
        } else if (v.type == YAML_SEQUENCE_START_EVENT) {
            char **items;
            int n;
            rc = read_list(r, &items, &n);
            if (!rc) {
                size_t len = 3;
                for (int i = 0; i < n; i++) len += strlen(items[i]) + 2;
                char *t = gi_malloc(len);
                strcpy(t, "[");
                for (int i = 0; i < n; i++) { if (i) strcat(t, ", "); strcat(t, items[i]); free(items[i]); }
                strcat(t, "]");
                free(items);
                push_base(s, key, t);
            }
        } else rc = gi_fail(r->e, "%s:%zu: base: %s: unsupported value", r->path, line_of(&v), key);
        yaml_event_delete(&v);
        if (rc) return -1;
    }
}

/* {log: [from, to, n]} or {linear: [from, to, n]} */
static int read_range(reader *r, sweep_axis *a, size_t line) {
    yaml_event_t k, v, end;
    if (next(r, &k)) return -1;
    int is_log = k.type == YAML_SCALAR_EVENT && !strcmp((char *)k.data.scalar.value, "log");
    int is_lin = k.type == YAML_SCALAR_EVENT && !strcmp((char *)k.data.scalar.value, "linear");
    yaml_event_delete(&k);
    if (!is_log && !is_lin) return gi_fail(r->e, "%s:%zu: axes: %s: expected a list, {log: [from, to, n]} or {linear: [from, to, n]}", r->path, line, a->key);
    if (next(r, &v)) return -1;
    char **items = NULL;
    int n = 0, rc = v.type == YAML_SEQUENCE_START_EVENT ? read_list(r, &items, &n) : -1;
    yaml_event_delete(&v);
    double lo = 0, hi = 0, cnt = 0;
    char *end1 = NULL, *end2 = NULL, *end3 = NULL;
    if (rc == 0 && n == 3) { lo = strtod(items[0], &end1); hi = strtod(items[1], &end2); cnt = strtod(items[2], &end3); }
    int ok = rc == 0 && n == 3 && !*end1 && !*end2 && !*end3 && cnt >= 1 && cnt <= 1000 && cnt == floor(cnt) &&
             (!is_log || (lo > 0 && hi > 0));
    free_list(&items, &n);
    if (!ok) return gi_fail(r->e, "%s:%zu: axes: %s: expected [from, to, n] with n >= 1%s", r->path, line, a->key,
                            is_log ? " and from, to > 0" : "");
    if (next(r, &end)) return -1;
    int closed = end.type == YAML_MAPPING_END_EVENT;
    yaml_event_delete(&end);
    if (!closed) return gi_fail(r->e, "%s:%zu: axes: %s: one range per axis", r->path, line, a->key);
    a->n = (int)cnt;
    a->values = gi_malloc((size_t)a->n * sizeof *a->values);
    for (int i = 0; i < a->n; i++) {
        double t = a->n == 1 ? 0.0 : (double)i / (a->n - 1);
        double v = is_log ? exp(log(lo) + t * (log(hi) - log(lo))) : lo + t * (hi - lo);
        char buf[64];
        snprintf(buf, sizeof buf, "%.6g", v);
        a->values[i] = strdup(buf);
    }
    return 0;
}

static int read_axes(reader *r, sweep_spec *s) {
    for (;;) {
        yaml_event_t k, v;
        if (next(r, &k)) return -1;
        if (k.type == YAML_MAPPING_END_EVENT) { yaml_event_delete(&k); return 0; }
        size_t line = line_of(&k);
        if (k.type != YAML_SCALAR_EVENT) { yaml_event_delete(&k); return gi_fail(r->e, "%s:%zu: axes: expected key: values", r->path, line); }
        if (s->n_axes == SWEEP_MAX_AXES) { yaml_event_delete(&k); return gi_fail(r->e, "%s:%zu: axes: at most %d", r->path, line, SWEEP_MAX_AXES); }
        sweep_axis *a = &s->axes[s->n_axes++];
        snprintf(a->key, sizeof a->key, "%s", (char *)k.data.scalar.value);
        yaml_event_delete(&k);
        if (next(r, &v)) return -1;
        int rc;
        if (v.type == YAML_SEQUENCE_START_EVENT) {
            rc = read_list(r, &a->values, &a->n);
            if (!rc && a->n == 0) rc = gi_fail(r->e, "%s:%zu: axes: %s: an empty list", r->path, line, a->key);
        } else if (v.type == YAML_MAPPING_START_EVENT) rc = read_range(r, a, line);
        else if (v.type == YAML_SCALAR_EVENT) { a->n = 1; a->values = gi_malloc(sizeof *a->values); a->values[0] = yaml_scalar_text(&v); rc = 0; }
        else rc = gi_fail(r->e, "%s:%zu: axes: %s: expected a list of values", r->path, line, a->key);
        yaml_event_delete(&v);
        if (rc) return -1;
    }
}

/* the caller's own top-level key named key, or NULL */
static sweep_extra_key *find_extra(sweep_extra_key *extra, int n_extra, const char *key) {
    for (int i = 0; i < n_extra; i++)
        if (!strcmp(extra[i].key, key)) return &extra[i];
    return NULL;
}

int sweep_parse(const char *path, sweep_spec *s, sweep_extra_key *extra, int n_extra, gi_err *e) {
    memset(s, 0, sizeof *s);
    for (int i = 0; i < n_extra; i++) extra[i].value[0] = '\0', extra[i].line = 0;
    snprintf(s->path, sizeof s->path, "%s", path);
    FILE *f = fopen(path, "rb");
    if (!f) return gi_fail(e, "%s: cannot open (%s)", path, strerror(errno));
    reader r = {.path = path, .e = e};
    yaml_parser_initialize(&r.p);
    yaml_parser_set_input_file(&r.p, f);
    int rc = 0, in_map = 0;
    for (int done = 0; !done && !rc;) {
        yaml_event_t ev;
        if (next(&r, &ev)) { rc = -1; break; }
        if (ev.type == YAML_STREAM_END_EVENT) done = 1;
        else if (ev.type == YAML_MAPPING_START_EVENT && !in_map) in_map = 1;
        else if (ev.type == YAML_MAPPING_END_EVENT) in_map = 0;
        else if (ev.type == YAML_SCALAR_EVENT && in_map) {
            char key[64];
            snprintf(key, sizeof key, "%s", (char *)ev.data.scalar.value);
            size_t line = line_of(&ev);
            yaml_event_t v;
            if (next(&r, &v)) rc = -1;
            else {
                if (!strcmp(key, "config") && v.type == YAML_SCALAR_EVENT)
                    snprintf(s->config, sizeof s->config, "%s", (char *)v.data.scalar.value);
                else if (!strcmp(key, "base") && v.type == YAML_MAPPING_START_EVENT) rc = read_base(&r, s, "", 0);
                else if (!strcmp(key, "axes") && v.type == YAML_MAPPING_START_EVENT) rc = read_axes(&r, s);
                else if (!strcmp(key, "base") && v.type == YAML_SCALAR_EVENT) rc = 0; /* empty */
                else if (find_extra(extra, n_extra, key) && v.type == YAML_SCALAR_EVENT) {
                    sweep_extra_key *x = find_extra(extra, n_extra, key);
                    snprintf(x->value, sizeof x->value, "%s", (char *)v.data.scalar.value);
                    x->line = line;
                } else if (n_extra == 0)
                    rc = gi_fail(e, "%s:%zu: '%s': expected config: FILE, base: {key: value} or axes: {key: [values]}", path, line, key);
                else {
                    char names[256] = "";
                    for (int i = 0; i < n_extra; i++)
                        snprintf(names + strlen(names), sizeof names - strlen(names), ", %s: VALUE", extra[i].key);
                    rc = gi_fail(e, "%s:%zu: '%s': expected config: FILE, base: {key: value}, axes: {key: [values]}%s", path,
                                 line, key, names);
                }
                yaml_event_delete(&v);
            }
        } else if (ev.type != YAML_STREAM_START_EVENT && ev.type != YAML_DOCUMENT_START_EVENT &&
                   ev.type != YAML_DOCUMENT_END_EVENT)
            rc = gi_fail(e, "%s:%zu: expected a mapping with config, base and axes", path, line_of(&ev));
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&r.p);
    fclose(f);
    if (rc) { sweep_free(s); return -1; }
    return 0;
}

int sweep_add_axis(sweep_spec *s, const char *key, int n, char *const *values, gi_err *e) {
    if (s->n_axes == SWEEP_MAX_AXES) return gi_fail(e, "%s: axes: at most %d", s->path, SWEEP_MAX_AXES);
    if (n < 1) return gi_fail(e, "%s: axes: %s: an empty list", s->path, key);
    sweep_axis *a = &s->axes[s->n_axes++];
    snprintf(a->key, sizeof a->key, "%s", key);
    a->n = n;
    a->values = gi_malloc((size_t)n * sizeof *a->values);
    for (int i = 0; i < n; i++) a->values[i] = strdup(values[i]);
    return 0;
}

int sweep_check(sweep_spec *s, gi_err *e) {
    const char *path = s->path;
    if (s->n_axes == 0) { gi_fail(e, "%s: no axes: nothing to sweep", path); sweep_free(s); return -1; }
    s->n_points = 1;
    for (int a = 0; a < s->n_axes; a++) {
        if ((long long)s->n_points * s->axes[a].n > 100000) { gi_fail(e, "%s: more than 100000 points", path); sweep_free(s); return -1; }
        s->n_points *= s->axes[a].n;
    }
    /* every key and value checked now, before anything runs */
    gi_config c;
    char name[512];
    for (int i = 0; i < s->n_points; i++)
        if (sweep_point(s, i, &c, name, sizeof name, e)) { sweep_free(s); return -1; }
    return 0;
}

int sweep_load(const char *path, sweep_spec *s, gi_err *e) {
    if (sweep_parse(path, s, NULL, 0, e)) return -1;
    return sweep_check(s, e);
}

void sweep_free(sweep_spec *s) {
    for (int i = 0; i < s->n_base; i++) { free(s->base_key[i]); free(s->base_value[i]); }
    free(s->base_key);
    free(s->base_value);
    for (int a = 0; a < s->n_axes; a++) {
        for (int i = 0; i < s->axes[a].n; i++) free(s->axes[a].values[i]);
        free(s->axes[a].values);
    }
    memset(s, 0, sizeof *s);
}

/* name characters that are safe in a path on every system we care about */
static void append_safe(char *out, size_t n, const char *s) {
    size_t len = strlen(out);
    for (; *s && len + 1 < n; s++) {
        char ch = *s;
        int ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || strchr(".+-_=,", ch);
        if (ch == '\'' || ch == '"') continue;
        out[len++] = ok ? ch : '_';
    }
    out[len] = 0;
}

void sweep_point_index(const sweep_spec *s, int i, int *idx) {
    int rest = i;
    for (int a = s->n_axes - 1; a >= 0; a--) { idx[a] = rest % s->axes[a].n; rest /= s->axes[a].n; }
}

void sweep_point_name(const sweep_spec *s, int i, int skip_axis, char *name, size_t n) {
    int idx[SWEEP_MAX_AXES];
    sweep_point_index(s, i, idx);
    name[0] = 0;
    for (int a = 0, first = 1; a < s->n_axes; a++) {
        if (a == skip_axis) continue;
        const sweep_axis *ax = &s->axes[a];
        const char *short_key = strrchr(ax->key, '.');
        if (!first) append_safe(name, n, ",");
        append_safe(name, n, short_key ? short_key + 1 : ax->key);
        append_safe(name, n, "=");
        append_safe(name, n, ax->values[idx[a]]);
        first = 0;
    }
}

int sweep_point(const sweep_spec *s, int i, gi_config *c, char *name, size_t n, gi_err *e) {
    char where[CFG_PATH + 16];
    config_defaults(c);
    if (s->config[0] && config_load_file(c, s->config, e)) return -1;
    snprintf(where, sizeof where, "%s: base", s->path);
    for (int b = 0; b < s->n_base; b++)
        if (config_set(c, s->base_key[b], s->base_value[b], where, e)) return -1;
    snprintf(where, sizeof where, "%s: axes", s->path);
    int idx[SWEEP_MAX_AXES];
    sweep_point_index(s, i, idx);
    for (int a = 0; a < s->n_axes; a++)
        if (config_set(c, s->axes[a].key, s->axes[a].values[idx[a]], where, e)) return -1;
    sweep_point_name(s, i, -1, name, n);
    return config_validate(c, e);
}
