package org.kfac4j.nn.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.kfac4j.nn.tensor.DType;
import org.kfac4j.nn.tensor.Tensor;

/**
 * The safetensors format (what PyTorch and JAX users exchange weights in): an 8-byte little-endian header length,
 * a JSON header mapping each name to {@code dtype}, {@code shape} and {@code data_offsets} (relative to the data
 * section), an optional {@code __metadata__} map of strings, then the raw little-endian data. Reading validates
 * everything before touching the data, so a corrupt file gives a {@link CorruptFileException} naming the file and
 * the problem, never an out-of-memory error or an index exception. Writing is atomic: a temporary file in the
 * same folder, then a move over the target, so an interrupted save never leaves a broken file behind.
 */
public final class SafeTensors {
    /** A header longer than this is taken as corruption (the format's reference reader uses the same bound). */
    private static final long MAX_HEADER = 100L << 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    private SafeTensors() {
    }

    /** The tensors (in header order) and metadata of a safetensors file. */
    public record Contents(Map<String, StoredTensor> tensors, Map<String, String> metadata) {
        /** The named tensor; a {@link CorruptFileException}-free lookup that names what is missing. */
        public StoredTensor get(String name) {
            StoredTensor t = tensors.get(name);
            if (t == null) {
                throw new IllegalArgumentException("no tensor named '" + name + "' (it holds " + tensors.keySet() + ")");
            }
            return t;
        }
    }

    public static Contents read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long fileSize = ch.size();
            if (fileSize < 8) {
                throw new CorruptFileException(file, 0, "truncated: " + fileSize + " bytes, shorter than the 8-byte "
                        + "header length");
            }
            ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, lengthBytes, 0);
            long headerLength = lengthBytes.flip().getLong();
            if (headerLength < 2 || headerLength > MAX_HEADER || headerLength > fileSize - 8) {
                throw new CorruptFileException(file, 0, "header length " + Long.toUnsignedString(headerLength)
                        + " does not fit the file of " + fileSize + " bytes");
            }
            ByteBuffer headerBytes = ByteBuffer.allocate((int) headerLength);
            readFully(ch, headerBytes, 8);
            JsonNode header;
            try {
                header = JSON.readTree(new String(headerBytes.array(), StandardCharsets.UTF_8));
            } catch (JsonProcessingException e) {
                throw new CorruptFileException(file, 8, "the header is not valid JSON: " + e.getOriginalMessage());
            }
            if (header == null || !header.isObject()) {
                throw new CorruptFileException(file, 8, "the header is not a JSON object");
            }
            long dataStart = 8 + headerLength;
            long dataLength = fileSize - dataStart;
            Map<String, StoredTensor> tensors = new LinkedHashMap<>();
            Map<String, String> metadata = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().equals("__metadata__")) {
                    readMetadata(file, e.getValue(), metadata);
                    continue;
                }
                tensors.put(e.getKey(), readTensor(file, ch, e.getKey(), e.getValue(), dataStart, dataLength));
            }
            return new Contents(Collections.unmodifiableMap(tensors), Collections.unmodifiableMap(metadata));
        }
    }

    private static void readMetadata(Path file, JsonNode node, Map<String, String> metadata) throws IOException {
        if (!node.isObject()) {
            throw new CorruptFileException(file, 8, "__metadata__ is not an object");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> m = it.next();
            if (!m.getValue().isTextual()) {
                throw new CorruptFileException(file, 8, "__metadata__." + m.getKey() + " is not a string");
            }
            metadata.put(m.getKey(), m.getValue().asText());
        }
    }

    private static StoredTensor readTensor(Path file, FileChannel ch, String name, JsonNode entry, long dataStart,
                                           long dataLength) throws IOException {
        String where = "tensor '" + name + "': ";
        if (!entry.isObject() || !entry.path("dtype").isTextual() || !entry.path("shape").isArray()
                || !entry.path("data_offsets").isArray() || entry.path("data_offsets").size() != 2) {
            throw new CorruptFileException(file, 8, where + "needs dtype, shape and data_offsets [begin, end]");
        }
        String dtype = entry.get("dtype").asText();
        int elementSize = StoredTensor.elementSize(dtype);
        if (elementSize < 0) {
            throw new CorruptFileException(file, 8, where + "unknown dtype " + dtype);
        }
        JsonNode shapeNode = entry.get("shape");
        int[] shape = new int[shapeNode.size()];
        long count = 1;
        for (int i = 0; i < shape.length; i++) {
            JsonNode d = shapeNode.get(i);
            if (!d.canConvertToLong() || d.asLong() < 0 || d.asLong() > Integer.MAX_VALUE) {
                throw new CorruptFileException(file, 8, where + "bad dimension " + d);
            }
            shape[i] = (int) d.asLong();
            count *= shape[i];
            if (count > Integer.MAX_VALUE - 8) {
                throw new CorruptFileException(file, 8, where + "more than 2^31 elements");
            }
        }
        JsonNode begin = entry.get("data_offsets").get(0);
        JsonNode end = entry.get("data_offsets").get(1);
        if (!begin.canConvertToLong() || !end.canConvertToLong()) {
            throw new CorruptFileException(file, 8, where + "data_offsets are not integers");
        }
        long b = begin.asLong();
        long e = end.asLong();
        if (b < 0 || e < b || e > dataLength) {
            throw new CorruptFileException(file, dataStart + Math.max(0, b), where + "data_offsets [" + b + ", " + e
                    + "] lie outside the " + dataLength + " data bytes");
        }
        if (e - b != count * elementSize) {
            throw new CorruptFileException(file, dataStart + b, where + "data_offsets span " + (e - b) + " bytes, "
                    + count + " " + dtype + " elements need " + count * elementSize);
        }
        ByteBuffer data = ByteBuffer.allocate((int) (e - b));
        readFully(ch, data, dataStart + b);
        return new StoredTensor(dtype, shape, data.array());
    }

    private static void readFully(FileChannel ch, ByteBuffer into, long position) throws IOException {
        long p = position;
        while (into.hasRemaining()) {
            int n = ch.read(into, p);
            if (n < 0) {
                throw new java.io.EOFException("unexpected end of file at byte " + p);
            }
            p += n;
        }
    }

    /**
     * Writes {@code tensors} (in map order, each in its own dtype) with {@code metadata}, atomically: the target is
     * either the old file or the complete new one.
     */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        ObjectNode header = JSON.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = header.putObject("__metadata__");
            metadata.forEach(meta::put);
        }
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            if (e.getKey().equals("__metadata__")) {
                throw new IllegalArgumentException("a tensor cannot be named __metadata__");
            }
            Tensor t = e.getValue();
            ObjectNode entry = header.putObject(e.getKey());
            entry.put("dtype", t.dtype().safetensorsName());
            ArrayNode shape = entry.putArray("shape");
            for (int s : t.shape()) {
                shape.add(s);
            }
            long bytes = (long) t.size() * t.dtype().bytes();
            entry.putArray("data_offsets").add(offset).add(offset + bytes);
            offset += bytes;
        }
        byte[] json = JSON.writeValueAsBytes(header);
        int padding = (8 - json.length % 8) % 8; // the data section starts 8-byte aligned, as the reference writer does
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
                 OutputStream out = java.nio.channels.Channels.newOutputStream(ch)) {
                ByteBuffer length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN)
                        .putLong(json.length + padding);
                out.write(length.array());
                out.write(json);
                out.write(" ".repeat(padding).getBytes(StandardCharsets.US_ASCII));
                for (Tensor t : tensors.values()) {
                    ByteBuffer buf = ByteBuffer.allocate(t.size() * t.dtype().bytes()).order(ByteOrder.LITTLE_ENDIAN);
                    if (t.dtype() == DType.F32) {
                        buf.asFloatBuffer().put(t.f32());
                    } else {
                        buf.asDoubleBuffer().put(t.f64());
                    }
                    out.write(buf.array());
                }
                out.flush();
                ch.force(true);
            }
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
