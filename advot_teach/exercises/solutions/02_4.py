# Push every point that can cross the boundary x_1 = 0 across it, horizontally,
# by exactly eps: 0 < x_1 <= eps, or -eps < x_1 <= 0 (a point that only reaches
# x_1 = 0 is still labelled -1).  The others need not move.
import numpy as np

from advot_teach.exercises.nb02 import attack_data, predict_sign

X, eps = attack_data()
Z = X.copy()
crossable = (X[:, 0] > -eps) & (X[:, 0] <= eps)
Z[crossable, 0] -= eps * predict_sign(X[crossable])  # +1 moves left, -1 moves right
answer = Z
