package org.kfac4j.linalg;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import org.kfac4j.linalg.kernel.Level1KernelF32;
import org.kfac4j.linalg.kernel.Level1KernelF64;
import org.kfac4j.linalg.kernel.MicroKernelF32;
import org.kfac4j.linalg.kernel.MicroKernelF64;
import org.kfac4j.linalg.kernel.ScalarLevel1KernelF32;
import org.kfac4j.linalg.kernel.ScalarLevel1KernelF64;
import org.kfac4j.linalg.kernel.ScalarMicroKernelF32;
import org.kfac4j.linalg.kernel.ScalarMicroKernelF64;

/**
 * Which kernels compute: the Vector API ones at a fixed width, or the scalar reference.
 *
 * <p>{@link #selected()} is chosen once per process from system properties:
 * {@code -Dkfac4j.simd=auto|vector|scalar} (default {@code auto}: vector when the
 * {@code jdk.incubator.vector} module is present, scalar otherwise) and
 * {@code -Dkfac4j.simd.bits=128|256|512} (default: the CPU's preferred width). Forcing {@code vector}
 * without the module (run the JVM with {@code --add-modules jdk.incubator.vector}) is an error, never a
 * silent fallback. The choice is logged once at INFO.
 */
public final class SimdBackend {
    /** System property choosing the backend. */
    public static final String BACKEND_PROPERTY = "kfac4j.simd";
    /** System property choosing the vector width in bits. */
    public static final String BITS_PROPERTY = "kfac4j.simd.bits";

    private static final String VECTOR_MODULE = "jdk.incubator.vector";
    private static final String VECTOR_ENTRY = "org.kfac4j.linalg.simd.VectorKernels";

    /** Kinds of backend. */
    public enum Kind { VECTOR, SCALAR }

    private static final SimdBackend SCALAR = new SimdBackend(Kind.SCALAR, 0,
            new ScalarMicroKernelF32(), new ScalarMicroKernelF64(), new ScalarLevel1KernelF32(),
            new ScalarLevel1KernelF64());

    private final Kind kind;
    private final int vectorBits;
    private final MicroKernelF32 f32;
    private final MicroKernelF64 f64;
    private final Level1KernelF32 level1F32;
    private final Level1KernelF64 level1F64;

    private SimdBackend(Kind kind, int vectorBits, MicroKernelF32 f32, MicroKernelF64 f64,
                        Level1KernelF32 level1F32, Level1KernelF64 level1F64) {
        this.kind = kind;
        this.vectorBits = vectorBits;
        this.f32 = f32;
        this.f64 = f64;
        this.level1F32 = level1F32;
        this.level1F64 = level1F64;
    }

    private static volatile SimdBackend selected;
    private static IllegalStateException selectionFailure;

    /**
     * The process-wide backend chosen from the system properties (see the class comment).
     *
     * @throws IllegalStateException if the properties ask for something this JVM cannot do; every call
     *                               throws it again, with the same message
     */
    public static SimdBackend selected() {
        SimdBackend backend = selected;
        return backend != null ? backend : selectOnce();
    }

    private static synchronized SimdBackend selectOnce() {
        if (selected == null) {
            if (selectionFailure != null) {
                throw new IllegalStateException(selectionFailure.getMessage(), selectionFailure);
            }
            try {
                selected = select();
            } catch (IllegalStateException e) {
                selectionFailure = e;
                throw e;
            }
        }
        return selected;
    }

    /** The scalar reference backend, always available. */
    public static SimdBackend scalar() {
        return SCALAR;
    }

    /** Whether the {@code jdk.incubator.vector} module is in this JVM's boot layer. */
    public static boolean vectorModulePresent() {
        return ModuleLayer.boot().findModule(VECTOR_MODULE).isPresent();
    }

    public Kind kind() {
        return kind;
    }

    /** Width of the vectors in bits; 0 for the scalar backend. */
    public int vectorBits() {
        return vectorBits;
    }

    MicroKernelF32 f32() {
        return f32;
    }

    MicroKernelF64 f64() {
        return f64;
    }

    Level1KernelF32 level1F32() {
        return level1F32;
    }

    Level1KernelF64 level1F64() {
        return level1F64;
    }

    @Override
    public String toString() {
        String tiles = "f32 tile " + f32.mr() + "x" + f32.nr() + ", f64 tile " + f64.mr() + "x" + f64.nr();
        return kind == Kind.SCALAR ? "scalar (" + tiles + ")" : "vector " + vectorBits + "-bit (" + tiles + ")";
    }

    private static SimdBackend select() {
        String choice = System.getProperty(BACKEND_PROPERTY, "auto").trim();
        SimdBackend backend = switch (choice) {
            case "scalar" -> SCALAR;
            case "vector" -> {
                if (!vectorModulePresent()) {
                    throw new IllegalStateException("-D" + BACKEND_PROPERTY + "=vector, but the " + VECTOR_MODULE
                            + " module is not loaded: start the JVM with --add-modules " + VECTOR_MODULE);
                }
                yield loadVector();
            }
            case "auto", "" -> vectorModulePresent() ? loadVector() : SCALAR;
            default -> throw new IllegalStateException("-D" + BACKEND_PROPERTY + "=" + choice
                    + " is not a backend: use auto, vector or scalar");
        };
        System.Logger log = System.getLogger("org.kfac4j.linalg");
        if (backend.kind == Kind.SCALAR && !"scalar".equals(choice)) {
            log.log(System.Logger.Level.WARNING, "kfac4j: " + VECTOR_MODULE + " not loaded; using the scalar "
                    + "kernels (many times slower). Start the JVM with --add-modules " + VECTOR_MODULE);
        }
        log.log(System.Logger.Level.INFO, "kfac4j linear-algebra backend: " + backend);
        return backend;
    }

    private static SimdBackend loadVector() {
        try {
            Class<?> entry = Class.forName(VECTOR_ENTRY);
            Method bits = entry.getMethod("bits");
            Method f32 = entry.getMethod("f32");
            Method f64 = entry.getMethod("f64");
            Method level1F32 = entry.getMethod("level1F32");
            Method level1F64 = entry.getMethod("level1F64");
            return new SimdBackend(Kind.VECTOR, (int) bits.invoke(null),
                    (MicroKernelF32) f32.invoke(null), (MicroKernelF64) f64.invoke(null),
                    (Level1KernelF32) level1F32.invoke(null), (Level1KernelF64) level1F64.invoke(null));
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof ExceptionInInitializerError init && init.getCause() != null) {
                cause = init.getCause();
            }
            throw new IllegalStateException("cannot start the vector backend: " + cause.getMessage(), cause);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot load the vector backend " + VECTOR_ENTRY, e);
        }
    }
}
