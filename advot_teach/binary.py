"""Two classes: R* as a maximum matching and as optimal transport.

With two classes every hyperedge is a cross-class pair at distance
<= 2 eps, the barycenter LP is a bipartite b-matching (integral), and

    R*(eps) = largest mass that can be paired across classes
            = maximum matching size / n            (uniform weights)
            = optimal transport with the 0/1 cost 1{d(x, x') > 2 eps}

(Bhagoji, Cullina, Mittal 2019; Pydi, Jog 2020).  The two routes here share
nothing with the hypergraph LP of :mod:`advot_teach.risk`, so the tests use
them as independent checks.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import ot
from scipy import sparse
from scipy.sparse.csgraph import maximum_bipartite_matching

from ._validation import check_data, check_eps, parse_norm
from .geometry import pairwise_distances, within

__all__ = ["BinaryMatching", "binary_risk_matching", "binary_risk_ot"]


@dataclass(frozen=True)
class BinaryMatching:
    """A maximum conflict matching.

    Attributes
    ----------
    risk : float
        R*(eps) = matched pairs / n.
    pairs : ndarray, shape (p, 2)
        Matched point indices (first column: first class).
    """

    risk: float
    pairs: np.ndarray


def _two_classes(X, y, weights):
    X, codes, classes, w = check_data(X, y, weights)
    if len(classes) > 2:
        raise ValueError(f"y must have at most two classes for the binary solvers; got {len(classes)}")
    return X, codes, w


def binary_risk_matching(X, y, eps, *, norm=2) -> BinaryMatching:
    """R* for two classes and uniform weights by maximum bipartite matching.

    Parameters
    ----------
    X : array_like, shape (n, d)
    y : array_like, shape (n,), two classes
    eps : float
    norm : {2, 1, np.inf, "l2", "l1", "linf"}

    Returns
    -------
    BinaryMatching
    """
    X, codes, _ = _two_classes(X, y, None)
    eps = check_eps(eps)
    norm = parse_norm(norm)
    left, right = np.nonzero(codes == 0)[0], np.nonzero(codes == 1)[0]
    if len(left) == 0 or len(right) == 0:
        return BinaryMatching(0.0, np.zeros((0, 2), dtype=int))
    conflict = within(pairwise_distances(X[left], X[right], norm), 2 * eps)
    graph = sparse.csr_matrix(conflict)
    match = maximum_bipartite_matching(graph, perm_type="column")  # left i -> right match[i]
    matched = np.nonzero(match >= 0)[0]
    pairs = np.stack([left[matched], right[match[matched]]], axis=1)
    return BinaryMatching(len(pairs) / len(X), pairs)


def binary_risk_ot(X, y, eps, *, norm=2, weights=None) -> float:
    """R* for two weighted classes by optimal transport with POT's ``ot.emd``.

    POT rejects infinite costs, so forbidden pairs get a finite cost instead.
    Each class gets a dummy point holding the other class's mass: the plan
    sends w_0 to class 1 or to its dummy and w_1 to class 0 or its dummy.
    With cost 0 on conflicting pairs, 1 to or from a dummy and 2 on
    non-conflicting pairs, a plan pairing mass m costs 1 - 2m, so

        R* = m* = (1 - min cost) / 2.

    Parameters
    ----------
    weights : array_like, shape (n,), optional
        Point weights (default uniform).

    Returns
    -------
    float
    """
    X, codes, w = _two_classes(X, y, weights)
    eps = check_eps(eps)
    norm = parse_norm(norm)
    left, right = np.nonzero(codes == 0)[0], np.nonzero(codes == 1)[0]
    if len(left) == 0 or len(right) == 0:
        return 0.0
    w0, w1 = w[left], w[right]
    conflict = within(pairwise_distances(X[left], X[right], norm), 2 * eps)
    M = np.full((len(left) + 1, len(right) + 1), 1.0)
    M[:-1, :-1] = np.where(conflict, 0.0, 2.0)
    M[-1, -1] = 0.0
    a = np.append(w0, w1.sum())
    b = np.append(w1, w0.sum())
    cost = float(np.sum(ot.emd(a, b, M) * M))
    return float(np.clip((1.0 - cost) / 2, 0.0, 1.0))
