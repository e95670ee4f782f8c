# Linearise: loss(x + delta) ~ loss(x) + <g, delta>.  Over the linf box the
# maximiser is eps * sign(g) (gain eps * ||g||_1); over the l2 ball it is
# eps * g / ||g||_2 (gain eps * ||g||_2).  A zero gradient gives no direction.
import numpy as np


def fgsm_delta(g, eps, norm):
    g = np.asarray(g, dtype=float)
    if norm == np.inf:
        return eps * np.sign(g)
    lengths = np.linalg.norm(g, axis=1, keepdims=True)
    return eps * np.divide(g, lengths, out=np.zeros_like(g), where=lengths > 0)


answer = fgsm_delta
