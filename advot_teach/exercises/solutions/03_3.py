# c(x_1, ..., x_K) = sum_i w_i |x_i - m|^2 with the weighted mean m = sum_i w_i x_i
# (equivalently sum_{i<j} w_i w_j |x_i - x_j|^2).
import numpy as np


def tuple_cost(points, w):
    mean = w @ points                      # (d,)
    return float(w @ ((points - mean) ** 2).sum(axis=1))


answer = tuple_cost
