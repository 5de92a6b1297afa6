package org.kfac4j.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GemmBlockingTest {

    @Test
    void derivedFromTheCachesOfOneCore() {
        CacheSizes zen3 = new CacheSizes(32 << 10, 512 << 10);
        // AVX2 tiles: a 512 × 16 float (or 512 × 8 double) B micro-panel is the 32 KiB L1d; A blocks of ~100 KiB
        assertEquals(new GemmBlocking(48, 512, 1024), GemmBlocking.forCaches(zen3, 6, 16, 4));
        assertEquals(new GemmBlocking(24, 512, 1024), GemmBlocking.forCaches(zen3, 6, 8, 8));
        // a 1 MiB L2 doubles the A block (to a multiple of 6); AVX-512 tiles halve the depth
        assertEquals(new GemmBlocking(102, 512, 1024),
                GemmBlocking.forCaches(new CacheSizes(32 << 10, 1 << 20), 6, 16, 4));
        assertEquals(new GemmBlocking(102, 256, 1024),
                GemmBlocking.forCaches(new CacheSizes(32 << 10, 512 << 10), 6, 32, 4));
        // bounds: a narrow kernel or a large L1 stops at 1024, a tiny L1 at 128, mc never below mr
        assertEquals(1024, GemmBlocking.forCaches(new CacheSizes(128 << 10, 4 << 20), 4, 4, 4).kc());
        assertEquals(128, GemmBlocking.forCaches(new CacheSizes(1 << 10, 8 << 10), 6, 16, 8).kc());
        assertEquals(6, GemmBlocking.forCaches(new CacheSizes(1 << 10, 8 << 10), 6, 16, 8).mc());
        assertThrows(IllegalArgumentException.class, () -> GemmBlocking.forCaches(zen3, 0, 16, 4));
    }

    @Test
    void cacheSizesAreReadFromSysfsAndFallBackWhereMissing(@TempDir Path dir) throws IOException {
        cache(dir, 0, "1", "Data", "48K");
        cache(dir, 1, "1", "Instruction", "32K");
        cache(dir, 2, "2", "Unified", "2M");
        cache(dir, 3, "3", "Unified", "32768K");
        assertEquals(new CacheSizes(48 << 10, 2 << 20), CacheSizes.read(dir));

        Path noL2 = Files.createDirectory(dir.resolve("only-l1"));
        cache(noL2, 0, "1", "Data", "64K");
        assertEquals(new CacheSizes(64 << 10, CacheSizes.TYPICAL.l2Bytes()), CacheSizes.read(noL2));

        Path garbage = Files.createDirectory(dir.resolve("garbage"));
        cache(garbage, 0, "1", "Data", "lots");
        assertEquals(CacheSizes.TYPICAL, CacheSizes.read(garbage));
        assertEquals(CacheSizes.TYPICAL, CacheSizes.read(dir.resolve("absent")));

        assertEquals(512 << 10, CacheSizes.bytes("512K"));
        assertEquals(0, CacheSizes.bytes("-3K"));
        assertThrows(IllegalArgumentException.class, () -> new CacheSizes(0, 1));
    }

    private static void cache(Path dir, int index, String level, String type, String size) throws IOException {
        Path d = Files.createDirectories(dir.resolve("index" + index));
        Files.writeString(d.resolve("level"), level + "\n");
        Files.writeString(d.resolve("type"), type + "\n");
        Files.writeString(d.resolve("size"), size + "\n");
    }
}
