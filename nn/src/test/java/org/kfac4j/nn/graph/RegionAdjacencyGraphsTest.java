package org.kfac4j.nn.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.kfac4j.nn.data.Dataset;
import org.kfac4j.nn.data.SyntheticImages;
import org.kfac4j.nn.tensor.DType;
import org.kfac4j.nn.tensor.ShapeMismatchException;
import org.kfac4j.nn.tensor.Tensor;

class RegionAdjacencyGraphsTest {
    private static final int S = RegionAdjacencyGraphs.GRID_STEP;

    /** Blobs on a dark background with noise: the kind of image the task holds. */
    private static double[] image(long seed, int h, int w) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] px = new double[h * w];
        for (int blob = 0; blob < 3; blob++) {
            double cx = rng.nextDouble(w);
            double cy = rng.nextDouble(h);
            double r = 2 + rng.nextDouble(6);
            double level = rng.nextDouble(0.3, 1);
            for (int p = 0; p < px.length; p++) {
                double dx = p % w - cx;
                double dy = p / w - cy;
                if (dx * dx + dy * dy < r * r) {
                    px[p] = Math.max(px[p], level);
                }
            }
        }
        for (int p = 0; p < px.length; p++) {
            px[p] = Math.min(1, Math.max(0, px[p] + 0.05 * rng.nextGaussian()));
        }
        return px;
    }

    /** Segmentation invariants: a partition into 4-connected regions of >= MIN_AREA pixels numbered in raster order. */
    @Test
    void regionsPartitionTheImageIntoConnectedPieces() {
        int[][] sizes = {{28, 28}, {13, 17}, {1, 9}, {5, 1}, {2, 2}};
        for (int[] hw : sizes) {
            for (long seed = 0; seed < 5; seed++) {
                int h = hw[0];
                int w = hw[1];
                int[] region = RegionAdjacencyGraphs.segment(image(seed, h, w), h, w);
                int next = 0;
                int[] area = new int[h * w];
                for (int p = 0; p < h * w; p++) {
                    assertTrue(region[p] >= 0 && region[p] <= next, "raster-order numbering at pixel " + p);
                    if (region[p] == next) {
                        next++;
                    }
                    area[region[p]]++;
                }
                for (int r = 0; r < next; r++) {
                    assertTrue(area[r] >= Math.min(RegionAdjacencyGraphs.MIN_AREA, h * w), "region " + r + " of "
                            + area[r] + " pixels in " + h + "x" + w);
                    assertEquals(area[r], reachable(region, r, h, w), "region " + r + " is 4-connected");
                }
            }
        }
    }

    /** Pixels of region {@code r} reachable from its first pixel through 4-neighbours in {@code r}. */
    private static int reachable(int[] region, int r, int h, int w) {
        int start = 0;
        while (region[start] != r) {
            start++;
        }
        boolean[] seen = new boolean[h * w];
        ArrayDeque<Integer> queue = new ArrayDeque<>(List.of(start));
        seen[start] = true;
        int count = 0;
        while (!queue.isEmpty()) {
            int p = queue.poll();
            count++;
            int x = p % w;
            int[] next = {x > 0 ? p - 1 : -1, x < w - 1 ? p + 1 : -1, p - w, p + w};
            for (int q : next) {
                if (q >= 0 && q < h * w && !seen[q] && region[q] == r) {
                    seen[q] = true;
                    queue.add(q);
                }
            }
        }
        return count;
    }

    /** The graph's nodes, edges and features follow from its segmentation by definition. */
    @Test
    void nodesEdgesAndFeaturesFollowTheSegmentation() {
        int h = 28;
        int w = 28;
        for (long seed = 0; seed < 4; seed++) {
            double[] px = image(seed, h, w);
            int[] region = RegionAdjacencyGraphs.segment(px, h, w);
            Graph g = RegionAdjacencyGraphs.of(px, h, w, 3, DType.F64);
            int regions = g.nodes();
            assertEquals(3, g.label());
            TreeSet<String> expected = new TreeSet<>();
            for (int p = 0; p < h * w; p++) {
                int x = p % w;
                if (x < w - 1 && region[p + 1] != region[p]) {
                    expected.add(Math.min(region[p], region[p + 1]) + "-" + Math.max(region[p], region[p + 1]));
                }
                if (p + w < h * w && region[p + w] != region[p]) {
                    expected.add(Math.min(region[p], region[p + w]) + "-" + Math.max(region[p], region[p + w]));
                }
            }
            TreeSet<String> actual = new TreeSet<>();
            for (int[] e : g.edges()) {
                assertTrue(e[0] < e[1]);
                actual.add(e[0] + "-" + e[1]);
            }
            assertEquals(expected, actual);
            Tensor f = g.features();
            for (int r = 0; r < regions; r++) {
                double n = 0;
                double sum = 0;
                double max = 0;
                for (int p = 0; p < h * w; p++) {
                    if (region[p] == r) {
                        n++;
                        sum += px[p];
                        max = Math.max(max, px[p]);
                    }
                }
                assertEquals(sum / n, f.at(r, 0), 1e-12, "mean grey level of region " + r);
                assertEquals(max, f.at(r, 3), 0, "maximum");
                assertEquals(n / (S * S), f.at(r, 6), 1e-12, "area");
                int degree = 0;
                for (String e : actual) {
                    String[] ab = e.split("-");
                    degree += (Integer.parseInt(ab[0]) == r ? 1 : 0) + (Integer.parseInt(ab[1]) == r ? 1 : 0);
                }
                assertEquals(degree / 8.0, f.at(r, 14), 0, "degree");
            }
        }
    }

    /** Regions follow grey-level edges: on a two-tone image no region straddles the step. */
    @Test
    void regionsDoNotCrossAStrongEdge() {
        int h = 28;
        int w = 28;
        double[] px = new double[h * w];
        for (int p = 0; p < px.length; p++) {
            px[p] = p % w >= 11 ? 1 : 0;
        }
        Graph g = RegionAdjacencyGraphs.of(px, h, w, 0, DType.F64);
        for (int r = 0; r < g.nodes(); r++) {
            assertEquals(0, g.features().at(r, 1), 0, "grey-level deviation of region " + r);
        }
        assertTrue(g.nodes() >= 30 && g.nodes() <= 80, "about one region per 4x4 cell: " + g.nodes());
    }

    /** On the real images (when Debian's dataset-fashion-mnist is installed): graphs of the documented size. */
    @Test
    void fashionMnistImagesBecomeGraphsOfAboutFiftyRegions() throws java.io.IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isDirectory(
                org.kfac4j.nn.data.FashionMnist.DEFAULT_DIRECTORY), "Fashion-MNIST is not installed");
        Dataset test = org.kfac4j.nn.data.FashionMnist.test(org.kfac4j.nn.data.FashionMnist.DEFAULT_DIRECTORY,
                DType.F32);
        List<Graph> graphs = RegionAdjacencyGraphs.of(test, 500, DType.F32);
        double nodes = graphs.stream().mapToInt(Graph::nodes).average().orElseThrow();
        double edges = graphs.stream().mapToInt(g -> g.edges().length).average().orElseThrow();
        assertTrue(nodes >= 35 && nodes <= 70, "mean nodes " + nodes);
        assertTrue(edges >= 1.5 * nodes && edges <= 4 * nodes, "mean edges " + edges + " for " + nodes + " nodes");
    }

    @Test
    void aDataSetBecomesItsGraphsInOrder() {
        Dataset images = SyntheticImages.generate(40, 3, DType.F32);
        List<Graph> graphs = RegionAdjacencyGraphs.of(images, 25, DType.F32);
        assertEquals(25, graphs.size());
        for (int i = 0; i < 25; i += 6) {
            double[] px = new double[28 * 28];
            for (int p = 0; p < px.length; p++) {
                px[p] = images.inputs().get(i * 28 * 28 + p);
            }
            Graph one = RegionAdjacencyGraphs.of(px, 28, 28, images.labels()[i], DType.F32);
            assertEquals(images.labels()[i], graphs.get(i).label());
            assertArrayEquals(one.features().f32(), graphs.get(i).features().f32());
            assertEquals(one.edges().length, graphs.get(i).edges().length);
        }
        assertThrows(ShapeMismatchException.class, () -> RegionAdjacencyGraphs.of(new double[10], 3, 3, 0,
                DType.F32));
    }
}
