"""The dual robust classifier evaluated on a pixel grid, fast enough for a slider.

Computation only (no drawing): the eps-explorer turns the result into
colours with :func:`advot_teach.plots.proba_to_rgb`.
"""
from __future__ import annotations

import numpy as np

from ..geometry import pairwise_distances, within


class DualImage:
    """Classifier image ``f_c = max{q_j : y_j = c, pixel in B_eps(x_j)}``,
    normalised per pixel as in :func:`advot_teach.plots.dual_classifier_proba`,
    for any dual q and any eps <= ``eps_max``.

    The (pixel, point) pairs within ``eps_max`` are found once per norm; an
    image is then one pass over them: a maximum per (pixel, class) group.

    Parameters
    ----------
    grid : ndarray, shape (P, 2)
        Pixel centres.
    grid_shape : tuple of int
        Shape of the image, ``prod(grid_shape) == P``.
    X : ndarray, shape (n, 2)
    codes : ndarray of int, shape (n,)
        Class codes 0..K-1.
    n_classes : int
        K.
    eps_max : float
    """

    def __init__(self, grid, grid_shape, X, codes, n_classes, eps_max):
        self.grid, self.grid_shape = grid, grid_shape
        self.X, self.codes, self.n_classes, self.eps_max = X, codes, n_classes, eps_max
        self._neighbours = {}

    def neighbours(self, norm):
        """Pixel-to-point distances up to eps_max, grouped by (pixel, class).

        Returns ``(dist, idx, keys, starts)``: entries sorted by
        ``key = pixel * K + class``; ``starts`` opens each nonempty group,
        ``keys`` names it.  Computed once per norm, in chunks of pixels.
        """
        if norm not in self._neighbours:
            K = self.n_classes
            dist, idx, key = [], [], []
            chunk = max(1, 2**21 // len(self.X))
            for start in range(0, len(self.grid), chunk):
                D = pairwise_distances(self.grid[start:start + chunk], self.X, norm)
                rows, cols = np.nonzero(within(D, self.eps_max))
                dist.append(D[rows, cols].astype(np.float32))
                idx.append(cols.astype(np.int32))
                key.append((rows + start) * K + self.codes[cols])
            dist, idx, key = np.concatenate(dist), np.concatenate(idx), np.concatenate(key)
            order = np.argsort(key, kind="stable")
            dist, idx, key = dist[order], idx[order], key[order]
            starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]]) if len(key) else np.zeros(0, dtype=int)
            self._neighbours[norm] = (dist, idx, key[starts], starts)
        return self._neighbours[norm]

    def proba(self, q, eps, norm):
        """The classifier image for dual ``q`` (shape (n,)) at ``eps``.

        Returns
        -------
        ndarray, shape (*grid_shape, K)
            Class probabilities per pixel (all zero where no ball reaches).
        """
        dist, idx, keys, starts = self.neighbours(norm)
        K = self.n_classes
        f = np.zeros(len(self.grid) * K)
        if len(dist):
            values = np.where(within(dist, eps), q[idx], 0.0)
            f[keys] = np.maximum.reduceat(values, starts)
        f = f.reshape(-1, K)
        total = f.sum(axis=1, keepdims=True)
        f = np.divide(f, total, out=np.zeros_like(f), where=total > 1e-12)
        return f.reshape(*self.grid_shape, K)
