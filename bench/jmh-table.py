#!/usr/bin/env python3
"""Prints JMH JSON results of GemmBench, SyrkBench, EigBench and CholeskyBench as Markdown tables: median
ms/op, GFLOP/s where the flop count is standard, and ratios measured in the same run: speed relative to the native
reference (reference time / this time, so 0.80x is 1.25x the reference's time; OpenBLAS for the BLAS kernels,
LAPACK on OpenBLAS for the decompositions), and on the rows of the other libraries how many times faster kfac4j
is. TrainStepBench gets its own table beside the PyTorch times in a pytorch_train_step.py output (.txt) given
too. KfacStepBench gets a table per model and approximation: its parts, the amortised K-FAC step at T_cov = 10,
T_inv = 100 (kfacStep + (factorStep - kfacStep)/10 + decompose/100) and its ratio to the SGD step. ConvGemmShapesBench
gets a table per thread count: each convolution GEMM's shape, kfac4j's and OpenBLAS's median and GFLOP/s. InverseBench
gets a table per benchmark method: median ms per strategy and d, the time relative to eigen at the same d, and the
exponent of d fitted by least squares on log time vs log d.
Usage: jmh-table.py FILE.json... [PYTORCH.txt]"""
import json
import re
import sys

# the native reference each benchmark's ratios are taken against
REFERENCE = {"GemmBench": "openblas", "SyrkBench": "openblas", "EigBench": "lapack", "CholeskyBench": "lapack"}
ORDER = {"kfac4j": 0, "openblas": 1, "lapack": 1, "vectorblas": 2, "ejml": 3, "ojalgo": 4}


def flops(bench, p):
    if bench == "GemmBench":
        return 2.0 * int(p["n"]) ** 3
    if bench == "SyrkBench":
        d, rows = int(p["dim"]), int(p["rows"])
        return float(d) * d * rows  # one triangle of AᵀA
    if bench == "CholeskyBench":
        return int(p["n"]) ** 3 / 3.0
    return None  # an eigensolver's flop count depends on deflation: time only


def size_of(bench, p):
    if bench == "SyrkBench":
        return p["rows"] + "x" + p["dim"]
    return p["n"]


# ConvGemmShapesBench's shapes (m, n, k of C = op(A)·op(B) for one block of images, and the blocks of a batch of 128),
# as its Shape enum derives them from Conv2d.imagesPerBlock (4 MiB of im2col rows: 4, 9 and 18 images)
CONV_SHAPES = {"conv1-forward": (3136, 32, 288, 32), "conv1-weight-grad": (288, 32, 3136, 32),
               "conv1-input-grad": (3136, 288, 32, 32), "conv2-forward": (1764, 64, 576, 15),
               "conv2-weight-grad": (576, 64, 1764, 15), "conv2-input-grad": (1764, 576, 64, 15),
               "conv3-forward": (882, 128, 1152, 8), "conv3-weight-grad": (1152, 128, 882, 8),
               "conv3-input-grad": (882, 1152, 128, 8)}


def conv_gemm_table(results):
    """Per thread count and shape: kfac4j's and OpenBLAS's median ms and GFLOP/s, and the speed ratio."""
    ms = {(r["params"]["shape"], int(r["params"]["threads"]), r["params"]["impl"]):
          r["primaryMetric"]["scorePercentiles"]["50.0"] for r in results}
    print("\n### ConvGemmShapesBench (f32)\n")
    print("| shape | m × n × k (one block) × blocks | threads | kfac4j ms (median) | GFLOP/s | OpenBLAS ms | GFLOP/s | "
          "speed vs openblas |")
    print("|---|---|---|---|---|---|---|---|")
    for threads in sorted({t for _, t, _ in ms}):
        for shape, (m, n, k, blocks) in CONV_SHAPES.items():
            mine, ref = ms.get((shape, threads, "kfac4j")), ms.get((shape, threads, "openblas"))
            if mine is None:
                continue
            gf = 2.0 * m * n * k * blocks / 1e6
            ref_cells = f"{ref:.2f} | {gf / ref:.1f} | {ref / mine:.2f}x" if ref else "- | - | -"
            print(f"| {shape} | {m} × {n} × {k} × {blocks} | {threads} | {mine:.2f} | {gf / mine:.1f} | {ref_cells} |")


def train_step_table(results, pytorch):
    """kfac4j's median step time per model and thread count beside PyTorch's (same threads, and its best)."""
    print("\n### TrainStepBench\n")
    print("| model | threads | kfac4j ms/step (median) | PyTorch ms/step | speed vs PyTorch | "
          "PyTorch best of 1, 2 threads | speed vs PyTorch best |")
    print("|---|---|---|---|---|---|---|")
    for r in sorted(results, key=lambda r: (["mlp", "cnn", "vit", "gcn"].index(r["params"]["model"]),
                                            int(r["params"]["threads"]))):
        model, threads = r["params"]["model"], int(r["params"]["threads"])
        ms = r["primaryMetric"]["scorePercentiles"]["50.0"]
        same = pytorch.get((model, threads))
        best = min((v for (m, _), v in pytorch.items() if m == model), default=None)
        print(f"| {model} | {threads} | {ms:.2f} | {same if same else '-'} | "
              f"{f'{same / ms:.2f}x' if same else '-'} | {best if best else '-'} | "
              f"{f'{best / ms:.2f}x' if best else '-'} |")


def kfac_step_table(results):
    """Per model, approximation and inverse: the parts of a K-FAC step and the amortised step against the SGD step."""
    ms = {}
    for r in results:
        p = r["params"]
        ms[(p["model"], p["approximation"], p.get("inverse", "eigen"), r["benchmark"].split(".")[-1])] = \
            r["primaryMetric"]["scorePercentiles"]["50.0"]
    print("\n### KfacStepBench (ms, medians; amortised at T_cov = 10, T_inv = 100)\n")
    parts = ["sgdStep", "kfacStep", "factorStep", "accumulate", "decompose", "precondition"]
    print("| model | approximation | inverse | " + " | ".join(parts) + " | amortised K-FAC step | vs SGD step |")
    print("|---|---|---|" + "---|" * (len(parts) + 2))
    inverses = sorted({k[2] for k in ms}, key=lambda i: (i != "eigen", i))
    for model in ["mlp", "cnn", "vit", "gcn"]:
        for approx in ["expand", "reduce"]:
            for inverse in inverses:
                v = {b: ms.get((model, approx, inverse, b)) for b in parts}
                if v["kfacStep"] is None:
                    continue
                if v["sgdStep"] is None:  # the SGD step does not depend on the inverse
                    v["sgdStep"] = next((ms[k] for k in ms if k[:2] == (model, approx) and k[3] == "sgdStep"), None)
                amortised = None
                if None not in (v["kfacStep"], v["factorStep"], v["decompose"]):
                    amortised = v["kfacStep"] + (v["factorStep"] - v["kfacStep"]) / 10 + v["decompose"] / 100
                cells = " | ".join(f"{v[b]:.3f}" if v[b] is not None else "-" for b in parts)
                tail = f"{amortised:.3f} | {amortised / v['sgdStep']:.2f}x" if amortised and v["sgdStep"] else "- | -"
                print(f"| {model} | {approx} | {inverse} | {cells} | {tail} |")


def inverse_table(results):
    """Per InverseBench method: strategies x d, medians, the eigen ratio and the fitted exponent of d."""
    import math
    ms = {}
    for r in results:
        p = r["params"]
        ms[(r["benchmark"].split(".")[-1], p["strategy"], int(p["d"]))] = r["primaryMetric"]["scorePercentiles"]["50.0"]
    for method in ["refresh", "precondition", "accumulate"]:
        strategies = sorted({s for m, s, _ in ms if m == method},
                            key=lambda s: ["eigen", "rs-kfac", "b-kfac", "b-r-kfac", "b-kfac-c", "cg"].index(s))
        ds = sorted({d for m, _, d in ms if m == method})
        if not strategies:
            continue
        print(f"\n### InverseBench.{method} (ms, medians; × eigen at the same d; exponent of d fitted)\n")
        print("| strategy | " + " | ".join(f"d = {d}" for d in ds) + " | exponent |")
        print("|---|" + "---|" * (len(ds) + 1))
        for s in strategies:
            cells = []
            points = []
            for d in ds:
                v = ms.get((method, s, d))
                e = ms.get((method, "eigen", d))
                if v is None:
                    cells.append("-")
                    continue
                points.append((math.log(d), math.log(v)))
                cells.append(f"{v:.2f}" + (f" ({v / e:.3f}×)" if e and s != "eigen" else ""))
            slope = "-"
            if len(points) >= 2:
                mx = sum(x for x, _ in points) / len(points)
                my = sum(y for _, y in points) / len(points)
                slope = f"{sum((x - mx) * (y - my) for x, y in points) / sum((x - mx) ** 2 for x, _ in points):.2f}"
            print(f"| {s} | " + " | ".join(cells) + f" | {slope} |")


def main(files):
    rows = []
    pytorch = {}
    train = []
    kfac = []
    inverse = []
    conv = []
    for f in files:
        if f.endswith(".txt"):
            for m in re.finditer(r"pytorch (\w+) threads=(\d+) batch=\d+: ([\d.]+) ms/step", open(f).read()):
                pytorch[(m.group(1), int(m.group(2)))] = float(m.group(3))
            continue
        for r in json.load(open(f)):
            bench = r["benchmark"].split(".")[-2]
            if bench == "TrainStepBench":
                train.append(r)
                continue
            if bench == "KfacStepBench":
                kfac.append(r)
                continue
            if bench == "InverseBench":
                inverse.append(r)
                continue
            if bench == "ConvGemmShapesBench":
                conv.append(r)
                continue
            p = r["params"]
            ms = r["primaryMetric"]["scorePercentiles"]["50.0"]
            fl = flops(bench, p)
            rows.append((bench, p["precision"], size_of(bench, p), int(p["threads"]), p["impl"], ms,
                         fl / (ms * 1e6) if fl else None))
    ms_by_key = {(b, pr, s, t, i): ms for b, pr, s, t, i, ms, _ in rows}
    for bench in sorted({r[0] for r in rows}):
        ref = REFERENCE.get(bench, "openblas")
        size_name = "A" if bench == "SyrkBench" else "n"
        has_flops = flops(bench, {"n": "1", "rows": "1", "dim": "1"}) is not None
        print(f"\n### {bench}\n")
        head = f"| precision | {size_name} | threads | impl | ms/op (median) |"
        line = "|---|---|---|---|---|"
        if has_flops:
            head += " GFLOP/s |"
            line += "---|"
        head += f" speed vs {ref} | kfac4j speed-up |"
        line += "---|---|"
        print(head)
        print(line)

        def size_key(s):
            return [int(x) for x in s.split("x")]

        for b, pr, s, t, i, ms, g in sorted((r for r in rows if r[0] == bench),
                                             key=lambda r: (r[1], size_key(r[2]), r[3], ORDER.get(r[4], 9))):
            ref_ms = ms_by_key.get((b, pr, s, t, ref))
            k_ms = ms_by_key.get((b, pr, s, t, "kfac4j"))
            vs_ref = f"{ref_ms / ms:.2f}x" if ref_ms else "-"
            # how many times faster kfac4j is than this implementation (pure-Java alternatives)
            speedup = f"{ms / k_ms:.1f}x" if (k_ms and i not in ("kfac4j", ref)) else ""
            cells = f"| {pr} | {s} | {t} | {i} | {ms:.3f} |"
            if has_flops:
                cells += f" {g:.1f} |"
            print(cells + f" {vs_ref} | {speedup} |")
    if train:
        train_step_table(train, pytorch)
    if kfac:
        kfac_step_table(kfac)
    if inverse:
        inverse_table(inverse)
    if conv:
        conv_gemm_table(conv)


if __name__ == "__main__":
    main(sys.argv[1:])
