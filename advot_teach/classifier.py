r"""The optimal robust classifier read off a dual solution q.

For data :math:`(x_j, y_j)`, a dual q of the barycenter LP and a budget eps,

.. math::  f_c(z) = \max\{q_j : y_j = c,\ \|z - x_j\| \le \varepsilon\}

(0 where no ball of class c reaches z).  The hyperedge constraints of the
dual give :math:`\sum_c f_c(z) \le 1`; scaling a row up in proportion keeps
:math:`f_{y_j} \ge q_j` on every ball, so the classifier stays optimal
(Garcia Trillos, Jacobs, Kim, JMLR 2023).

:func:`robust_classifier_scores` evaluates the scores from a ball-membership
matrix; :class:`ClassifierGrid` evaluates them on a fixed pixel grid for
many (q, eps) at once, fast enough for a slider.  Computation only: the
plots turn probabilities into colours.
"""
from __future__ import annotations

import numpy as np

from .geometry import pairwise_distances, within

__all__ = ["robust_classifier_scores", "share_in_proportion", "ClassifierGrid"]


def robust_classifier_scores(inside, codes, q, n_classes) -> np.ndarray:
    """Unnormalised scores ``f_c(z) = max{q_j : y_j = c, z in B_eps(x_j)}``.

    Parameters
    ----------
    inside : ndarray of bool, shape (m, n)
        ``inside[i, j]``: query point i lies in the eps-ball of data point j.
    codes : ndarray of int, shape (n,)
        Class index of each data point.
    q : ndarray, shape (n,)
        Dual solution.
    n_classes : int

    Returns
    -------
    ndarray, shape (m, n_classes)

    Examples
    --------
    >>> inside = np.array([[True, True], [False, True]])
    >>> robust_classifier_scores(inside, np.array([0, 1]), np.array([0.5, 0.5]), 2)
    array([[0.5, 0.5],
           [0. , 0.5]])
    """
    f = np.zeros((inside.shape[0], n_classes))
    for c in range(n_classes):
        cols = codes == c
        if cols.any():
            f[:, c] = np.where(inside[:, cols], q[cols][None, :], 0.0).max(axis=1)
    return f


def share_in_proportion(f) -> np.ndarray:
    """Rows of scores scaled to sum 1; rows that are (about) zero stay zero.

    A zero row is a point no ball reaches: any label is optimal there.

    Parameters
    ----------
    f : ndarray, shape (m, K)

    Returns
    -------
    ndarray, shape (m, K)
    """
    total = f.sum(axis=-1, keepdims=True)
    return np.divide(f, total, out=np.zeros_like(f), where=total > 1e-12)


class ClassifierGrid:
    """The robust classifier ``f_c = max{q_j : y_j = c, pixel in B_eps(x_j)}``
    on a fixed pixel grid, normalised per pixel by :func:`share_in_proportion`,
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

    Examples
    --------
    >>> grid = np.array([[0.0, 0.0], [0.5, 0.0], [2.0, 0.0]])
    >>> X = np.array([[0.0, 0.0], [1.0, 0.0]])
    >>> image = ClassifierGrid(grid, (3,), X, np.array([0, 1]), 2, eps_max=1.0)
    >>> image.proba(np.array([0.5, 0.5]), 0.5, 2.0)
    array([[1. , 0. ],
           [0.5, 0.5],
           [0. , 0. ]])
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
        return share_in_proportion(f.reshape(-1, K)).reshape(*self.grid_shape, K)
