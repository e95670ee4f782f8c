"""The exact step function R*(eps) on [0, eps_max], one linear program per level.

:class:`RiskLevels` solves and stores an optimal primal-dual pair for every
level of R*; the eps-explorer (:mod:`advot_teach.widgets`) queries it on
every slider move (a lookup, no solve).  :mod:`advot_teach.paths` computes
R* alone on a grid of eps, faster; this module keeps the certificates.
"""
from __future__ import annotations

import numpy as np
from scipy import sparse

from .geometry import TOL
from .hypergraph import Hypergraph, incidence
from .risk import Barycenter, solve_hypergraph_lp

__all__ = ["RiskLevels"]

# LP solutions are accurate to about 1e-9; a dual constraint counts as
# violated only beyond this.
_DUAL_SLACK = 1e-7
_MASS_FLOOR = 1e-12


class _MaskedLP:
    """The barycenter LP over every hyperedge alive at eps_max, one HiGHS model.

    A state switches columns off with upper bound 0 instead of rebuilding the
    model, so each solve starts from the previous basis (dual simplex warm
    start) and skips scipy's per-call set-up: several times faster than a
    fresh ``solve_hypergraph_lp`` per state, with the same optimal values.
    """

    def __init__(self, n, weights, edge_list):
        from ._highs import new_highs

        self.h, self.highspy = new_highs()
        if self.h is None:  # pragma: no cover - highspy is a dependency
            raise ImportError("highspy is not installed")
        rows, cols, self.m = incidence(n, edge_list)
        A = sparse.csc_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, self.m))
        hs = self.highspy
        lp = hs.HighsLp()
        lp.num_col_, lp.num_row_ = self.m, n
        lp.col_cost_ = np.ones(self.m)
        lp.col_lower_ = np.zeros(self.m)
        lp.col_upper_ = np.full(self.m, hs.kHighsInf)
        lp.row_lower_ = lp.row_upper_ = np.asarray(weights, dtype=float)
        lp.a_matrix_.format_ = hs.MatrixFormat.kColwise
        lp.a_matrix_.start_, lp.a_matrix_.index_, lp.a_matrix_.value_ = A.indptr, A.indices, A.data
        self.h.passModel(lp)
        self.columns = np.arange(self.m, dtype=np.int32)

    def solve(self, alive_columns):
        """B*, primal z (all m columns) and dual q for the columns switched on."""
        hs = self.highspy
        upper = np.where(alive_columns, hs.kHighsInf, 0.0)
        self.h.changeColsBounds(self.m, self.columns, np.zeros(self.m), upper)
        self.h.run()
        if self.h.getModelStatus() != hs.HighsModelStatus.kOptimal:  # pragma: no cover - always feasible
            raise RuntimeError(f"barycenter LP failed: {self.h.modelStatusToString(self.h.getModelStatus())}")
        solution = self.h.getSolution()
        z = np.clip(np.asarray(solution.col_value), 0.0, None)
        # As in solve_hypergraph_lp: clipping q into [0, 1] keeps it feasible
        # (the hypergraph is closed under subsets) and optimal.
        q = np.clip(np.asarray(solution.row_dual), 0.0, 1.0) + 0.0
        return float(self.h.getInfo().objective_function_value), z, q


class RiskLevels:
    """R*(eps) on [0, eps_max] with an optimal primal-dual pair for every eps.

    Let b_1 < b_2 < ... < b_B be the breakpoints (birth radii) and call
    *state* s the set of hyperedges born at b_1, ..., b_s (eps in
    [b_s, b_{s+1})).  Solving the barycenter LP in state s gives a primal z
    and a dual q with the same value.  z only uses hyperedges born by some
    state lo <= s, so it is feasible (hence optimal) for every state >= lo;
    q satisfies every hyperedge constraint up to some state hi >= s, so it
    is feasible (hence optimal) for every state <= hi.  The value is
    therefore constant on states lo..hi and (z, q) is optimal there.
    Bisecting over the states left uncovered needs about one LP per level
    of the step function instead of one per breakpoint.

    Parameters
    ----------
    X : ndarray, shape (n, d)
    codes : ndarray of int, shape (n,)
    weights : ndarray, shape (n,)
    hypergraph : Hypergraph
        Built at ``eps_max`` (already truncated to ``max_order``).
    eps_max : float

    Attributes
    ----------
    hg : Hypergraph
        The ``hypergraph`` argument.
    orders : list of int
        Its hyperedge sizes.
    breakpoints : ndarray, shape (B,)
    rank : dict of int -> ndarray of int
        ``rank[k][e]``: the state in which hyperedge ``e`` of size k is born.
    level_of_state : ndarray of int, shape (B + 1,)
    values : list of float
        B* of each level.
    n_solves : int
        Number of LPs solved.
    """

    def __init__(self, X, codes, weights, hypergraph: Hypergraph, eps_max: float):
        self.X, self.codes, self.weights = X, codes, weights
        self.hg, self.eps_max = hypergraph, float(eps_max)
        self.breakpoints = hypergraph.breakpoints()
        self.orders = hypergraph.orders
        # rank = number of breakpoints <= birth: the state in which an edge is born.
        self.rank = {k: np.searchsorted(self.breakpoints, hypergraph.birth[k], side="right")
                     for k in self.orders}
        B = len(self.breakpoints)
        try:
            self._lp = _MaskedLP(hypergraph.n, weights, [hypergraph.edges[k] for k in self.orders])
        except ImportError:  # pragma: no cover - highspy is a dependency
            self._lp = None
        self.level_of_state = np.full(B + 1, -1, dtype=np.intp)
        self.values, self._z, self._q = [], [], []
        self.n_solves = 0
        pending = [(0, B)]
        while pending:
            a, b = pending.pop()
            if a > b:
                continue
            s = (a + b) // 2
            lo, hi = self._solve_state(s)
            lo, hi = max(lo, a), min(hi, b)
            self.level_of_state[lo:hi + 1] = len(self.values) - 1
            pending += [(a, lo - 1), (hi + 1, b)]

    def _solve_state(self, s):
        n = self.hg.n
        alive = {k: self.rank[k] <= s for k in self.orders}
        if self._lp is not None:
            columns = np.concatenate([np.ones(n, dtype=bool)] + [alive[k] for k in self.orders])
            b_star, z_all, q = self._lp.solve(columns)
            z = z_all[columns]  # the alive columns, in the order solve_hypergraph_lp uses
        else:
            sub = Hypergraph(n, self.state_eps(s),
                             {k: self.hg.edges[k][alive[k]] for k in self.orders},
                             {k: self.hg.birth[k][alive[k]] for k in self.orders},
                             {k: self.hg.centre[k][alive[k]] for k in self.orders})
            b_star, z, q, _ = solve_hypergraph_lp(sub, self.weights)
        self.n_solves += 1
        lo, hi = 0, len(self.breakpoints)
        offset = n
        used = {}
        for k in self.orders:
            idx = np.nonzero(alive[k])[0]
            zk = z[offset:offset + len(idx)]
            offset += len(idx)
            keep = zk > _MASS_FLOOR
            used[k] = (idx[keep], zk[keep])
            if keep.any():
                lo = max(lo, int(self.rank[k][idx[keep]].max()))
        for k in self.orders:
            violated = q[self.hg.edges[k]].sum(axis=1) > 1 + _DUAL_SLACK
            if violated.any():
                hi = min(hi, int(self.rank[k][violated].min()) - 1)
        self.values.append(float(b_star))
        self._z.append((z[:n].copy(), used))
        self._q.append(q)
        return lo, hi

    # -- queries ---------------------------------------------------------
    def state_eps(self, s):
        """Smallest eps of state s (0 for state 0)."""
        return 0.0 if s == 0 else float(self.breakpoints[s - 1])

    def state(self, eps):
        """The state of eps: number of breakpoints b with b <= eps (tolerant)."""
        return int(np.searchsorted(self.breakpoints, eps * (1 + TOL) + 1e-12, side="right"))

    def level(self, eps) -> int:
        """The level (index into :attr:`values`) that holds at eps."""
        return int(self.level_of_state[self.state(eps)])

    def risk(self, eps) -> float:
        """R*(eps) = 1 - B*(eps), exact for 0 <= eps <= eps_max."""
        return float(np.clip(1.0 - self.values[self.level(eps)], 0.0, 1.0))

    def level_dual(self, level) -> np.ndarray:
        """The optimal dual q of a level, shape (n,)."""
        return self._q[level]

    def dual(self, eps) -> np.ndarray:
        """An optimal dual q at eps, shape (n,)."""
        return self.level_dual(self.level(eps))

    def barycenter(self, eps) -> Barycenter:
        """An optimal generalized barycenter at eps."""
        singles, used = self._z[self.level(eps)]
        keep = singles > _MASS_FLOOR
        support, mass = [self.X[keep]], [singles[keep]]
        members = [(int(j),) for j in np.nonzero(keep)[0]]
        for k, (idx, zk) in used.items():
            support.append(self.hg.centre[k][idx])
            mass.append(zk)
            members += [tuple(int(i) for i in e) for e in self.hg.edges[k][idx]]
        return Barycenter(np.concatenate(support), np.concatenate(mass), members)

    def curve(self):
        """The exact step function: jump positions and values.

        Returns
        -------
        eps : ndarray, shape (m + 1,)
            0, then every eps where R* changes, then ``eps_max``.
        risk : ndarray, shape (m + 1,)
            R* on [eps[i], eps[i + 1]) (the last value repeated).
        """
        risk_of_state = np.clip(1.0 - np.asarray(self.values)[self.level_of_state], 0.0, 1.0)
        change = np.nonzero(np.abs(np.diff(risk_of_state)) > 1e-9)[0] + 1
        starts = np.concatenate([[0], change])
        eps = np.array([self.state_eps(s) for s in starts] + [self.eps_max])
        risk = np.concatenate([risk_of_state[starts], risk_of_state[-1:]])
        return eps, risk

    def jumps(self) -> np.ndarray:
        """The eps values (> 0) where R* jumps."""
        eps, _ = self.curve()
        return eps[1:-1]
