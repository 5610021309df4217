/* checked_file.h — grokinfo's binary files (checkpoints, the cached autoencoder): an 8-byte magic,
 * a uint32 version, the rest of a header and the payload, then a CRC-32 of everything before it.
 * Read back whole and verified here; each format then checks its own header's fields. */
#ifndef GI_CHECKED_FILE_H
#define GI_CHECKED_FILE_H
#include <stddef.h>
#include <stdint.h>
#include "util/err.h"

/* The whole file (caller frees) and its size in *n, after checking that it holds at least
 * header_size + 4 bytes, starts with magic and version, and ends with the CRC of the rest.
 * Errors name the path and `what` ("checkpoint", "autoencoder file"); NULL on error. */
uint8_t *checked_file_read(const char *path, const char *magic, uint32_t version, const char *what, size_t header_size,
                           size_t *n, gi_err *e);
#endif
