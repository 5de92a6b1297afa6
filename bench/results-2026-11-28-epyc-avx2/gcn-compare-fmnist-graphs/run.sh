#!/bin/sh
# The learning-rate sweep (seed 0), then the comparison; each run pinned to one core of the 2-core VM
for lr in 1e-3 3e-3 1e-2 3e-2 1e-1; do
  taskset -c 0 ./kfac4j train --model gcn --data fashion-mnist-graphs --optimizer adamw --lr $lr --steps 900 \
    --eval-every 100 --threads 1 --out runs/gcn-sweep/adamw-$lr
done
for lr in 1e-3 3e-3 1e-2 3e-2; do
  taskset -c 0 ./kfac4j train --model gcn --data fashion-mnist-graphs --optimizer kfac-reduce+adamw --lr $lr \
    --steps 900 --eval-every 100 --threads 1 --out runs/gcn-sweep/kfac-reduce+adamw-$lr
done
taskset -c 0 ./kfac4j compare --model gcn --data fashion-mnist-graphs --seeds 3 --steps 900 --eval-every 50 \
  --threads 1 --set adamw.lr=0.1 --set kfac-expand+adamw.lr=0.03 --set kfac-reduce+adamw.lr=0.03 \
  --out runs/gcn-compare-fmnist-graphs
