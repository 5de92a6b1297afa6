package org.kfac4j.linalg;

/**
 * An iterative method stopped at its iteration bound without converging. Every iteration in kfac4j is bounded,
 * so a pathological input ends here instead of hanging; on finite input this has not been observed.
 */
public final class ConvergenceException extends ArithmeticException {
    private static final long serialVersionUID = 1L;

    public ConvergenceException(String message) {
        super(message);
    }
}
