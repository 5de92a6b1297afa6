package org.kfac4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.kfac4j.kfac.reference.ReferenceCase;
import org.kfac4j.linalg.Linalg;
import org.kfac4j.nn.io.StoredTensor;
import org.kfac4j.nn.io.SafeTensors;
import org.kfac4j.nn.tensor.DType;
import org.kfac4j.nn.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kfac4j factors --case M.json --out F.safetensors}: computes the K-FAC factors a reference-case manifest
 * requests with kfac4j's own layers and pipeline in float64, and writes them under the format's names.
 */
@Command(name = "factors", mixinStandardHelpOptions = true,
        description = "Compute the K-FAC factors a reference-case manifest requests (float64) and write them as "
                + "safetensors under the same names (LAYER.APPROX.A, LAYER.APPROX.FISHER.G).")
final class FactorsCommand implements Callable<Integer> {

    @Option(names = "--case", required = true, paramLabel = "M.json", description = "The case manifest "
            + "(format kfac4j-reference-case/1; its tensors file is found relative to it).")
    Path manifest;

    @Option(names = "--out", required = true, paramLabel = "F.safetensors",
            description = "Where to write the factors (atomically: a partial file is never left).")
    Path out;

    @Option(names = "--compare", description = "Also print each factor's relative Frobenius error against the "
            + "expected tensor of the same name in the case's file, where it has one; exit 1 if any exceeds 1e-9.")
    boolean compare;

    @Override
    public Integer call() throws IOException {
        ReferenceCase c = ReferenceCase.read(manifest);
        Map<String, Tensor> factors = c.computeFactors(Linalg.shared());
        SafeTensors.write(out, factors, Map.of("case", c.name(), "producer", "kfac4j factors"));
        System.out.printf(Locale.ROOT, "%s: %d factors of %d requests written to %s%n", c.name(), factors.size(),
                c.requests().size(), out);
        if (!compare) {
            return 0;
        }
        boolean ok = true;
        for (Map.Entry<String, Tensor> e : factors.entrySet()) {
            StoredTensor expected = c.tensors().tensors().get(e.getKey());
            if (expected == null) {
                System.out.printf(Locale.ROOT, "  %-28s (no expected tensor)%n", e.getKey());
                continue;
            }
            double rel = ReferenceCase.relativeError(e.getValue(), expected.toTensor(DType.F64));
            ok &= rel <= 1e-9;
            System.out.printf(Locale.ROOT, "  %-28s relative error %.2e %s%n", e.getKey(), rel, rel <= 1e-9 ? "ok" : "FAIL");
        }
        return ok ? 0 : 1;
    }
}
