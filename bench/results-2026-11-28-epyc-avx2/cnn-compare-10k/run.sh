#!/bin/sh
# the CNN against SGD with Nesterov momentum on 10 000 training images, 2 epochs, 3 seeds, one core
taskset -c 0 ./kfac4j compare --model cnn --train-examples 10000 --epochs 2 --seeds 3 --eval-every 13 \
  --val-examples 1000 --threads 1 --out runs/cnn-compare-10k
