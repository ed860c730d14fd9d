#!/usr/bin/env bash
# Rebuilds the dataset in data/ from the charts in charts/ with `reorg import`.
# Run from the repository's top: bash examples/dhs/build.sh
set -euo pipefail
here=examples/dhs
reorg() { cargo run -q -- "$@"; }
cp "$here/events.ron" "$here/sources.ron" "$here/data/"
reorg import "$here/charts/2003.txt" --date 2003-03-01 --id 2003 \
    --title "DHS when it began operations" --source pl107-296 --source dhs-creation -o "$here/data/2003.ron"
reorg import "$here/charts/2007.json" --date 2007-04 --id 2007 \
    --title "DHS after the Second Stage Review and the Post-Katrina Act" --source dhs-2sr --source pl109-295 -o "$here/data/2007.ron"
reorg import "$here/charts/2019.csv" --date 2019 --id 2019 \
    --title "DHS after the CISA Act" --source pl115-278 --source pl115-387 -o "$here/data/2019.ron"
reorg check "$here/data"
