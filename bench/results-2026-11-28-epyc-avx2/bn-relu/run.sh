#!/bin/sh
# BatchNorm and ReLU as one layer, and single-pass batch moments, against the build before (23c2743): same-JVM A/B
# of the CNN training step, and JMH of the pair fused and as two layers (both with the new moments).
# A.jar / B.jar: bench/target/benchmarks.jar of the two commits. ABStep: ../implicit-conv/.
set -e
javac -d /tmp/ab ../implicit-conv/ABStep.java
J="java --add-modules jdk.incubator.vector -Xms4g -Xmx4g"
$J -cp /tmp/ab ABStep A.jar B.jar cnn 2 15 3          # ab-step-2t.txt
$J -cp /tmp/ab ABStep A.jar B.jar cnn 1 11 3          # ab-step-1t.txt
java -jar B.jar BatchNormReluBench -p threads=2 -rf json -rff batchnorm-relu.json
# Against PyTorch afterwards (step-cnn-2t-a.txt, step-cnn-2t-b.txt, step-cnn-1t.txt)
cd ../../.. && for t in 2 2 1; do ./kfac4j step --model cnn --threads $t --rounds 9 --seconds 3 --compare-pytorch; done
