/* libFuzzer harness: the configuration's two parsers, the YAML file loader and key=value
 * overrides (one per line), on arbitrary text, then validation (make fuzz). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fuzz_file.h"
#include "util/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n) {
    char path[64];
    if (fuzz_write_file(path, sizeof path, "config", data, n, 0)) return 0;
    gi_config c;
    gi_err e;
    config_defaults(&c);
    if (config_load_file(&c, path, &e) == 0) config_validate(&c, &e);
    char *text = malloc(n + 1);
    memcpy(text, data, n);
    text[n] = 0;
    config_defaults(&c);
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) config_override(&c, line, &e);
    config_validate(&c, &e);
    char name[512];
    config_run_name(&c, name, sizeof name, &e);
    free(text);
    return 0;
}
