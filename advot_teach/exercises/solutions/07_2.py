# Points of class c never share a hyperedge, so the constraint of point j,
#     sum_{e contains j} exp((g_j + sum_{i in e, i != j} g_i - 1) / reg) = w_j,
# involves g_j alone and is solved in closed form:
#     g_j = reg * log w_j - reg * logsumexp_{e contains j} ((sum_{i in e, i != j} g_i - 1) / reg).
# logsumexp never under- or overflows, even for reg = 1e-3.
import numpy as np
from scipy.special import logsumexp


def class_update(g, hyperedges, codes, weights, c, reg):
    g = np.asarray(g, dtype=float)
    new = g.copy()
    exponents = {j: [] for j in np.nonzero(codes == c)[0]}
    for e in hyperedges:
        for j in e:
            if codes[j] == c:
                rest = sum(g[i] for i in e if i != j)
                exponents[j].append((rest - 1.0) / reg)
    for j, values in exponents.items():
        new[j] = reg * np.log(weights[j]) - reg * logsumexp(values)
    return new


answer = class_update
