package org.kfac4j.nn.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.kfac4j.nn.io.CorruptFileException;

/**
 * An array in the IDX format of MNIST and Fashion-MNIST, plain or gzipped (detected by its magic bytes): two zero
 * bytes, a type byte, the number of dimensions, each dimension as a big-endian int32, then the elements. Only
 * unsigned bytes (type 0x08, what the MNIST family uses) are read.
 *
 * @param dims the dimensions, e.g. {@code [60000, 28, 28]}
 * @param data the elements in row-major order, as unsigned bytes stored in Java bytes
 */
public record IdxFile(int[] dims, byte[] data) {
    private static final int UNSIGNED_BYTE = 0x08;

    /** Element i as an int in [0, 255]. */
    public int get(int i) {
        return data[i] & 0xFF;
    }

    public static IdxFile read(Path file) throws IOException {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file))) {
            raw.mark(2);
            int b0 = raw.read();
            int b1 = raw.read();
            raw.reset();
            boolean gzip = b0 == 0x1f && b1 == 0x8b;
            try (DataInputStream in = new DataInputStream(gzip ? new GZIPInputStream(raw, 1 << 16) : raw)) {
                return read(file, in);
            } catch (ZipException e) {
                throw new CorruptFileException(file, 0, "broken gzip stream (" + e.getMessage() + ")");
            }
        }
    }

    private static IdxFile read(Path file, DataInputStream in) throws IOException {
        long offset = 0;
        try {
            int zero0 = in.readUnsignedByte();
            int zero1 = in.readUnsignedByte();
            if (zero0 != 0 || zero1 != 0) {
                throw new CorruptFileException(file, 0, String.format("not an IDX file: magic starts 0x%02x%02x, "
                        + "expected 0x0000", zero0, zero1));
            }
            offset = 2;
            int type = in.readUnsignedByte();
            if (type != UNSIGNED_BYTE) {
                throw new CorruptFileException(file, 2, String.format("element type 0x%02x is not supported "
                        + "(only unsigned bytes, 0x08)", type));
            }
            offset = 3;
            int rank = in.readUnsignedByte();
            if (rank == 0) {
                throw new CorruptFileException(file, 3, "zero dimensions");
            }
            offset = 4;
            int[] dims = new int[rank];
            long size = 1;
            for (int i = 0; i < rank; i++) {
                dims[i] = in.readInt();
                if (dims[i] < 0) {
                    throw new CorruptFileException(file, offset, "dimension " + i + " is negative: " + dims[i]);
                }
                size *= dims[i];
                if (size > Integer.MAX_VALUE - 8) {
                    throw new CorruptFileException(file, offset, "more than 2^31 elements");
                }
                offset += 4;
            }
            byte[] data = new byte[(int) size];
            int read = 0;
            try {
                read = in.readNBytes(data, 0, data.length);
            } catch (EOFException e) {
                throw new CorruptFileException(file, offset, "truncated: the compressed stream ends inside the "
                        + size + " elements the header announces");
            }
            if (read < data.length) {
                throw new CorruptFileException(file, offset + read, "truncated: the header announces " + size
                        + " elements, the file ends after " + read);
            }
            if (in.read() != -1) {
                throw new CorruptFileException(file, offset + size, "trailing bytes after the " + size
                        + " elements the header announces");
            }
            return new IdxFile(dims, data);
        } catch (EOFException e) {
            throw new CorruptFileException(file, offset, "truncated inside the header");
        }
    }
}
