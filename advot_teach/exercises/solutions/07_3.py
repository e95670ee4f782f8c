# 1. coverage_j = sum_{e contains j} z_e;
# 2. scale every hyperedge by the smallest ratio min(1, w_j / coverage_j) of
#    its members: afterwards no point is over-covered;
# 3. give each point's deficit w_j - coverage_j to its singleton {j}.
# The result covers every point exactly, so sum(z) >= B*_L and 1 - sum(z) <= R*_L.
import numpy as np


def round_plan(z, hyperedges, weights):
    z = np.asarray(z, dtype=float)
    w = np.asarray(weights, dtype=float)
    n = len(w)
    coverage = np.zeros(n)
    for mass, e in zip(z, hyperedges):
        coverage[list(e)] += mass
    ratio = np.minimum(1.0, w / coverage)
    new = np.array([mass * ratio[list(e)].min() for mass, e in zip(z, hyperedges)])
    coverage = np.zeros(n)
    for mass, e in zip(new, hyperedges):
        coverage[list(e)] += mass
    deficit = np.maximum(w - coverage, 0.0)
    for k, e in enumerate(hyperedges):
        if len(e) == 1:
            new[k] += deficit[e[0]]
    return new


answer = round_plan
