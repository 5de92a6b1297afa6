package org.kfac4j.kfac;

/** A layer registered for preconditioning that a factor update found without captures (or with unusable ones). */
public final class RegistrationException extends IllegalStateException {
    public RegistrationException(String message) {
        super(message);
    }
}
