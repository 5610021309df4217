/* config_text.c — how the configuration spells values: Python's float repr (the seed's config
 * files and run names are Python's), when YAML needs quotes, and the edit distance behind
 * "did you mean". Pure functions of their text. */
#include "util/config_text.h"
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

size_t edit_distance(const char *a, const char *b) {
    size_t la = strlen(a), lb = strlen(b), row[128];
    if (lb > 127) lb = 127;
    for (size_t j = 0; j <= lb; j++) row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j], best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best) best = up + 1;
            if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

/* Python's repr(float): shortest round-trip digits, 8.0, 0.001, 1e-05, 1e+16. */
void py_float(double v, char *out, size_t n) {
    char buf[40], digits[24];
    if (!isfinite(v)) { snprintf(out, n, "%s", isnan(v) ? "nan" : v > 0 ? "inf" : "-inf"); return; }
    for (int p = 0; p < 17; p++) {
        snprintf(buf, sizeof buf, "%.*e", p, v);
        if (strtod(buf, NULL) == v) break;
    }
    /* buf is [-]d[.ddd]e±XX */
    const char *s = buf + (buf[0] == '-');
    size_t nd = 0;
    for (; *s != 'e'; s++)
        if (isdigit((unsigned char)*s)) digits[nd++] = *s;
    while (nd > 1 && digits[nd - 1] == '0') nd--;
    digits[nd] = 0;
    int x = atoi(s + 1);
    const char *sign = buf[0] == '-' ? "-" : "";
    if (x < -4 || x >= 16) {
        snprintf(out, n, "%s%c%s%se%c%02d", sign, digits[0], nd > 1 ? "." : "", digits + 1, x < 0 ? '-' : '+',
                 abs(x));
    } else if (x < 0) {
        snprintf(out, n, "%s0.%.*s%s", sign, -x - 1, "000", digits);
    } else {
        char ip[40], fp[24];
        for (int i = 0; i <= x; i++) ip[i] = (size_t)i < nd ? digits[i] : '0';
        ip[x + 1] = 0;
        snprintf(fp, sizeof fp, "%s", (size_t)(x + 1) < nd ? digits + x + 1 : "0");
        snprintf(out, n, "%s%s.%s", sign, ip, fp);
    }
}

int yaml_needs_quotes(const char *s) {
    static const char *words[] = {"y", "n", "yes", "no", "on", "off", "true", "false", "null", "~"};
    if (!*s || strchr("0123456789+-.", *s)) return 1;
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (!strcasecmp(s, words[i])) return 1;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && !strchr("_./\\-", *s)) return 1;
    return 0;
}
