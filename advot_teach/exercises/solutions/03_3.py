# c(x_1, ..., x_m) = sum_i alpha_i |x_i - xbar|^2 with the weighted mean
# xbar = sum_i alpha_i x_i (equivalently sum_{i<k} alpha_i alpha_k |x_i - x_k|^2).
import numpy as np


def tuple_cost(points, alpha):
    mean = alpha @ points                      # (d,)
    return float(alpha @ ((points - mean) ** 2).sum(axis=1))


answer = tuple_cost
