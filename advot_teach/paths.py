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

Two classes need no LP (:mod:`advot_teach.binary` holds that code).  With
uniform weights R* = |maximum conflict matching| / n.  Conflicting pairs are added in order of length, and the
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

Words: the *curve* is R*(eps) as a function (``adversarial_risk_curve``,
``.curve()`` methods return it as a step function), a *path* is a solver
that computes it along a grid of eps sharing work (this module,
``binary.matching_path``), and the *levels* are its distinct values, each
with an optimal primal-dual pair (:mod:`advot_teach.levels`).

The values equal :func:`advot_teach.risk.optimal_adversarial_risk` at every
eps (same hypergraph, same tolerances; the tests check 1e-9 agreement).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import hypergraph
from ._progress import progress as progress_bar
from ._validation import check_data, check_eps_values, check_max_hyperedges, check_max_order, parse_norm
from .binary import matching_path, transport_path
from .geometry import alive
from .hypergraph import conflict_hypergraph
from .lp import BarycenterLP, risk_from_mass

__all__ = ["RiskPath", "risk_path", "risk_path_info"]



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
        values, method, n_edges, n_solves, n_columns = matching_path(X, codes, uniq, norm, max_hyperedges)
    elif n_classes == 2:
        values, method, n_edges, n_solves, n_columns = transport_path(X, codes, w, uniq, norm, max_hyperedges)
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
