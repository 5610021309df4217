/* libFuzzer harness: the JSON reader (summary.json) on arbitrary text (make fuzz). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "util/json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n) {
    char *text = malloc(n + 1);
    memcpy(text, data, n);
    text[n] = 0;
    json_doc d;
    gi_err e;
    if (json_parse(text, "fuzz.json", &d, &e) == 0) json_free(&d);
    free(text);
    return 0;
}
