/**
 * Who is connected to whom in a layered Hopfield network: layer sizes and blocks of connections with optional masks
 * ({@link org.eqp.topology.Topology}), the small-world generators ({@link org.eqp.topology.SmallWorld}), and the
 * values a layer configuration stores to say which topology it wants ({@link org.eqp.topology.spec.SymmetricTopologySpec}).
 *
 * <h2 id="small-world">Small-world conventions</h2>
 * The journal's small-world network (Gammell et al. 2021, "SW"): every connection between adjacent layers (input to
 * first hidden and last hidden to output included) is, independently with probability p, removed and replaced by a
 * connection drawn uniformly from all pairs of units in layers at least two apart (input to output included; no
 * input-input or output-output pairs, no self-connections); a removed connection goes back into the pool. The achieved
 * p is replacements / original adjacent connections. Variants: "add" (new connections without removing) and the
 * earlier preprint's intralayer-connected network (Gammell et al. 2020, Algorithm 1). New skip weights start
 * U[-a, a], a the mean over adjacent layer pairs of sqrt(6 / (n_l + n_{l+1})) (3x500: .0829; 5x100: .168;
 * 784-500-10: .0884).
 */
package org.eqp.topology;
