package org.kfac4j.nn.io;

import java.io.IOException;
import java.nio.file.Path;

/** A file kfac4j reads is malformed or truncated; names the file, the byte offset and what was wrong there. */
public final class CorruptFileException extends IOException {
    private final transient Path file;
    private final long offset;

    public CorruptFileException(Path file, long offset, String problem) {
        super(file + " at byte " + offset + ": " + problem);
        this.file = file;
        this.offset = offset;
    }

    public Path file() {
        return file;
    }

    /** The byte offset (in the decompressed stream for gzipped files) where the problem was found. */
    public long offset() {
        return offset;
    }
}
