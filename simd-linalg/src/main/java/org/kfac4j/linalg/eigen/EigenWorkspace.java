package org.kfac4j.linalg.eigen;

/**
 * One thread's scratch for {@link SymmetricEigenSolver}, kept between calls so that repeated decompositions (a
 * K-FAC factor refresh decomposes the same sizes again and again) allocate nothing. Grows to the largest n seen.
 */
final class EigenWorkspace {
    /** The reduced matrix: the symmetric input, then the reflectors (n²). */
    double[] w = new double[0];
    /** Divide-and-conquer scratch, then the sorted eigenvectors as rows (n²). */
    double[] gather = new double[0];
    /** Divide-and-conquer scratch (n²). */
    double[] u = new double[0];
    /** Eigenvectors of T as rows, for callers whose output array cannot hold doubles (n²; float only). */
    double[] q = new double[0];
    double[] d = new double[0];
    double[] e = new double[0];
    double[] tau = new double[0];
    /** The tridiagonalisation's panel of w vectors, its stacked update operands, y and the symv partial sums. */
    double[] panelW = new double[0];
    double[] stack = new double[0];
    double[] y = new double[0];
    double[] partials = new double[0];
    /** The back-transformation's explicit Vᵀ, Gram matrix, triangular factor and two products with the vectors. */
    double[] vt = new double[0];
    double[] gram = new double[0];
    double[] t = new double[0];
    double[] xv = new double[0];
    double[] xvt = new double[0];

    /** Sizes the buffers for order n, with the vector buffers if {@code vectors}, and q if {@code ownQ}. */
    EigenWorkspace ensure(int n, boolean vectors, boolean ownQ) {
        int nn = n * n;
        if (w.length < nn) {
            w = new double[nn];
        }
        if (d.length < n) {
            d = new double[n];
            e = new double[n];
            tau = new double[n];
            y = new double[n];
            panelW = new double[TridiagonalReduction.PANEL * n];
            stack = new double[3 * TridiagonalReduction.PANEL * n];
            partials = new double[((n - 1) / TridiagonalReduction.SYMV_CHUNK + 1) * n];
        }
        if (vectors && gather.length < nn) {
            gather = new double[nn];
            u = new double[nn];
            int b = BackTransformation.BLOCK;
            vt = new double[b * n];
            gram = new double[b * b];
            t = new double[b * b];
            xv = new double[n * b];
            xvt = new double[n * b];
        }
        if (ownQ && q.length < nn) {
            q = new double[nn];
        }
        return this;
    }
}
