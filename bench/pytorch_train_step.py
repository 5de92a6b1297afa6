#!/usr/bin/python3
"""Times one training step (zero grads, forward, cross-entropy, backward) of the four bench models in PyTorch, the
same models as kfac4j's Models builders, for TrainStepBench's comparison. Debian: apt-get install python3-torch.

Usage: /usr/bin/python3 bench/pytorch_train_step.py [--threads 1 2] [--batch 128] [--seconds 10]
Prints one line per model and thread count: median ms per step over timed repetitions after a warm-up.

With --serve (one model, one thread count; `./kfac4j step --compare-pytorch` drives it), it builds and warms the model
for --seconds, prints "ready <torch version>", then for each line "time S" on stdin times steps for S seconds and prints
"<median ms> <steps>", until "quit" or the end of stdin: so that kfac4j and PyTorch can be timed in alternating rounds,
each process staying warm."""
import argparse
import os
import statistics
import sys
import time

# Debian's torch calls the system BLAS (OpenBLAS with libopenblas0-pthread): pin its own pool to one thread so that
# it does not oversubscribe the cores beside torch.set_num_threads(t). Must be set before torch loads it.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import torch
import torch.nn as nn


class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.main = nn.Sequential(
            nn.BatchNorm2d(cin), nn.ReLU(), nn.Conv2d(cin, cout, 3, stride, 1, bias=False),
            nn.BatchNorm2d(cout), nn.ReLU(), nn.Conv2d(cout, cout, 3, 1, 1, bias=False))
        self.shortcut = None if cin == cout and stride == 1 else nn.Conv2d(cin, cout, 1, stride, 0, bias=False)

    def forward(self, x):
        return self.main(x) + (x if self.shortcut is None else self.shortcut(x))


class Cnn(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(1, 32, 3, 1, 1, bias=False), BasicBlock(32, 32, 1), BasicBlock(32, 64, 2),
            BasicBlock(64, 128, 2), nn.BatchNorm2d(128), nn.ReLU())
        self.fc = nn.Linear(128, 10)

    def forward(self, x):
        return self.fc(self.body(x).mean(dim=(2, 3)))


class EncoderBlock(nn.Module):
    def __init__(self, width, heads):
        super().__init__()
        self.norm1 = nn.LayerNorm(width)
        self.attn = nn.MultiheadAttention(width, heads, batch_first=True)
        self.norm2 = nn.LayerNorm(width)
        self.mlp = nn.Sequential(nn.Linear(width, 2 * width), nn.GELU(approximate="tanh"), nn.Linear(2 * width, width))

    def forward(self, x):
        h = self.norm1(x)
        x = x + self.attn(h, h, h, need_weights=False)[0]
        return x + self.mlp(self.norm2(x))


class Vit(nn.Module):
    def __init__(self, width=64):
        super().__init__()
        self.patch = nn.Conv2d(1, width, 4, 4)
        self.cls = nn.Parameter(torch.randn(1, 1, width) * 0.02)
        self.pos = nn.Parameter(torch.randn(1, 50, width) * 0.02)
        self.blocks = nn.Sequential(*[EncoderBlock(width, 4) for _ in range(4)])
        self.norm = nn.LayerNorm(width)
        self.head = nn.Linear(width, 10)

    def forward(self, x):
        t = self.patch(x).flatten(2).transpose(1, 2)
        t = torch.cat([self.cls.expand(x.shape[0], -1, -1), t], dim=1) + self.pos
        return self.head(self.norm(self.blocks(t))[:, 0])


def mlp():
    return nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(),
                         nn.Linear(256, 10))


class GraphConv(nn.Module):
    """Y = Â·X·Wᵀ + b, Â the batch's block-diagonal normalised adjacency (a sparse COO tensor)."""

    def __init__(self, cin, cout):
        super().__init__()
        self.lin = nn.Linear(cin, cout)

    def forward(self, x, adj):
        return self.lin(torch.sparse.mm(adj, x))


class Gcn(nn.Module):
    def __init__(self, classes=10):
        super().__init__()
        self.convs = nn.ModuleList([GraphConv(16, 64), GraphConv(64, 64), GraphConv(64, 64)])
        self.head = nn.Linear(64, classes)

    def forward(self, batch):
        x, adj, pool = batch
        for conv in self.convs:
            x = torch.relu(conv(x, adj))
        return self.head(torch.sparse.mm(pool, x))


def graph_batch(graphs, generator):
    """Random graphs of 10-30 nodes with 16 features (the sizes of kfac4j's synthetic task): the stacked
    features, the normalised adjacency with self-loops and the mean-readout matrix, all sparse where sparse."""
    rows, cols, vals, prow, pcol, pval = [], [], [], [], [], []
    offset = 0
    for g in range(graphs):
        n = int(torch.randint(10, 31, (1,), generator=generator))
        a = (torch.rand(n, n, generator=generator) < 0.25).float().triu(1)
        a = a + a.T + torch.eye(n)
        d = a.sum(1).rsqrt()
        norm = d[:, None] * a * d[None, :]
        idx = norm.nonzero().T
        rows.append(idx[0] + offset)
        cols.append(idx[1] + offset)
        vals.append(norm[idx[0], idx[1]])
        prow += [g] * n
        pcol += list(range(offset, offset + n))
        pval += [1.0 / n] * n
        offset += n
    adj = torch.sparse_coo_tensor(torch.stack([torch.cat(rows), torch.cat(cols)]), torch.cat(vals),
                                  (offset, offset)).coalesce()
    pool = torch.sparse_coo_tensor(torch.tensor([prow, pcol]), torch.tensor(pval), (graphs, offset)).coalesce()
    return torch.randn(offset, 16, generator=generator), adj, pool


MODELS = {"mlp": mlp, "cnn": Cnn, "vit": Vit, "gcn": Gcn}


def stepper(model, x, y):
    loss_fn = nn.CrossEntropyLoss()

    def step():
        model.zero_grad(set_to_none=False)
        loss_fn(model(x), y).backward()

    return step


def timed(step, seconds, at_least):
    """Median ms per step over steps run for `seconds` (and at least `at_least` of them), and their count."""
    times = []
    end = time.perf_counter() + seconds
    while time.perf_counter() < end or len(times) < at_least:
        t0 = time.perf_counter()
        step()
        times.append((time.perf_counter() - t0) * 1e3)
    return statistics.median(times), len(times)


def time_step(model, x, y, seconds):
    step = stepper(model, x, y)
    timed(step, seconds / 2, 1)
    return timed(step, seconds / 2, 5)


def problem(name, batch):
    """The model in training mode, a batch and its labels."""
    model = MODELS[name]().train()
    x = torch.rand(batch, 1, 28, 28)
    if name == "gcn":
        x = graph_batch(batch, torch.Generator().manual_seed(0))
    return model, x, torch.randint(0, 10, (batch,))


def serve(name, threads, batch, warmup):
    torch.set_num_threads(threads)
    step = stepper(*problem(name, batch))
    timed(step, warmup, 1)
    print(f"ready {torch.__version__}", flush=True)
    for line in sys.stdin:
        words = line.split()
        if not words or words[0] == "quit":
            break
        ms, n = timed(step, float(words[1]), 3)
        print(f"{ms:.4f} {n}", flush=True)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--seconds", type=float, default=10)
    p.add_argument("--models", nargs="+", default=list(MODELS))
    p.add_argument("--serve", action="store_true", help="time rounds on request (see above)")
    a = p.parse_args()
    torch.manual_seed(0)
    if a.serve:
        if len(a.models) != 1 or len(a.threads) != 1:
            p.error("--serve takes one model and one thread count")
        serve(a.models[0], a.threads[0], a.batch, a.seconds)
        return
    print(f"torch {torch.__version__}; {torch.__config__.parallel_info().splitlines()[0]}")
    for name in a.models:
        for threads in a.threads:
            torch.set_num_threads(threads)
            model, x, y = problem(name, a.batch)
            ms, n = time_step(model, x, y, a.seconds)
            params = sum(p.numel() for p in model.parameters())
            print(f"pytorch {name} threads={threads} batch={a.batch}: {ms:.3f} ms/step (median of {n}; "
                  f"{params} parameters)")


if __name__ == "__main__":
    main()
