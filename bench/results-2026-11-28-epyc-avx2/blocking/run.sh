#!/usr/bin/env bash
# How the files here were made (2026-11-28, fifth session, the 2-core AMD EPYC Zen 3 VM, AVX2, JDK 25, OpenBLAS 0.3.21).
# after.jar = bench/target/benchmarks.jar at the commit that added this folder's run.sh (blocked tap-major Conv2d,
# blocking from the caches: kc = 512); before.jar = the same at 1e42a03 (the previous session's end).
# Run from this folder, one benchmark at a time, nothing else on the machine.
set -euo pipefail
java -jar after.jar GemmBench -p impl=kfac4j,openblas -p n=1024,2048 -rf json -rff gemm.json
java -jar after.jar SyrkBench -p impl=kfac4j,openblas -rf json -rff syrk.json
java -jar after.jar ConvGemmShapesBench -rf json -rff conv-gemm-shapes.json
java -jar after.jar TrainStepBench -rf json -rff train-step.json
/usr/bin/python3 ../../pytorch_train_step.py --seconds 15 > pytorch-train-step.txt
java -jar before.jar TrainStepBench -p model=cnn -rf json -rff train-step-cnn-before.json
for j in before after; do   # the K-FAC step of the cnn, jar before and after (capture passes now build the column matrix)
    java -jar $j.jar 'KfacStepBench.(sgdStep|factorStep|kfacStep)' -p model=cnn -rf json -rff kfac-step-cnn-$j.json
done
java -jar after.jar GemmBench -p impl=kfac4j,vectorblas -p n=256,1024,2048 -p threads=1 -rf json -rff gemm-vectorblas.json
# then the weight gradient as colsᵀ·dY (wt.jar = the commit that made that change): its three shapes, and the cnn step
# between two PyTorch runs
java -jar wt.jar ConvGemmShapesBench -p shape=conv1-weight-grad,conv2-weight-grad,conv3-weight-grad \
    -rf json -rff conv-gemm-shapes-wgrad-transposed.json
/usr/bin/python3 ../../pytorch_train_step.py --models cnn --seconds 15 > pytorch-cnn-2.txt
java -jar wt.jar TrainStepBench -p model=cnn -rf json -rff train-step-cnn-wt.json
/usr/bin/python3 ../../pytorch_train_step.py --models cnn --seconds 15 > pytorch-cnn-3.txt
python3 ../../jmh-table.py gemm.json syrk.json conv-gemm-shapes.json gemm-vectorblas.json
python3 ../../jmh-table.py train-step.json pytorch-train-step.txt
