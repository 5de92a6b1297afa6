#!/bin/sh
cd /work/main
for wd in 0 1e-5 1e-4 5e-4 1e-3; do
  ./kfac4j train --model mlp --optimizer kfac-reduce --weight-decay $wd --epochs 3 --eval-every 1404 --val-examples 10000 --out /tmp/grid/wd-$wd > /tmp/grid/wd-$wd.log 2>&1
done
./kfac4j train --model mlp --optimizer kfac-reduce --marglik --epochs 3 --eval-every 1404 --val-examples 10000 --out /tmp/grid/marglik > /tmp/grid/marglik.log 2>&1
echo DONE > /tmp/grid/done
