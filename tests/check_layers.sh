#!/bin/sh
# The layering rule of the README's "Code layout": a module may include the
# headers of its own stage and of the stages below it, never of a stage
# above.  A module's stage is the folder of its source under src/; a
# header with no source (report.h) is placed in HEADER_ONLY.
#
# usage: sh tests/check_layers.sh   (from the top of the repository)
set -eu

STAGES="base ingest model render publish deliver app"
HEADER_ONLY="report:model"

rank() {
    i=0
    for s in $STAGES; do
        [ "$s" = "$1" ] && { echo $i; return; }
        i=$((i + 1))
    done
    echo "check_layers: unknown stage '$1'" >&2
    exit 2
}

stage_of() {
    for pair in $HEADER_ONLY; do
        [ "${pair%%:*}" = "$1" ] && { echo "${pair#*:}"; return; }
    done
    set -- src/*/"$1".c
    [ -f "$1" ] || { echo ""; return; }
    d=${1%/*}
    echo "${d##*/}"
}

bad=0
for f in src/*/*.c include/iom/*.h; do
    case $f in
    src/*) mod=$(basename "$f" .c); s=${f#src/}; s=${s%%/*} ;;
    *) mod=$(basename "$f" .h); s=$(stage_of "$mod") ;;
    esac
    if [ -z "$s" ]; then
        echo "$f: header of no module (no src/STAGE/$mod.c)"
        bad=1
        continue
    fi
    r=$(rank "$s")
    for dep in $(sed -n 's|^#include "iom/\([a-z0-9_]*\)\.h".*|\1|p' "$f"); do
        ds=$(stage_of "$dep")
        if [ -z "$ds" ]; then
            echo "$f: includes iom/$dep.h, which belongs to no stage"
            bad=1
        elif [ "$(rank "$ds")" -gt "$r" ]; then
            echo "$f ($s) includes iom/$dep.h ($ds): a stage uses only the stages below it"
            bad=1
        fi
    done
done
exit $bad
