# Multimarginal Sinkhorn on the truncated problem, in the log domain.  Start
# from g = 0; one sweep updates class 0, then class 1 with the new potentials
# of class 0, and so on.  Each class update solves that class's constraints
# exactly (exercise 07.2): it is a Bregman (KL) projection.  After every sweep
# record the marginal error sum_j |sum_{e contains j} z_e - w_j|.
import numpy as np
from scipy.special import logsumexp


def sinkhorn_loop(hyperedges, codes, weights, reg, n_sweeps):
    n = len(weights)
    containing = [[] for _ in range(n)]  # indices of the hyperedges through each point
    for k, e in enumerate(hyperedges):
        for j in e:
            containing[j].append(k)
    g = np.zeros(n)
    errors = []
    for _ in range(n_sweeps):
        for c in np.unique(codes):
            # Points of class c share no hyperedge, so one table of sums serves the whole class.
            sums = np.array([g[list(e)].sum() for e in hyperedges])
            for j in np.nonzero(codes == c)[0]:
                rest = sums[containing[j]] - g[j]  # leave g_j itself out of the exponent
                g[j] = reg * np.log(weights[j]) - reg * logsumexp((rest - 1.0) / reg)
        sums = np.array([g[list(e)].sum() for e in hyperedges])
        log_cover = np.array([logsumexp((sums[containing[j]] - 1.0) / reg) for j in range(n)])
        errors.append(np.abs(np.exp(log_cover) - weights).sum())
    return g, np.array(errors)


answer = sinkhorn_loop
