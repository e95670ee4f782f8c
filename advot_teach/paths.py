r"""Exact risk paths: R*(eps) on a whole grid of budgets, fast.

Solving the barycenter LP of :mod:`advot_teach.risk` afresh for every eps
repeats most of the work: the conflict hypergraph at a small eps is a prefix
of the one at a larger eps (hyperedges only get born as eps grows), and so is
the LP.  :func:`risk_path` therefore

1. builds the conflict hypergraph once, at the largest eps, and sorts each
   size's hyperedges by birth radius: the hyperedges alive at eps are a
   prefix of every size's list, found by binary search;
2. shares one solve between all eps with the same alive prefix, and visits
   the distinct prefixes in increasing order, so the problem only grows;
3. keeps one LP model for the whole sweep
   (:class:`advot_teach.lp.BarycenterLP`) and solves it by *column
   generation*.  Adding hyperedge columns keeps the
   previous optimal basis primal feasible (``A z = w, z >= 0`` does not
   change), so each re-solve is warm-started; and a newly born hyperedge
   enters the model only if its reduced cost ``1 - sum_{j in e} q_j`` under
   the current dual q is negative.  When none is, q stays dual feasible, so
   B*(eps) has not changed and no LP is re-solved at all: the certificate
   behind "R* is constant on this stretch" costs one vectorised pricing pass.
   Columns that price far out (reduced cost > 0.1) leave the model again,
   so it stays at a few columns per point while the hypergraph may hold
   hundreds of thousands of hyperedges (a simplex iteration costs time in
   proportion to the columns);
4. uses monotonicity: R* is nondecreasing in eps and never exceeds
   ``1 - (largest class weight)`` (always predict that class), so once a
   value reaches that cap all larger eps share it.

Two classes with uniform weights need no LP at all: R* = |maximum conflict
matching| / n.  Conflicting pairs are added in order of length, and the
maximum matching of the previous eps is *augmented* rather than recomputed:
newly born pairs of two free points are matched greedily, then one
breadth-first search from all free points of the first class at once (level
by level, vectorised over adjacency lists kept in arrival order) finds
vertex-disjoint augmenting paths, one per search tree, and flips them; this
repeats until a search finds none -- Berge's certificate that the matching
is maximum again.

Two classes with unequal weights are a transportation problem; POT's
network simplex (``ot.emd``) solves it faster than the warm-started LP, so
each distinct alive prefix gets one, with the distances computed once and
the monotonicity of R* skipping every interval whose two ends agree.

The values equal :func:`advot_teach.risk.optimal_adversarial_risk` at every
eps (same hypergraph, same tolerances; the tests check 1e-9 agreement).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import hypergraph
from ._progress import progress as progress_bar
from ._validation import check_data, check_eps_values, check_max_hyperedges, check_max_order, parse_norm
from .geometry import alive, pairwise_distances
from .hypergraph import _too_many, conflict_hypergraph
from .lp import BarycenterLP, risk_from_mass

__all__ = ["RiskPath", "risk_path", "risk_path_info"]

# Pairs (rows x columns) of distances computed at once when listing the
# conflicting pairs of a two-class problem.
_DISTANCE_CELLS = 2**22


@dataclass(frozen=True)
class RiskPath:
    """R*(eps) on a grid of budgets, with a record of the work done.

    Attributes
    ----------
    eps : ndarray, shape (m,)
        The budgets, in the order given.
    risk : ndarray, shape (m,)
        R*(eps) (R*_L with ``max_order`` = L), one per eps.
    method : str
        ``"matching"`` (two classes, uniform weights), ``"transport"`` (two
        classes, unequal weights: POT's network simplex per distinct prefix),
        ``"lp"`` (column generation on one warm-started HiGHS model) or
        ``"none"`` (no conflicts are possible).
    n_hyperedges : int
        Hyperedges (conflicting pairs for two classes) alive at the largest eps.
    n_solves : int
        LP or transport solves, or alternating-path searches (``"matching"``),
        over the whole path.
    n_columns : int
        Hyperedge columns the LP model ever held (``"lp"``), at most
        ``n_hyperedges``.
    """

    eps: np.ndarray
    risk: np.ndarray
    method: str
    n_hyperedges: int
    n_solves: int
    n_columns: int


def risk_path(X, y, eps_values, *, norm=2, weights=None, max_order=None,
              max_hyperedges=None, progress=False) -> np.ndarray:
    """Exact R*(eps) for every value in ``eps_values``, sharing work across eps.

    Returns the same numbers as calling
    :func:`~advot_teach.risk.optimal_adversarial_risk` at each eps (up to LP
    round-off, far below 1e-9), much faster on long grids; see the module
    docstring for how.

    Parameters
    ----------
    X : array_like, shape (n, d)
        Points.
    y : array_like, shape (n,)
        Labels (ints or strings), any number of classes.
    eps_values : array_like, shape (m,)
        Budgets >= 0, in any order, repeats allowed.
    norm : {2, 1, np.inf, "l2", "l1", "linf"}
        Norm of the balls.
    weights : array_like, shape (n,), optional
        Nonnegative point weights, normalised to sum 1 (default uniform).
    max_order : int, optional
        Keep hyperedges of at most this many points (lower bound R*_L).
    progress : bool, default False
        Show a progress bar (tqdm) over the eps values once the sweep has
        run for a couple of seconds.
    max_hyperedges : int, optional
        Refuse to build a larger conflict hypergraph (default
        :data:`advot_teach.hypergraph.DEFAULT_MAX_HYPEREDGES`; raises
        :class:`~advot_teach.hypergraph.HypergraphTooLarge`, a MemoryError).

    Returns
    -------
    ndarray, shape (m,)

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[0.0, 0.0], [1.0, 0.0], [0.5, np.sqrt(3) / 2]])
    >>> risk_path(X, [0, 1, 2], [0.4, 0.5, 0.6]).round(4)
    array([0.    , 0.5   , 0.6667])
    """
    return risk_path_info(X, y, eps_values, norm=norm, weights=weights, max_order=max_order,
                          max_hyperedges=max_hyperedges, progress=progress).risk


def risk_path_info(X, y, eps_values, *, norm=2, weights=None, max_order=None,
                   max_hyperedges=None, progress=False) -> RiskPath:
    """:func:`risk_path`, returning a :class:`RiskPath` (values and work done)."""
    X, codes, classes, w = check_data(X, y, weights)
    eps_values = check_eps_values(eps_values)
    norm = parse_norm(norm)
    max_order = check_max_order(max_order)
    max_hyperedges = check_max_hyperedges(max_hyperedges)
    if max_hyperedges is None:
        max_hyperedges = hypergraph.DEFAULT_MAX_HYPEREDGES  # read now: a changed default takes effect
    risk = np.zeros(len(eps_values))
    n_classes = len(classes)
    top = n_classes if max_order is None else min(max_order, n_classes)
    if len(eps_values) == 0 or top < 2:
        return RiskPath(eps_values, risk, "none", 0, 0, 0)
    uniq = np.unique(eps_values)
    if n_classes == 2 and np.all(w == w[0]):
        values, method, n_edges, n_solves, n_columns = _matching_path(X, codes, uniq, norm, max_hyperedges)
    elif n_classes == 2:
        values, method, n_edges, n_solves, n_columns = _transport_path(X, codes, w, uniq, norm, max_hyperedges)
    else:
        values, method, n_edges, n_solves, n_columns = _lp_path(X, codes, w, uniq, norm, max_order,
                                                                max_hyperedges, progress)
    return RiskPath(eps_values, values[np.searchsorted(uniq, eps_values)], method, n_edges, n_solves, n_columns)


# --------------------------------------------------------------------------
# Several classes or unequal weights: column generation on one HiGHS model.
# --------------------------------------------------------------------------

def _lp_path(X, codes, w, uniq, norm, max_order, max_hyperedges, progress=False):
    hg = conflict_hypergraph(X, codes, float(uniq[-1]), norm, max_order, max_hyperedges=max_hyperedges)
    sizes = [k for k in hg.orders if max_order is None or k <= max_order]
    edges, births = [], []
    for k in sizes:
        order = np.argsort(hg.birth[k], kind="stable")
        edges.append(hg.edges[k][order])
        births.append(hg.birth[k][order])
    n_edges = sum(len(E) for E in edges)
    # n_alive[i, s]: how many size-s hyperedges are alive at uniq[i].
    n_alive = np.array([[np.searchsorted(B, alive(eps), side="right") for B in births] for eps in uniq],
                     dtype=np.int64).reshape(len(uniq), len(sizes))
    # Always predicting the heaviest class has risk 1 - its weight: R* <= cap.
    cap = 1.0 - np.bincount(codes, weights=w).max()
    lp = BarycenterLP(w, edges, columns="generate")
    values = _sweep(n_alive, cap, lambda i: lp.generate(n_alive[i]), progress)
    return values, "lp", n_edges, lp.n_solves, lp.n_columns


def _sweep(n_alive, cap, b_star_at, progress=False):
    """R* at each distinct eps, solving only where the alive prefix grew.

    ``b_star_at(i)`` solves the LP of row i of ``n_alive``; once R* reaches
    ``cap`` it cannot grow, so later rows are not solved either.
    """
    values = np.zeros(len(n_alive))
    done = False
    for i in progress_bar(range(len(n_alive)), enabled=progress, desc="R*(eps)"):
        if done or (i > 0 and np.array_equal(n_alive[i], n_alive[i - 1])):
            values[i] = values[i - 1]  # same LP as before, or R* already at its cap
            continue
        values[i] = risk_from_mass(b_star_at(i))
        done = values[i] >= cap - 1e-12
    return values


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


def _matching_path(X, codes, uniq, norm, max_pairs):
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

def _transport_path(X, codes, w, uniq, norm, max_pairs):
    """R* = optimal transport with the 0/1 cost, as :func:`binary.binary_risk_ot`.

    Measured here, POT's network simplex on the whole cost matrix beats the
    warm-started LP on weighted two-class problems (a transportation problem,
    very degenerate for the simplex method); so each distinct alive prefix
    gets one ``ot.emd``, the distances are computed once, and R*'s
    monotonicity skips the eps inside any interval whose two ends agree.
    """
    import ot

    left, right = np.nonzero(codes == 0)[0], np.nonzero(codes == 1)[0]
    D = pairwise_distances(X[left], X[right], norm)
    n_pairs = int(np.count_nonzero(D <= alive(2 * float(uniq[-1]))))
    if n_pairs > max_pairs:
        _too_many(n_pairs, max_pairs, 2)
    w0, w1 = w[left], w[right]
    a, b = np.append(w0, w1.sum()), np.append(w1, w0.sum())
    M = np.ones((len(left) + 1, len(right) + 1))
    M[-1, -1] = 0.0
    n_alive = np.searchsorted(np.sort(D, axis=None), alive(2 * uniq), side="right")
    n_solves = 0

    def solve(i):
        nonlocal n_solves
        n_solves += 1
        # Pairing mass m costs 1 - 2m (see binary_risk_ot): conflicting pairs 0, others 2, dummies 1.
        M[:-1, :-1] = np.where(D <= alive(2 * float(uniq[i])), 0.0, 2.0)
        cost = float(np.sum(ot.emd(a, b, M) * M))
        return float(np.clip((1.0 - cost) / 2, 0.0, 1.0))

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
