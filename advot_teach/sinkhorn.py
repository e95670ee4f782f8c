r"""Entropic lower bounds on the optimal adversarial risk that scale.

The exact barycenter LP of :mod:`advot_teach.risk` needs every conflict
hyperedge; their number grows like n^L for hyperedges of L points.  Two
relaxations make the problem small and fast while keeping a *guaranteed*
lower bound on R*:

1. **Truncation** (Garcia Trillos, Jacobs, Kim, Werenski 2024,
   arXiv:2401.09191): keep only hyperedges of at most L points
   (``max_order``).  The LP value is then
   :math:`R^*_L \le R^*_{L+1} \le \dots \le R^*_K = R^*`.
2. **Entropy** (Cuturi 2013; Benamou et al. 2015): add
   :math:`\mathrm{reg} \sum_e z_e (\log z_e - 1)` to the truncated primal

   .. math::  \min_{z \ge 0} \sum_e z_e + \mathrm{reg} \sum_e z_e(\log z_e - 1)
              \quad \text{s.t.} \quad \sum_{e \ni j} z_e = w_j,

   over singletons and conflict hyperedges of size <= L.  Its dual has one
   potential :math:`g_j` per point and :math:`z_e = \exp((\sum_{j\in e} g_j - 1)/\mathrm{reg})`.

   Two points of the same class never share a hyperedge, so the constraints
   of one class involve disjoint sets of hyperedges: all potentials of a class
   are updated *exactly* at once,

   .. math::  g_j \leftarrow \mathrm{reg}\log w_j - \mathrm{reg}
              \operatorname{LSE}_{e \ni j}\Big(\frac{\sum_{i\in e, i\ne j} g_i - 1}{\mathrm{reg}}\Big),

   and cycling over the K classes is multimarginal Sinkhorn (iterative
   Bregman projections).  Everything runs in the log domain, and a small
   ``reg`` is reached in stages from reg = 0.1 (reg-annealing), each
   stage warm-started from the last.

3. **Rounding** (Altschuler, Weed, Rigollet 2017): the Sinkhorn plan meets the
   constraints only approximately.  Scaling every hyperedge down until no
   point is over-covered, then filling each point's deficit with its
   singleton, gives an exactly feasible primal z.  Its value
   :math:`B = \sum_e z_e \ge B^*_L`, hence

   .. math::  \text{risk} = 1 - B \le R^*_L \le R^*

   for every ``reg`` and every number of iterations; the bound tightens as
   ``reg`` -> 0 and the iterations converge.

A feasible dual q of the truncated LP (the potentials clipped into [0, 1],
lowered until every :math:`\sum_{j \in e} q_j \le 1` holds, then raised
greedily class by class) bounds the truncated value from the other side:
:math:`R^*_L \le 1 - \sum_j w_j q_j`.  ``dual_bound`` is the smaller of this
value and the ceiling :math:`\min(1 - 1/\min(L, K), 1 - \max_i m_i)` that every
R*_L obeys (m_i = mass of class i).  The pair (``risk``, ``dual_bound``)
brackets R*_L, not R* (truncation only lowers the value), without solving
the LP.

==================================  ==========================================
:func:`sinkhorn_adversarial_risk`   one eps: bound, plan, potentials
:func:`sinkhorn_risk_curve`         many eps, one hypergraph
==================================  ==========================================
"""
from __future__ import annotations

import numbers
from dataclasses import dataclass, field

import numpy as np

from ._progress import progress as progress_bar
from ._validation import check_data, check_eps, check_eps_values, check_max_order, check_scalar, parse_norm
from .hypergraph import conflict_hypergraph, incidence

__all__ = ["SinkhornRiskResult", "SinkhornRiskCurve", "sinkhorn_adversarial_risk", "sinkhorn_risk_curve"]

# Rounded hyperedges cover at most w_j * (1 - _SAFETY): round-off in the
# scaled masses can then never over-cover a point.
_SAFETY = 1e-12

# Reg-annealing: start at reg = _ANNEAL_START (if larger than the target),
# divide by 1 / _ANNEAL_FACTOR per stage; each intermediate stage runs until
# the marginal error is below _ANNEAL_TOL or for at most _ANNEAL_SWEEPS sweeps.
_ANNEAL_START = 0.1
_ANNEAL_FACTOR = 0.25
_ANNEAL_TOL = 1e-3
_ANNEAL_SWEEPS = 50
# The hyperedge sums S are updated incrementally in each sweep and recomputed
# from the potentials every this many sweeps (round-off drift is ~1e-16 a sweep).
_REFRESH_SWEEPS = 8


@dataclass(frozen=True)
class SinkhornRiskResult:
    """Entropic lower bound on the optimal adversarial risk.

    Attributes
    ----------
    risk : float
        Rounded value 1 - B of a feasible barycenter: always
        ``risk <= R*_L <= R*`` (L = ``max_order``).
    risk_entropic : float
        1 - sum_e z_e for the unrounded Sinkhorn plan (not a bound).
    dual_bound : float
        min(1 - sum_j w_j q_j for a feasible dual q, the ceiling
        min(1 - 1/min(L, K), 1 - largest class mass)): ``R*_L <= dual_bound``
        (an upper bound on the *truncated* value, not on R*).
        ``dual_bound - risk`` certifies how far ``risk`` can be from R*_L.
    n_iter : int
        Sinkhorn sweeps (one sweep updates every class once).
    converged : bool
        Whether the marginal error fell below ``tol`` within ``max_iter``.
    marginal_error : float
        sum_j |sum_{e ni j} z_e - w_j| of the unrounded plan.
    reg, max_order, eps, norm : the problem's parameters.
    potentials : ndarray, shape (n,)
        Dual potentials g (0 for points of weight 0).
    singleton_mass : ndarray, shape (n,)
        Rounded mass of the singleton {j}: the part of point j that no
        other class can reach.
    edges : dict[int, ndarray]
        ``edges[k]`` has shape (m_k, k): hyperedges of k >= 2 points.
    mass : ndarray, shape (m,)
        Rounded mass of each hyperedge, in the order of :attr:`hyperedges`
        (sizes increasing, then the rows of ``edges[k]``).
    classes : ndarray, shape (K,)
    weights : ndarray, shape (n,)
    """

    risk: float
    risk_entropic: float
    dual_bound: float
    n_iter: int
    converged: bool
    marginal_error: float
    reg: float
    max_order: int
    eps: float
    norm: float
    potentials: np.ndarray = field(repr=False)
    singleton_mass: np.ndarray = field(repr=False)
    edges: dict = field(repr=False)
    mass: np.ndarray = field(repr=False)
    classes: np.ndarray = field(repr=False)
    weights: np.ndarray = field(repr=False)

    @property
    def hyperedges(self) -> list[tuple[int, ...]]:
        """Hyperedges (size >= 2) as sorted index tuples, aligned with ``mass``."""
        return [tuple(sorted(map(int, e))) for k in sorted(self.edges) for e in self.edges[k]]

    @property
    def n_hyperedges(self) -> int:
        return int(sum(len(E) for E in self.edges.values()))

    @property
    def barycenter_mass(self) -> float:
        """B = total rounded mass = 1 - risk."""
        return float(self.singleton_mass.sum() + self.mass.sum())


def _check_solver_options(max_order, reg, max_iter, tol, n_classes):
    max_order = check_max_order(max_order)
    if max_order is None:
        max_order = max(n_classes, 1)
    return (max_order, check_scalar(reg, "reg", min_val=0, include_min=False),
            check_scalar(max_iter, "max_iter", numbers.Integral, min_val=1),
            check_scalar(tol, "tol", min_val=0, allow_inf=True))


def _segment_logsumexp(values, starts, counts):
    """log sum exp of consecutive segments (all nonempty) of ``values``."""
    top = np.maximum.reduceat(values, starts)
    sums = np.add.reduceat(np.exp(values - np.repeat(top, counts)), starts)
    return top + np.log(sums)


class _Incidence:
    """Point-hyperedge incidences sorted by (class, point), singletons first.

    Edge ids: 0..n-1 are the singletons, then the hyperedges of
    ``edges`` in order.  Sorting by class makes the incidences of each class
    one contiguous slice, and within it the incidences of each point one
    segment: a class update is two ``reduceat`` calls.
    """

    def __init__(self, n, codes, edge_list):
        points, ids, offset = incidence(n, edge_list)
        order = np.lexsort((ids, points, codes[points]))
        self.point, self.edge = points[order], ids[order]
        self.n_edges = offset
        # Every point has its singleton, so every segment is nonempty.
        self.counts = np.bincount(self.point, minlength=n)
        point_order = np.lexsort((np.arange(n), codes))  # points in incidence order
        self.counts_sorted = self.counts[point_order]
        seg_start = np.concatenate([[0], np.cumsum(self.counts_sorted)[:-1]])
        self.point_order = point_order
        self.seg_start = seg_start
        self.blocks = []
        for c in np.unique(codes):
            pts_mask = codes[point_order] == c
            pts = point_order[pts_mask]
            starts = seg_start[pts_mask]
            a = starts[0]
            b = a + self.counts_sorted[pts_mask].sum()
            counts = self.counts_sorted[pts_mask]
            # rep[t]: which of the class's points incidence t belongs to.
            rep = np.repeat(np.arange(len(pts)), counts)
            self.blocks.append((pts, starts - a, counts, slice(a, b), self.edge[a:b].copy(), rep))

    def edge_sums(self, g):
        """S_e = sum_{j in e} g_j for every edge, shape (n_edges,)."""
        return np.bincount(self.edge, weights=g[self.point], minlength=self.n_edges)

    def coverage(self, log_z):
        """sum_{e ni j} z_e for every point; exponents capped so a far iterate stays finite."""
        z = np.exp(np.minimum(log_z, 700.0))
        return np.bincount(self.point, weights=z[self.edge], minlength=len(self.counts))

    def log_coverage(self, log_z):
        """log sum_{e ni j} z_e for every point (in point order 0..n-1)."""
        out = np.empty(len(self.counts))
        out[self.point_order] = _segment_logsumexp(log_z[self.edge], self.seg_start, self.counts_sorted)
        return out


def _marginal_error(coverage, w):
    return float(np.abs(coverage - w).sum())


def _sweep(inc, g, S, log_w, reg):
    """One exact update of every class's potentials (in place)."""
    for pts, starts, _counts, _sl, edges, rep in inc.blocks:
        g_pts = g[pts]
        # Exponent of z_e with g_j removed: the rest of the hyperedge.
        values = S[edges]
        values -= g_pts[rep]
        values -= 1.0
        values /= reg
        top = np.maximum.reduceat(values, starts)
        values -= top[rep]
        np.exp(values, out=values)
        g_new = reg * (log_w[pts] - top - np.log(np.add.reduceat(values, starts)))
        g[pts] = g_new
        # Each hyperedge holds at most one point of this class: no repeats.
        S[edges] += (g_new - g_pts)[rep]


def _reg_schedule(reg):
    """Decreasing regularisations ending at ``reg`` (reg-annealing).

    Small ``reg`` makes Sinkhorn slow from a cold start; solving a coarser
    problem first and warm-starting from its potentials (which live in the
    same units) cuts the number of sweeps many times over.
    """
    schedule = []
    current = _ANNEAL_START
    while current > reg:
        schedule.append(current)
        current *= _ANNEAL_FACTOR
    return schedule + [reg]


def _sinkhorn(inc, log_w, w, reg, max_iter, tol):
    """Block-coordinate ascent on the entropic dual; returns g, S, sweeps, error, converged."""
    g = np.zeros(len(log_w))
    S = inc.edge_sums(g)
    schedule = _reg_schedule(reg)
    sweeps, error = 0, np.inf
    for stage, current in enumerate(schedule):
        last = stage == len(schedule) - 1
        stage_tol = tol if last else max(tol, _ANNEAL_TOL)
        stage_cap = max_iter - sweeps if last else min(_ANNEAL_SWEEPS, max_iter - sweeps - 1)
        for _ in range(max(stage_cap, 0)):
            _sweep(inc, g, S, log_w, current)
            sweeps += 1
            if sweeps % _REFRESH_SWEEPS == 0:
                S = inc.edge_sums(g)  # drop the drift of the incremental updates
            error = _marginal_error(inc.coverage((S - 1.0) / current), w)
            if error <= stage_tol:
                break
    return g, inc.edge_sums(g), sweeps, error, bool(error <= tol)


def _round(inc, log_z, log_w, w, n, edge_list):
    """Scale z down until no point is over-covered, then fill with singletons."""
    shrink = np.minimum(0.0, log_w + np.log1p(-_SAFETY) - inc.log_coverage(log_z))
    edge_shrink = np.empty(inc.n_edges)
    edge_shrink[:n] = shrink
    offset = n
    for E in edge_list:
        edge_shrink[offset:offset + len(E)] = shrink[E].min(axis=1) if len(E) else 0.0
        offset += len(E)
    z = np.exp(log_z + edge_shrink)
    coverage = np.bincount(inc.point, weights=z[inc.edge], minlength=n)
    singleton = z[:n] + np.maximum(w - coverage, 0.0)
    return singleton, z[n:]


def _feasible_dual(g, inc, edge_list):
    """A dual q with 0 <= q <= 1 and q(e) <= 1 on every hyperedge, near g.

    1. Clip g into [0, 1] and lower each point by the largest per-member
       excess of the hyperedges that contain it.  With subset-closed
       hyperedges this is already feasible (the members of e that stay
       positive form a hyperedge whose own excess was removed); a uniform
       scaling guards against round-off.
    2. The entropic potentials sit about reg * log(1 / w_j) below the LP
       dual, so raise them greedily: one class at a time, each point takes
       the smallest slack 1 - q(e) of the edges (its singleton included)
       that contain it.  A hyperedge holds at most one point of the class,
       so the raised q stays feasible.
    """
    q = np.clip(g, 0.0, 1.0)
    for _ in range(3):
        lower = np.zeros_like(q)
        worst = 0.0
        for E in edge_list:
            if len(E) == 0:
                continue
            excess = np.maximum(q[E].sum(axis=1) - 1.0, 0.0)
            worst = max(worst, float(excess.max()))
            np.maximum.at(lower, E.ravel(), np.repeat(excess / E.shape[1], E.shape[1]))
        if worst <= 0.0:
            break
        q = np.maximum(q - lower, 0.0)
    top = max([1.0] + [float(q[E].sum(axis=1).max()) for E in edge_list if len(E)])
    q = q / top
    for _ in range(2):
        for pts, starts, _counts, sl, _edges, _rep in inc.blocks:
            slack = 1.0 - inc.edge_sums(q)[inc.edge[sl]]
            q[pts] += np.maximum(np.minimum.reduceat(slack, starts), 0.0)
    return np.clip(q, 0.0, 1.0)


def sinkhorn_adversarial_risk(X, y, eps, *, norm=2, weights=None, max_order=2, reg=0.05, max_iter=1000,
                              tol=1e-4) -> SinkhornRiskResult:
    """Lower bound on R*(eps) by truncated entropic multimarginal OT.

    Parameters
    ----------
    X : array_like, shape (n, d)
        Points.
    y : array_like, shape (n,)
        Labels (ints or strings), any number of classes.
    eps : float
        Attack budget (radius of the closed balls).
    norm : {2, 1, np.inf, "l2", "l1", "linf"}
        Norm of the balls.
    weights : array_like, shape (n,), optional
        Nonnegative point weights, normalised to sum 1 (default uniform).
    max_order : int or None, default 2
        Largest hyperedge size L; the result bounds R*_L <= R*.  ``None``
        keeps all sizes (up to the number of classes).
    reg : float > 0, default 0.05
        Entropic regularisation, in units of barycenter mass; smaller is
        tighter but needs more sweeps.
    max_iter : int, default 1000
        Most Sinkhorn sweeps (each updates all K classes once).
    tol : float, default 1e-4
        Stop when sum_j |sum_{e ni j} z_e - w_j| <= tol.  Rounding loses
        about that much mass, far less than the entropic bias of a
        moderate ``reg``.

    Returns
    -------
    SinkhornRiskResult
        ``.risk`` (a lower bound on R*_L for every reg and every number of
        sweeps), ``.risk_entropic``, ``.dual_bound``, ``.n_iter``,
        ``.converged``, rounded masses ``.singleton_mass`` and ``.mass``.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[0.0], [1.0]])
    >>> res = sinkhorn_adversarial_risk(X, [0, 1], 0.5, reg=0.01)
    >>> round(res.risk, 4)  # exact R* = 1/2: the two balls touch
    0.5
    """
    X, codes, classes, w = check_data(X, y, weights)
    eps = check_eps(eps)
    norm = parse_norm(norm)
    max_order, reg, max_iter, tol = _check_solver_options(max_order, reg, max_iter, tol, len(classes))
    keep = np.nonzero(w > 0)[0]
    hg = conflict_hypergraph(X[keep], codes[keep], eps, norm, max_order)
    fields = _solve(keep, len(X), codes[keep], w[keep], hg, max_order, reg, max_iter, tol)
    return SinkhornRiskResult(eps=eps, norm=norm, reg=reg, max_order=max_order, classes=classes, weights=w,
                              **fields)


def _solve(keep, n_all, codes, w, hg, max_order, reg, max_iter, tol):
    """Sinkhorn, rounding and dual bound on the points ``keep`` (weights w > 0).

    Points of weight 0 constrain nothing (every hyperedge through them must
    carry 0 mass), so the callers solve on the others; results are mapped
    back to all n points here.  Returns the fields of a SinkhornRiskResult.
    """
    n = len(keep)
    orders = [k for k in hg.orders if k <= max_order]
    edge_list = [hg.edges[k] for k in orders]
    inc = _Incidence(n, codes, edge_list)
    log_w = np.log(w)

    g, S, n_iter, error, converged = _sinkhorn(inc, log_w, w, reg, max_iter, tol)
    log_z = (S - 1.0) / reg
    # Before convergence the unrounded plan may over-cover some points; cap
    # the exponent so its total stays finite.
    risk_entropic = float(1.0 - np.exp(np.minimum(log_z, 700.0)).sum())
    singleton, edge_mass = _round(inc, log_z, log_w, w, n, edge_list)
    risk = float(np.clip(1.0 - (singleton.sum() + edge_mass.sum()), 0.0, 1.0))
    q = _feasible_dual(g, inc, edge_list)
    dual_bound = min(float(np.clip(1.0 - w @ q, 0.0, 1.0)), _trivial_ceiling(w, codes, max_order))
    return dict(
        risk=risk, risk_entropic=risk_entropic, dual_bound=dual_bound, n_iter=n_iter, converged=converged,
        marginal_error=error, potentials=_spread(keep, g, n_all), singleton_mass=_spread(keep, singleton, n_all),
        edges={k: keep[E] for k, E in zip(orders, edge_list)}, mass=edge_mass,
    )


def _trivial_ceiling(w, codes, max_order):
    """min(1 - 1/L', 1 - max_i m_i) with L' = min(L, K): an upper bound on R*_L for any data.

    Summing the constraints sum_{e ni j} z_e = w_j over all points gives
    sum_e |e| z_e = 1 with |e| <= L' (at most L points, at most one per class),
    so B*_L >= 1/L'; summing them over the points of class i gives
    sum_e |e & class i| z_e = m_i with |e & class i| <= 1, so B*_L >= m_i (the
    constant classifier "always class i" has risk 1 - m_i).  The feasible dual
    of a rough Sinkhorn solve can exceed this ceiling; the minimum of the two
    is still an upper bound on R*_L.

    Parameters
    ----------
    w : ndarray, shape (n,)
        Weights of the points solved on (all > 0, sum 1).
    codes : ndarray of int, shape (n,)
        Their class codes.
    max_order : int
        Largest hyperedge size L.
    """
    if len(w) == 0:
        return 0.0
    masses = np.bincount(codes, weights=w)
    n_classes = int(np.count_nonzero(masses))
    return float(max(0.0, min(1.0 - 1.0 / min(max_order, n_classes), 1.0 - masses.max())))


def _spread(keep, values, n):
    out = np.zeros(n)
    out[keep] = values
    return out


@dataclass(frozen=True)
class SinkhornRiskCurve:
    """Entropic lower bounds at many eps (see :func:`sinkhorn_risk_curve`).

    Attributes
    ----------
    eps : ndarray, shape (m,)
        The budgets, in the order given.
    risk : ndarray, shape (m,)
        Rounded lower bounds, ``risk <= R*_L(eps) <= R*(eps)``.
    dual_bound : ndarray, shape (m,)
        Upper bounds on the truncated value R*_L(eps).
    n_iter : ndarray of int, shape (m,)
        Sinkhorn sweeps used at each eps.
    n_hyperedges : ndarray of int, shape (m,)
        Hyperedges (size 2..L) alive at each eps.
    reg, max_order, norm : the problem's parameters.
    """

    eps: np.ndarray
    risk: np.ndarray
    dual_bound: np.ndarray
    n_iter: np.ndarray
    n_hyperedges: np.ndarray
    reg: float
    max_order: int
    norm: float


def sinkhorn_risk_curve(X, y, eps_values, *, norm=2, weights=None, max_order=2, reg=0.05, max_iter=1000,
                        tol=1e-4, progress=False) -> SinkhornRiskCurve:
    """:func:`sinkhorn_adversarial_risk` at many eps, sharing the work.

    The conflict hypergraph is built once, at the largest eps; each eps keeps
    the hyperedges born by then.  (Warm-starting each eps from the previous
    potentials saves little over the annealed cold start, so each solve is
    independent.)

    Parameters
    ----------
    eps_values : array_like, shape (m,)
        Budgets >= 0, in any order.
    progress : bool, default False
        Show a progress bar (tqdm) over the eps values once the loop has run
        for a couple of seconds.
    Other parameters : as in :func:`sinkhorn_adversarial_risk`.

    Returns
    -------
    SinkhornRiskCurve
    """
    X, codes, classes, w = check_data(X, y, weights)
    eps_values = check_eps_values(eps_values)
    norm = parse_norm(norm)
    max_order, reg, max_iter, tol = _check_solver_options(max_order, reg, max_iter, tol, len(classes))
    m = len(eps_values)
    risk, dual, n_iter, n_edges = np.zeros(m), np.zeros(m), np.zeros(m, dtype=int), np.zeros(m, dtype=int)
    if m:
        keep = np.nonzero(w > 0)[0]
        hg_all = conflict_hypergraph(X[keep], codes[keep], float(eps_values.max()), norm, max_order)
        for i, eps in progress_bar(enumerate(eps_values), enabled=progress, total=m, desc="Sinkhorn bounds"):
            hg = hg_all.restrict(float(eps), max_order)
            fields = _solve(keep, len(X), codes[keep], w[keep], hg, max_order, reg, max_iter, tol)
            risk[i], dual[i], n_iter[i] = fields["risk"], fields["dual_bound"], fields["n_iter"]
            n_edges[i] = sum(len(E) for E in fields["edges"].values())
    return SinkhornRiskCurve(eps_values, risk, dual, n_iter, n_edges, reg, max_order, norm)
