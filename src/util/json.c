/* json.c — recursive descent over the text, appending a leaf for every scalar. */
#include "util/json.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define JSON_MAX_DEPTH 64
#define JSON_MAX_KEY 512

typedef struct {
    const char *s, *p, *name;
    json_doc *d;
    gi_err *e;
} parser;

static int line_of(const parser *ps) {
    int line = 1;
    for (const char *q = ps->s; q < ps->p; q++) line += *q == '\n';
    return line;
}

static int fail(parser *ps, const char *what) {
    if (!*ps->p) return gi_fail(ps->e, "%s:%d: %s, found the end of the file", ps->name, line_of(ps), what);
    return gi_fail(ps->e, "%s:%d: %s, found '%c'", ps->name, line_of(ps), what, *ps->p);
}

static void skip_ws(parser *ps) {
    while (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r') ps->p++;
}

static json_leaf *push(parser *ps, const char *key, json_kind kind) {
    json_doc *d = ps->d;
    if (d->n == d->cap) {
        d->cap = d->cap ? 2 * d->cap : 32;
        d->leaf = gi_realloc(d->leaf, (size_t)d->cap * sizeof *d->leaf);
    }
    json_leaf *l = &d->leaf[d->n++];
    *l = (json_leaf){.kind = kind, .num = NAN};
    l->key = strdup(key);
    return l;
}

/* a string at ps->p (the opening quote) into a malloc'd buffer */
static int parse_string(parser *ps, char **out) {
    ps->p++;
    size_t cap = 32, k = 0;
    char *b = gi_malloc(cap);
    for (;;) {
        char c = *ps->p;
        if (!c || c == '\n') { free(b); return fail(ps, "unterminated string"); }
        ps->p++;
        if (c == '"') break;
        if (c == '\\') {
            char x = *ps->p++;
            switch (x) {
            case 'n': c = '\n'; break;
            case 't': c = '\t'; break;
            case 'r': c = '\r'; break;
            case 'b': c = '\b'; break;
            case 'f': c = '\f'; break;
            case '"': case '\\': case '/': c = x; break;
            case 'u': {
                unsigned v = 0;
                for (int i = 0; i < 4; i++) {
                    char h = *ps->p;
                    int dgt = h >= '0' && h <= '9' ? h - '0' : h >= 'a' && h <= 'f' ? h - 'a' + 10 : h >= 'A' && h <= 'F' ? h - 'A' + 10 : -1;
                    if (dgt < 0) { free(b); return fail(ps, "expected four hex digits after \\u"); }
                    v = 16 * v + (unsigned)dgt;
                    ps->p++;
                }
                c = v < 0x80 ? (char)v : '?';
                break;
            }
            default: ps->p--; free(b); return fail(ps, "unknown escape in a string");
            }
        }
        if (k + 2 > cap) b = gi_realloc(b, cap *= 2);
        b[k++] = c;
    }
    b[k] = 0;
    *out = b;
    return 0;
}

static int parse_value(parser *ps, char *key, size_t klen, int depth);

/* key + ".suffix" (or just suffix at the top) */
static int extend(parser *ps, char *key, size_t klen, const char *suffix) {
    int n = snprintf(key + klen, JSON_MAX_KEY - klen, "%s%s", klen ? "." : "", suffix);
    if (n < 0 || klen + (size_t)n >= JSON_MAX_KEY) return fail(ps, "key path too long");
    return 0;
}

static int parse_value(parser *ps, char *key, size_t klen, int depth) {
    if (depth > JSON_MAX_DEPTH) return fail(ps, "nested too deeply");
    skip_ws(ps);
    key[klen] = 0;
    char c = *ps->p;
    if (c == '{' || c == '[') {
        int obj = c == '{';
        ps->p++;
        skip_ws(ps);
        if (*ps->p == (obj ? '}' : ']')) { ps->p++; return 0; }
        for (int i = 0;; i++) {
            if (obj) {
                skip_ws(ps);
                if (*ps->p != '"') return fail(ps, "expected a key in quotes");
                char *name;
                if (parse_string(ps, &name)) return -1;
                int r = extend(ps, key, klen, name);
                free(name);
                if (r) return -1;
                skip_ws(ps);
                if (*ps->p != ':') return fail(ps, "expected ':' after a key");
                ps->p++;
            } else {
                char idx[16];
                snprintf(idx, sizeof idx, "%d", i);
                if (extend(ps, key, klen, idx)) return -1;
            }
            if (parse_value(ps, key, strlen(key), depth + 1)) return -1;
            key[klen] = 0;
            skip_ws(ps);
            if (*ps->p == ',') { ps->p++; continue; }
            if (*ps->p == (obj ? '}' : ']')) { ps->p++; return 0; }
            return fail(ps, obj ? "expected ',' or '}'" : "expected ',' or ']'");
        }
    }
    if (c == '"') {
        char *s;
        if (parse_string(ps, &s)) return -1;
        push(ps, key, JSON_STR)->str = s;
        return 0;
    }
    static const struct { const char *word; json_kind kind; double v; } words[] = {
        {"null", JSON_NULL, NAN}, {"true", JSON_BOOL, 1}, {"false", JSON_BOOL, 0}};
    for (int w = 0; w < 3; w++) {
        size_t n = strlen(words[w].word);
        if (!strncmp(ps->p, words[w].word, n)) {
            ps->p += n;
            push(ps, key, words[w].kind)->num = words[w].v;
            return 0;
        }
    }
    if (c == '-' || (c >= '0' && c <= '9')) {
        char *end;
        double v = strtod(ps->p, &end);
        if (end == ps->p) return fail(ps, "expected a number");
        ps->p = end;
        push(ps, key, JSON_NUM)->num = v;
        return 0;
    }
    return fail(ps, "expected a value");
}

int json_parse(const char *text, const char *name, json_doc *d, gi_err *e) {
    *d = (json_doc){0};
    char key[JSON_MAX_KEY] = "";
    parser ps = {text, text, name ? name : "json", d, e};
    if (parse_value(&ps, key, 0, 0)) { json_free(d); return -1; }
    skip_ws(&ps);
    if (*ps.p) { fail(&ps, "expected the end of the document"); json_free(d); return -1; }
    return 0;
}

int json_read_file(const char *path, json_doc *d, gi_err *e) {
    FILE *f = fopen(path, "rb");
    if (!f) return gi_fail(e, "%s: cannot open", path);
    size_t cap = 4096, n = 0;
    char *buf = gi_malloc(cap);
    for (size_t got; (got = fread(buf + n, 1, cap - n - 1, f)) > 0;) {
        n += got;
        if (n + 1 == cap) buf = gi_realloc(buf, cap *= 2);
    }
    int err = ferror(f);
    fclose(f);
    buf[n] = 0;
    if (err) { free(buf); return gi_fail(e, "%s: read error", path); }
    if (strlen(buf) != n) { free(buf); return gi_fail(e, "%s: not a text file (NUL byte)", path); }
    int r = json_parse(buf, path, d, e);
    free(buf);
    return r;
}

const json_leaf *json_get(const json_doc *d, const char *key) {
    for (int i = 0; i < d->n; i++)
        if (!strcmp(d->leaf[i].key, key)) return &d->leaf[i];
    return NULL;
}

double json_num(const json_doc *d, const char *key) {
    const json_leaf *l = json_get(d, key);
    return l && l->kind == JSON_NUM ? l->num : NAN;
}

const char *json_str(const json_doc *d, const char *key) {
    const json_leaf *l = json_get(d, key);
    return l && l->kind == JSON_STR ? l->str : NULL;
}

void json_free(json_doc *d) {
    for (int i = 0; i < d->n; i++) { free(d->leaf[i].key); free(d->leaf[i].str); }
    free(d->leaf);
    *d = (json_doc){0};
}

void json_write_string(FILE *f, const char *s) {
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\') fprintf(f, "\\%c", *s);
        else if ((unsigned char)*s < 0x20) fprintf(f, "\\u%04x", *s);
        else fputc(*s, f);
    }
    fputc('"', f);
}
