#!/usr/bin/env bash
# How the files here were made (2026-11-28, sixth session, the same 2-core AMD EPYC Zen 3 VM, JDK 25, OpenBLAS 0.3.21).
# before.jar = bench/target/kfac4j.jar at 663da87 (the fifth session's end); slab.jar = the same with the slab packing
# of a transposed A only; after.jar = slab + vector panel packing (c8b2b4d; the commits up to the one that added this
# folder change no kernel: syrk.json and kfac-step.json were made at c8b2b4d, gemm.json one commit later, the
# bench-*.txt with the CLI of the commit after). benchmarks.jar = the JMH jar of the same build. One benchmark at a
# time, nothing else running; a neighbour on the VM held the Java FMA loop at 56-74 GFLOP/s throughout.
set -euo pipefail
# Same-JVM A/B of two builds (AB.java: one class loader per jar, alternating rounds, 2 warm-up rounds, median):
#   java --add-modules jdk.incubator.vector AB.java A.jar B.jar op n threads rounds [k]
for t in 1 2; do java --add-modules jdk.incubator.vector AB.java before.jar slab.jar dsyrk 1024 $t 9; done
java --add-modules jdk.incubator.vector AB.java before.jar slab.jar ssyrk 1024 2 9
for op in dgemmTN sgemmTN; do java --add-modules jdk.incubator.vector AB.java before.jar slab.jar $op 1024 1 21 1024; done
java --add-modules jdk.incubator.vector AB.java before.jar slab.jar dgemmTN 1024 1 5 8192
for op in ssyrk dsyrk; do java --add-modules jdk.incubator.vector AB.java before.jar after.jar $op 1024 1 9; done
for op in sgemm dgemm; do java --add-modules jdk.incubator.vector AB.java before.jar after.jar $op 1024 1 15; done
# the CLI's interleaved comparison with OpenBLAS (alternating rounds, median of the rounds' ratios)
java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -jar after.jar bench --op syrk \
    --compare-openblas --rounds 9 --seconds 1 > bench-syrk-interleaved.txt
for n in 1024 2048; do
    java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -jar after.jar bench -n $n \
        --compare-openblas --rounds 9 --seconds 1 > bench-gemm-$n-interleaved.txt
done
# JMH, one run each
java -jar benchmarks.jar SyrkBench -p impl=kfac4j,openblas -rf json -rff syrk.json
java -jar benchmarks.jar GemmBench -p impl=kfac4j,openblas -p n=1024,2048 -rf json -rff gemm.json
java -jar benchmarks.jar 'KfacStepBench.(sgdStep|kfacStep|factorStep|accumulate|decompose)' -rf json -rff kfac-step.json
java -jar benchmarks.jar GemmBench -p impl=kfac4j,vectorblas -p n=256,1024 -p threads=2 -rf json -rff gemm-vectorblas-2t.json
python3 ../../jmh-table.py syrk.json gemm.json kfac-step.json gemm-vectorblas-2t.json
