package org.kfac4j.nn.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kfac4j.nn.GradientCheck;
import org.kfac4j.nn.tensor.DType;
import org.kfac4j.nn.tensor.Tensor;

class SafeTensorsTest {
    /** {@code ../shared/safetensors}, beside the checkout (tests run in the module's folder). */
    static final Path SAMPLES = Path.of("..", "..", "shared", "safetensors").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    @Test
    void readsEveryDtypeOfAFileWrittenByAnotherTool() throws IOException {
        assertTrue(Files.isDirectory(SAMPLES), "the samples from another writer belong in " + SAMPLES);
        SafeTensors.Contents c = SafeTensors.read(SAMPLES.resolve("mixed-dtypes.safetensors"));
        JsonNode expected = new ObjectMapper().readTree(SAMPLES.resolve("mixed-dtypes.expected.json").toFile());
        assertEquals(expected.size(), c.tensors().size());
        for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            StoredTensor t = c.get(e.getKey());
            assertEquals(e.getValue().get("dtype").asText(), t.dtype(), e.getKey());
            int[] shape = new int[e.getValue().get("shape").size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = e.getValue().get("shape").get(i).asInt();
            }
            assertArrayEquals(shape, t.shape(), e.getKey());
            JsonNode values = e.getValue().get("values");
            values = values.isArray() ? values : new ObjectMapper().createArrayNode().add(values);
            assertEquals(values.size(), t.size(), e.getKey());
            Tensor asDouble = t.toTensor(DType.F64);
            for (int i = 0; i < values.size(); i++) {
                assertEquals(values.get(i).asDouble(), t.value(i), 0, e.getKey() + "[" + i + "]");
                assertEquals(values.get(i).asDouble(), asDouble.get(i), 0, e.getKey() + "[" + i + "]");
            }
        }
        assertTrue(!c.metadata().isEmpty(), "the sample has a __metadata__ block");
    }

    @Test
    void corruptFilesGiveTypedErrorsNamingTheFile() throws IOException {
        try (Stream<Path> files = Files.list(SAMPLES)) {
            long n = files.filter(p -> p.getFileName().toString().startsWith("corrupt-")).peek(p -> {
                CorruptFileException e = assertThrows(CorruptFileException.class, () -> SafeTensors.read(p));
                assertTrue(e.getMessage().contains(p.getFileName().toString()), e.getMessage());
            }).count();
            assertEquals(3, n);
        }
        Path tiny = Files.write(dir.resolve("tiny.safetensors"), new byte[] {1, 2, 3});
        assertThrows(CorruptFileException.class, () -> SafeTensors.read(tiny));
        Path notJson = dir.resolve("nojson.safetensors");
        Files.write(notJson, new byte[] {4, 0, 0, 0, 0, 0, 0, 0, '{', 'x', ':', '}'});
        CorruptFileException e = assertThrows(CorruptFileException.class, () -> SafeTensors.read(notJson));
        assertTrue(e.getMessage().contains("JSON"), e.getMessage());
    }

    @Test
    void roundTripKeepsEveryBitAndTheMetadata() throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("fc.weight", GradientCheck.random(1, DType.F32, 3, 7));
        tensors.put("fc.bias", GradientCheck.random(2, DType.F64, 3));
        tensors.put("empty", Tensor.zeros(DType.F32, 0, 4));
        tensors.put("scalar", Tensor.zeros(DType.F64).fill(Math.PI));
        Path file = dir.resolve("model.safetensors");
        SafeTensors.write(file, tensors, Map.of("format", "pt", "step", "12"));
        SafeTensors.Contents c = SafeTensors.read(file);
        assertEquals(tensors.keySet(), c.tensors().keySet());
        assertEquals("12", c.metadata().get("step"));
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            Tensor back = c.get(e.getKey()).toTensor(e.getValue().dtype());
            assertArrayEquals(e.getValue().shape(), back.shape(), e.getKey());
            for (int i = 0; i < back.size(); i++) {
                assertEquals(e.getValue().get(i), back.get(i), 0, e.getKey());
            }
        }
        long headerLength = java.nio.ByteBuffer.wrap(Files.readAllBytes(file), 0, 8)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, (8 + headerLength) % 8, "the data section starts 8-byte aligned");
    }

    @Test
    void saveReplacesAtomicallyAndLeavesNoTemporaryFile() throws IOException {
        Path file = dir.resolve("ckpt.safetensors");
        SafeTensors.write(file, Map.of("a", Tensor.zeros(DType.F32, 2).fill(1)), Map.of());
        SafeTensors.write(file, Map.of("a", Tensor.zeros(DType.F32, 2).fill(2)), Map.of());
        assertEquals(2.0, SafeTensors.read(file).get("a").toTensor(DType.F32).get(0), 0);
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(1, files.count(), "only the checkpoint itself");
        }
        assertThrows(IllegalArgumentException.class,
                () -> SafeTensors.write(file, Map.of("__metadata__", Tensor.zeros(DType.F32, 1)), Map.of()));
        assertEquals(2.0, SafeTensors.read(file).get("a").toTensor(DType.F32).get(0), 0, "a failed save keeps the old file");
    }
}
