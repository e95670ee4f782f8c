"""Couplings, Wasserstein distances W_p and the bottleneck distance W_inf.

Discrete measures are given by their atoms and weights,
``mu = sum_i a_i delta_{x_i}`` and ``nu = sum_j b_j delta_{y_j}``.
A *coupling* (transport plan) is a matrix ``P >= 0`` with row sums ``a`` and
column sums ``b``; ``P[i, j]`` is the mass sent from ``x_i`` to ``y_j``.

* ``W_p(mu, nu) = (min_P sum_ij P_ij ||x_i - y_j||^p)^(1/p)`` is a linear
  program; POT's network simplex :func:`ot.emd` solves it exactly.
* ``W_inf(mu, nu) = min_P max{ ||x_i - y_j|| : P_ij > 0 }`` is the *bottleneck*
  version (Champion, De Pascale, Juutinen 2008).  POT has no solver for it, but
  ``W_inf <= t`` is a feasibility question: is there a coupling that only uses
  pairs with ``||x_i - y_j|| <= t``?  With the finite 0/1 cost
  ``1{||x_i - y_j|| > t}`` the optimal transport cost is exactly the mass that
  has to use a forbidden pair, so ``W_inf <= t`` iff that cost is 0.
  A binary search over the sorted distinct distances finds ``W_inf``.
  (Putting ``np.inf`` into the cost makes :func:`ot.emd` report an infeasible
  problem even when a coupling exists, so we never do that.)
* In 1-D every W_p, and W_inf too, is attained by the monotone coupling:
  ``W_inf(mu, nu) = sup_{s in (0,1)} |F^{-1}(s) - G^{-1}(s)|`` with the
  quantile functions ``F^{-1}, G^{-1}`` (:func:`w_inf_1d`).

The adversary of the course moves each data point by at most ``eps``: the
attacked distributions are exactly the ``W_inf`` ball of radius ``eps``
around the data distribution.  :func:`eps_cost` is the corresponding 0/inf
cost (as a boolean "allowed" matrix) and :func:`within_w_inf_ball` the
membership test.

Weights are normalised to sum to 1; distances are compared with the relative
tolerance of :data:`advot_teach.geometry.TOL`.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import ot

from ._validation import check_eps, check_points, check_same_dim, check_scalar, check_weights, parse_norm
from .geometry import pairwise_distances, within

__all__ = [
    "TransportResult",
    "cost_matrix",
    "wasserstein",
    "w_inf",
    "w_inf_1d",
    "eps_cost",
    "eps_coupling",
    "within_w_inf_ball",
    "EpsCouplings",
    "eps_couplings",
]

# Mass below this is numerical noise of the network simplex (weights sum to 1).
_MASS_TOL = 1e-9


@dataclass(frozen=True)
class TransportResult:
    """An optimal coupling and its value.

    Attributes
    ----------
    value : float
        The distance: ``W_p`` (not its p-th power) or ``W_inf``.
    plan : ndarray, shape (n, m)
        An optimal coupling; row sums ``a``, column sums ``b``.
    cost : float
        What the plan minimises: ``sum_ij plan_ij M_ij`` (= ``W_p^p``) for
        :func:`wasserstein`, the largest distance used for :func:`w_inf`.
    p : float
        The order: 1, 2, ... or ``np.inf``.
    """

    value: float
    plan: np.ndarray
    cost: float
    p: float

    def __repr__(self) -> str:
        order = "inf" if self.p == np.inf else f"{self.p:g}"
        return f"TransportResult(W_{order}={self.value:.6g}, plan shape={self.plan.shape})"


def _check_p(p) -> float:
    if isinstance(p, (int, float, np.integer, np.floating)) and p == np.inf:
        raise ValueError("p must be a finite number >= 1 (use w_inf for p = inf); got inf")
    return check_scalar(p, "p", min_val=1)


# ---------------------------------------------------------------- public API
def cost_matrix(X, Y, norm=2, p=1) -> np.ndarray:
    """Ground cost ``M[i, j] = ||x_i - y_j||^p``.

    Parameters
    ----------
    X : array_like, shape (n, d) or (n,)
    Y : array_like, shape (m, d) or (m,)
    norm : {1, 2, np.inf, 'l1', 'l2', 'linf'}, default 2
    p : float >= 1, default 1

    Returns
    -------
    M : ndarray, shape (n, m)
    """
    X, Y = check_points(X, "X"), check_points(Y, "Y")
    check_same_dim(X, Y)
    p = _check_p(p)
    D = pairwise_distances(X, Y, parse_norm(norm))
    return D if p == 1 else D**p


def _emd(a: np.ndarray, b: np.ndarray, M: np.ndarray) -> np.ndarray:
    # The network simplex is exact; raise its iteration cap so that large
    # course examples never stop early (POT would only warn).
    return ot.emd(a, b, M, numItermax=10_000_000)


def wasserstein(a=None, b=None, M=None, *, X=None, Y=None, p=1, norm=2) -> TransportResult:
    """Wasserstein distance ``W_p`` and an optimal coupling (exact, :func:`ot.emd`).

    Give either the cost matrix ``M`` (already raised to the power ``p``) or
    the atoms ``X`` and ``Y`` (then ``M = cost_matrix(X, Y, norm, p)``).

    Parameters
    ----------
    a : array_like, shape (n,), optional
        Weights of the first measure (normalised to sum 1); uniform if None.
    b : array_like, shape (m,), optional
        Weights of the second measure; uniform if None.
    M : array_like, shape (n, m), optional
        Ground cost ``||x_i - y_j||^p``.
    X, Y : array_like, shapes (n, d) and (m, d), optional
        Atoms of the two measures, used when ``M`` is not given.
    p : float >= 1, default 1
    norm : {1, 2, np.inf, 'l1', 'l2', 'linf'}, default 2

    Returns
    -------
    TransportResult
        ``value = W_p``, ``cost = W_p^p``, ``plan`` of shape (n, m).

    Examples
    --------
    >>> r = wasserstein(X=[0.0, 1.0], Y=[2.0, 3.0], p=2)
    >>> round(r.value, 6)
    2.0
    """
    p = _check_p(p)
    if M is None:
        if X is None or Y is None:
            raise ValueError("give either the cost matrix M or both point sets X and Y")
        M = cost_matrix(X, Y, norm=norm, p=p)
    else:
        if X is not None or Y is not None:
            raise ValueError("give either the cost matrix M or the point sets X and Y, not both")
        try:
            M = np.asarray(M, dtype=float)
        except (TypeError, ValueError) as exc:
            raise TypeError("M must be a matrix of numbers, shape (n, m)") from exc
        if M.ndim != 2 or 0 in M.shape:
            raise ValueError(f"M must have shape (n, m) with n, m >= 1; got {M.shape}")
        if not np.all(np.isfinite(M)):
            raise ValueError("M must be finite (forbid a pair with a large finite cost, never np.inf)")
    n, m = M.shape
    a = check_weights(a, n, "a")
    b = check_weights(b, m, "b")
    plan = _emd(a, b, M)
    cost = float(np.sum(plan * M))
    return TransportResult(value=max(cost, 0.0) ** (1.0 / p), plan=plan, cost=cost, p=p)


def _feasible_plan(a: np.ndarray, b: np.ndarray, allowed: np.ndarray):
    """A coupling supported on ``allowed`` pairs, or None if there is none.

    The optimal cost for the finite 0/1 cost ``~allowed`` is the least mass
    that must use a forbidden pair, so a coupling exists iff it is zero.
    """
    forbidden = (~allowed).astype(float)
    plan = _emd(a, b, forbidden)
    return plan if np.sum(plan * forbidden) <= _MASS_TOL else None


def _tidy_plan(a: np.ndarray, b: np.ndarray, allowed: np.ndarray, D: np.ndarray, plan: np.ndarray):
    """Among couplings on ``allowed`` pairs, prefer one with short moves.

    Any allowed coupling is fine mathematically, but the network simplex on a
    0/1 cost returns an arbitrary one.  Re-solving with a tiny secondary cost
    (squared distance) gives the tidy plan learners expect to see; it is kept
    only if it is verified to stay on allowed pairs.
    """
    forbidden = (~allowed).astype(float)
    scale = float(np.max(D)) ** 2 or 1.0
    tidy = _emd(a, b, forbidden + 1e-3 * (D**2) / scale)
    return tidy if np.sum(tidy * forbidden) <= _MASS_TOL else plan


def _distinct_levels(D: np.ndarray) -> np.ndarray:
    """Sorted distinct values of D, merging values that agree up to TOL.

    Each group is represented by its largest member, so that the threshold
    test ``within(D, level)`` admits every pair of the group.
    """
    values = np.unique(D)
    keep = np.ones(len(values), dtype=bool)
    # values[k] and values[k+1] are "equal" when within() cannot tell them apart.
    same_as_next = within(values[1:], values[:-1])
    keep[:-1] = ~same_as_next
    return values[keep]


def w_inf(X, Y, a=None, b=None, norm=2) -> TransportResult:
    """Bottleneck distance ``W_inf`` and an optimal coupling.

    ``W_inf(mu, nu) = min over couplings P of max{ ||x_i - y_j|| : P_ij > 0 }``:
    the smallest ``t`` such that every unit of mass moves by at most ``t``.
    Computed by binary search over the sorted distinct distances; each step
    asks :func:`ot.emd` whether the 0/1 cost ``1{||x_i - y_j|| > t}`` can be
    transported at zero cost.

    Parameters
    ----------
    X : array_like, shape (n, d) or (n,)
    Y : array_like, shape (m, d) or (m,)
    a : array_like, shape (n,), optional
        Weights of ``X`` (normalised); uniform if None.  Atoms with zero
        weight are ignored, as they carry no mass.
    b : array_like, shape (m,), optional
        Weights of ``Y``; uniform if None.
    norm : {1, 2, np.inf, 'l1', 'l2', 'linf'}, default 2

    Returns
    -------
    TransportResult
        ``value = W_inf``, ``plan`` an optimal coupling (W_inf-optimal
        couplings are rarely unique), ``cost`` the longest distance it uses.

    Examples
    --------
    >>> round(w_inf([0.0, 1.0], [0.5, 3.0]).value, 6)
    2.0
    """
    X, Y = check_points(X, "X"), check_points(Y, "Y")
    check_same_dim(X, Y)
    a = check_weights(a, len(X), "a")
    b = check_weights(b, len(Y), "b")
    D = pairwise_distances(X, Y, parse_norm(norm))
    # Only pairs between atoms that carry mass can be used by a coupling.
    levels = _distinct_levels(D[np.ix_(a > 0, b > 0)])
    lo, hi = 0, len(levels) - 1  # levels[hi]: every pair allowed, always feasible
    best = None
    while lo < hi:
        mid = (lo + hi) // 2
        plan = _feasible_plan(a, b, within(D, levels[mid]))
        if plan is None:
            lo = mid + 1
        else:
            hi, best = mid, plan
    allowed = within(D, levels[hi])
    if best is None:
        best = _feasible_plan(a, b, allowed)
    best = _tidy_plan(a, b, allowed, D, best)
    longest = float(D[best > _MASS_TOL].max())
    return TransportResult(value=float(levels[hi]), plan=best, cost=longest, p=np.inf)


def w_inf_1d(x, y, a=None, b=None) -> float:
    """``W_inf`` on the line by the quantile formula.

    ``W_inf(mu, nu) = sup_{s in (0, 1)} |F^{-1}(s) - G^{-1}(s)|`` where
    ``F^{-1}(s) = min{t : mu((-inf, t]) >= s}`` is the quantile function.
    Both quantile functions are step functions; between consecutive jumps of
    either CDF both are constant, so it suffices to evaluate them once on
    every such level interval of positive length.

    Parameters
    ----------
    x : array_like, shape (n,)
    y : array_like, shape (m,)
    a, b : array_like, shapes (n,) and (m,), optional
        Weights (normalised); uniform if None.

    Returns
    -------
    float

    Examples
    --------
    >>> w_inf_1d([0.0, 1.0, 2.0], [0.5, 1.0, 5.0])
    3.0
    """
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    for arr, name in ((x, "x"), (y, "y")):
        if arr.ndim != 1 or arr.size == 0:
            raise ValueError(f"{name} must be a non-empty 1-D array; got shape {arr.shape}")
        if not np.all(np.isfinite(arr)):
            raise ValueError(f"{name} must contain only finite numbers")
    a = check_weights(a, len(x), "a")
    b = check_weights(b, len(y), "b")
    _, qx, qy = _quantile_steps([x, y], [a, b])
    return float(np.max(np.abs(qx - qy)))


def _quantile_steps(samples, weights):
    """Common level intervals of several 1-D measures and their quantiles.

    Returns the interval lengths (masses, summing to 1) and, for each
    measure, the value of its quantile function on each interval.  Breakpoints
    closer than 1e-12 are merged so that round-off in cumulative sums
    (1/3 + 1/3 vs 2/3) never creates a spurious sliver.
    """
    # Atoms without mass never appear as a quantile.
    samples = [x[w > 0] for x, w in zip(samples, weights)]
    weights = [w[w > 0] for w in weights]
    orders = [np.argsort(x, kind="stable") for x in samples]
    cums = [np.cumsum(w[o]) for w, o in zip(weights, orders)]
    cuts = np.unique(np.concatenate([[0.0], *[c[:-1] for c in cums], [1.0]]))
    cuts = cuts[np.concatenate([[True], np.diff(cuts) > 1e-12])]
    cuts[-1] = 1.0
    lengths = np.diff(cuts)
    mids = (cuts[:-1] + cuts[1:]) / 2
    quantiles = []
    for x, o, c in zip(samples, orders, cums):
        idx = np.searchsorted(c, mids, side="left")
        quantiles.append(x[o][np.minimum(idx, len(x) - 1)])
    return (lengths, *quantiles)


def eps_cost(X, Y, eps, norm=2) -> np.ndarray:
    """The 0/inf cost of the adversary as a boolean "allowed" matrix.

    ``c_eps(x, y) = 0`` if ``||x - y|| <= eps`` and ``+inf`` otherwise; a
    coupling has finite cost iff it only uses allowed pairs.  The returned
    matrix is ``allowed[i, j] = ||x_i - y_j|| <= eps`` (up to TOL).

    Parameters
    ----------
    X : array_like, shape (n, d) or (n,)
    Y : array_like, shape (m, d) or (m,)
    eps : float >= 0
    norm : {1, 2, np.inf, 'l1', 'l2', 'linf'}, default 2

    Returns
    -------
    allowed : ndarray of bool, shape (n, m)
    """
    eps = check_eps(eps)
    return within(cost_matrix(X, Y, norm=norm, p=1), eps)


def eps_coupling(X, Y, eps, a=None, b=None, norm=2):
    """A coupling that moves no mass farther than ``eps``, or None.

    Parameters
    ----------
    X, Y, a, b, norm
        As in :func:`w_inf`.
    eps : float >= 0

    Returns
    -------
    plan : ndarray, shape (n, m), or None
        ``None`` exactly when ``W_inf(mu, nu) > eps``.
    """
    eps = check_eps(eps)
    X, Y = check_points(X, "X"), check_points(Y, "Y")
    check_same_dim(X, Y)
    a = check_weights(a, len(X), "a")
    b = check_weights(b, len(Y), "b")
    D = pairwise_distances(X, Y, parse_norm(norm))
    allowed = within(D, eps)
    plan = _feasible_plan(a, b, allowed)
    return None if plan is None else _tidy_plan(a, b, allowed, D, plan)


def within_w_inf_ball(X, Y, eps, a=None, b=None, norm=2) -> bool:
    """Is ``nu = sum_j b_j delta_{y_j}`` in the closed ``W_inf`` ball of radius
    ``eps`` around ``mu = sum_i a_i delta_{x_i}``?

    This is the adversary's budget: ``nu`` is a possible attacked data
    distribution iff its mass can be obtained from ``mu`` by moving every
    unit of mass by at most ``eps``.

    Parameters
    ----------
    X, Y, a, b, norm
        As in :func:`w_inf`.
    eps : float >= 0

    Returns
    -------
    bool
    """
    return eps_coupling(X, Y, eps, a=a, b=b, norm=norm) is not None


class EpsCouplings:
    """Couplings of two fixed measures for every budget eps, solved on demand.

    Which pairs a coupling may use changes only at the pairwise distances, so
    eps has finitely many *states*: state s allows the pairs at distance <=
    the s-th smallest distinct distance (state 0: only pairs at distance 0).
    One plan per state is solved when first asked for and cached.

    Built by :func:`eps_couplings`.

    Attributes
    ----------
    X, Y : ndarray, shapes (n, d) and (m, d)
    a, b : ndarray, shapes (n,) and (m,)
        Normalised weights.
    norm : float
    D : ndarray, shape (n, m)
        Pairwise distances.
    w_inf : float
        ``W_inf(mu, nu)``: the first eps with a coupling inside the budget.
    """

    def __init__(self, X, Y, a, b, norm):
        self.X, self.Y, self.a, self.b, self.norm = X, Y, a, b, norm
        self.D = pairwise_distances(X, Y, norm)
        self.w_inf = float(w_inf(X, Y, a, b, norm).value)
        self.distances = np.unique(self.D)  # sorted distinct distances: the state boundaries
        self._cache = {}

    def stops(self, eps_max) -> np.ndarray:
        """0 and every distance <= eps_max: the eps where the answer can change."""
        return np.concatenate([[0.0], self.distances[within(self.distances, eps_max)]])

    def state(self, eps) -> int:
        """Number of distinct distances d with d <= eps (tolerant, as :func:`within`)."""
        return int(np.count_nonzero(within(self.distances, eps)))

    def allowed(self, eps) -> np.ndarray:
        """``allowed[i, j]``: ``||x_i - y_j|| <= eps`` (the pairs the 0/inf cost permits), shape (n, m)."""
        return within(self.D, eps)

    def coupling(self, eps):
        """The plan for budget eps and whether it moves no mass farther than eps.

        Returns
        -------
        plan : ndarray, shape (n, m)
            A coupling using only pairs within eps if one exists
            (``W_inf <= eps``); otherwise an optimal plan for the 0/1 cost
            ``1{d > eps}``, which moves as little mass as possible farther.
        feasible : bool
        unmatched : float
            Mass the plan moves farther than eps (0 when feasible).
        """
        state = self.state(eps)
        if state not in self._cache:
            radius = self.distances[state - 1] if state else 0.0
            allowed = within(self.D, radius)
            plan = _feasible_plan(self.a, self.b, allowed)
            if plan is not None:
                self._cache[state] = (_tidy_plan(self.a, self.b, allowed, self.D, plan), True, 0.0)
            else:
                result = wasserstein(self.a, self.b, M=(~allowed).astype(float))
                self._cache[state] = (result.plan, False, float(result.cost))
        return self._cache[state]

    def curve(self, eps_max):
        """Exact step function on [0, eps_max]: mass that must move farther than eps.

        The mass is nonincreasing in eps, so an interval of states whose two
        ends agree is constant: bisection solves about one transport problem
        per value of the step function, not one per distance.

        Returns
        -------
        eps : ndarray, shape (k,)
            0, the distances where the value changes, and ``eps_max``.
        unmatched : ndarray, shape (k,)
            The value on ``[eps[i], eps[i + 1])`` (the last one repeated).
        """
        levels = self.stops(eps_max)[1:]
        values = np.full(len(levels) + 1, np.nan)

        def value(s):
            if np.isnan(values[s]):
                values[s] = self.coupling(levels[s - 1] if s else 0.0)[2]
            return values[s]

        pending = [(0, len(levels))]
        while pending:
            lo, hi = pending.pop()
            if abs(value(lo) - value(hi)) <= 1e-12:
                values[lo:hi + 1] = values[lo]
            elif hi - lo > 1:
                mid = (lo + hi) // 2
                pending += [(lo, mid), (mid, hi)]
        change = np.nonzero(np.abs(np.diff(values)) > 1e-12)[0] + 1
        starts = np.concatenate([[0], change])
        eps = np.array([levels[s - 1] if s else 0.0 for s in starts] + [eps_max])
        return eps, np.concatenate([values[starts], values[-1:]])


def eps_couplings(X, Y, a=None, b=None, norm=2) -> EpsCouplings:
    """Couplings of ``mu`` and ``nu`` within every budget eps, with ``W_inf``.

    Parameters
    ----------
    X, Y, a, b, norm
        As in :func:`w_inf`.

    Returns
    -------
    EpsCouplings
        ``.coupling(eps)`` (plan, feasible, unmatched mass), ``.curve(eps_max)``
        (the unmatched mass as an exact step function of eps), ``.stops(eps_max)``,
        ``.w_inf``.

    Examples
    --------
    >>> c = eps_couplings([0.0, 1.0], [0.5, 3.0])
    >>> c.w_inf
    2.0
    >>> eps, unmatched = c.curve(2.5)
    >>> eps.tolist(), unmatched.tolist()
    ([0.0, 0.5, 2.0, 2.5], [1.0, 0.5, 0.0, 0.0])
    """
    X, Y = check_points(X, "X"), check_points(Y, "Y")
    check_same_dim(X, Y)
    a = check_weights(a, len(X), "a")
    b = check_weights(b, len(Y), "b")
    return EpsCouplings(X, Y, a, b, parse_norm(norm))
