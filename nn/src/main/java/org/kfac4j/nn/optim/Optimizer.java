package org.kfac4j.nn.optim;

/** Updates parameters in place from their accumulated gradients. */
public interface Optimizer {
    /** One update; the step counter advances. */
    void step();

    /** The number of steps taken. */
    long steps();

    /** Sets every parameter's gradient to zero. */
    void zeroGrad();
}
