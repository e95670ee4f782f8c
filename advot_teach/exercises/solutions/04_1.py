# Two closed eps-balls meet iff their centres are at most 2 eps apart (the
# midpoint is then in both).  Only points of different classes conflict.
import numpy as np


def conflict_pairs(X, y, eps):
    D = np.linalg.norm(X[:, None, :] - X[None, :, :], axis=2)  # (n, n) distances
    conflict = (D <= 2 * eps) & (y[:, None] != y[None, :])
    i, j = np.nonzero(np.triu(conflict, 1))  # each pair once, i < j
    return list(zip(i.tolist(), j.tolist()))


answer = conflict_pairs
