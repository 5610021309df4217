#!/usr/bin/env bash
# `make layers`: every #include "module/file.h" under SRC (default src) must point down the layers:
#
#   cli ──> api (include/grokinfo.h) ──> report, measure ──> util
#   cli ──> study ──> sweep, run ──> report, measure, train ──> nn, data ──> util   (study ──> measure too)
# include/grokinfo.h, the library's public header, is the api folder's ("grokinfo.h").
#
# One row per folder: the folders its files may include (its own is always allowed). A file that
# includes a folder not in its row, a folder with no row, or a path with "..", is an error line
# naming the file, the line and the rule; the exit code is 1 when there is any.
# usage: tools/check_layers.sh [SRC]
set -u
src=${1:-src}
declare -A may=(
    [util]=""
    [data]="util"
    [nn]="util"
    [train]="util data nn"
    [measure]="util"
    [report]="util"
    [run]="util data nn train measure report"
    [sweep]="util"
    [study]="util measure report sweep"
    [api]="util measure report"
    [cli]="util data nn train measure report run sweep study api"
)
bad=0 files=0
while IFS= read -r f; do
    rel=${f#"$src"/}
    mod=${rel%%/*}
    files=$((files + 1))
    if [ -z "${may[$mod]+x}" ]; then
        echo "layers: $f: folder '$mod' has no row in tools/check_layers.sh"; bad=1; continue
    fi
    while IFS=: read -r line inc; do
        [ "$inc" = grokinfo.h ] && inc=api/grokinfo.h
        target=${inc%%/*}
        if [[ $inc == *..* || $inc != */* ]]; then
            echo "layers: $f:$line includes \"$inc\": name the folder (\"module/file.h\"), never a relative path"; bad=1
        elif [ "$target" != "$mod" ] && [[ " ${may[$mod]} " != *" $target "* ]]; then
            echo "layers: $f:$line includes \"$inc\": $mod may include only ${may[$mod]:-itself} (a $target include goes the wrong way)"
            bad=1
        fi
    done < <(grep -n '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' "$f" | sed 's/^\([0-9]*\):[^"]*"\([^"]*\)".*/\1:\2/')
done < <(find "$src" -name '*.[ch]' | sort)
if [ "$files" -eq 0 ]; then echo "layers: no C files under $src"; exit 1; fi
[ "$bad" -eq 0 ] && echo "layers: $files files, every include points down"
exit $bad
