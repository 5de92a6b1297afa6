#!/usr/bin/env bash
# The ViT comparison of the README (about 25 minutes on 2 cores): AdamW, and K-FAC-expand / -reduce in front of it,
# 3 seeds, 400 steps, validation every 10 steps. The per-run folders (checkpoints) were reduced to their metrics.csv.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../../.." && pwd)
"$root/kfac4j" compare --model vit --seeds 3 --steps 400 --eval-every 10 \
    --optimizers adamw,kfac-expand+adamw,kfac-reduce+adamw --out "$here"
