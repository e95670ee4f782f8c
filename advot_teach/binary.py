"""Two classes: R* as a maximum matching and as optimal transport.

With two classes every hyperedge is a cross-class pair at distance
<= 2 eps, the barycenter LP is a bipartite b-matching (integral), and

    R*(eps) = largest mass that can be paired across classes
            = maximum matching size / n            (uniform weights)
            = optimal transport with the 0/1 cost 1{d(x, x') > 2 eps}

(Bhagoji, Cullina, Mittal 2019; Pydi, Jog 2020).  The two routes here share
nothing with the hypergraph LP of :mod:`advot_teach.lp`, so the tests use
them as independent checks.  This module holds all two-class code: the
one-eps solvers, the matching fast path of
:func:`advot_teach.optimal_adversarial_risk` (:func:`matching_solution`) and
the two-class eps paths of :func:`advot_teach.paths.risk_path`
(:func:`matching_path`, an incrementally augmented matching, and
:func:`transport_path`).

Its matching also solves the pairs-only LP of any number of classes
(``max_order=2``, uniform weights): :func:`double_cover_solution`.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import ot
from scipy import sparse
from scipy.sparse.csgraph import maximum_flow

from ._validation import check_data, check_eps, parse_norm
from .geometry import alive, pairwise_distances, within
from .hypergraph import _too_many

__all__ = ["BinaryMatching", "binary_risk_matching", "binary_risk_ot", "maximum_matching", "konig_cover",
           "double_cover_solution"]


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
    return paired_mass(w[left], w[right], conflict)


def paired_mass(w0, w1, conflict) -> float:
    """Largest mass that can be paired across two classes along conflicting pairs.

    The transport problem of :func:`binary_risk_ot` (dummy points, costs 0,
    1 and 2), solved by POT's network simplex.

    Parameters
    ----------
    w0, w1 : ndarray, shapes (n0,) and (n1,)
        Weights of the two classes' points.
    conflict : ndarray of bool, shape (n0, n1)

    Returns
    -------
    float
        R* = (1 - optimal cost) / 2, clipped into [0, 1].
    """
    M = np.full((len(w0) + 1, len(w1) + 1), 1.0)
    M[:-1, :-1] = np.where(conflict, 0.0, 2.0)
    M[-1, -1] = 0.0
    a = np.append(w0, w1.sum())
    b = np.append(w1, w0.sum())
    cost = float(np.sum(ot.emd(a, b, M) * M))
    return float(np.clip((1.0 - cost) / 2, 0.0, 1.0))


def konig_cover(graph: sparse.csr_matrix, match: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Minimum vertex cover of a bipartite graph from a maximum matching.

    Kőnig's theorem: with Z the vertices reachable from unmatched left
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
    """Maximum matching and Kőnig cover for two classes, uniform weights.

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


def double_cover_solution(n, pairs):
    r"""The pairs-only barycenter LP with uniform weights, by one bipartite matching.

    With hyperedges of two points only the singletons take what the pairs
    leave, so B* = 1 - sum_e z_e; with every weight 1/n and z_e = x_e / n,
    B* = 1 - nu_f / n, where

    .. math::  \nu_f = \max \sum_e x_e \quad\text{s.t.}\quad
               \sum_{e \ni j} x_e \le 1, \ x \ge 0

    is a fractional matching problem.  On the bipartite *double
    cover* -- a left copy j' and a right copy j'' of every point, edges
    (a', b'') and (b', a'') for every pair {a, b} -- a maximum matching M and
    a minimum vertex cover C (Kőnig: \|C\| = \|M\|) give both certificates:

    * primal: x_{ab} = ([a'b'' in M] + [b'a'' in M]) / 2 covers point j by
      (edges of M at j' and at j'') / 2 <= 1, total \|M\| / 2;
    * dual: u_j = ([j' in C] + [j'' in C]) / 2 has u_a + u_b >= 1 on every
      pair (C covers a'b'' and b'a''), total \|C\| / 2; in the package's
      form q = 1 - u: 0 <= q <= 1 and q_a + q_b <= 1.

    Equal totals prove both optimal, so nu_f = \|M\| / 2 and a half-integral
    optimum exists (this one).  With two classes the double cover is two
    copies of the bipartite conflict graph and :func:`matching_solution`
    (one copy) gives an integral optimum.

    Parameters
    ----------
    n : int
        Number of points.
    pairs : ndarray of int, shape (m, 2)
        The conflicting pairs.

    Returns
    -------
    x : ndarray, shape (m,)
        Pair masses in units of 1/n (z = x / n): 0, 1/2 or 1.
    q : ndarray, shape (n,)
        Optimal dual: 0, 1/2 or 1.

    Examples
    --------
    A triangle of conflicts: every pair gets half a unit, q = 1/2 everywhere.

    >>> x, q = double_cover_solution(3, np.array([[0, 1], [0, 2], [1, 2]]))
    >>> x.tolist(), q.tolist()
    ([0.5, 0.5, 0.5], [0.5, 0.5, 0.5])
    """
    pairs = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    if len(pairs) == 0:
        return np.zeros(0), np.ones(n)
    a, b = pairs[:, 0], pairs[:, 1]
    graph = sparse.csr_matrix((np.ones(2 * len(pairs), dtype=bool), (np.concatenate([a, b]), np.concatenate([b, a]))),
                              shape=(n, n))
    match = maximum_matching(graph)
    cover_left, cover_right = konig_cover(graph, match)
    x = ((match[a] == b).astype(float) + (match[b] == a)) / 2
    q = 1.0 - (cover_left.astype(float) + cover_right) / 2
    return x, q


# Pairs (rows x columns) of distances computed at once when listing the
# conflicting pairs of a two-class problem.
_DISTANCE_CELLS = 2**22


# --------------------------------------------------------------------------
# Two classes, uniform weights: incremental maximum matching.
# --------------------------------------------------------------------------

def _conflict_pairs(X, codes, eps_max, norm, max_pairs):
    """Cross-class pairs within 2 * eps_max, sorted by distance.

    Returns left and right positions (into the class-0 and class-1 index
    lists), the distances, and the two index lists.  Distances are computed a
    block of rows at a time, so memory holds the kept pairs only.
    """
    left, right = np.nonzero(codes == 0)[0], np.nonzero(codes == 1)[0]
    limit = alive(2 * eps_max)
    us, vs, ds = [], [], []
    n_kept = 0
    step = max(1, _DISTANCE_CELLS // max(len(right), 1))
    for start in range(0, len(left), step):
        D = pairwise_distances(X[left[start:start + step]], X[right], norm)
        u, v = np.nonzero(D <= limit)
        us.append(u + start)
        vs.append(v)
        ds.append(D[u, v])
        n_kept += len(u)
        if n_kept > max_pairs:
            _too_many(n_kept, max_pairs, 2)
    u, v, dist = np.concatenate(us), np.concatenate(vs), np.concatenate(ds)
    order = np.argsort(dist, kind="stable")
    return u[order], v[order], dist[order], left, right


def matching_path(X, codes, uniq, norm, max_pairs):
    """R*(eps) for two classes with uniform weights on sorted distinct budgets ``uniq``.

    Part of :func:`advot_teach.paths.risk_path`: conflicting pairs arrive
    in order of length and the maximum matching is augmented, not
    recomputed (see :class:`_IncrementalMatching`).

    Returns
    -------
    values, "matching", number of pairs, number of searches, 0
    """
    eu, ev, dist, left, right = _conflict_pairs(X, codes, float(uniq[-1]), norm, max_pairs)
    # Pair (u, v) conflicts at eps iff within(dist, 2 eps): a prefix of the sorted list.
    stops = np.searchsorted(dist, alive(2 * uniq), side="right")
    matching = _IncrementalMatching(len(left), len(right), eu, ev)
    values = np.zeros(len(uniq))
    n = len(X)
    for i, stop in enumerate(stops):
        matching.grow(int(stop))
        values[i] = matching.size / n
    return values, "matching", len(eu), matching.n_searches, 0


class _IncrementalMatching:
    """A maximum matching of a bipartite graph whose edges arrive in a fixed order.

    The edges ``(eu[t], ev[t])`` (left point, right point) are stored once,
    as adjacency lists of the left points in arrival order, so that the
    edges present after ``grow(stop)`` -- the first ``stop`` -- are a prefix
    ``indices[indptr[u]:indptr[u] + degree[u]]`` of every list.
    ``mate_left[u]`` is the right point matched to left point u (-1: free),
    ``mate_right[v]`` likewise.  After every :meth:`grow` the matching is
    maximum for the edges present.
    """

    def __init__(self, n_left, n_right, eu, ev):
        self.eu, self.ev = eu, ev
        order = np.lexsort((np.arange(len(eu)), eu))  # by left point, then arrival
        self.indices = ev[order]
        self.indptr = np.concatenate([[0], np.cumsum(np.bincount(eu, minlength=n_left))])
        self.degree = np.zeros(n_left, dtype=np.int64)
        self.present = 0
        self.mate_left = np.full(n_left, -1, dtype=np.int64)
        self.mate_right = np.full(n_right, -1, dtype=np.int64)
        self.size = 0
        self.n_searches = 0

    def grow(self, stop):
        """Add edges ``present:stop`` and restore a maximum matching."""
        if stop <= self.present:
            return
        u, v = self.eu[self.present:stop], self.ev[self.present:stop]
        self.degree += np.bincount(u, minlength=len(self.degree))
        self.present = stop
        self._greedy(u, v)
        # The old matching was maximum for the old edges, so only a new edge
        # can open an augmenting path; a search that finds none proves the
        # matching maximum again (Berge).
        while self._augment():
            pass

    def _greedy(self, u, v):
        """Match new edges whose two ends are both free (vectorised rounds)."""
        while True:
            free = (self.mate_left[u] < 0) & (self.mate_right[v] < 0)
            if not free.any():
                return
            cu, cv = u[free], v[free]
            first = np.unique(cu, return_index=True)[1]
            cu, cv = cu[first], cv[first]
            first = np.unique(cv, return_index=True)[1]
            cu, cv = cu[first], cv[first]
            self.mate_left[cu] = cv
            self.mate_right[cv] = cu
            self.size += len(cu)

    def _augment(self) -> bool:
        """One breadth-first search from all free left points, then augment.

        The search grows a forest of alternating paths, one tree per free
        left point (its root), level by level with vectorised numpy.  A tree
        stops growing once it reaches a free right point; the paths found
        lie in different trees, so they are vertex-disjoint and all can be
        augmented.  Returns False when no free right point is reachable, i.e.
        the matching is maximum.
        """
        mate_left, mate_right = self.mate_left, self.mate_right
        free_left = np.flatnonzero(mate_left < 0)
        if len(free_left) == 0 or self.size == len(mate_right):
            return False
        self.n_searches += 1
        root = np.full(len(mate_left), -1, dtype=np.int64)
        root[free_left] = free_left
        pred = np.full(len(mate_left), -1, dtype=np.int64)  # left point one step back
        seen = np.zeros(len(mate_right), dtype=bool)
        seen_before = np.zeros(len(mate_right), dtype=bool)
        parent = np.zeros(len(mate_right), dtype=np.int64)  # left point that found a right point
        done = np.zeros(len(mate_left), dtype=bool)  # indexed by root
        ends_u, ends_v = [], []
        frontier = free_left
        while len(frontier):
            counts = self.degree[frontier]
            total = int(counts.sum())
            if total == 0:
                break
            # All present edges of the frontier points, as flat arrays.
            first = np.cumsum(counts) - counts
            us = np.repeat(frontier, counts)
            vs = self.indices[np.repeat(self.indptr[frontier] - first, counts) + np.arange(total)]
            new = ~seen[vs]
            us, vs = us[new], vs[new]
            # Each newly seen right point joins one tree (any of its finders).
            parent[vs] = us
            seen[vs] = True
            vs = np.flatnonzero(seen & ~seen_before)
            seen_before[vs] = True
            us = parent[vs]
            mates = mate_right[vs]
            free = mates < 0
            if free.any():
                fu, fv = us[free], vs[free]
                pick = np.unique(root[fu], return_index=True)[1]  # one path per tree
                ends_u.append(fu[pick])
                ends_v.append(fv[pick])
                done[root[fu[pick]]] = True
            grow = ~free & ~done[root[us]]
            frontier = mates[grow]
            pred[frontier] = us[grow]
            root[frontier] = root[us[grow]]
        if not ends_u:
            return False
        for u, v in zip(np.concatenate(ends_u).tolist(), np.concatenate(ends_v).tolist()):
            while True:  # flip the path: u takes v, u's old mate goes one step back
                old = int(mate_left[u])
                mate_left[u] = v
                mate_right[v] = u
                if old < 0:
                    break
                v, u = old, int(pred[u])
            self.size += 1
        return True



# --------------------------------------------------------------------------
# Two classes, unequal weights: optimal transport per distinct prefix.
# --------------------------------------------------------------------------

def transport_path(X, codes, w, uniq, norm, max_pairs):
    """R*(eps) for two weighted classes on sorted distinct budgets ``uniq``, by :func:`paired_mass`.

    Measured here, POT's network simplex on the whole cost matrix beats the
    warm-started LP on weighted two-class problems (a transportation problem,
    very degenerate for the simplex method); so each distinct alive prefix
    gets one ``ot.emd``, the distances are computed once, and R*'s
    monotonicity skips the eps inside any interval whose two ends agree.
    """
    left, right = np.nonzero(codes == 0)[0], np.nonzero(codes == 1)[0]
    D = pairwise_distances(X[left], X[right], norm)
    n_pairs = int(np.count_nonzero(D <= alive(2 * float(uniq[-1]))))
    if n_pairs > max_pairs:
        _too_many(n_pairs, max_pairs, 2)
    w0, w1 = w[left], w[right]
    n_alive = np.searchsorted(np.sort(D, axis=None), alive(2 * uniq), side="right")
    n_solves = 0

    def solve(i):
        nonlocal n_solves
        n_solves += 1
        return paired_mass(w0, w1, D <= alive(2 * float(uniq[i])))

    values = _monotone_fill(n_alive, solve, cap=1.0 - max(w0.sum(), w1.sum()))
    return values, "transport", n_pairs, n_solves, 0


def _monotone_fill(n_alive, solve, cap):
    """Values of a nondecreasing function of the grid index, solving as few points as possible.

    ``solve(i)`` gives the value at grid point i; ``n_alive[i]`` is
    nondecreasing and equal at points that share one problem.  An interval
    whose two ends have the same value (or whose left end is at ``cap``)
    is constant.
    """
    values = np.full(len(n_alive), np.nan)

    def value(i):
        if np.isnan(values[i]):
            same = np.flatnonzero(n_alive == n_alive[i])
            known = same[~np.isnan(values[same])]
            values[i] = values[known[0]] if len(known) else solve(i)
        return values[i]

    def fill(lo, hi):
        if hi - lo <= 1:
            return
        if abs(value(lo) - value(hi)) <= 1e-12 or value(lo) >= cap - 1e-12:
            values[lo + 1:hi] = values[lo]
            return
        mid = (lo + hi) // 2
        value(mid)
        fill(lo, mid)
        fill(mid, hi)

    value(0)
    value(len(n_alive) - 1)
    fill(0, len(n_alive) - 1)
    return values
