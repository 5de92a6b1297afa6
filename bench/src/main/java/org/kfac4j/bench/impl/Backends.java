package org.kfac4j.bench.impl;

import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.blas.JavaBLAS;
import dev.ludovic.netlib.blas.NativeBLAS;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;

/** Builds the {@link MatMul} a benchmark parameter names, or says clearly why it cannot. */
public final class Backends {
    /** Debian's pthread build of OpenBLAS (package libopenblas0-pthread). */
    static final Path OPENBLAS = Path.of("/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3");
    static final Path OPENBLAS_CORE = Path.of("/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.so.0");

    private Backends() {
    }

    /** Thrown when an implementation is not installed here: the benchmark is skipped with this message. */
    public static final class Unavailable extends RuntimeException {
        Unavailable(String message) {
            super(message);
        }
    }

    public static MatMul create(String impl, Operands op, int threads) {
        return switch (impl) {
            case "kfac4j" -> new Kfac4jMatMul(op, threads);
            case "vectorblas" -> new NetlibMatMul(op, vectorBlas());
            case "ejml" -> new EjmlMatMul(op, threads);
            case "ojalgo" -> new OjalgoMatMul(op, threads);
            case "openblas" -> new NetlibMatMul(op, openBlas(threads));
            default -> throw new IllegalArgumentException("unknown impl '" + impl + "': one of "
                    + String.join(", ", MatMul.NAMES));
        };
    }

    /** dev.ludovic.netlib's pure-Java Vector API BLAS; single-threaded whatever {@code threads} says. */
    static BLAS vectorBlas() {
        BLAS blas = JavaBLAS.getInstance();
        if (!blas.getClass().getSimpleName().equals("VectorBLAS")) {
            throw new Unavailable("vectorblas: dev.ludovic.netlib chose " + blas.getClass().getName()
                    + " (is --add-modules jdk.incubator.vector set?)");
        }
        return blas;
    }

    /** OpenBLAS through dev.ludovic.netlib's JNI binding, with its thread pool set to {@code threads}. */
    static BLAS openBlas(int threads) {
        if (!Files.exists(OPENBLAS) || !Files.exists(OPENBLAS_CORE)) {
            throw new Unavailable("openblas skipped: " + OPENBLAS + " not found; install it with "
                    + "'apt-get install libopenblas0-pthread'");
        }
        System.setProperty("dev.ludovic.netlib.blas.nativeLibPath", OPENBLAS.toString());
        BLAS blas;
        try {
            blas = NativeBLAS.getInstance();
        } catch (RuntimeException | LinkageError e) {
            throw new Unavailable("openblas skipped: dev.ludovic.netlib could not load " + OPENBLAS + ": " + e);
        }
        setOpenBlasThreads(threads);
        return blas;
    }

    /** openblas_set_num_threads through the FFM API: the JNI binding has no call for it. */
    private static void setOpenBlasThreads(int threads) {
        Linker linker = Linker.nativeLinker();
        SymbolLookup lib = SymbolLookup.libraryLookup(OPENBLAS_CORE, Arena.global());
        MethodHandle set = linker.downcallHandle(lib.find("openblas_set_num_threads").orElseThrow(),
                FunctionDescriptor.ofVoid(ValueLayout.JAVA_INT));
        MethodHandle get = linker.downcallHandle(lib.find("openblas_get_num_threads").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT));
        try {
            set.invokeExact(threads);
            int now = (int) get.invokeExact();
            if (now != threads) {
                throw new IllegalStateException("OpenBLAS runs " + now + " threads, " + threads + " asked");
            }
        } catch (Throwable t) {
            throw new IllegalStateException("cannot set OpenBLAS's thread count", t);
        }
    }
}
