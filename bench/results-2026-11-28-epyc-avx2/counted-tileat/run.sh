#!/bin/sh
# tileAt with its depth counted (8d62580) against the build before (f94d011): same-JVM A/B, and the hot loop's code.
# A.jar / B.jar: bench/target/benchmarks.jar of the two commits. ABStep and ABBench: ../implicit-conv/.
set -e
H=../implicit-conv
javac -d /tmp/ab $H/ABStep.java $H/ABBench.java
J="java --add-modules jdk.incubator.vector"
$J -cp /tmp/ab ABStep A.jar B.jar cnn 2 15 3            # ab-step.txt
$J -cp /tmp/ab ABStep A.jar B.jar cnn 1 11 3
for l in stage1 stage2 stage3; do for p in forward backward; do   # ab-layers-2t.txt
  $J -Xms4g -Xmx4g -cp /tmp/ab ABBench A.jar B.jar org.kfac4j.bench.layers.ConvLayerBench run 11 10 \
    layer=$l pass=$p threads=2 batch=128
done; done
# JMH of the new code alone (conv-layer.json)
java --add-modules jdk.incubator.vector -jar B.jar ConvLayerBench -p threads=2 -rf json -rff conv-layer.json
# The compiled loop: C2 prints the code as hex (Debian's hsdis does not load into JDK 25); dis.py turns the last
# C2 compile of a method into an objdump listing (tileAt-loop-before.txt, tileAt-loop-after.txt).
$J -Xms4g -Xmx4g -XX:+UnlockDiagnosticVMOptions \
  -XX:CompileCommand=print,org.kfac4j.linalg.simd.VectorMicroKernelF32::tileAt -cp /tmp/ab \
  ABBench B.jar - org.kfac4j.bench.layers.ConvLayerBench run 2 5 layer=stage1 pass=forward threads=1 batch=128 \
  > /tmp/asm.txt 2>&1
python3 dis.py /tmp/asm.txt VectorMicroKernelF32::tileAt > /tmp/tileAt.s
