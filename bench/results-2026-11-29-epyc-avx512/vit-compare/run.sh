#!/bin/sh
# The README's ViT comparison on the Zen 5 VM (a3fe7bd's build), two threads, nothing else running but a compile of
# about ten seconds during the K-FAC-expand runs.
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
"$root/kfac4j" compare --model vit --seeds 3 --steps 400 --eval-every 10 \
    --optimizers adamw,kfac-expand+adamw,kfac-reduce+adamw --threads 2 --out "$here"
