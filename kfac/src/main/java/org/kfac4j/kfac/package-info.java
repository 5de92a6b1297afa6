/**
 * K-FAC-expand and K-FAC-reduce natural-gradient optimisation. Filled by the kfac issue; empty until then.
 */
package org.kfac4j.kfac;
