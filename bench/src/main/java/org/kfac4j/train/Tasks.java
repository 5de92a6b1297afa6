package org.kfac4j.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.kfac4j.nn.data.Dataset;
import org.kfac4j.nn.data.FashionMnist;
import org.kfac4j.nn.data.SyntheticImages;
import org.kfac4j.nn.graph.Graph;
import org.kfac4j.nn.graph.RegionAdjacencyGraphs;
import org.kfac4j.nn.graph.SyntheticGraphs;
import org.kfac4j.nn.tensor.DType;

/**
 * The data sets the command-line program trains on, by name:
 * <ul>
 *   <li>{@code fashion-mnist}: the 60 000 training images; validation = the first {@code validationExamples} of the
 *       10 000 test images (the test split is never trained on);</li>
 *   <li>{@code synthetic-images}: 12 000 + 2 000 generated 28×28 images of 10 classes (nn's {@link SyntheticImages}:
 *       class-specific blob patterns plus noise);</li>
 *   <li>{@code synthetic-graphs}: 6 000 + 1 000 generated graphs of 10–30 nodes with 16 features, 10 classes that
 *       differ in feature mean and edge density (nn's {@link SyntheticGraphs});</li>
 *   <li>{@code fashion-mnist-graphs}: the Fashion-MNIST images as region adjacency graphs of their SLIC superpixels
 *       (nn's {@link RegionAdjacencyGraphs}: about 50 nodes with 16 features each), split as {@code fashion-mnist}.
 *       </li>
 * </ul>
 */
public final class Tasks {
    public static final List<String> NAMES = List.of("fashion-mnist", "synthetic-images", "synthetic-graphs",
            "fashion-mnist-graphs");

    private Tasks() {
    }

    /**
     * The default data for {@code model}: Fashion-MNIST when its files are in {@code fashionMnist} (as region adjacency
     * graphs for {@code gcn}), else the synthetic images or graphs.
     */
    public static String defaultFor(String model, Path fashionMnist) {
        boolean present = Files.isDirectory(fashionMnist);
        if (model.equals("gcn")) {
            return present ? "fashion-mnist-graphs" : "synthetic-graphs";
        }
        return present ? "fashion-mnist" : "synthetic-images";
    }

    /** Loads {@code name} for {@code model} with its whole training split. */
    public static TaskData load(String name, String model, Path fashionMnist, int validationExamples)
            throws IOException {
        return load(name, model, fashionMnist, Integer.MAX_VALUE, validationExamples);
    }

    /**
     * Loads {@code name} for {@code model}, checking that the two fit (images for mlp/cnn/vit, graphs for gcn). With
     * {@code trainExamples} below the split's size, only its first {@code trainExamples} examples are trained on,
     * and the task's name says so ({@code fashion-mnist[:10000]}), so a checkpoint of another subset is refused.
     */
    public static TaskData load(String name, String model, Path fashionMnist, int trainExamples,
                                int validationExamples) throws IOException {
        if (validationExamples <= 0) {
            throw new IllegalArgumentException("--val-examples must be positive, got " + validationExamples);
        }
        if (trainExamples <= 0) {
            throw new IllegalArgumentException("--train-examples must be positive, got " + trainExamples);
        }
        TaskData task = switch (name) {
            case "fashion-mnist" -> {
                Dataset train = FashionMnist.train(fashionMnist, DType.F32);
                Dataset test = FashionMnist.test(fashionMnist, DType.F32);
                yield new ImageTask(subsetName(name, trainExamples, train.size()),
                        train.slice(0, Math.min(trainExamples, train.size())),
                        test.slice(0, Math.min(validationExamples, test.size())));
            }
            case "synthetic-images" -> {
                Dataset train = SyntheticImages.generate(12_000, 11, DType.F32);
                yield new ImageTask(subsetName(name, trainExamples, train.size()),
                        train.slice(0, Math.min(trainExamples, train.size())),
                        SyntheticImages.generate(Math.min(validationExamples, 2_000), 12, DType.F32));
            }
            case "fashion-mnist-graphs" -> {
                Dataset train = FashionMnist.train(fashionMnist, DType.F32);
                Dataset test = FashionMnist.test(fashionMnist, DType.F32);
                yield new GraphTask(subsetName(name, trainExamples, train.size()),
                        RegionAdjacencyGraphs.of(train, trainExamples, DType.F32),
                        RegionAdjacencyGraphs.of(test, validationExamples, DType.F32), train.classes());
            }
            case "synthetic-graphs" -> {
                List<Graph> train = SyntheticGraphs.generate(6_000, 10, 11, DType.F32);
                List<Graph> val = SyntheticGraphs.generate(Math.min(validationExamples, 1_000), 10, 12, DType.F32);
                yield new GraphTask(subsetName(name, trainExamples, train.size()),
                        train.subList(0, Math.min(trainExamples, train.size())), val, 10);
            }
            default -> throw new IllegalArgumentException("unknown data set '" + name + "' (one of " + NAMES + ")");
        };
        boolean wantsGraphs = model.equals("gcn");
        if (task.graphs() != wantsGraphs) {
            throw new IllegalArgumentException("model " + model + " needs " + (wantsGraphs ? "graph" : "image")
                    + " data, but " + name + " holds " + (task.graphs() ? "graphs" : "images")
                    + (wantsGraphs ? " (use --data synthetic-graphs)" : ""));
        }
        return task;
    }

    private static String subsetName(String name, int trainExamples, int size) {
        return trainExamples < size ? name + "[:" + trainExamples + "]" : name;
    }
}
