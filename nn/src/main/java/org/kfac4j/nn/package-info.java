/**
 * Layers whose linear parts are linear maps with weight sharing ({@code N × R × D_in → N × R × D_out}),
 * backprop, losses, baseline optimisers and data. Filled by the nn issue; empty until then.
 */
package org.kfac4j.nn;
