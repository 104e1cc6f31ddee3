#!/usr/bin/env bash
# Hostile input (issue 12): time and peak memory of `dxplan import` (release build) on every
# hostile file of tests/common/hostile.rs, each refused before any large allocation.
#   scripts/hostile.sh               # build, write the files, print a table
#   DXPLAN=path/to/dxplan scripts/hostile.sh   # another binary (e.g. an older build)
# Prints: case, size on disk, exit code, wall time, peak RSS, then the message (stderr, English
# half). Each run is capped at CAP_KB of address space (default 6 GB) and 120 s; exit 124 is the
# time limit, 134 or 139 an abort (an allocation refused by the cap).
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
if [ -z "${DXPLAN:-}" ]; then
  cargo build --quiet --release --bin dxplan
  DXPLAN="$PWD/target/release/dxplan"
fi
DXPLAN_HOSTILE_OUT="$out/in" cargo test --quiet --test integration import_bad::write_hostile_inputs -- --ignored >/dev/null
"$DXPLAN" sample "$out/plan.dxplan" >/dev/null
printf '%-36s %10s %5s %8s %9s\n' case bytes exit seconds "peak MB"
for f in "$out"/in/*; do
  cp "$out/plan.dxplan" "$out/p.dxplan"
  set +e
  ( ulimit -v "${CAP_KB:-6000000}"; timeout 120 /usr/bin/time -f '%e %M' -o "$out/time" \
      "$DXPLAN" import "$out/p.dxplan" "$f" >/dev/null 2>"$out/err" )
  code=$?
  set -e
  read -r secs kb < <(tail -1 "$out/time" 2>/dev/null || echo "- 0")
  msg=$( (grep -v '^Command' "$out/err" || true) | head -1 | sed "s#$out/in/##g; s#.* / \([a-z][a-z -]*:\)#\1#")
  printf '%-36s %10s %5s %8s %9s\n' "$(basename "$f")" "$(stat -c %s "$f")" "$code" "$secs" \
    "$((kb / 1024))"
  printf '    %s\n' "$msg"
done
