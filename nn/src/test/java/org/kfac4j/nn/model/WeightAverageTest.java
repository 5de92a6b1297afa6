package org.kfac4j.nn.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kfac4j.nn.layer.Parameter;
import org.kfac4j.nn.tensor.DType;
import org.kfac4j.nn.tensor.Tensor;

class WeightAverageTest {
    /** Sets every parameter to random values; returns them. */
    private static double[][] randomise(Model m, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<Parameter> ps = m.parameters();
        double[][] values = new double[ps.size()][];
        for (int k = 0; k < ps.size(); k++) {
            Tensor v = ps.get(k).value();
            values[k] = new double[v.size()];
            for (int i = 0; i < v.size(); i++) {
                v.set(i, rng.nextDouble(-3, 3));
                values[k][i] = v.get(i);
            }
        }
        return values;
    }

    @Test
    void theAverageIsTheMeanOfTheSnapshots(@TempDir Path dir) throws IOException {
        Model model = Models.cnn(DType.F32, 3);
        WeightAverage swa = new WeightAverage(model);
        assertThrows(IllegalStateException.class, swa::writeInto);
        int snapshots = 4;
        double[][] sum = null;
        for (int s = 0; s < snapshots; s++) {
            double[][] v = randomise(model, 10 + s);
            if (sum == null) {
                sum = new double[v.length][];
                for (int k = 0; k < v.length; k++) {
                    sum[k] = new double[v[k].length];
                }
            }
            for (int k = 0; k < v.length; k++) {
                for (int i = 0; i < v[k].length; i++) {
                    sum[k][i] += v[k][i];
                }
            }
            swa.add();
        }
        assertEquals(snapshots, swa.count());
        swa.save(dir.resolve("swa.safetensors"));
        WeightAverage resumed = new WeightAverage(model);
        resumed.restore(dir.resolve("swa.safetensors"));
        assertEquals(snapshots, resumed.count());
        resumed.writeInto();
        List<Parameter> ps = model.parameters();
        for (int k = 0; k < ps.size(); k++) {
            for (int i = 0; i < sum[k].length; i++) {
                assertEquals((float) (sum[k][i] / snapshots), ps.get(k).value().get(i), 1e-6,
                        ps.get(k).name() + "[" + i + "]");
            }
        }
    }

    @Test
    void anAverageOfAnotherModelIsRefused(@TempDir Path dir) throws IOException {
        Model mlp = Models.mlp(DType.F32, 1);
        WeightAverage swa = new WeightAverage(mlp);
        swa.add();
        swa.save(dir.resolve("mlp.safetensors"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new WeightAverage(Models.vit(DType.F32, 1)).restore(dir.resolve("mlp.safetensors")));
        assertTrue(e.getMessage().contains("holds no average"), e.getMessage());
    }
}
