#!/usr/bin/env bash
# How the files here were made (2026-11-28, the 2-core AMD EPYC Zen 3 VM, AVX2, JDK 25, OpenBLAS 0.3.21).
# "before" = commit 4090e28 (micro-kernel with a branch on β), "before-arraycopy" = f1253e5 (kernel fixed,
# element-by-element packing), "prescale" and gemm.json = 71e0664 (C zero-filled for β = 0), the rest = 5ef3216
# (C_in kernels) and later, except train-step-vit*.json and pytorch-train-step-vit.txt: a45a43a (the vector
# exponential, zero-filling kernels). Nothing else ran on the machine meanwhile.
set -euo pipefail
jar=bench/target/benchmarks.jar
java -jar $jar ConvGemmShapesBench -rf json -rff conv-gemm-shapes.json
java -jar $jar GemmBench -p impl=kfac4j,openblas -p n=1024,2048 -rf json -rff gemm.json
java -jar $jar TrainStepBench -p model=cnn,vit -rf json -rff train-step.json   # and with the 4090e28 jar: train-step-before.json
/usr/bin/python3 bench/pytorch_train_step.py --models vit cnn --seconds 15 > pytorch-train-step.txt
python3 bench/jmh-table.py conv-gemm-shapes.json gemm.json
python3 bench/jmh-table.py train-step.json pytorch-train-step.txt
# the ViT step before (the jar of 71e0664 + the READMEs) and after the vector exponential (GELU, softmax), then PyTorch
java -jar $jar TrainStepBench -p model=vit -rf json -rff train-step-vit.json   # before: train-step-vit-before-vector-exp.json
java -jar $jar TrainStepBench -p model=vit -p threads=2 -rf json -rff train-step-vit-2threads-repeat.json
/usr/bin/python3 bench/pytorch_train_step.py --models vit --seconds 15 > pytorch-train-step-vit.txt
python3 bench/jmh-table.py train-step-vit.json pytorch-train-step-vit.txt
# JMH before/after of the kernel fix, one thread, back to back: the jar of d549ded with simd-linalg/src/main of 4090e28
# (before), then 5ef3216 (after)
java -jar before.jar ConvGemmShapesBench -p impl=kfac4j -p threads=1 -rf json -rff conv-gemm-shapes-1thread-before.json
java -jar $jar ConvGemmShapesBench -p impl=kfac4j -p threads=1 -rf json -rff conv-gemm-shapes-1thread-after.json
