# From data to R*_L (L = 2 or 3, Euclidean norm, uniform weights):
# hyperedges = pairs of different labels at distance <= 2 eps, and (L = 3)
# triples of three labels whose smallest enclosing circle has radius <= eps
# (exercise 05.2); then the barycenter LP of exercise 05.3, and R* = 1 - B*.
import itertools

import numpy as np
from scipy.optimize import linprog


def enclosing_radius(P):
    a, b, c = sorted(np.linalg.norm(P[[1, 0, 0]] - P[[2, 2, 1]], axis=1))  # side lengths, c the longest
    if c**2 >= a**2 + b**2:  # right or obtuse: the longest side is a diameter
        return c / 2
    u, v = P[1] - P[0], P[2] - P[0]
    return a * b * c / (2 * abs(u[0] * v[1] - u[1] * v[0]))  # circumradius abc / (4 area)


def hypergraph_risk(X, y, eps, max_order=3):
    n = len(X)
    edges = [e for e in itertools.combinations(range(n), 2)
             if y[e[0]] != y[e[1]] and np.linalg.norm(X[e[0]] - X[e[1]]) <= 2 * eps]
    if max_order >= 3:
        edges += [e for e in itertools.combinations(range(n), 3)
                  if len(set(y[list(e)])) == 3 and enclosing_radius(X[list(e)]) <= eps]
    columns = [(j,) for j in range(n)] + edges  # singletons first: unmerged mass
    A = np.zeros((n, len(columns)))  # incidence matrix: A[j, k] = 1 iff point j is in column k
    for k, e in enumerate(columns):
        A[list(e), k] = 1.0
    res = linprog(np.ones(len(columns)), A_eq=A, b_eq=np.full(n, 1 / n), bounds=(0, None), method="highs")
    return 1.0 - res.fun  # R*_L = 1 - B*_L


answer = hypergraph_risk
