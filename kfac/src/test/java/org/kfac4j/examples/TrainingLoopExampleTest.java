package org.kfac4j.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kfac4j.nn.data.Dataset;
import org.kfac4j.nn.data.SyntheticImages;
import org.kfac4j.nn.layer.Pass;
import org.kfac4j.nn.model.Model;
import org.kfac4j.nn.model.ModelWeights;
import org.kfac4j.nn.tensor.DType;
import org.kfac4j.nn.tensor.Tensor;

/** The README's example runs, learns, saves, and is what the README shows. */
class TrainingLoopExampleTest {
    @Test
    void theExampleTrainsAndSavesAModel(@TempDir Path dir) throws IOException {
        Dataset train = SyntheticImages.generate(2_560, 1, DType.F32);
        Dataset test = SyntheticImages.generate(500, 2, DType.F32);
        Path out = dir.resolve("mlp.safetensors");
        Model model = TrainingLoopExample.train(train, 2, out);
        Tensor logits = model.forward(test.inputs(), Pass.evaluation()).output();
        int right = 0;
        for (int n = 0; n < test.size(); n++) {
            int best = 0;
            for (int c = 1; c < 10; c++) {
                best = logits.get(n * 10 + c) > logits.get(n * 10 + best) ? c : best;
            }
            right += best == test.labels()[n] ? 1 : 0;
        }
        assertTrue(right > 0.8 * test.size(), "test accuracy " + right + " / " + test.size());
        assertTrue(ModelWeights.load(model, out).containsKey("epochs"));
    }

    @Test
    void theReadmeShowsExactlyThisCode() throws IOException {
        Path source = Path.of("src/test/java/org/kfac4j/examples/TrainingLoopExample.java");
        List<String> lines = Files.readAllLines(source);
        int begin = lines.indexOf("        // README:begin");
        int end = lines.indexOf("        // README:end");
        String snippet = String.join("\n", lines.subList(begin + 1, end).stream().map(l -> l.substring(8)).toList());
        String readme = Files.readString(Path.of("..", "README.md"));
        assertTrue(readme.contains(snippet), "README.md must show the lines between the README markers of "
                + source + " verbatim:\n" + snippet);
    }
}
