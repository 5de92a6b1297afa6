#!/bin/sh
# A one-seed pilot of the CNN comparison at three times the earlier budget: 20 000 training images, 3 epochs
# (468 steps), validation every 26 steps on the first 2000 test images, one core (the other core ran builds and the
# CI check for part of the time, so the seconds columns are only indicative; the steps are exact).
taskset -c 1 ./kfac4j compare --model cnn --train-examples 20000 --epochs 3 --seeds 1 --eval-every 26 \
  --val-examples 2000 --threads 1 --out runs/cnn-compare-20k-pilot
