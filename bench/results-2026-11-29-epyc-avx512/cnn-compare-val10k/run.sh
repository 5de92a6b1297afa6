#!/bin/sh
# The CNN comparison of ../cnn-compare-58ed3c6/ (same hyperparameters, budget 0.55, seeds 0-2) with the validation set
# five times larger: the first 10000 images of the test split instead of 2000, so that the target (SGD's median final
# accuracy) and each run's crossing of it move by about ±0.3 points of binomial noise instead of ±0.7.
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
"$root/kfac4j" compare --model cnn --train-examples 20000 --epochs 3 --seeds 3 --eval-every 26 --val-examples 10000 \
  --threads 2 --set sgd.lr=0.1 --set kfac-expand.kl-clip=3e-5 --set kfac-reduce.kl-clip=3e-5 \
  --set kfac-expand.damping=1e-3 --set kfac-reduce.damping=1e-3 \
  --set kfac-expand.budget=0.55 --set kfac-reduce.budget=0.55 --out "$here"
