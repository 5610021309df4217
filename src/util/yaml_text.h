/* yaml_text.h — the pieces of reading YAML with libyaml's event API that the config loader and the
 * sweep-file reader share. */
#ifndef GI_YAML_TEXT_H
#define GI_YAML_TEXT_H
#include <yaml.h>
#include "util/err.h"

/* The next event, or a "PATH:LINE: YAML syntax error: ..." failure. */
int yaml_next_event(yaml_parser_t *p, const char *path, yaml_event_t *ev, gi_err *e);
/* A scalar as config_set text (caller frees): quoted scalars are re-quoted so that `'null'` stays
 * a string. */
char *yaml_scalar_text(const yaml_event_t *ev);
#endif
