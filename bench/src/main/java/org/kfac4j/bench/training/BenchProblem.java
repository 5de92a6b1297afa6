package org.kfac4j.bench.training;

import java.util.List;
import java.util.SplittableRandom;
import org.kfac4j.linalg.Linalg;
import org.kfac4j.nn.capture.Captures;
import org.kfac4j.nn.graph.Graph;
import org.kfac4j.nn.graph.GraphBatch;
import org.kfac4j.nn.graph.SyntheticGraphs;
import org.kfac4j.nn.layer.Pass;
import org.kfac4j.nn.model.Model;
import org.kfac4j.nn.model.Models;
import org.kfac4j.nn.tensor.DType;
import org.kfac4j.nn.tensor.Tensor;

/**
 * A bench model with one fixed batch, as the training benchmarks and {@code bench/pytorch_train_step.py} use them:
 * 28×28×1 images with uniform pixels and random labels of 10 classes, or for {@code gcn} a batch of synthetic graphs
 * of 10–30 nodes (10 classes).
 *
 * @param net    the model (seed 1)
 * @param x      the inputs
 * @param y      the labels
 * @param graphs the graph structure ({@code gcn}), else null
 */
record BenchProblem(Model net, Tensor x, int[] y, GraphBatch graphs) {

    static BenchProblem of(String model, DType dtype, int batch) {
        Model net = switch (model) {
            case "mlp" -> Models.mlp(dtype, 1);
            case "cnn" -> Models.cnn(dtype, 1);
            case "vit" -> Models.vit(dtype, 1);
            case "gcn" -> Models.gcn(dtype, 1, 10);
            default -> throw new IllegalArgumentException("unknown model " + model);
        };
        if (model.equals("gcn")) {
            List<Graph> list = SyntheticGraphs.generate(batch, 10, 2, dtype);
            GraphBatch graphs = GraphBatch.of(list);
            return new BenchProblem(net, graphs.features(), SyntheticGraphs.labels(list), graphs);
        }
        SplittableRandom rng = new SplittableRandom(2);
        Tensor x = Tensor.zeros(dtype, batch, 28, 28, 1);
        for (int i = 0; i < x.size(); i++) {
            x.set(i, rng.nextDouble());
        }
        int[] y = new int[batch];
        for (int i = 0; i < batch; i++) {
            y[i] = rng.nextInt(10);
        }
        return new BenchProblem(net, x, y, null);
    }

    /** A training pass over this batch on {@code linalg}, recording into {@code captures}. */
    Pass pass(Linalg linalg, Captures captures) {
        Pass p = new Pass(linalg, true, captures);
        return graphs == null ? p : p.withGraph(graphs);
    }
}
