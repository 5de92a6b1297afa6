package org.kfac4j.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * How the backend is chosen in a JVM started without the Vector API module, or with a width the CPU does not
 * have: run in a child JVM, since the choice is fixed once per process.
 */
class BackendSelectionTest {

    /** Child JVM entry point: prints the selected backend, or the error that selecting it raised. */
    public static void main(String[] args) {
        try {
            System.out.println("selected: " + SimdBackend.selected());
        } catch (IllegalStateException e) {
            System.out.println("error: " + e.getMessage());
        }
    }

    private static String child(boolean withModule, String... properties) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> cmd = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path")));
        if (withModule) {
            cmd.add("--add-modules=jdk.incubator.vector");
        }
        cmd.addAll(List.of(properties));
        cmd.add(BackendSelectionTest.class.getName());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child JVM hung");
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    @Test
    void forcingVectorWithoutTheModuleIsAnErrorNamingTheFlag() throws Exception {
        String out = child(false, "-Dkfac4j.simd=vector");
        assertTrue(out.contains("error:") && out.contains("--add-modules jdk.incubator.vector"), out);
    }

    @Test
    void autoWithoutTheModuleFallsBackToScalarWithAWarning() throws Exception {
        String out = child(false, "-Dkfac4j.simd=auto");
        assertTrue(out.contains("selected: scalar"), out);
        assertTrue(out.contains("WARNING") && out.contains("not loaded"), out);
    }

    @Test
    void aWidthWiderThanTheCpuIsAnError() throws Exception {
        String out = child(true, "-XX:MaxVectorSize=16", "-Dkfac4j.simd=vector", "-Dkfac4j.simd.bits=256");
        assertTrue(out.contains("error:") && out.contains("exceeds"), out);
    }

    @Test
    void aMalformedChoiceIsAnError() throws Exception {
        assertTrue(child(true, "-Dkfac4j.simd=gpu").contains("is not a backend"));
        assertTrue(child(true, "-Dkfac4j.simd.bits=100").contains("is not supported"));
    }
}
