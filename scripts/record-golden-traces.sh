#!/usr/bin/env bash
# Regenerates the golden traces in traces/: hello and minios under every mode, on the
# virtualizable profile (where every mode is equivalent to native), as inputs-and-checkpoints
# traces, plus minios natively with every event (record --events). Run after a deliberate
# change of semantics, then commit the new traces.
set -euo pipefail
cd "$(dirname "$0")/.."
rm -f traces/*.vtrace
modes=$(node bin/vlab.js list modes --json | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).map(m=>m.name).join(" ")))')
for guest in hello minios; do
  for mode in $modes; do
    node bin/vlab.js record "$guest" --mode "$mode" --isa virtualizable --checkpoint-every 4096 -o "traces/$guest-$mode.vtrace" --json > /dev/null
    echo "traces/$guest-$mode.vtrace: $(wc -c < "traces/$guest-$mode.vtrace") bytes"
  done
done
node bin/vlab.js record minios --isa virtualizable --checkpoint-every 16384 --events -o traces/minios-native-events.vtrace --json > /dev/null
echo "traces/minios-native-events.vtrace: $(wc -c < traces/minios-native-events.vtrace) bytes"
