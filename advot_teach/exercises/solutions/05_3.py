# Columns: every singleton {j} and every hyperedge e; variable z_e >= 0 is the
# mass of the barycenter atom that merges the points of e.  Each point's
# weight is split exactly among its columns; minimise the total mass.
import numpy as np
from scipy.optimize import linprog


def barycenter_lp(weights, hyperedges):
    n = len(weights)
    columns = [(j,) for j in range(n)] + list(hyperedges)
    A = np.zeros((n, len(columns)))
    for k, e in enumerate(columns):
        A[list(e), k] = 1.0
    res = linprog(np.ones(len(columns)), A_eq=A, b_eq=weights, bounds=(0, None), method="highs")
    return res.fun  # B*; R* = 1 - B*


answer = barycenter_lp
