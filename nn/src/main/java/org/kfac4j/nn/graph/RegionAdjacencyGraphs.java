package org.kfac4j.nn.graph;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.kfac4j.nn.data.Dataset;
import org.kfac4j.nn.tensor.DType;
import org.kfac4j.nn.tensor.ShapeMismatchException;
import org.kfac4j.nn.tensor.Tensor;

/**
 * Graph classification from real images: each grey-level image becomes the region adjacency graph of its
 * superpixels, as in the MNIST-superpixel benchmarks of graph networks (Monti et al., 2017).
 *
 * <ul>
 *   <li>Superpixels: SLIC (Achanta et al., 2012) on the grey levels: k-means over (intensity / {@value #COMPACTNESS},
 *       x / S, y / S) started from the centres of a regular grid of S × S cells (S = {@value #GRID_STEP}: 49 on a
 *       28 × 28 image), each centre searching only the 2S × 2S window around it, {@value #ITERATIONS} iterations.
 *       Each 4-connected piece of a cluster is one region, and pieces under {@value #MIN_AREA} pixels join the
 *       neighbouring region they share the most boundary with, so that every region is connected.</li>
 *   <li>Nodes: the regions in raster order of their first pixel, with {@value #FEATURES} features: mean, standard
 *       deviation, minimum and maximum grey level; centroid x and y in [−1, 1]; area, bounding-box width and height,
 *       and the standard deviations of x and y (in units of S); the correlation of x and y; the mean absolute
 *       horizontal and vertical grey-level steps inside the region; the degree / 8; the share of its pixels on the
 *       image border.</li>
 *   <li>Edges: regions with 4-adjacent pixels.</li>
 * </ul>
 *
 * Fully determined by the image; the graphs of a data set are built in parallel, in order.
 */
public final class RegionAdjacencyGraphs {
    /** Node feature width (the {@code gcn} model's input). */
    public static final int FEATURES = 16;
    /** S, the grid step of the initial cluster centres, in pixels. */
    public static final int GRID_STEP = 4;
    /** m: an intensity difference of m weighs as much as a distance of S pixels. */
    public static final double COMPACTNESS = 0.2;
    /** k-means iterations of SLIC. */
    public static final int ITERATIONS = 10;
    /** Connected pieces smaller than this (pixels) join a neighbouring region. */
    public static final int MIN_AREA = 3;

    private RegionAdjacencyGraphs() {
    }

    /** The graphs of the first {@code count} images of {@code images} ({@code N × H × W × 1}, grey levels in [0, 1]). */
    public static List<Graph> of(Dataset images, int count, DType dtype) {
        int[] shape = images.exampleShape();
        if (shape.length != 3 || shape[2] != 1) {
            throw ShapeMismatchException.of(images.name() + " examples", "[H, W, 1]", shape);
        }
        int n = Math.min(count, images.size());
        Tensor x = images.inputs();
        int h = shape[0];
        int w = shape[1];
        return IntStream.range(0, n).parallel().mapToObj(i -> {
            double[] pixels = new double[h * w];
            for (int p = 0; p < pixels.length; p++) {
                pixels[p] = x.get(i * h * w + p);
            }
            return of(pixels, h, w, images.labels()[i], dtype);
        }).toList();
    }

    /** The region adjacency graph of one {@code h × w} grey-level image (row-major) with class {@code label}. */
    public static Graph of(double[] pixels, int h, int w, int label, DType dtype) {
        int[] region = segment(pixels, h, w);
        int regions = Arrays.stream(region).max().orElse(-1) + 1;
        int[][] edges = adjacency(region, regions, h, w);
        return new Graph(features(pixels, region, regions, edges, h, w, dtype), edges, label);
    }

    /**
     * The region of every pixel of an {@code h × w} grey-level image (row-major): regions numbered 0… in raster order
     * of their first pixel, each 4-connected and of at least {@link #MIN_AREA} pixels (unless the image is smaller).
     */
    public static int[] segment(double[] pixels, int h, int w) {
        if (pixels.length != h * w || h < 1 || w < 1) {
            throw new ShapeMismatchException("an image of " + pixels.length + " pixels is not " + h + " × " + w);
        }
        return connectedRegions(slic(pixels, h, w), h, w);
    }

    /** SLIC's cluster of every pixel. */
    private static int[] slic(double[] pixels, int h, int w) {
        int s = GRID_STEP;
        int rows = (h + s - 1) / s;
        int cols = (w + s - 1) / s;
        int k = rows * cols;
        // centre k: intensity, x, y
        double[] ci = new double[k];
        double[] cx = new double[k];
        double[] cy = new double[k];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                int y = Math.min(h - 1, r * s + s / 2);
                int x = Math.min(w - 1, c * s + s / 2);
                int j = r * cols + c;
                cx[j] = x;
                cy[j] = y;
                ci[j] = pixels[y * w + x];
            }
        }
        int[] cluster = new int[h * w];
        double[] best = new double[h * w];
        double intensityWeight = 1 / (COMPACTNESS * COMPACTNESS);
        double spaceWeight = 1.0 / (s * s);
        for (int it = 0; it < ITERATIONS; it++) {
            Arrays.fill(best, Double.POSITIVE_INFINITY);
            for (int j = 0; j < k; j++) {
                // a centre competes only for the pixels within S of its cell: the 2S × 2S window around it
                int y0 = Math.max(0, (int) Math.floor(cy[j] - s));
                int y1 = Math.min(h - 1, (int) Math.ceil(cy[j] + s));
                int x0 = Math.max(0, (int) Math.floor(cx[j] - s));
                int x1 = Math.min(w - 1, (int) Math.ceil(cx[j] + s));
                for (int y = y0; y <= y1; y++) {
                    for (int x = x0; x <= x1; x++) {
                        double di = pixels[y * w + x] - ci[j];
                        double dx = x - cx[j];
                        double dy = y - cy[j];
                        double d = di * di * intensityWeight + (dx * dx + dy * dy) * spaceWeight;
                        if (d < best[y * w + x]) {
                            best[y * w + x] = d;
                            cluster[y * w + x] = j;
                        }
                    }
                }
            }
            double[] si = new double[k];
            double[] sx = new double[k];
            double[] sy = new double[k];
            int[] count = new int[k];
            for (int p = 0; p < h * w; p++) {
                int j = cluster[p];
                si[j] += pixels[p];
                sx[j] += p % w;
                sy[j] += p / w;
                count[j]++;
            }
            for (int j = 0; j < k; j++) {
                if (count[j] > 0) { // a centre that won no pixel stays where it was
                    ci[j] = si[j] / count[j];
                    cx[j] = sx[j] / count[j];
                    cy[j] = sy[j] / count[j];
                }
            }
        }
        return cluster;
    }

    /**
     * Splits clusters into 4-connected pieces, lets pieces under {@link #MIN_AREA} pixels join the neighbour they
     * touch most, and numbers the regions 0… in raster order of their first pixel.
     */
    private static int[] connectedRegions(int[] cluster, int h, int w) {
        int[] piece = new int[h * w];
        Arrays.fill(piece, -1);
        int pieces = 0;
        int[] area = new int[h * w];
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        for (int start = 0; start < h * w; start++) {
            if (piece[start] >= 0) {
                continue;
            }
            piece[start] = pieces;
            queue.add(start);
            while (!queue.isEmpty()) {
                int p = queue.poll();
                area[pieces]++;
                for (int q : neighbours(p, h, w)) {
                    if (q >= 0 && piece[q] < 0 && cluster[q] == cluster[start]) {
                        piece[q] = pieces;
                        queue.add(q);
                    }
                }
            }
            pieces++;
        }
        for (int small = 0; small < pieces; small++) {
            if (area[small] >= MIN_AREA || area[small] == h * w) {
                continue;
            }
            int[] contact = new int[pieces];
            for (int p = 0; p < h * w; p++) {
                if (piece[p] == small) {
                    for (int q : neighbours(p, h, w)) {
                        if (q >= 0 && piece[q] != small) {
                            contact[piece[q]]++;
                        }
                    }
                }
            }
            int into = 0;
            for (int j = 1; j < pieces; j++) {
                if (contact[j] > contact[into]) {
                    into = j;
                }
            }
            for (int p = 0; p < h * w; p++) {
                if (piece[p] == small) {
                    piece[p] = into;
                }
            }
            area[into] += area[small];
            area[small] = 0;
        }
        int[] number = new int[pieces];
        Arrays.fill(number, -1);
        int regions = 0;
        int[] region = new int[h * w];
        for (int p = 0; p < h * w; p++) {
            if (number[piece[p]] < 0) {
                number[piece[p]] = regions++;
            }
            region[p] = number[piece[p]];
        }
        return region;
    }

    /** The 4-neighbours of pixel {@code p} (−1 where the image ends): left, right, up, down. */
    private static int[] neighbours(int p, int h, int w) {
        int x = p % w;
        int y = p / w;
        return new int[] {x > 0 ? p - 1 : -1, x < w - 1 ? p + 1 : -1, y > 0 ? p - w : -1, y < h - 1 ? p + w : -1};
    }

    /** Pairs of regions with 4-adjacent pixels, ascending. */
    private static int[][] adjacency(int[] region, int regions, int h, int w) {
        TreeSet<Long> pairs = new TreeSet<>();
        for (int p = 0; p < h * w; p++) {
            int x = p % w;
            int y = p / w;
            if (x < w - 1 && region[p + 1] != region[p]) {
                pairs.add(pair(region[p], region[p + 1], regions));
            }
            if (y < h - 1 && region[p + w] != region[p]) {
                pairs.add(pair(region[p], region[p + w], regions));
            }
        }
        return pairs.stream().map(k -> new int[] {(int) (k / regions), (int) (k % regions)}).toArray(int[][]::new);
    }

    private static long pair(int a, int b, int regions) {
        return (long) Math.min(a, b) * regions + Math.max(a, b);
    }

    private static Tensor features(double[] pixels, int[] region, int regions, int[][] edges, int h, int w,
                                   DType dtype) {
        double s = GRID_STEP;
        int[] n = new int[regions];
        double[] sum = new double[regions];
        double[] sumSq = new double[regions];
        double[] min = new double[regions];
        double[] max = new double[regions];
        double[] sx = new double[regions];
        double[] sy = new double[regions];
        double[] sxx = new double[regions];
        double[] syy = new double[regions];
        double[] sxy = new double[regions];
        int[] x0 = new int[regions];
        int[] x1 = new int[regions];
        int[] y0 = new int[regions];
        int[] y1 = new int[regions];
        double[] stepX = new double[regions];
        int[] stepsX = new int[regions];
        double[] stepY = new double[regions];
        int[] stepsY = new int[regions];
        int[] border = new int[regions];
        Arrays.fill(min, Double.POSITIVE_INFINITY);
        Arrays.fill(max, Double.NEGATIVE_INFINITY);
        Arrays.fill(x0, Integer.MAX_VALUE);
        Arrays.fill(y0, Integer.MAX_VALUE);
        Arrays.fill(x1, Integer.MIN_VALUE);
        Arrays.fill(y1, Integer.MIN_VALUE);
        for (int p = 0; p < h * w; p++) {
            int r = region[p];
            int x = p % w;
            int y = p / w;
            double v = pixels[p];
            n[r]++;
            sum[r] += v;
            sumSq[r] += v * v;
            min[r] = Math.min(min[r], v);
            max[r] = Math.max(max[r], v);
            sx[r] += x;
            sy[r] += y;
            sxx[r] += (double) x * x;
            syy[r] += (double) y * y;
            sxy[r] += (double) x * y;
            x0[r] = Math.min(x0[r], x);
            x1[r] = Math.max(x1[r], x);
            y0[r] = Math.min(y0[r], y);
            y1[r] = Math.max(y1[r], y);
            if (x < w - 1 && region[p + 1] == r) {
                stepX[r] += Math.abs(pixels[p + 1] - v);
                stepsX[r]++;
            }
            if (y < h - 1 && region[p + w] == r) {
                stepY[r] += Math.abs(pixels[p + w] - v);
                stepsY[r]++;
            }
            if (x == 0 || y == 0 || x == w - 1 || y == h - 1) {
                border[r]++;
            }
        }
        int[] degree = new int[regions];
        for (int[] e : edges) {
            degree[e[0]]++;
            degree[e[1]]++;
        }
        Tensor f = Tensor.zeros(dtype, regions, FEATURES);
        for (int r = 0; r < regions; r++) {
            double mean = sum[r] / n[r];
            double mx = sx[r] / n[r];
            double my = sy[r] / n[r];
            double vx = Math.max(0, sxx[r] / n[r] - mx * mx);
            double vy = Math.max(0, syy[r] / n[r] - my * my);
            double cxy = sxy[r] / n[r] - mx * my;
            double[] row = {
                mean,
                Math.sqrt(Math.max(0, sumSq[r] / n[r] - mean * mean)),
                min[r],
                max[r],
                w > 1 ? 2 * mx / (w - 1) - 1 : 0,
                h > 1 ? 2 * my / (h - 1) - 1 : 0,
                n[r] / (s * s),
                (x1[r] - x0[r] + 1) / s,
                (y1[r] - y0[r] + 1) / s,
                Math.sqrt(vx) / s,
                Math.sqrt(vy) / s,
                vx > 0 && vy > 0 ? cxy / Math.sqrt(vx * vy) : 0,
                stepsX[r] > 0 ? stepX[r] / stepsX[r] : 0,
                stepsY[r] > 0 ? stepY[r] / stepsY[r] : 0,
                degree[r] / 8.0,
                (double) border[r] / n[r],
            };
            for (int j = 0; j < FEATURES; j++) {
                f.set(r * FEATURES + j, row[j]);
            }
        }
        return f;
    }
}
