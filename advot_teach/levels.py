"""The exact step function R*(eps) on [0, eps_max], one linear program per level.

:class:`RiskLevels` solves and stores an optimal primal-dual pair for every
level of R*; the eps-explorer (:mod:`advot_teach.widgets`) queries it on
every slider move (a lookup, no solve).  :mod:`advot_teach.paths` computes
R* alone on a grid of eps, faster; this module keeps the certificates.
"""
from __future__ import annotations

import numpy as np

from .geometry import alive
from .hypergraph import Hypergraph
from .lp import Barycenter, BarycenterLP, barycenter_from_atoms

__all__ = ["RiskLevels"]

# LP solutions are accurate to about 1e-9; a dual constraint counts as
# violated only beyond this.
_DUAL_SLACK = 1e-7


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

    Examples
    --------
    >>> from advot_teach import datasets
    >>> from advot_teach.hypergraph import conflict_hypergraph
    >>> X, y = datasets.triangle()
    >>> w = np.full(3, 1 / 3)
    >>> levels = RiskLevels(X, y, w, conflict_hypergraph(X, y, 0.7), 0.7)
    >>> levels.jumps().round(4), [round(levels.risk(e), 4) for e in (0.4, 0.5, 0.6)]
    (array([0.5   , 0.5774]), [0.0, 0.5, 0.6667])
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
        # Every hyperedge is a column; a state switches the unborn ones off
        # (upper bound 0), so each solve starts from the previous basis.
        self._lp = BarycenterLP(weights, [hypergraph.edges[k] for k in self.orders])
        self.level_of_state = np.full(B + 1, -1, dtype=np.intp)
        self.values, self._z, self._q = [], [], []
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
        lp = self._lp
        b_star = lp.solve(np.concatenate([self.rank[k] <= s for k in self.orders] + [np.zeros(0, dtype=bool)]))
        singles, atoms = lp.atoms()
        q = lp.q
        # (z, q) is optimal for the states lo..hi: z uses hyperedges born by
        # state lo, q violates no hyperedge born before state hi + 1.
        lo, hi = 0, len(self.breakpoints)
        for k, (index, _) in zip(self.orders, atoms):
            if len(index):
                lo = max(lo, int(self.rank[k][index].max()))
        for k in self.orders:
            violated = q[self.hg.edges[k]].sum(axis=1) > 1 + _DUAL_SLACK
            if violated.any():
                hi = min(hi, int(self.rank[k][violated].min()) - 1)
        self.values.append(float(b_star))
        self._z.append((singles, atoms))
        self._q.append(q)
        return lo, hi

    # -- queries ---------------------------------------------------------
    @property
    def n_solves(self) -> int:
        """Number of LPs solved."""
        return self._lp.n_solves

    def state_eps(self, s):
        """Smallest eps of state s (0 for state 0)."""
        return 0.0 if s == 0 else float(self.breakpoints[s - 1])

    def state(self, eps):
        """The state of eps: number of breakpoints b with b <= eps (tolerant)."""
        return int(np.searchsorted(self.breakpoints, alive(eps), side="right"))

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
        singles, atoms = self._z[self.level(eps)]
        return barycenter_from_atoms(self.X, singles, atoms, [self.hg.edges[k] for k in self.orders],
                                     [self.hg.centre[k] for k in self.orders])

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
