package org.kfac4j.linalg;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The per-core data caches that {@link GemmBlocking#forCaches} sizes the packed GEMM blocks by.
 *
 * @param l1dBytes level-1 data cache of one core
 * @param l2Bytes  level-2 cache of one core
 */
public record CacheSizes(int l1dBytes, int l2Bytes) {
    /** What {@link #detect()} assumes for a size it cannot read: 32 KiB L1d, 512 KiB L2 (Zen 2-3, Skylake-SP). */
    public static final CacheSizes TYPICAL = new CacheSizes(32 << 10, 512 << 10);

    /** Where Linux describes cpu0's caches, one {@code index<i>} folder per cache. */
    static final Path SYSFS = Path.of("/sys/devices/system/cpu/cpu0/cache");

    public CacheSizes {
        if (l1dBytes <= 0 || l2Bytes <= 0) {
            throw new IllegalArgumentException("cache sizes must be positive, got L1d " + l1dBytes + ", L2 " + l2Bytes);
        }
    }

    /**
     * This machine's caches, read once from Linux's sysfs ({@code /sys/devices/system/cpu/cpu0/cache}); each size
     * that cannot be read (another OS, a container hiding sysfs) is taken from {@link #TYPICAL}.
     */
    public static CacheSizes detect() {
        return Detected.VALUE;
    }

    private static final class Detected {
        static final CacheSizes VALUE = read(SYSFS);
    }

    /** The caches described under {@code dir} (sysfs layout), {@link #TYPICAL} for what is absent or unreadable. */
    static CacheSizes read(Path dir) {
        int l1d = 0;
        int l2 = 0;
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path index : entries.filter(p -> p.getFileName().toString().startsWith("index")).toList()) {
                String level = field(index, "level");
                String type = field(index, "type");
                int size = bytes(field(index, "size"));
                if ("1".equals(level) && "Data".equals(type)) {
                    l1d = size;
                } else if ("2".equals(level) && ("Unified".equals(type) || "Data".equals(type))) {
                    l2 = size;
                }
            }
        } catch (IOException | RuntimeException e) {
            // unreadable: fall through to the typical sizes
        }
        return new CacheSizes(l1d > 0 ? l1d : TYPICAL.l1dBytes, l2 > 0 ? l2 : TYPICAL.l2Bytes);
    }

    private static String field(Path index, String name) {
        try {
            return Files.readString(index.resolve(name)).trim();
        } catch (IOException e) {
            return "";
        }
    }

    /** sysfs sizes: {@code 32K}, {@code 1024K}, {@code 1M}, or plain bytes; 0 when not a size. */
    static int bytes(String size) {
        String s = size.trim().toUpperCase(Locale.ROOT);
        int unit = s.endsWith("K") ? 1 << 10 : s.endsWith("M") ? 1 << 20 : 1;
        String digits = unit == 1 ? s : s.substring(0, s.length() - 1);
        try {
            long value = Long.parseLong(digits) * unit;
            return value > 0 && value <= Integer.MAX_VALUE ? (int) value : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
