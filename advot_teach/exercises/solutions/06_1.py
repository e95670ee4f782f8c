# Dual of the barycenter LP: maximise sum_j w_j q_j subject to
# sum_{j in e} q_j <= 1 for every hyperedge e and 0 <= q_j <= 1 (the
# singleton constraints).  linprog minimises, so minimise -w @ q.
import numpy as np
from scipy.optimize import linprog


def dual_lp(weights, hyperedges):
    n = len(weights)
    A = np.zeros((len(hyperedges), n))
    for row, e in enumerate(hyperedges):
        A[row, list(e)] = 1.0
    res = linprog(-np.asarray(weights), A_ub=A if len(hyperedges) else None,
                  b_ub=np.ones(len(hyperedges)) if len(hyperedges) else None, bounds=(0, 1), method="highs")
    return res.x  # q; sum_j w_j q_j = B* = 1 - R*


answer = dual_lp
