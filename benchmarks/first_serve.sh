#!/usr/bin/env bash
# Seconds from a fresh clone to the first page that `./run serve` answers, set-up included.
#   benchmarks/first_serve.sh            with whatever download caches this user has
#   benchmarks/first_serve.sh --cold     after removing uv's cache and ./run's copy of uv
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
port=${PORT:-8765}
if [ "${1:-}" = --cold ]; then rm -rf "${XDG_CACHE_HOME:-$HOME/.cache}/uv" "${XDG_CACHE_HOME:-$HOME/.cache}/briefing-site"; fi
work=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; wait 2>/dev/null; rm -rf "$work"' EXIT
git clone -q "$repo" "$work/clone"
cd "$work/clone"
start=$(date +%s.%N)
./run serve -a "127.0.0.1:$port" > "$work/serve.log" 2>&1 &
pid=$!
for _ in $(seq 1 1200); do
  if curl -sf -o /dev/null "http://127.0.0.1:$port/briefing-site/"; then
    echo "first page served $(echo "$(date +%s.%N) - $start" | bc) s after ./run serve on a fresh clone"
    exit 0
  fi
  kill -0 "$pid" 2>/dev/null || { cat "$work/serve.log"; exit 1; }
  sleep 0.1
done
echo "no page after 120 s" >&2; cat "$work/serve.log"; exit 1
