package org.kfac4j.properties.kfac;

/**
 * The exact GGN of a {@link DeepLinearNetwork}, and the factor definitions of kfac-math.md, computed from explicit
 * Jacobians with plain loops: a forward pass of its own and forward-mode differentiation (a unit tangent pushed
 * through the remaining layers). Shares no code with kfac or nn, so a property comparing the two checks kfac
 * against the definitions, not against itself.
 *
 * <p>Indexing: loss term t = n·T + τ (T terms per example); layer l's parameters flattened row-major over
 * W̃_l = [W_l | b_l], p = i·D_in + j (kfac-math.md).
 */
final class ExactGgn {
    private final DeepLinearNetwork net;
    /** ã of every layer: N × R_l × D_in(l), with the trailing 1 where the layer has a bias. */
    private final double[][] inputs;
    /** f: one C-vector per loss term. */
    private final double[] output;

    ExactGgn(DeepLinearNetwork net) {
        this.net = net;
        this.inputs = new double[net.depth()][];
        double[] h = net.x;
        int rows = net.n * net.r;
        for (int l = 0; l < net.depth(); l++) {
            int in = net.widths[l];
            int dIn = net.inputDim(l);
            inputs[l] = new double[rows * dIn];
            for (int row = 0; row < rows; row++) {
                System.arraycopy(h, row * in, inputs[l], row * dIn, in);
                if (net.bias[l]) {
                    inputs[l][row * dIn + in] = 1;
                }
            }
            h = apply(l, h, rows, true);
            if (l == net.poolAfter) {
                h = pool(h, net.outputDim(l));
                rows = net.n;
            }
        }
        this.output = h;
    }

    /** h·W_lᵀ (+ b_l when {@code withBias}) for {@code rows} rows of width in_l. */
    private double[] apply(int l, double[] h, int rows, boolean withBias) {
        int in = net.widths[l];
        int out = net.outputDim(l);
        double[] next = new double[rows * out];
        for (int row = 0; row < rows; row++) {
            for (int i = 0; i < out; i++) {
                double s = withBias && net.bias[l] ? net.b[l][i] : 0;
                for (int j = 0; j < in; j++) {
                    s += net.w[l][i * in + j] * h[row * in + j];
                }
                next[row * out + i] = s;
            }
        }
        return next;
    }

    /** Sum or mean over the R positions of each example. */
    private double[] pool(double[] h, int width) {
        double[] pooled = new double[net.n * width];
        for (int e = 0; e < net.n; e++) {
            for (int p = 0; p < net.r; p++) {
                for (int j = 0; j < width; j++) {
                    pooled[e * width + j] += h[(e * net.r + p) * width + j] / (net.meanPool ? net.r : 1);
                }
            }
        }
        return pooled;
    }

    /**
     * Forward mode: the tangent of f (one C-vector per loss term) caused by the tangent {@code ds} of layer l's
     * output (N × R_l × out_l). The network is linear, so this is exactly the Jacobian-vector product.
     */
    private double[] pushForward(int l, double[] ds) {
        double[] t = ds;
        int rows = net.n * net.positionsAt(l);
        if (l == net.poolAfter) {
            t = pool(t, net.outputDim(l));
            rows = net.n;
        }
        for (int k = l + 1; k < net.depth(); k++) {
            t = apply(k, t, rows, false);
            if (k == net.poolAfter) {
                t = pool(t, net.outputDim(k));
                rows = net.n;
            }
        }
        return t;
    }

    /** ∂f_t/∂θ_l for every term: [t][c·P + p], P = out_l · D_in(l). */
    double[][] parameterJacobian(int l) {
        int rows = net.n * net.positionsAt(l);
        int out = net.outputDim(l);
        int dIn = net.inputDim(l);
        int c = net.outputs();
        int params = out * dIn;
        double[][] jac = new double[net.terms()][c * params];
        for (int i = 0; i < out; i++) {
            for (int j = 0; j < dIn; j++) {
                // ∂s_{row,i'}/∂W̃[i,j] = δ_{ii'} ã_{row,j}
                double[] ds = new double[rows * out];
                for (int row = 0; row < rows; row++) {
                    ds[row * out + i] = inputs[l][row * dIn + j];
                }
                double[] df = pushForward(l, ds);
                for (int t = 0; t < net.terms(); t++) {
                    for (int o = 0; o < c; o++) {
                        jac[t][o * params + i * dIn + j] = df[t * c + o];
                    }
                }
            }
        }
        return jac;
    }

    /** The exact GGN block of layer l: (1/Z) Σ_t J_tᵀ Λ J_t, P × P. */
    double[] block(int l) {
        double[][] jac = parameterJacobian(l);
        int c = net.outputs();
        int params = net.outputDim(l) * net.inputDim(l);
        double[] lambda = net.lambda();
        double[] ggn = new double[params * params];
        for (double[] jt : jac) {
            double[] lj = new double[c * params];
            for (int o = 0; o < c; o++) {
                for (int o2 = 0; o2 < c; o2++) {
                    for (int p = 0; p < params; p++) {
                        lj[o * params + p] += lambda[o * c + o2] * jt[o2 * params + p];
                    }
                }
            }
            for (int p = 0; p < params; p++) {
                for (int q = 0; q < params; q++) {
                    double s = 0;
                    for (int o = 0; o < c; o++) {
                        s += jt[o * params + p] * lj[o * params + q];
                    }
                    ggn[p * params + q] += s / net.normaliser();
                }
            }
        }
        return ggn;
    }

    /**
     * The maps B_j from the noise of example e(j)'s loss terms, in the whitened output space f' = Mf, to the vectors
     * whose outer products make G: B_j ∈ R^{out_l × (T·C)}, B_j = [∂f'_τ/∂s_{j}]ᵀ over the example's terms τ.
     * j runs over (n, m) for {@code reduce = false} (K-FAC-expand: g_{n,m}) and over n with the positions summed
     * for {@code reduce = true} (K-FAC-reduce: ĝ_n). Row-major, [j][i·T·C + τ·C + c].
     */
    double[][] backwardMaps(int l, boolean reduce) {
        int positions = net.positionsAt(l);
        int out = net.outputDim(l);
        int c = net.outputs();
        int perExample = net.termsPerExample();
        int width = perExample * c;
        double[][] maps = new double[net.n * (reduce ? 1 : positions)][out * width];
        for (int e = 0; e < net.n; e++) {
            for (int p = 0; p < positions; p++) {
                double[][] target = maps;
                int j = reduce ? e : e * positions + p;
                for (int i = 0; i < out; i++) {
                    double[] ds = new double[net.n * positions * out];
                    ds[(e * positions + p) * out + i] = 1;
                    double[] df = pushForward(l, ds);
                    for (int tau = 0; tau < perExample; tau++) {
                        int t = e * perExample + tau;
                        for (int o = 0; o < c; o++) {
                            // ∂f'_{t,o}/∂s_{e,p,i} = Σ_k M[o,k] ∂f_{t,k}/∂s_{e,p,i}
                            double s = 0;
                            for (int k = 0; k < c; k++) {
                                s += net.m[o * c + k] * df[t * c + k];
                            }
                            target[j][i * width + tau * c + o] += s;
                        }
                    }
                }
            }
        }
        return maps;
    }

    /** The residual f' − y' of example e's terms, T·C long: the observed loss gradient per term. */
    double[] residual(int e) {
        int c = net.outputs();
        int width = net.termsPerExample() * c;
        double[] res = new double[width];
        for (int tau = 0; tau < net.termsPerExample(); tau++) {
            int t = e * net.termsPerExample() + tau;
            for (int o = 0; o < c; o++) {
                double s = 0;
                for (int k = 0; k < c; k++) {
                    s += net.m[o * c + k] * output[t * c + k];
                }
                res[tau * c + o] = s - net.y[t * c + o];
            }
        }
        return res;
    }

    /** A of kfac-math.md from its definition: (1/(N·R)) Σ ã ãᵀ (expand) or (1/N) Σ â âᵀ with â the mean over R (reduce). */
    double[] inputFactor(int l, boolean reduce) {
        int positions = net.positionsAt(l);
        int dIn = net.inputDim(l);
        double[] a = new double[dIn * dIn];
        for (int e = 0; e < net.n; e++) {
            if (reduce) {
                double[] mean = new double[dIn];
                for (int p = 0; p < positions; p++) {
                    for (int j = 0; j < dIn; j++) {
                        mean[j] += inputs[l][(e * positions + p) * dIn + j] / positions;
                    }
                }
                addOuter(a, mean, mean, 1.0 / net.n);
            } else {
                for (int p = 0; p < positions; p++) {
                    double[] row = new double[dIn];
                    System.arraycopy(inputs[l], (e * positions + p) * dIn, row, 0, dIn);
                    addOuter(a, row, row, 1.0 / (net.n * positions));
                }
            }
        }
        return a;
    }

    /** {@code into += scale · u vᵀ}. */
    static void addOuter(double[] into, double[] u, double[] v, double scale) {
        for (int i = 0; i < u.length; i++) {
            for (int j = 0; j < v.length; j++) {
                into[i * v.length + j] += scale * u[i] * v[j];
            }
        }
    }
}
