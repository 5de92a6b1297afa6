package org.kfac4j.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The backend the properties ask for is the one that runs: no silent fallback in any test run. */
class SimdBackendTest {

    @Test
    void selectedBackendIsTheOneRequested() {
        String requested = System.getProperty(SimdBackend.BACKEND_PROPERTY, "auto");
        SimdBackend selected = SimdBackend.selected();
        SimdBackend.Kind expected = switch (requested) {
            case "scalar" -> SimdBackend.Kind.SCALAR;
            case "vector" -> SimdBackend.Kind.VECTOR;
            default -> SimdBackend.vectorModulePresent() ? SimdBackend.Kind.VECTOR : SimdBackend.Kind.SCALAR;
        };
        assertEquals(expected, selected.kind(), "backend " + selected + " for -D" + SimdBackend.BACKEND_PROPERTY
                + "=" + requested);
        String bits = System.getProperty(SimdBackend.BITS_PROPERTY);
        if (expected == SimdBackend.Kind.VECTOR && bits != null) {
            assertEquals(Integer.parseInt(bits), selected.vectorBits(), "vector width");
        }
        if (expected == SimdBackend.Kind.VECTOR) {
            // every kernel tile is a whole number of vectors wide
            int floatLanes = selected.vectorBits() / 32;
            assertEquals(0, LinalgConfig.defaults().backend().f32().nr() % floatLanes);
        }
    }
}
