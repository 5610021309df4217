/* fuzz_file.h — for the harnesses whose parser reads a file: the input written to this process's
 * own temporary file, optionally followed by a valid CRC-32 of it (for the formats that end with
 * one, so that the checks behind the CRC are reached too). */
#ifndef GI_FUZZ_FILE_H
#define GI_FUZZ_FILE_H
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <zlib.h>

static char fuzz_file_path[64];
static void fuzz_file_remove(void) { unlink(fuzz_file_path); }

/* /tmp/grokinfo-fuzz-NAME.PID into path (removed when the fuzzer exits); 0, or -1 if it cannot be
 * written */
static inline int fuzz_write_file(char *path, size_t size, const char *name, const uint8_t *data, size_t n,
                                  int append_crc) {
    snprintf(path, size, "/tmp/grokinfo-fuzz-%s.%d", name, (int)getpid());
    if (!fuzz_file_path[0]) {
        snprintf(fuzz_file_path, sizeof fuzz_file_path, "%s", path);
        atexit(fuzz_file_remove);
    }
    FILE *f = fopen(path, "wb");
    if (!f) return -1;
    fwrite(data, 1, n, f);
    if (append_crc) {
        uint32_t crc = (uint32_t)crc32(0L, data, (uInt)n);
        fwrite(&crc, 4, 1, f);
    }
    return fclose(f) == 0 ? 0 : -1;
}
#endif
