#!/usr/bin/env bash
# The training step of the four bench models against PyTorch, in alternating rounds (./kfac4j step --compare-pytorch),
# one and two threads. About 20 minutes. PyTorch from Debian: apt-get install python3-torch libopenblas0-pthread.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../../.." && pwd)
for model in cnn vit mlp gcn; do
  for threads in 2 1; do
    "$root/kfac4j" step --model "$model" --threads "$threads" --rounds 9 --seconds 3 --compare-pytorch \
      2>/dev/null | tee "$here/step-$model-${threads}t.txt"
  done
done
