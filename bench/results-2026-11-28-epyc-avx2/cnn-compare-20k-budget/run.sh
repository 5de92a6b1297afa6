#!/bin/sh
# The CNN against SGD with Nesterov momentum, 3 seeds, with the paper's reduced step budget for K-FAC: SGD trains the
# full 3 epochs (468 steps), K-FAC-expand and K-FAC-reduce 0.55 of them (257 steps) with their schedules shortened.
# SGD's learning rate and K-FAC's KL clip from the seed-0 grids in tuning/. Two threads, nothing else running.
./kfac4j compare --model cnn --train-examples 20000 --epochs 3 --seeds 3 --eval-every 26 --val-examples 2000 \
  --threads 2 --set sgd.lr=0.1 --set kfac-expand.kl-clip=1e-4 --set kfac-reduce.kl-clip=1e-4 \
  --set kfac-expand.budget=0.55 --set kfac-reduce.budget=0.55 --out runs/cnn-compare-20k-budget
# The same with K-FAC's KL clip at 3e-5 (kl3e-5/), the tuning grid's new best; SGD's three runs copied from the
# comparison above into its folder first, so that they are reused, not rerun.
mkdir -p runs/cnn-compare-20k-budget-kl3e-5 && cp -r runs/cnn-compare-20k-budget/sgd-seed* runs/cnn-compare-20k-budget-kl3e-5/
./kfac4j compare --model cnn --train-examples 20000 --epochs 3 --seeds 3 --eval-every 26 --val-examples 2000 \
  --threads 2 --set sgd.lr=0.1 --set kfac-expand.kl-clip=3e-5 --set kfac-reduce.kl-clip=3e-5 \
  --set kfac-expand.budget=0.55 --set kfac-reduce.budget=0.55 --out runs/cnn-compare-20k-budget-kl3e-5
# K-FAC's damping tuned on held-out seeds 3 and 4 (tuning/README.md: best 1e-3 at KL clip 3e-5), then the comparison
# again, SGD rerun too so that every run of the table shares the VM's state (damping1e-3/). The first run (table in
# damping1e-3/first-run-f321c40.md) used the build before the capturing convolutions' permutation was split over the
# threads (41fbea1); K-FAC-reduce and then K-FAC-expand were rerun with that change, the other runs copied in first.
./kfac4j compare --model cnn --train-examples 20000 --epochs 3 --seeds 3 --eval-every 26 --val-examples 2000 \
  --threads 2 --set sgd.lr=0.1 --set kfac-expand.kl-clip=3e-5 --set kfac-reduce.kl-clip=3e-5 \
  --set kfac-expand.damping=1e-3 --set kfac-reduce.damping=1e-3 \
  --set kfac-expand.budget=0.55 --set kfac-reduce.budget=0.55 --out runs/cnn-compare-20k-damping1e-3
