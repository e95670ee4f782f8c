# The learner's half of the certificate, on samples.  For a sample z in the
# ball of x_j, the classifier built from q gives the right class y_j the
# probability f_{y_j}(z) = max{ q_i : y_i = y_j, ||z - x_i|| <= eps } >= q_j
# (x_j itself is one of the i).  The adversary picks the worst sample of each
# ball, and the weighted sum of these worst losses can never exceed
# sum_j w_j (1 - q_j) = 1 - B* = R*.
import numpy as np


def sampled_risk(X, y, w, q, eps, Z):
    worst = np.empty(len(X))
    for j in range(len(X)):
        same = y == y[j]  # only the column of the true class y_j matters
        dist = np.linalg.norm(Z[j][:, None, :] - X[same][None, :, :], axis=2)  # (s, points of class y_j)
        f_true = np.where(dist <= eps, q[same], 0.0).max(axis=1)  # f_{y_j} at every sample of ball j
        worst[j] = 1.0 - f_true.min()
    return float(w @ worst)


answer = sampled_risk
