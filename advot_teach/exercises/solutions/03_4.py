# Equal-size uniform clouds: some W2-optimal coupling is a permutation, found by
# the assignment problem on squared distances; then move along straight lines.
import numpy as np
from scipy.optimize import linear_sum_assignment


def interpolate(X, Y, t):
    cost = ((X[:, None, :] - Y[None, :, :]) ** 2).sum(axis=2)
    rows, cols = linear_sum_assignment(cost)
    return (1 - t) * X[rows] + t * Y[cols]


answer = interpolate
