#!/usr/bin/env bash
# The training step of the four bench models against PyTorch, in alternating rounds (./kfac4j step --compare-pytorch),
# one and two threads. About 20 minutes. PyTorch from Debian: apt-get install python3-torch libopenblas0-pthread.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../../.." && pwd)
for model in cnn vit mlp gcn; do
  for threads in 2 1; do
    "$root/kfac4j" step --model "$model" --threads "$threads" --rounds 9 --seconds 3 --compare-pytorch \
      2>/dev/null | tee "$here/step-$model-${threads}t.txt"
  done
done

# Same-JVM A/B of two builds (BASE.jar, NEW.jar: bench/target/benchmarks.jar of each), compiled with
#   javac -d /tmp/ab ABStep.java ABBench.java
# java --add-modules jdk.incubator.vector -Xmx8g -cp /tmp/ab ABStep BASE.jar NEW.jar cnn 2 15 4      # the CNN step
# java --add-modules jdk.incubator.vector -Xmx8g -cp /tmp/ab ABBench BASE.jar NEW.jar \
#     org.kfac4j.bench.layers.ConvLayerBench run 9 5 layer=stage1 pass=backward threads=2 batch=128  # one layer
# ab-before-after.txt: BASE = cf95c7e with ConvLayerBench added, NEW = dc07613 (the strided
# forward correlation, later dropped, is in its down2/down3 forward lines).
# The correlation's rate against sgemm on the explicit column matrix:
#   javac --add-modules jdk.incubator.vector -cp simd-linalg/target/simd-linalg-0.1.0-SNAPSHOT.jar -d /tmp/ab Correlate.java
#   java --add-modules jdk.incubator.vector -cp simd-linalg/target/simd-linalg-0.1.0-SNAPSHOT.jar:/tmp/ab Correlate 1
java -jar "$root/bench/target/benchmarks.jar" ConvLayerBench -p threads=2 -rf json -rff "$here/conv-layer.json"  # JMH, the layers alone
