# The attacker lowers the margin y (w.x + b) by at most
# max_{||delta|| <= eps} <w, delta> = eps * ||w||_dual
# (dual of linf is l1, dual of l2 is l2), and reaches it.  A point stays
# correct under every attack iff its margin is larger than that.
import numpy as np


def linear_robust_accuracy(w, b, X, y, eps, norm):
    dual = 1 if norm == np.inf else 2
    margins = y * (X @ w + b)
    return float(np.mean(margins > eps * np.linalg.norm(w, ord=dual)))


answer = linear_robust_accuracy
