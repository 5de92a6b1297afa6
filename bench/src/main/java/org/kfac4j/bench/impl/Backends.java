package org.kfac4j.bench.impl;

import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.blas.JavaBLAS;
import dev.ludovic.netlib.blas.NativeBLAS;
import dev.ludovic.netlib.lapack.LAPACK;
import dev.ludovic.netlib.lapack.NativeLAPACK;
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
    /** The LAPACK built with it (same package), which calls its multi-threaded BLAS. */
    static final Path OPENBLAS_LAPACK = Path.of("/usr/lib/x86_64-linux-gnu/openblas-pthread/liblapack.so.3");

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

    /** Builds the {@link Eigensolver} a benchmark parameter names. */
    public static Eigensolver eigensolver(String impl, EigenProblem problem, int threads) {
        return switch (impl) {
            case "kfac4j" -> new Kfac4jEigen(problem, threads);
            case "ejml" -> new EjmlEigen(problem, threads);
            case "ojalgo" -> new OjalgoEigen(problem, threads);
            case "lapack" -> new LapackEigen(problem, threads);
            default -> throw new IllegalArgumentException("unknown impl '" + impl + "': one of "
                    + String.join(", ", Eigensolver.NAMES));
        };
    }

    /** Builds the {@link CholeskyFactorization} a benchmark parameter names. */
    public static CholeskyFactorization cholesky(String impl, CholeskyProblem problem, int threads) {
        return switch (impl) {
            case "kfac4j" -> new Kfac4jCholesky(problem, threads);
            case "ejml" -> new EjmlCholesky(problem, threads);
            case "ojalgo" -> new OjalgoCholesky(problem, threads);
            case "lapack" -> new LapackCholesky(problem, threads);
            default -> throw new IllegalArgumentException("unknown impl '" + impl + "': one of "
                    + String.join(", ", CholeskyFactorization.NAMES));
        };
    }

    /** OpenBLAS's LAPACK through dev.ludovic.netlib's JNI binding, its BLAS threads set to {@code threads}. */
    static LAPACK lapack(int threads) {
        if (!Files.exists(OPENBLAS_LAPACK) || !Files.exists(OPENBLAS_CORE)) {
            throw new Unavailable("lapack skipped: " + OPENBLAS_LAPACK + " not found; install it with "
                    + "'apt-get install libopenblas0-pthread'");
        }
        System.setProperty("dev.ludovic.netlib.lapack.nativeLibPath", OPENBLAS_LAPACK.toString());
        LAPACK lapack;
        try {
            lapack = NativeLAPACK.getInstance();
        } catch (RuntimeException | LinkageError e) {
            throw new Unavailable("lapack skipped: dev.ludovic.netlib could not load " + OPENBLAS_LAPACK + ": " + e);
        }
        setOpenBlasThreads(threads);
        return lapack;
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
    public static BLAS openBlas(int threads) {
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
