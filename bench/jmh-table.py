#!/usr/bin/env python3
"""Prints JMH JSON results of GemmBench / SyrkBench as Markdown tables: median ms/op, GFLOP/s, and the
ratio to OpenBLAS (and to VectorBLAS for kfac4j) measured in the same run. Usage: jmh-table.py FILE.json..."""
import json
import sys


def flops(bench, p):
    if bench == "GemmBench":
        n = int(p["n"])
        return 2.0 * n ** 3
    d, rows = int(p["dim"]), int(p["rows"])
    return float(d) * d * rows  # one triangle of AᵀA


def main(files):
    rows = []
    for f in files:
        for r in json.load(open(f)):
            bench = r["benchmark"].split(".")[-2]
            p = r["params"]
            ms = r["primaryMetric"]["scorePercentiles"]["50.0"]
            size = p.get("n") or p["rows"] + "x" + p["dim"]
            rows.append((bench, p["precision"], size, int(p["threads"]), p["impl"], ms, flops(bench, p) / (ms * 1e6)))
    by_key = {(b, pr, s, t, i): g for b, pr, s, t, i, _, g in rows}
    for bench in sorted({r[0] for r in rows}):
        size_name = "n" if bench == "GemmBench" else "A"
        print(f"\n### {bench}\n")
        print(f"| precision | {size_name} | threads | impl | ms/op (median) | GFLOP/s | vs OpenBLAS | kfac4j vs VectorBLAS |")
        print("|---|---|---|---|---|---|---|---|")
        order = {"kfac4j": 0, "openblas": 1, "vectorblas": 2, "ejml": 3, "ojalgo": 4}

        def size_key(s):
            return [int(x) for x in s.split("x")]

        for b, pr, s, t, i, ms, g in sorted((r for r in rows if r[0] == bench),
                                             key=lambda r: (r[1], size_key(r[2]), r[3], order.get(r[4], 9))):
            ob = by_key.get((b, pr, s, t, "openblas"))
            vb = by_key.get((b, pr, s, t, "vectorblas"))
            vs_ob = f"{g / ob:.2f}x" if ob else "-"
            vs_vb = f"{g / vb:.1f}x" if (vb and i == "kfac4j") else ""
            print(f"| {pr} | {s} | {t} | {i} | {ms:.3f} | {g:.1f} | {vs_ob} | {vs_vb} |")


if __name__ == "__main__":
    main(sys.argv[1:])
