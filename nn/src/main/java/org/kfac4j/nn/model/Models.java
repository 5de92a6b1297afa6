package org.kfac4j.nn.model;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.kfac4j.nn.layer.BatchNorm;
import org.kfac4j.nn.layer.ClassToken;
import org.kfac4j.nn.layer.Conv2d;
import org.kfac4j.nn.layer.Flatten;
import org.kfac4j.nn.layer.Gelu;
import org.kfac4j.nn.layer.GraphConv;
import org.kfac4j.nn.layer.GraphReadout;
import org.kfac4j.nn.layer.Layer;
import org.kfac4j.nn.layer.LayerNorm;
import org.kfac4j.nn.layer.Linear;
import org.kfac4j.nn.layer.MultiHeadAttention;
import org.kfac4j.nn.layer.PoolOverPositions;
import org.kfac4j.nn.layer.Relu;
import org.kfac4j.nn.layer.Residual;
import org.kfac4j.nn.layer.SelectToken;
import org.kfac4j.nn.layer.Sequential;
import org.kfac4j.nn.layer.ToTokens;
import org.kfac4j.nn.tensor.DType;

/**
 * The bench models, exactly as specified so that they compare with the same models elsewhere
 * ({@code bench/pytorch_train_step.py} builds them in PyTorch): {@code mlp}, {@code cnn} and {@code vit} take
 * 28 × 28 × 1 images (channels-last) and give 10 classes; {@code gcn} takes a batch of graphs with 16 node features.
 * Weights are drawn from {@code seed} with PyTorch's default initialisation.
 */
public final class Models {
    private Models() {
    }

    /** Linear 784→256, ReLU, Linear 256→256, ReLU, Linear 256→10, all with bias. */
    public static Model mlp(DType dtype, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        return new Model("mlp", new Sequential("mlp",
                new Flatten("flatten"),
                new Linear("fc1", 784, 256, true, dtype, rng),
                new Relu("relu1"),
                new Linear("fc2", 256, 256, true, dtype, rng),
                new Relu("relu2"),
                new Linear("fc3", 256, 10, true, dtype, rng)), dtype);
    }

    /**
     * A Wide-ResNet-style network: Conv3×3 1→32; three pre-activation basic blocks (BN, ReLU, Conv3×3, BN, ReLU,
     * Conv3×3, plus a shortcut: identity, or a 1×1 convolution where the shape changes) 32→32 stride 1, 32→64
     * stride 2, 64→128 stride 2; BN, ReLU, global average pool over the 7×7 = 49 positions (the reduce setting),
     * Linear 128→10. Convolutions without bias (BN follows), padding 1. Each BN, ReLU pair is one layer
     * ({@link BatchNorm#followedByRelu}).
     */
    public static Model cnn(DType dtype, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<Layer> layers = new ArrayList<>();
        layers.add(new Conv2d("conv0", 1, 32, 3, 1, 1, false, dtype, rng));
        layers.add(basicBlock("block1", 32, 32, 1, dtype, rng));
        layers.add(basicBlock("block2", 32, 64, 2, dtype, rng));
        layers.add(basicBlock("block3", 64, 128, 2, dtype, rng));
        layers.add(BatchNorm.followedByRelu("bn", 128, dtype));
        layers.add(new PoolOverPositions("pool", PoolOverPositions.Mode.MEAN));
        layers.add(new Linear("fc", 128, 10, true, dtype, rng));
        return new Model("cnn", new Sequential("cnn", layers), dtype);
    }

    /**
     * A small ViT: 4×4 patch embedding (a Linear 16→64 shared over the 49 patches, run as a stride-4 convolution),
     * class token and learned position embedding; 4 pre-norm encoder blocks (LayerNorm, 4-head self-attention,
     * residual; LayerNorm, Linear 64→128, GELU (tanh form), Linear 128→64, residual); LayerNorm; head Linear 64→10 on
     * the class token.
     */
    public static Model vit(DType dtype, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int width = 64;
        List<Layer> layers = new ArrayList<>();
        layers.add(new Conv2d("patch", 1, width, 4, 4, 0, true, dtype, rng));
        layers.add(new ToTokens("tokens"));
        layers.add(new ClassToken("embed", 49, width, dtype, rng));
        for (int b = 0; b < 4; b++) {
            String name = "block" + b;
            layers.add(new Residual(name + ".attention", new Sequential(name + ".attention.main",
                    new LayerNorm(name + ".norm1", width, dtype),
                    new MultiHeadAttention(name + ".attn", width, 4, false, dtype, rng)), null));
            layers.add(new Residual(name + ".mlp", new Sequential(name + ".mlp.main",
                    new LayerNorm(name + ".norm2", width, dtype),
                    new Linear(name + ".fc1", width, 2 * width, true, dtype, rng),
                    new Gelu(name + ".gelu"),
                    new Linear(name + ".fc2", 2 * width, width, true, dtype, rng)), null));
        }
        layers.add(new LayerNorm("norm", width, dtype));
        layers.add(new SelectToken("cls", 0));
        layers.add(new Linear("head", width, 10, true, dtype, rng));
        return new Model("vit", new Sequential("vit", layers), dtype);
    }

    /**
     * A graph network for graph classification: GraphConv 16→64, ReLU, GraphConv 64→64, ReLU, GraphConv 64→64,
     * ReLU, mean readout over each graph's nodes, Linear 64→{@code classes}. Run it with
     * {@code Pass.withGraph(batch)} on the batch's stacked node features.
     */
    public static Model gcn(DType dtype, long seed, int classes) {
        SplittableRandom rng = new SplittableRandom(seed);
        return new Model("gcn", new Sequential("gcn",
                new GraphConv("gc1", 16, 64, true, dtype, rng),
                new Relu("relu1"),
                new GraphConv("gc2", 64, 64, true, dtype, rng),
                new Relu("relu2"),
                new GraphConv("gc3", 64, 64, true, dtype, rng),
                new Relu("relu3"),
                new GraphReadout("readout"),
                new Linear("head", 64, classes, true, dtype, rng)), dtype);
    }

    private static Layer basicBlock(String name, int in, int out, int stride, DType dtype, SplittableRandom rng) {
        Sequential main = new Sequential(name + ".main",
                BatchNorm.followedByRelu(name + ".bn1", in, dtype),
                new Conv2d(name + ".conv1", in, out, 3, stride, 1, false, dtype, rng),
                BatchNorm.followedByRelu(name + ".bn2", out, dtype),
                new Conv2d(name + ".conv2", out, out, 3, 1, 1, false, dtype, rng));
        Layer shortcut = in == out && stride == 1
                ? null
                : new Conv2d(name + ".shortcut", in, out, 1, stride, 0, false, dtype, rng);
        return new Residual(name, main, shortcut);
    }
}
