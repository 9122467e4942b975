#!/usr/bin/env bash
# Renders every SVG under a directory to PNG with headless Chromium, so the
# plots can be looked at as a browser shows them.
#   scripts/render-plots.sh DIR [WIDTHxHEIGHT]
# Needs Debian's chromium (apt-get install -y chromium).
set -euo pipefail
dir=${1:?usage: scripts/render-plots.sh DIR [900x600]}
size=${2:-900x600}
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [[ -z "$browser" ]]; then
  echo "render-plots: no chromium found (apt-get install -y chromium)" >&2
  exit 1
fi
count=0
while IFS= read -r -d '' svg; do
  png="${svg%.svg}.png"
  "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars \
    --screenshot="$png" --window-size="${size/x/,}" "file://$(realpath "$svg")" \
    >/dev/null 2>&1
  echo "$png"
  count=$((count + 1))
done < <(find "$dir" -name '*.svg' -print0 | sort -z)
echo "render-plots: $count plots rendered" >&2
