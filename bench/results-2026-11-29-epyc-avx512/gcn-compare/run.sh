#!/bin/sh
# The README's GCN comparison on the Zen 5 VM (a3fe7bd's build), one thread, nothing else running.
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
"$root/kfac4j" compare --model gcn --data fashion-mnist-graphs --seeds 3 --steps 900 --eval-every 50 --threads 1 \
    --set adamw.lr=0.1 --set kfac-expand+adamw.lr=0.03 --set kfac-reduce+adamw.lr=0.03 --out "$here"
