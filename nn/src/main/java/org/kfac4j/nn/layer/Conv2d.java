package org.kfac4j.nn.layer;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.random.RandomGenerator;
import org.kfac4j.linalg.Linalg;
import org.kfac4j.linalg.Transpose;
import org.kfac4j.linalg.parallel.ThreadTeam;
import org.kfac4j.nn.tensor.DType;
import org.kfac4j.nn.tensor.MatMul;
import org.kfac4j.nn.tensor.RowOps;
import org.kfac4j.nn.tensor.ShapeMismatchException;
import org.kfac4j.nn.tensor.Tensor;

/**
 * 2-D convolution (cross-correlation, as PyTorch's {@code nn.Conv2d}) with stride, zero padding and optional bias, on
 * channels-last images {@code [N, H, W, C_in] → [N, H_out, W_out, C_out]}. As a K-FAC layer it is a linear layer
 * shared over the R = H_out·W_out output positions: its input is the im2col matrix {@code N × R × C_in·kh·kw}
 * (plus a ones column with a bias), in PyTorch's column order; its output, channels-last, is already
 * {@code N × R × C_out}. Weight {@code C_out × C_in × kh × kw}.
 *
 * <p>The passes work on blocks of whole images (in the forward pass {@link #BLOCK_BYTES} of im2col rows, in the
 * tap-major order of {@link Im2col}; in the backward pass a few hundred rows per thread) so that the rows stay in
 * cache between their gather, GEMMs and scatter; the whole column matrix is never built in a pass: a capturing pass
 * records the input image, from which K-FAC forms what it needs of the rows ({@link ConvolutionRows}). At stride 1,
 * where k·C_in is not tiny, the forward pass and the input gradient are implicit-im2col correlations without rows
 * ({@link ImplicitConvolution}); the weight gradient is summed over groups of images in their order. A pass computes
 * the same bits with and without captures, and on any number of threads.
 */
public final class Conv2d extends SharedWeightLayer {
    private final int kernel;
    private final int stride;
    private final int padding;
    /** The passes computed without a column matrix (see there which), or null where every pass uses one. */
    private final ImplicitConvolution implicit;

    /** A square {@code kernel × kernel} convolution initialised as PyTorch's {@code nn.Conv2d} is. */
    public Conv2d(String name, int in, int out, int kernel, int stride, int padding, boolean bias, DType dtype,
                  RandomGenerator rng) {
        super(name, checked(name, in, out, kernel, stride, padding) * kernel * kernel, out,
                new int[] {out, in, kernel, kernel}, bias, dtype, rng);
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        this.implicit = ImplicitConvolution.forwardApplies(in, kernel, stride)
                ? new ImplicitConvolution(in, out, kernel, padding) : null;
    }

    private static int checked(String name, int in, int out, int kernel, int stride, int padding) {
        if (in <= 0 || out <= 0 || kernel <= 0 || stride <= 0 || padding < 0) {
            throw new IllegalArgumentException(name + ": Conv2d needs positive channels, kernel and stride and "
                    + "padding >= 0, got " + in + "→" + out + ", kernel " + kernel + ", stride " + stride
                    + ", padding " + padding);
        }
        return in;
    }

    /** Input channels. */
    private int channels() {
        return in / (kernel * kernel);
    }

    @Override
    public Node forward(Tensor x, Pass pass) {
        if (x.rank() != 4 || x.dim(3) != channels()) {
            throw ShapeMismatchException.of(this + " input (channels-last)", "[N, H, W, " + channels() + "]", x.shape());
        }
        if (x.dtype() != weight.value().dtype()) {
            throw new ShapeMismatchException(this + ": input is " + x.dtype() + ", the weight " + weight.value().dtype());
        }
        Im2col geometry = new Im2col(x.dim(1), x.dim(2), channels(), kernel, kernel, stride, padding);
        int ho = geometry.outHeight();
        int wo = geometry.outWidth();
        if (ho <= 0 || wo <= 0) {
            throw ShapeMismatchException.of(this + " input: the " + kernel + "×" + kernel + " kernel does not fit",
                    "H, W >= " + (kernel - 2 * padding), x.shape());
        }
        int n = x.dim(0);
        int r = ho * wo;
        int d = inputDim();
        int ld = bias != null ? d + 1 : d;
        int block = imagesPerBlock(n, r, ld, x.dtype());
        Linalg linalg = pass.linalg();
        Tensor w = geometry.toTapMajor(weight.value());
        Tensor y = x.zeros(n, ho, wo, out);
        if (implicit != null) {
            if (bias != null) {
                RowOps.broadcastRows(bias.value(), y, 0, n * r, out);
            }
            implicit.forward(linalg, x, w, y);
        } else {
            Tensor cols = x.zeros(block, r, ld);
            for (int first = 0; first < n; first += block) {
                int count = Math.min(block, n - first);
                int rows = count * r;
                int yAt = first * r * out;
                geometry.gather(linalg, x, first, count, cols, 0, ld);
                if (bias != null) {
                    for (int row = 0; row < rows; row++) {
                        cols.set(row * ld + d, 1);
                    }
                    RowOps.broadcastRows(bias.value(), y, yAt, rows, out);
                }
                MatMul.gemm(linalg, Transpose.N, Transpose.T, rows, out, d, 1, cols, 0, ld, w, 0, d,
                        bias != null ? 1 : 0, y, yAt, out);
            }
        }
        // K-FAC's rows are the channel-major column matrix; it is formed from x when K-FAC reads it
        int call = pass.captures().recordInput(this, new ConvolutionRows(geometry, x, bias != null, linalg));
        return new ConvNode(x, geometry, w, y, pass, call, n, r);
    }

    /**
     * Rows (images × output positions) summed into one partial weight gradient of the backward pass, at least: each
     * partial costs a pass over {@code C_in·kh·kw × C_out} values at the end, its group that many multiply-adds per
     * row (two images at 28×28, eight at 14×14).
     */
    private static final int GROUP_ROWS = 1536;

    /**
     * Images per group at most, unless the partials would outgrow {@link #PARTIALS_BYTES}: the groups are the backward
     * pass's parallel tasks (8 for a batch of 128 at 7×7), and fewer than the threads would leave some idle.
     */
    private static final int MAX_GROUP_IMAGES = 16;

    /** Bytes of partial weight gradients of one backward pass at most (fewer, larger groups for wide layers). */
    static final long PARTIALS_BYTES = 64L << 20;

    /**
     * Rows gathered and multiplied at once within a group, at least: the depth of a packed block of the GEMM, so the
     * partial is read and written once per {@code kc} rows or fewer, while the gathered copy stays in the thread's L2.
     */
    private static final int MIN_THREAD_ROWS = 384;

    /**
     * Images per group of the backward pass's partial weight gradients, for {@code n} images of {@code r} output
     * positions and a {@code d × out} weight: a function of the shape alone, so the sums' order is the same on any
     * number of threads.
     */
    static int imagesPerGroup(int n, int r, int d, int out, DType dtype) {
        int byRows = Math.max(1, Math.min(MAX_GROUP_IMAGES, (GROUP_ROWS + r - 1) / r));
        long maxGroups = Math.max(1, PARTIALS_BYTES / ((long) d * out * dtype.bytes()));
        return (int) Math.max(byRows, (n + maxGroups - 1) / maxGroups);
    }

    /** Images gathered and multiplied at once within a group of {@code groupImages}. */
    static int imagesPerThreadBlock(int r, int groupImages) {
        return Math.max(1, Math.min(groupImages, (MIN_THREAD_ROWS + r - 1) / r));
    }

    /**
     * Bytes of im2col rows computed on at a time. The column matrix of a whole batch (115 MB for a 32-channel 3×3
     * convolution of 128 images of 28×28) would make a round trip through memory between the gather, the GEMMs and
     * the scatter; a block of whole images of about this size stays in the last-level cache between them.
     */
    public static final long BLOCK_BYTES = 4L << 20;

    /**
     * Images per block of the passes over {@code n} images of {@code r} output positions with im2col rows of
     * {@code ld} values: as many as fit {@link #BLOCK_BYTES}, at least one; a function of the shape alone, so the
     * blocks do not depend on the thread count.
     */
    public static int imagesPerBlock(int n, int r, int ld, DType dtype) {
        long perImage = (long) r * ld * dtype.bytes();
        return (int) Math.max(1, Math.min(n, BLOCK_BYTES / perImage));
    }

    @Override
    public String toString() {
        return name + " (Conv2d " + channels() + "→" + out + ", " + kernel + "×" + kernel + ", stride " + stride
                + ", padding " + padding + (bias != null ? ", bias" : "") + ")";
    }

    /**
     * The backward pass: ∂L/∂x as an implicit correlation where {@link ImplicitConvolution#inputGradientApplies}, the
     * rest over groups of images ({@link #imagesPerGroup}), a parallel task each (or, with fewer groups than twice the
     * threads, one after the other with their products split between the threads): ∂L/∂Wᵀ as the sum, in group
     * order, of each group's aᵀ·g, and ∂L/∂x scattered from the group's g·W. The rows are gathered again from x rather
     * than kept from the forward pass: a gather into the cache costs less than keeping the batch's column matrix in
     * memory.
     */
    private final class ConvNode implements Node {
        private final Tensor x;
        private final Im2col geometry;
        private final Tensor tapMajorWeight;
        private final Tensor y;
        private final Pass pass;
        private final int call;
        private final int n;
        private final int r;

        ConvNode(Tensor x, Im2col geometry, Tensor tapMajorWeight, Tensor y, Pass pass, int call, int n, int r) {
            this.x = x;
            this.geometry = geometry;
            this.tapMajorWeight = tapMajorWeight;
            this.y = y;
            this.pass = pass;
            this.call = call;
            this.n = n;
            this.r = r;
        }

        @Override
        public Tensor output() {
            return y;
        }

        @Override
        public Tensor backward(Tensor g, Backward how) {
            ShapeMismatchException.requireGradientLike(Conv2d.this, y, g);
            if (call >= 0) {
                pass.captures().recordOutputGradient(Conv2d.this, call, g.reshape(n, r, out));
            }
            boolean weights = how.parameterGradients();
            if (!weights && !how.inputGradient()) {
                return null;
            }
            Linalg linalg = pass.linalg();
            if (weights && bias != null) {
                RowOps.addRowSums(linalg, g, n * r, out, bias.grad());
            }
            int d = inputDim();
            // ∂L/∂W transposed, colsᵀ·g: C_in·kh·kw × C_out in tap-major rows, added to the gradient at the end.
            // Against gᵀ·cols, the long operand (a block's rows) is read in place rather than packed where C_out is
            // small, and the 6-row register tiles run over C_in·kh·kw instead of C_out (32 = 5·6 + 2). JMH
            // (ConvGemmShapesBench, the cnn model's blocks, 1 / 2 threads): 1.8 / 2.2x faster at C_out = 32,
            // 1.5 / 1.0x at 64, 1.3 / 0.92x at 128.
            Tensor dx = null;
            boolean scatter = false; // ∂L/∂x through the groups' g·W rows
            if (how.inputGradient()) {
                scatter = implicit == null || !implicit.inputGradientApplies();
                dx = scatter ? x.zerosLike() : implicit.inputGradient(linalg, g, tapMajorWeight, x);
            }
            if (!weights && !scatter) {
                return dx;
            }
            // The images in groups, a task each: a thread gathers a few images' rows into a buffer of its own (in its
            // L2) and multiplies them at once, single-threaded, into the group's partial ∂L/∂Wᵀ; the partials are
            // summed in group order at the end. One parallel region for the layer instead of two hand-offs per block
            // of images (the gather's, then the GEMM's), and sums whose order depends on the shape alone, not the
            // thread count. A group's images scatter into their own part of ∂L/∂x.
            int groupImages = imagesPerGroup(n, r, d, out, x.dtype());
            int images = imagesPerThreadBlock(r, groupImages);
            int groups = (n + groupImages - 1) / groupImages;
            Tensor[] partials = weights ? new Tensor[groups] : null; // each zeroed by the task that fills it
            Tensor gradient = dx;
            boolean scatterRows = scatter;
            Queue<Tensor> buffers = new ConcurrentLinkedQueue<>(); // one per thread at most
            ThreadTeam.RangeBody task = (groupFrom, groupTo) -> {
                Tensor cols = buffers.poll();
                if (cols == null) {
                    cols = x.zeros(images, r, d); // a block's gathered rows, then its g·W
                }
                for (int group = groupFrom; group < groupTo; group++) {
                    int groupStart = group * groupImages;
                    int groupEnd = Math.min(n, groupStart + groupImages);
                    for (int first = groupStart; first < groupEnd; first += images) {
                        int count = Math.min(images, groupEnd - first);
                        int rows = count * r;
                        int gAt = first * r * out;
                        if (partials != null) {
                            if (first == groupStart) {
                                partials[group] = x.zeros(d, out);
                            }
                            geometry.gather(linalg, x, first, count, cols, 0, d);
                            MatMul.gemm(linalg, Transpose.T, Transpose.N, d, out, rows, 1, cols, 0, d, g, gAt, out,
                                    first == groupStart ? 0 : 1, partials[group], 0, out);
                        }
                        if (scatterRows) {
                            MatMul.gemm(linalg, Transpose.N, Transpose.N, rows, d, out, 1, g, gAt, out,
                                    tapMajorWeight, 0, d, 0, cols, 0, d);
                            geometry.scatterAdd(linalg, cols, 0, d, first, count, gradient);
                        }
                    }
                }
                buffers.add(cols);
            };
            if (groups >= 2 * linalg.threads()) {
                linalg.parallelFor(groups, 1, task);
            } else {
                task.run(0, groups); // too few groups to share out: each one's gathers and products split instead
            }
            if (partials != null && groups > 0) {
                geometry.addTransposedSumToChannelMajor(linalg, partials, weight.grad());
            }
            return dx;
        }
    }
}
