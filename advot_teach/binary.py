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
from scipy.sparse.csgraph import maximum_flow

from ._validation import check_data, check_eps, parse_norm
from .geometry import pairwise_distances, within

__all__ = ["BinaryMatching", "binary_risk_matching", "binary_risk_ot", "maximum_matching", "konig_cover"]


def maximum_matching(graph) -> np.ndarray:
    """Maximum matching of a bipartite graph by Dinic's maximum flow.

    scipy's ``maximum_bipartite_matching`` can take minutes on the interval
    graphs of 1-D data; Dinic's algorithm on the unit-capacity network
    (source -> left -> right -> sink) stays fast (O(E sqrt(V))).

    Parameters
    ----------
    graph : sparse matrix, shape (n_left, n_right)
        Biadjacency matrix (nonzero = edge).

    Returns
    -------
    match : ndarray of int, shape (n_left,)
        Right partner of each left vertex, or -1.
    """
    G = sparse.coo_matrix(graph)
    n_left, n_right = G.shape
    match = np.full(n_left, -1)
    if G.nnz == 0:
        return match
    N = n_left + n_right + 2
    source, sink = N - 2, N - 1
    rows = np.concatenate([np.full(n_left, source), G.row, n_left + np.arange(n_right)])
    cols = np.concatenate([np.arange(n_left), n_left + G.col, np.full(n_right, sink)])
    capacity = sparse.csr_matrix((np.ones(len(rows), dtype=np.int32), (rows, cols)), shape=(N, N))
    flow = maximum_flow(capacity, source, sink, method="dinic").flow.tocoo()
    used = (flow.data > 0) & (flow.row < n_left) & (flow.col >= n_left) & (flow.col < n_left + n_right)
    match[flow.row[used]] = flow.col[used] - n_left
    return match


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


def _cross_conflicts(X, codes, eps, norm):
    """Indices of each class and the (n0, n1) matrix of conflicting pairs."""
    left, right = np.nonzero(codes == 0)[0], np.nonzero(codes == 1)[0]
    return left, right, within(pairwise_distances(X[left], X[right], norm), 2 * eps)


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
    left, right, conflict = _cross_conflicts(X, codes, check_eps(eps), parse_norm(norm))
    if conflict.size == 0:
        return BinaryMatching(0.0, np.zeros((0, 2), dtype=int))
    match = maximum_matching(sparse.csr_matrix(conflict))  # left i -> right match[i]
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
    left, right, conflict = _cross_conflicts(X, codes, check_eps(eps), parse_norm(norm))
    if conflict.size == 0:
        return 0.0
    w0, w1 = w[left], w[right]
    M = np.full((len(left) + 1, len(right) + 1), 1.0)
    M[:-1, :-1] = np.where(conflict, 0.0, 2.0)
    M[-1, -1] = 0.0
    a = np.append(w0, w1.sum())
    b = np.append(w1, w0.sum())
    cost = float(np.sum(ot.emd(a, b, M) * M))
    return float(np.clip((1.0 - cost) / 2, 0.0, 1.0))


def konig_cover(graph: sparse.csr_matrix, match: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Minimum vertex cover of a bipartite graph from a maximum matching.

    König's theorem: with Z the vertices reachable from unmatched left
    vertices by alternating paths, the cover is (left \\ Z) + (right & Z).

    Parameters
    ----------
    graph : csr_matrix, shape (n_left, n_right)
        Biadjacency matrix.
    match : ndarray of int, shape (n_left,)
        ``match[i]`` = right partner of left vertex i, or -1.

    Returns
    -------
    cover_left : bool ndarray, shape (n_left,)
    cover_right : bool ndarray, shape (n_right,)
    """
    n_left, n_right = graph.shape
    partner_of_right = np.full(n_right, -1)
    matched = match >= 0
    partner_of_right[match[matched]] = np.nonzero(matched)[0]
    seen_left = ~matched  # unmatched left vertices start the search
    seen_right = np.zeros(n_right, dtype=bool)
    frontier = np.nonzero(seen_left)[0]
    # Breadth-first, one vectorised level at a time.
    while len(frontier):
        rows = graph[frontier]
        right = np.unique(rows.indices)
        right = right[~seen_right[right]]
        seen_right[right] = True
        left = partner_of_right[right]
        left = left[(left >= 0)]
        left = left[~seen_left[left]]
        seen_left[left] = True
        frontier = left
    return ~seen_left, seen_right


def matching_solution(codes, pairs):
    """Maximum matching and König cover for two classes, uniform weights.

    Internal fast path of :func:`advot_teach.optimal_adversarial_risk`.

    Parameters
    ----------
    codes : ndarray of int, shape (n,)
        Class of each point, in {0, 1}.
    pairs : ndarray of int, shape (m, 2)
        Conflict pairs (class 0 point, class 1 point).

    Returns
    -------
    matched : bool ndarray, shape (m,)
        Which pairs form a maximum matching.
    q : ndarray, shape (n,)
        Optimal dual: 0 on a minimum vertex cover, 1 elsewhere.
    """
    n = len(codes)
    left, right = np.nonzero(codes == 0)[0], np.nonzero(codes == 1)[0]
    pos = np.zeros(n, dtype=int)
    pos[left] = np.arange(len(left))
    pos[right] = np.arange(len(right))
    q = np.ones(n)
    if len(pairs) == 0:
        return np.zeros(0, dtype=bool), q
    graph = sparse.csr_matrix((np.ones(len(pairs), dtype=bool), (pos[pairs[:, 0]], pos[pairs[:, 1]])),
                              shape=(len(left), len(right)))
    match = maximum_matching(graph)
    cover_left, cover_right = konig_cover(graph, match)
    q[left[cover_left]] = 0.0
    q[right[cover_right]] = 0.0
    partner = np.full(n, -1)
    has = match >= 0
    partner[left[has]] = right[match[has]]
    return partner[pairs[:, 0]] == pairs[:, 1], q
