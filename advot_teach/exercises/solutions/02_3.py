# For n vs n uniform atoms some optimal coupling is a permutation (Birkhoff),
# so W_inf = min over permutations of the longest move.
from itertools import permutations

import numpy as np


def bottleneck(X, Y):
    D = np.linalg.norm(X[:, None, :] - Y[None, :, :], axis=2)
    rows = np.arange(len(X))
    return min(D[rows, list(perm)].max() for perm in permutations(range(len(Y))))


answer = bottleneck
