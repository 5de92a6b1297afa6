#!/usr/bin/env bash
# Runs the kernel benchmarks behind bench/README.md's tables and prints the tables.
# Usage: bench/kernels.sh [OUT_DIR]   (about 35 minutes on 2 cores; needs libopenblas0-pthread for 'openblas')
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=${1:-$root/bench/results}
mkdir -p "$out"
JAVA_HOME=$("$root/scripts/find-jdk")
java="$JAVA_HOME/bin/java"
(cd "$root" && JAVA_HOME=$JAVA_HOME ./mvnw -B -q -DskipTests -pl bench -am package)
jar="$root/bench/target/benchmarks.jar"

# Full grid for kfac4j, OpenBLAS and VectorBLAS; EJML and ojAlgo (4-40x slower) at two sizes.
"$java" -jar "$jar" GemmBench -p impl=kfac4j,openblas,vectorblas -rf json -rff "$out/gemm.json"
"$java" -jar "$jar" GemmBench -p impl=ejml,ojalgo -p n=256,1024 -rf json -rff "$out/gemm-ejml-ojalgo.json"
"$java" -jar "$jar" SyrkBench -rf json -rff "$out/syrk.json"
python3 "$root/bench/jmh-table.py" "$out"/*.json
