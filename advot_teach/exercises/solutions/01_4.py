# Two balls B_eps(x_i), B_eps(x_j) meet iff ||x_i - x_j|| <= 2 eps.  Greedy:
# scan the cross-class pairs from the closest up and keep a pair whenever both
# points are still free.  The result is maximal: no further pair can be added.
import numpy as np


def disjoint_conflict_pairs(X, y, eps, norm):
    D = np.linalg.norm(X[:, None, :] - X[None, :, :], ord=norm, axis=-1)
    i, j = np.nonzero(np.triu((D <= 2 * eps) & (y[:, None] != y[None, :])))
    free = np.ones(len(y), dtype=bool)
    pairs = []
    for k in np.argsort(D[i, j], kind="stable"):
        a, b = i[k], j[k]
        if free[a] and free[b]:
            pairs.append((int(a), int(b)))
            free[a] = free[b] = False
    return pairs


answer = disjoint_conflict_pairs
