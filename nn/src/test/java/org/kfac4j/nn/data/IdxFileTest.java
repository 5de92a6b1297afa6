package org.kfac4j.nn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kfac4j.nn.io.CorruptFileException;
import org.kfac4j.nn.tensor.DType;

class IdxFileTest {
    @TempDir
    Path dir;

    private static byte[] idx(int type, int[] dims, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + data.length);
        b.put((byte) 0).put((byte) 0).put((byte) type).put((byte) dims.length);
        for (int d : dims) {
            b.putInt(d);
        }
        return b.put(data).array();
    }

    private static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(raw);
        }
        return out.toByteArray();
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    private static byte[] pixels(int n) {
        byte[] d = new byte[n];
        for (int i = 0; i < n; i++) {
            d[i] = (byte) (i * 37);
        }
        return d;
    }

    @Test
    void readsPlainAndGzippedFilesAlike() throws IOException {
        byte[] raw = idx(8, new int[] {3, 2, 5}, pixels(30));
        IdxFile plain = IdxFile.read(write("a", raw));
        IdxFile gz = IdxFile.read(write("a.gz", gzip(raw)));
        assertArrayEquals(new int[] {3, 2, 5}, plain.dims());
        assertArrayEquals(plain.data(), gz.data());
        assertEquals((7 * 37) & 0xFF, plain.get(7));
    }

    @Test
    void corruptFilesNameTheFileAndTheOffset() throws IOException {
        byte[] good = idx(8, new int[] {4, 3}, pixels(12));
        byte[] badMagic = good.clone();
        badMagic[1] = 1;
        expectCorrupt(write("badmagic", badMagic), 0, "magic");
        expectCorrupt(write("float", idx(0x0D, new int[] {1}, new byte[4])), 2, "0x0d");
        expectCorrupt(write("header", Arrays.copyOf(good, 6)), 4, "header");
        expectCorrupt(write("short", Arrays.copyOf(good, good.length - 5)), 12 + 7, "truncated");
        expectCorrupt(write("long", Arrays.copyOf(good, good.length + 2)), 12 + 12, "trailing");
        byte[] gz = gzip(good);
        expectCorrupt(write("short.gz", Arrays.copyOf(gz, gz.length - 12)), -1, "truncated");
    }

    private static void expectCorrupt(Path file, long offset, String words) {
        CorruptFileException e = assertThrows(CorruptFileException.class, () -> IdxFile.read(file));
        assertEquals(file, e.file());
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().toLowerCase().contains(words), e.getMessage());
        if (offset >= 0) {
            assertEquals(offset, e.offset(), e.getMessage());
        }
    }

    @Test
    void fashionMnistLoaderChecksAndScales() throws IOException {
        byte[] images = pixels(2 * 28 * 28);
        Files.write(dir.resolve("train-images-idx3-ubyte.gz"), gzip(idx(8, new int[] {2, 28, 28}, images)));
        Files.write(dir.resolve("train-labels-idx1-ubyte"), idx(8, new int[] {2}, new byte[] {3, 9}));
        Dataset d = FashionMnist.train(dir, DType.F32);
        assertTrue(d.inputs().hasShape(2, 28, 28, 1));
        assertArrayEquals(new int[] {3, 9}, d.labels());
        assertEquals((images[100] & 0xFF) / 255.0, d.inputs().get(100), 1e-7);
        DatasetNotFoundException missing = assertThrows(DatasetNotFoundException.class,
                () -> FashionMnist.test(dir, DType.F32));
        assertTrue(missing.getMessage().contains("apt-get install dataset-fashion-mnist"), missing.getMessage());
        Files.write(dir.resolve("t10k-images-idx3-ubyte"), idx(8, new int[] {2, 28, 28}, images));
        Files.write(dir.resolve("t10k-labels-idx1-ubyte"), idx(8, new int[] {3}, new byte[] {1, 2, 3}));
        CorruptFileException mismatch = assertThrows(CorruptFileException.class, () -> FashionMnist.test(dir, DType.F32));
        assertTrue(mismatch.getMessage().contains("3 labels for 2 images"), mismatch.getMessage());
    }
}
