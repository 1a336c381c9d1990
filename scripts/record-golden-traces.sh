#!/usr/bin/env bash
# Regenerates the golden traces in traces/: hello and minios under every mode, on the
# virtualizable profile (where every mode is equivalent to native), as inputs-and-checkpoints
# traces, plus minios natively with every event (record --events). Run after a deliberate
# change of semantics, then commit the new traces.
set -euo pipefail
cd "$(dirname "$0")/.."
rm -f traces/*.vtrace
modes_where() {
  node bin/vlab.js list modes --json | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).filter(m=>m.modifiedGuest==='"$1"').map(m=>m.name).join(" ")))'
}
record() {
  node bin/vlab.js record "$1" --mode "$2" --isa virtualizable --checkpoint-every 4096 -o "traces/$1-$2.vtrace" --json > /dev/null
  echo "traces/$1-$2.vtrace: $(wc -c < "traces/$1-$2.vtrace") bytes"
}
# unmodified guests under the modes that run them; the paravirtualized minios under the others
for guest in hello minios; do
  for mode in $(modes_where false); do record "$guest" "$mode"; done
done
for mode in $(modes_where true); do record minios-pv "$mode"; done
node bin/vlab.js record minios --isa virtualizable --checkpoint-every 16384 --events -o traces/minios-native-events.vtrace --json > /dev/null
echo "traces/minios-native-events.vtrace: $(wc -c < traces/minios-native-events.vtrace) bytes"
# several VMs on one hypervisor (docs/multi-vm.md): minios beside hello, with every event
node bin/vlab.js record minios --vm hello --mode hardware-assist --isa virtualizable --quantum 5000 --checkpoint-every 16384 --events -o traces/two-vms-hardware-assist-events.vtrace --json > /dev/null
echo "traces/two-vms-hardware-assist-events.vtrace: $(wc -c < traces/two-vms-hardware-assist-events.vtrace) bytes"
