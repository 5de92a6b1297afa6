package org.kfac4j.nn.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.kfac4j.linalg.Linalg;
import org.kfac4j.nn.GradientCheck;
import org.kfac4j.nn.capture.Captures;
import org.kfac4j.nn.capture.LayerCapture;
import org.kfac4j.nn.layer.GraphConv;
import org.kfac4j.nn.layer.GraphReadout;
import org.kfac4j.nn.layer.Pass;
import org.kfac4j.nn.loss.CrossEntropy;
import org.kfac4j.nn.loss.LossValue;
import org.kfac4j.nn.model.ForwardResult;
import org.kfac4j.nn.model.Model;
import org.kfac4j.nn.model.Models;
import org.kfac4j.nn.optim.AdamW;
import org.kfac4j.nn.optim.Schedule;
import org.kfac4j.nn.tensor.DType;
import org.kfac4j.nn.tensor.Tensor;

class GraphLayersTest {
    private static final long SEED = 12L;

    private static GraphBatch smallBatch(DType dtype, int features) {
        Graph path = new Graph(GradientCheck.random(SEED, dtype, 3, features), new int[][] {{0, 1}, {1, 2}, {1, 0}}, 0);
        Graph star = new Graph(GradientCheck.random(SEED + 1, dtype, 4, features),
                new int[][] {{0, 1}, {0, 2}, {0, 3}, {2, 2}}, 1);
        Graph single = new Graph(GradientCheck.random(SEED + 2, dtype, 1, features), new int[0][], 1);
        return GraphBatch.of(List.of(path, star, single));
    }

    /** Â = D^{-1/2}(A + I)D^{-1/2} per graph, from the definition; zero between graphs. */
    @Test
    void adjacencyIsTheNormalisedBlockDiagonal() {
        GraphBatch b = smallBatch(DType.F64, 2);
        assertEquals(8, b.nodes());
        assertArrayEquals(new int[] {0, 3, 7, 8}, b.offsets());
        // path 0-1-2: degrees with self-loops 2, 3, 2
        assertEquals(1.0 / 2, b.entry(0, 0), 1e-15);
        assertEquals(1 / Math.sqrt(6), b.entry(0, 1), 1e-15);
        assertEquals(0, b.entry(0, 2), 0);
        assertEquals(1.0 / 3, b.entry(1, 1), 1e-15);
        // star centred on node 3 (global): degrees 4, 2, 2, 2; the listed self-loop {2, 2} is not doubled
        assertEquals(1.0 / 4, b.entry(3, 3), 1e-15);
        assertEquals(1 / Math.sqrt(8), b.entry(3, 5), 1e-15);
        assertEquals(1.0 / 2, b.entry(5, 5), 1e-15);
        assertEquals(1.0, b.entry(7, 7), 1e-15);
        assertEquals(0, b.entry(2, 3), 0);
    }

    @Test
    void graphLayersBackwardMatchFiniteDifferences() {
        GraphBatch b = smallBatch(DType.F64, 3);
        Pass pass = new Pass(Linalg.shared(), true, Captures.NONE).withGraph(b);
        GradientCheck.check(new GraphConv("gc", 3, 2, true, DType.F64, new SplittableRandom(SEED)), b.features(), SEED,
                1e-6, 400, pass);
        GradientCheck.check(new GraphReadout("readout"), b.features(), SEED, 1e-7, 400, pass);
    }

    @Test
    void graphConvIsCapturedWithTheGraphsAsSegments() {
        GraphBatch b = smallBatch(DType.F32, 3);
        GraphConv gc = new GraphConv("gc", 3, 2, true, DType.F32, new SplittableRandom(SEED));
        Captures captures = Captures.create();
        ForwardResult f = new Model("g", gc, DType.F32).forward(b.features(), Pass.training(captures).withGraph(b));
        f.backward(f.output().zerosLike().fill(1));
        LayerCapture c = captures.of(gc);
        assertTrue(c.inputs().get(0).hasShape(1, 8, 4));
        assertArrayEquals(new int[] {0, 3, 7, 8}, c.segments(0));
        assertTrue(c.outputGradient(0, 0).hasShape(1, 8, 2));
        Tensor aggregated = b.propagate(Linalg.shared(), b.features());
        for (int v = 0; v < 8; v++) {
            for (int k = 0; k < 3; k++) {
                assertEquals(aggregated.at(v, k), c.inputs().get(0).at(0, v, k), 1e-6);
            }
            assertEquals(1.0, c.inputs().get(0).at(0, v, 3), 0);
        }
        IllegalStateException noGraph = assertThrows(IllegalStateException.class,
                () -> gc.forward(b.features(), Pass.evaluation()));
        assertTrue(noGraph.getMessage().contains("withGraph"), noGraph.getMessage());
    }

    @Test
    void gcnLearnsTheSyntheticTask() {
        List<Graph> graphs = SyntheticGraphs.generate(512, 4, SEED, DType.F32);
        Model gcn = Models.gcn(DType.F32, SEED, 4);
        assertEquals(16 * 64 + 64 + 2 * (64 * 64 + 64) + 64 * 4 + 4, gcn.parameterCount());
        AdamW adam = AdamW.withDefaults(gcn.parameters(), Schedule.constant(3e-3));
        double first = Double.NaN;
        double last = Double.NaN;
        for (int epoch = 0; epoch < 6; epoch++) {
            for (int start = 0; start < graphs.size(); start += 64) {
                List<Graph> slice = new ArrayList<>(graphs.subList(start, start + 64));
                GraphBatch batch = GraphBatch.of(slice);
                adam.zeroGrad();
                ForwardResult f = gcn.forward(batch.features(), Pass.training(Captures.NONE).withGraph(batch));
                LossValue loss = CrossEntropy.mean().evaluate(f.output(), SyntheticGraphs.labels(slice));
                f.backward(loss.gradient());
                adam.step();
                first = Double.isNaN(first) ? loss.value() : first;
                last = loss.value();
            }
        }
        assertTrue(last < 0.5 * first, "loss " + first + " → " + last);
    }
}
