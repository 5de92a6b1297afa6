#!/usr/bin/env bash
# TrainStepBench (kfac4j) and the same four models in PyTorch, one after the other on this machine.
# Usage: bench/train-step.sh [OUT_DIR]   (about 12 minutes; PyTorch from Debian: apt-get install python3-torch)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=${1:-$root/bench/results}
mkdir -p "$out"
JAVA_HOME=$("$root/scripts/find-jdk")
(cd "$root" && JAVA_HOME=$JAVA_HOME ./mvnw -B -q -DskipTests -pl bench -am package)
"$JAVA_HOME/bin/java" -jar "$root/bench/target/benchmarks.jar" TrainStepBench -rf json -rff "$out/train-step.json"
if /usr/bin/python3 -c "import torch" 2>/dev/null; then
    /usr/bin/python3 "$root/bench/pytorch_train_step.py" --seconds 20 | tee "$out/pytorch-train-step.txt"
else
    echo "PyTorch is not installed (apt-get install python3-torch): kfac4j numbers only" >&2
fi
python3 "$root/bench/jmh-table.py" "$out/train-step.json" $(ls "$out/pytorch-train-step.txt" 2>/dev/null)
