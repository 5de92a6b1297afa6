#!/bin/sh
# compare --marglik on the CNN: 10 000 training images, 3 epochs, 1 seed, one core of the 2-core VM
taskset -c 1 ./kfac4j compare --model cnn --optimizers kfac-reduce --marglik --train-examples 10000 --epochs 3 \
  --eval-every 78 --val-examples 10000 --seeds 1 --threads 1 --out runs/cnn-marglik
# the same K-FAC run at weight decay 5e-4 with weight averaging over its last epoch
taskset -c 0 ./kfac4j train --model cnn --optimizer kfac-reduce --train-examples 10000 --epochs 3 --eval-every 78 \
  --val-examples 10000 --threads 1 --swa-start 2 --swa-every 13 --out runs/cnn-swa
