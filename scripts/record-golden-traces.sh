#!/usr/bin/env bash
# Regenerates the golden traces in traces/: hello and minios under every implemented mode,
# on the virtualizable profile (where every mode is equivalent to native). Run after a
# deliberate change of semantics, then commit the new traces.
set -euo pipefail
cd "$(dirname "$0")/.."
for guest in hello minios; do
  for mode in native emulate trap-emulate; do
    node bin/vlab.js record "$guest" --mode "$mode" --isa virtualizable -o "traces/$guest-$mode.vtrace" --json > /dev/null
    echo "traces/$guest-$mode.vtrace: $(wc -c < "traces/$guest-$mode.vtrace") bytes"
  done
done
