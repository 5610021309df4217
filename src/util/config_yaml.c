/* config_yaml.c — reading a YAML config file with libyaml's event API: nested maps flatten to
 * dotted keys, every value goes through config_set with "FILE:LINE" for its messages. */
#include "util/config.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>
#include "util/yaml_text.h"
#include "util/atomic_file.h"
#include "util/run_layout.h"

/* ---- YAML file loading ---- */

typedef struct {
    yaml_parser_t p;
    const char *path;
    gi_config *c;
    gi_err *e;
} loader;

int yaml_next_event(yaml_parser_t *p, const char *path, yaml_event_t *ev, gi_err *e) {
    if (yaml_parser_parse(p, ev)) return 0;
    return gi_fail(e, "%s:%zu: YAML syntax error: %s", path, (size_t)p->problem_mark.line + 1,
                   p->problem ? p->problem : "unknown error");
}

char *yaml_scalar_text(const yaml_event_t *ev) {
    const char *s = (const char *)ev->data.scalar.value;
    size_t n = strlen(s);
    char *t = gi_malloc(2 * n + 3), *q = t;
    if (ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE) return memcpy(t, s, n + 1);
    *q++ = '\'';
    for (; *s; s++) {
        if (*s == '\'') *q++ = '\'';
        *q++ = *s;
    }
    *q++ = '\'';
    *q = 0;
    return t;
}

static int next_event(loader *L, yaml_event_t *ev) { return yaml_next_event(&L->p, L->path, ev, L->e); }

static int load_map(loader *L, const char *prefix, int depth);

/* Applies the value whose first event is *v to `key` (consumes the rest of a collection). */
static int load_value(loader *L, const char *key, const yaml_event_t *v, int depth) {
    char where[CFG_PATH + 32];
    snprintf(where, sizeof where, "%s:%zu", L->path, (size_t)v->start_mark.line + 1);
    if (v->type == YAML_SCALAR_EVENT) {
        if (v->data.scalar.style == YAML_PLAIN_SCALAR_STYLE && config_is_null_word((char *)v->data.scalar.value) &&
            config_is_section(key))
            return 0; /* an empty section */
        char *t = yaml_scalar_text(v);
        int rc = config_set(L->c, key, t, where, L->e);
        free(t);
        return rc;
    }
    if (v->type == YAML_MAPPING_START_EVENT) {
        if (config_is_key(key)) return gi_fail(L->e, "%s: %s: expected a value, got a mapping", where, key);
        if (depth > 8) return gi_fail(L->e, "%s: %s: nested too deeply", where, key);
        char prefix[520];
        snprintf(prefix, sizeof prefix, "%s.", key);
        return load_map(L, prefix, depth + 1);
    }
    if (v->type == YAML_SEQUENCE_START_EVENT) {
        size_t cap = 64, len = 1;
        char *list = gi_malloc(cap);
        strcpy(list, "[");
        for (;;) {
            yaml_event_t it;
            if (next_event(L, &it)) return free(list), -1;
            int end = it.type == YAML_SEQUENCE_END_EVENT, bad = !end && it.type != YAML_SCALAR_EVENT;
            if (!end && !bad) {
                char *t = yaml_scalar_text(&it);
                size_t n = strlen(t);
                if (len + n + 4 > cap) list = gi_realloc(list, cap = 2 * (len + n + 4));
                len += (size_t)sprintf(list + len, "%s%s", len > 1 ? ", " : "", t);
                free(t);
            }
            yaml_event_delete(&it);
            if (bad) return free(list), gi_fail(L->e, "%s: %s: expected a list of values", where, key);
            if (end) break;
        }
        strcpy(list + len, "]");
        int rc = config_set(L->c, key, list, where, L->e);
        free(list);
        return rc;
    }
    return gi_fail(L->e, "%s: %s: aliases and anchors are not supported", where, key);
}

/* Entries of a mapping whose MAPPING_START was consumed; keys get `prefix` prepended. */
static int load_map(loader *L, const char *prefix, int depth) {
    for (;;) {
        yaml_event_t k, v;
        char key[512];
        if (next_event(L, &k)) return -1;
        if (k.type == YAML_MAPPING_END_EVENT) return yaml_event_delete(&k), 0;
        if (k.type != YAML_SCALAR_EVENT) {
            size_t line = (size_t)k.start_mark.line + 1;
            yaml_event_delete(&k);
            return gi_fail(L->e, "%s:%zu: expected a key, got a collection", L->path, line);
        }
        snprintf(key, sizeof key, "%s%s", prefix, (char *)k.data.scalar.value);
        yaml_event_delete(&k);
        if (next_event(L, &v)) return -1;
        int rc = load_value(L, key, &v, depth);
        yaml_event_delete(&v);
        if (rc) return -1;
    }
}

int config_load_file(gi_config *c, const char *path, gi_err *e) {
    FILE *f = fopen(path, "rb");
    if (!f) return gi_fail(e, "%s: cannot open (%s)", path, strerror(errno));
    loader L = {.path = path, .c = c, .e = e};
    yaml_parser_initialize(&L.p);
    yaml_parser_set_input_file(&L.p, f);
    int rc = 0;
    for (int done = 0; !done && !rc;) {
        yaml_event_t ev;
        if (next_event(&L, &ev)) { rc = -1; break; }
        if (ev.type == YAML_STREAM_END_EVENT) done = 1;
        else if (ev.type == YAML_MAPPING_START_EVENT) rc = load_map(&L, "", 0);
        else if (ev.type == YAML_SCALAR_EVENT || ev.type == YAML_SEQUENCE_START_EVENT) {
            if (ev.type == YAML_SEQUENCE_START_EVENT || !config_is_null_word((char *)ev.data.scalar.value))
                rc = gi_fail(e, "%s:%zu: expected a mapping of keys at the top level", path,
                             (size_t)ev.start_mark.line + 1);
        }
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&L.p);
    fclose(f);
    return rc;
}


int config_load_run(gi_config *c, const char *run_dir, gi_err *e) {
    char path[GI_PATH];
    config_defaults(c);
    if (path_join(path, sizeof path, run_dir, RUN_CONFIG, e)) return -1;
    return config_load_file(c, path, e);
}
