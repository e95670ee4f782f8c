# The barycenter's quantile function is the average of the quantile functions:
# the k-th smallest atom is the average of the k-th smallest samples.
import numpy as np

u = np.array([5.0, 0.0, 1.0])
v = np.array([2.0, 6.0, 4.0])
answer = (np.sort(u) + np.sort(v)) / 2  # [1.0, 2.5, 5.5]
