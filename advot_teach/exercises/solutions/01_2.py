# linf: the box is a product of intervals, so clip every coordinate.
# l2: the nearest point of the ball lies on the segment from 0 to delta:
# shrink rows longer than eps to length eps, keep the others.
import numpy as np


def project(delta, eps, norm):
    delta = np.asarray(delta, dtype=float)
    if norm == np.inf:
        return np.clip(delta, -eps, eps)
    lengths = np.linalg.norm(delta, axis=1, keepdims=True)
    return delta * np.minimum(1.0, eps / np.maximum(lengths, 1e-300))


answer = project
