package org.kfac4j.kfac.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.kfac4j.linalg.Linalg;
import org.kfac4j.nn.tensor.DType;
import org.kfac4j.nn.tensor.Tensor;

/**
 * kfac4j's factor pipeline against the independent implementation behind {@code ../shared/reference-cases}: every
 * requested factor within 1e-9 relative Frobenius error (the cases' README), and, where the case includes the exact
 * GGN block, the paper's Propositions 1 and 2 — {@code G ⊗ A} of the setting's own approximation equals the block
 * for the deep linear networks.
 */
class ReferenceCaseTest {
    static final Path CASES = Path.of("..", "..", "shared", "reference-cases").toAbsolutePath().normalize();

    @ParameterizedTest
    @ValueSource(strings = {"mlp-ce-expand", "mlp-ce-reduce", "cnn-ce-reduce", "deep-linear-expand",
            "deep-linear-reduce"})
    void everyRequestedFactorMatchesTheReference(String name) throws IOException {
        ReferenceCase c = ReferenceCase.read(CASES.resolve(name + ".json"));
        Map<String, Tensor> factors = c.computeFactors(Linalg.shared());
        Set<String> names = new HashSet<>();
        c.requests().forEach(r -> names.addAll(List.of(r.aName(), r.gName())));
        assertEquals(names, factors.keySet());
        for (Map.Entry<String, Tensor> e : factors.entrySet()) {
            double rel = ReferenceCase.relativeError(e.getValue(), c.tensors().get(e.getKey()).toTensor(DType.F64));
            assertTrue(rel <= 1e-9, name + " " + e.getKey() + ": relative Frobenius error " + rel + " > 1e-9");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"deep-linear-expand", "deep-linear-reduce"})
    void theSettingsOwnApproximationIsTheExactGgnOfADeepLinearNetwork(String name) throws IOException {
        ReferenceCase c = ReferenceCase.read(CASES.resolve(name + ".json"));
        String own = name.endsWith("expand") ? "expand" : "reduce";
        String other = own.equals("expand") ? "reduce" : "expand";
        Map<String, Tensor> factors = c.computeFactors(Linalg.shared());
        int checked = 0;
        for (String key : c.tensors().tensors().keySet()) {
            if (!key.endsWith(".ggn")) {
                continue;
            }
            String layer = key.substring(0, key.length() - ".ggn".length());
            Tensor ggn = c.tensors().get(key).toTensor(DType.F64);
            double exact = ReferenceCase.relativeError(kron(factors.get(layer + "." + own + ".exact.G"),
                    factors.get(layer + "." + own + ".A")), ggn);
            double wrong = ReferenceCase.relativeError(kron(factors.get(layer + "." + other + ".exact.G"),
                    factors.get(layer + "." + other + ".A")), ggn);
            assertTrue(exact <= 1e-9, layer + ": K-FAC-" + own + " vs exact GGN, relative error " + exact);
            boolean positionsMatter = ReferenceCase.relativeError(factors.get(layer + "." + other + ".A"),
                    factors.get(layer + "." + own + ".A")) > 1e-6; // R > 1 before this layer's output is aggregated
            assertTrue(!positionsMatter || wrong > 1e-3,
                    layer + ": K-FAC-" + other + " should not be exact here, relative error " + wrong);
            checked++;
        }
        assertTrue(checked > 0, name + " holds no exact GGN block");
    }

    @Test
    void manifestsThatCannotBeBuiltNameTheCulprit(@TempDir Path dir) throws IOException {
        Files.copy(CASES.resolve("mlp-ce-expand.safetensors"), dir.resolve("t.safetensors"));
        String good = Files.readString(CASES.resolve("mlp-ce-expand.json")).replace("mlp-ce-expand.safetensors",
                "t.safetensors");
        assertMessage(dir, good.replace("\"layer\": \"l1\"", "\"layer\": \"l9\""), "requested layer 'l9'");
        assertMessage(dir, good.replace("\"fisher\": \"exact\"", "\"fisher\": \"kfe\""), "unknown fisher 'kfe'");
        assertMessage(dir, good.replace("\"approximation\": \"reduce\"", "\"approximation\": \"both\""),
                "unknown approximation 'both'");
        assertMessage(dir, good.replace("t.safetensors", "absent.safetensors"), "absent.safetensors");
        assertMessage(dir, good.replace("\"setting\": \"expand\"", "\"setting\": \"reduce\""), "setting 'reduce'");
    }

    private static void assertMessage(Path dir, String manifest, String expected) throws IOException {
        Path m = dir.resolve("case.json");
        Files.writeString(m, manifest);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ReferenceCase.read(m).computeFactors(Linalg.shared()));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    static Tensor kron(Tensor g, Tensor a) {
        int p = g.dim(0);
        int q = a.dim(0);
        Tensor k = Tensor.zeros(DType.F64, p * q, p * q);
        for (int i = 0; i < p; i++) {
            for (int j = 0; j < q; j++) {
                for (int r = 0; r < p; r++) {
                    for (int s = 0; s < q; s++) {
                        k.set((i * q + j) * p * q + r * q + s, g.get(i * p + r) * a.get(j * q + s));
                    }
                }
            }
        }
        return k;
    }
}
