package org.kfac4j.linalg.eigen;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.kfac4j.linalg.gemm.GemmEngine;
import org.kfac4j.linalg.kernel.Level1KernelF64;
import org.kfac4j.linalg.parallel.ThreadTeam;

/**
 * Eigenvalues and eigenvectors of a symmetric tridiagonal matrix by divide and conquer (Cuppen; Gu and Eisenstat;
 * LAPACK's dstedc/dlaed0). The matrix is halved recursively down to leaves of at most {@value #LEAF} rows, which
 * implicit QL solves; each coupling β is removed as a rank-one term (T = diag(T₁ − |β|e_last e_lastᵀ, T₂ −
 * |β|e₁e₁ᵀ) + |β|·v·vᵀ) and restored by a {@link RankOneMerge}, whose vector update is a GEMM. Most flops are in
 * the top merges' GEMMs.
 *
 * <p>Threads: the leaves, and the merges of one tree level, are independent: while a level has several of them,
 * they are spread over the team, each on one thread; the top merges, one at a time, use the whole team in their
 * GEMMs and root finding. Each merge computes the same whatever thread runs it, so the result is bitwise the same
 * for every thread count.
 */
final class DivideAndConquer {
    /** Largest leaf: QL with vectors costs ~9n³ scalar flops, cheaper than a merge only for small n (LAPACK: 25). */
    static final int LEAF = 32;

    private final Level1KernelF64 l1;
    private final ThreadTeam team;
    private final RankOneMerge merge;

    DivideAndConquer(GemmEngine<double[]> gemm, Level1KernelF64 l1, ThreadTeam team) {
        this.l1 = l1;
        this.team = team;
        this.merge = new RankOneMerge(gemm, l1, team);
    }

    /** A node of the halving tree: [lo, hi), split at mid (leaves have mid = −1). */
    private record Node(int lo, int mid, int hi, int depth) {
    }

    /**
     * Diagonalises the n×n tridiagonal matrix (d, e): on return {@code d[0:n)} holds its eigenvalues in no
     * particular order and row i of q (n×n at qOff, leading dimension ldq) the unit eigenvector of d[i].
     * {@code e} is destroyed; {@code gather} and {@code u} are scratch of n² entries each.
     */
    void solve(int n, double[] d, double[] e, double[] q, int qOff, int ldq, double[] gather, double[] u) {
        for (int i = 0; i < n; i++) {
            Arrays.fill(q, qOff + i * ldq, qOff + i * ldq + n, 0.0);
        }
        double norm = 0;
        for (int i = 0; i < n; i++) {
            norm = Math.max(norm, Math.abs(d[i]));
        }
        for (int i = 0; i < n - 1; i++) {
            norm = Math.max(norm, Math.abs(e[i]));
        }
        if (norm == 0) {
            for (int i = 0; i < n; i++) {
                q[qOff + i * ldq + i] = 1.0;
            }
            return;
        }
        // Work on T scaled by a power of two to a largest entry in [1/2, 1): exact, and the tolerances are absolute.
        int shift = -Math.getExponent(norm) - 1;
        for (int i = 0; i < n; i++) {
            d[i] = Math.scalb(d[i], shift);
        }
        for (int i = 0; i < n - 1; i++) {
            e[i] = Math.scalb(e[i], shift);
        }

        List<Node> leaves = new ArrayList<>();
        List<List<Node>> mergesByDepth = new ArrayList<>();
        split(0, n, 0, leaves, mergesByDepth);
        for (List<Node> level : mergesByDepth) {
            for (Node node : level) {
                double beta = Math.abs(e[node.mid - 1]);
                d[node.mid - 1] -= beta;
                d[node.mid] -= beta;
            }
        }
        team.forEachTask(leaves.size(), t -> solveLeaf(leaves.get(t), d, e, q, qOff, ldq));
        for (int depth = mergesByDepth.size() - 1; depth >= 0; depth--) {
            List<Node> level = mergesByDepth.get(depth);
            // Several independent merges: one per thread. A single one: the whole team inside it.
            team.forEachTask(level.size(), t -> {
                Node node = level.get(t);
                merge.merge(node.lo, node.mid, node.hi, e[node.mid - 1], d, q, qOff, ldq, gather, u, node.lo * n);
            });
        }
        for (int i = 0; i < n; i++) {
            d[i] = Math.scalb(d[i], -shift);
        }
    }

    private static void split(int lo, int hi, int depth, List<Node> leaves, List<List<Node>> mergesByDepth) {
        if (hi - lo <= LEAF) {
            leaves.add(new Node(lo, -1, hi, depth));
            return;
        }
        int mid = lo + (hi - lo) / 2;
        while (mergesByDepth.size() <= depth) {
            mergesByDepth.add(new ArrayList<>());
        }
        mergesByDepth.get(depth).add(new Node(lo, mid, hi, depth));
        split(lo, mid, depth + 1, leaves, mergesByDepth);
        split(mid, hi, depth + 1, leaves, mergesByDepth);
    }

    private void solveLeaf(Node leaf, double[] d, double[] e, double[] q, int qOff, int ldq) {
        int size = leaf.hi - leaf.lo;
        int block = qOff + leaf.lo * ldq + leaf.lo;
        for (int i = 0; i < size; i++) {
            q[block + i * ldq + i] = 1.0;
        }
        double[] eLeaf = new double[size];
        System.arraycopy(e, leaf.lo, eLeaf, 0, size - 1);
        TridiagonalQl.solve(size, d, leaf.lo, eLeaf, 0, 1.0, q, block, ldq, size, l1);
    }
}
