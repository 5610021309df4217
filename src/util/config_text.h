/* config_text.h — the spelling of configuration values (util/config.c's helpers). */
#ifndef GI_CONFIG_TEXT_H
#define GI_CONFIG_TEXT_H
#include <stddef.h>

/* Python's repr(float): shortest round-trip digits, 8.0, 0.001, 1e-05, 1e+16. */
void py_float(double v, char *out, size_t n);
/* Whether a YAML scalar needs quotes to stay a string (empty, numeric-looking, yes/no/null, ...). */
int yaml_needs_quotes(const char *s);
/* Levenshtein distance of a and b (b's first 127 characters). */
size_t edit_distance(const char *a, const char *b);
#endif
