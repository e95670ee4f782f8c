r"""The barycenter linear program: one HiGHS model, the package's only LP code.

For point weights :math:`w \in \mathbb{R}^n` and hyperedges (sets of points),
the generalized barycenter's least mass is (Garcia Trillos, Jacobs, Kim,
JMLR 2023)

.. math::  B^* = \min \sum_c z_c \quad\text{s.t.}\quad
           \sum_{c \ni j} z_c = w_j \ (j = 1..n), \qquad z \ge 0,

over columns c: the n singletons {j} first, then hyperedges.  Its dual is
:math:`\max \sum_j w_j q_j` subject to :math:`\sum_{j \in c} q_j \le 1`;
HiGHS returns q as the row duals.  :class:`BarycenterLP` owns this model
(through ``highspy``, imported nowhere else), its tolerances, the mass
floor, the clipping of q and the assembly of the barycenter, with the three
ways the package solves it:

* ``solve()`` once, with every hyperedge in the model;
* ``solve(alive=mask)``: every hyperedge in the model, those not alive
  switched off by an upper bound 0, so each solve starts from the previous
  basis (dual simplex) -- the levels of R* (:mod:`advot_teach.levels`);
* ``generate(alive)``: *column generation* -- the model starts with the
  singletons and a hyperedge enters only when its reduced cost
  :math:`1 - \sum_{j \in e} q_j` is negative; columns that price far out
  leave again (:mod:`advot_teach.paths`).

One B* from scratch (:func:`advot_teach.optimal_adversarial_risk`) is
:class:`OneShotLP`: the same LP transposed (n columns q, one row per
hyperedge), rows generated from the pairs; when the pairs say little, the
whole LP at once by an interior point method (:func:`interior_point`, dense
normal equations, or HiGHS's for sparse conflicts) and HiGHS's crossover to
an optimal basis.

Solver choices (simplex variant, presolve, tolerances) live in
``_OPTIONS`` and every solve goes through :meth:`BarycenterLP._run`.
"""
from __future__ import annotations

import itertools
import os
import sys
import threading
from dataclasses import dataclass

import highspy
import numpy as np
from scipy.linalg.lapack import dpotrf as _potrf, dpotrs as _potrs

from ._blas import one_blas_thread
from .hypergraph import incidence

__all__ = ["Barycenter", "BarycenterLP", "OneShotLP", "MASS_FLOOR", "clip_dual", "risk_from_mass", "barycenter_from_atoms",
           "interior_point", "maximal_hyperedges", "match_rows"]

#: Masses below this are LP round-off, not barycenter atoms.
MASS_FLOOR = 1e-12
# HiGHS feasibility tolerances (defaults 1e-7): tight, so that a warm-started
# solve ends in the basis -- and hence the value -- a fresh solve finds.
LP_TOL = 1e-10
# A hyperedge enters the LP when its reduced cost is below -PRICING_TOL.  A
# dual q whose hyperedge sums exceed 1 by at most delta gives the feasible
# dual q / (1 + delta), so skipping such columns changes B* by <= delta.
PRICING_TOL = 1e-11
# Column generation: columns added per round (the most negative reduced costs
# first), a few times the number of rows, so rounds are few and the model small.
_BATCH_PER_ROW = 2
# After every solve, nonbasic hyperedge columns with reduced cost above
# _DROP_REDUCED_COST leave the model (pricing brings them back if needed) once
# it holds more than _KEEP_PER_ROW columns per row: a simplex iteration costs
# time in proportion to the columns.
_KEEP_PER_ROW = 3
_DROP_REDUCED_COST = 0.1
# Pruning could in principle make a column leave and re-enter forever; after
# this many rounds at one alive set the model only grows, so the loop ends.
_MAX_PRUNING_ROUNDS = 200

# HiGHS options per way of solving.  Column generation: primal simplex,
# because adding columns keeps the previous basis primal feasible; the LP is
# very degenerate (many ties) and HiGHS's random perturbations only cost
# iterations there.  The other two use HiGHS's own choice (dual simplex for a
# warm start after bound changes).
_COMMON = {"output_flag": False, "primal_feasibility_tolerance": LP_TOL, "dual_feasibility_tolerance": LP_TOL}
_OPTIONS = {
    "all": _COMMON,
    # OneShotLP's whole LP when the pairs say little and the conflicts are sparse:
    # HiGHS's interior point, then crossover to an optimal basis (the dense case
    # uses our interior_point; the simplex method is several times slower there).
    "ipm": {**_COMMON, "solver": "ipm", "run_crossover": "on"},
    "generate": {**_COMMON, "presolve": "off", "solver": "simplex", "simplex_strategy": 4,
                 "primal_simplex_bound_perturbation_multiplier": 0.0, "cost_perturbation_multiplier": 0.0},
}


@dataclass(frozen=True)
class Barycenter:
    """The generalized barycenter lambda as a list of weighted atoms.

    Attributes
    ----------
    support : ndarray, shape (m, d)
        Atom locations; each is a common point of its members' eps-balls.
    mass : ndarray, shape (m,)
        Atom masses; ``mass.sum() == 1 - risk``.
    members : list of tuple of int
        The data points merged into each atom (one point per class).
    """

    support: np.ndarray
    mass: np.ndarray
    members: list

    @property
    def total_mass(self) -> float:
        return float(self.mass.sum())

    def __len__(self) -> int:
        return len(self.mass)


def clip_dual(row_dual) -> np.ndarray:
    """The LP's row duals clipped into [0, 1].

    Equality constraints leave q free; q_j < 0 can only occur where it does
    not matter.  Clipping keeps every hyperedge constraint because the
    hypergraph is closed under taking subsets (e minus j is a hyperedge or a
    singleton with q <= 1), and it can only raise sum_j w_j q_j.
    """
    return np.clip(np.asarray(row_dual, dtype=float), 0.0, 1.0) + 0.0  # + 0.0 turns -0.0 into 0.0


def risk_from_mass(b_star: float) -> float:
    """R* = 1 - B*, rounded at 1e-12 and clipped into [0, 1].

    HiGHS solves to about 1e-10; rounding at 1e-12 removes round-off such as
    4e-14 instead of 0 without touching any meaningful digit.
    """
    return float(np.clip(round(1.0 - b_star, 12), 0.0, 1.0))


def barycenter_from_atoms(X, singles, atoms, edges, centres) -> Barycenter:
    """Assemble a :class:`Barycenter` from the masses of an optimal z.

    Parameters
    ----------
    X : ndarray, shape (n, d)
        Points (a singleton's atom sits on its point).
    singles : ndarray, shape (n,)
        Mass of each singleton column.
    atoms : list of (ndarray of int, ndarray of float)
        For each hyperedge group: the hyperedges (rows of ``edges[g]``) with
        mass, and their masses.
    edges : list of ndarray, shapes (m_g, k_g)
    centres : list of ndarray, shapes (m_g, d)
        A common point of each hyperedge's balls.

    Returns
    -------
    Barycenter
        Atoms of mass > :data:`MASS_FLOOR`: singletons first, then each group.
    """
    keep = singles > MASS_FLOOR
    support, mass = [X[keep]], [singles[keep]]
    members = [(int(j),) for j in np.flatnonzero(keep)]
    for (index, m), E, C in zip(atoms, edges, centres):
        keep = m > MASS_FLOOR
        support.append(C[index[keep]])
        mass.append(m[keep])
        members += [tuple(int(i) for i in e) for e in E[index[keep]]]
    return Barycenter(np.concatenate(support), np.concatenate(mass), members)


def _new_highs() -> highspy.Highs:
    """A silent HiGHS instance.

    HiGHS prints a banner on the process's stdout the first time an instance
    is made, at C level (Python's ``redirect_stdout`` does not reach it, and
    Jupyter shows it in the cell): for that first construction file
    descriptor 1 points at the null device.  Options then silence the rest.
    """
    global _BANNER_SHOWN
    if _BANNER_SHOWN:
        h = highspy.Highs()
    else:
        if sys.stdout is not None:
            sys.stdout.flush()
        try:
            saved, null = os.dup(1), os.open(os.devnull, os.O_WRONLY)
        except OSError:  # pragma: no cover - no file descriptor 1 (nothing to protect)
            h = highspy.Highs()
        else:
            try:
                os.dup2(null, 1)
                h = highspy.Highs()
            finally:
                os.dup2(saved, 1)
                os.close(saved)
                os.close(null)
        _BANNER_SHOWN = True
    h.silent()
    return h


_BANNER_SHOWN = False


class BarycenterLP:
    """The barycenter LP over the n singletons and groups of hyperedges.

    Parameters
    ----------
    weights : ndarray, shape (n,)
        Point weights (right-hand side).
    edges : list of ndarray, shapes (m_g, k_g)
        Hyperedges (point indices), in groups (the package groups by size).
    columns : {"all", "generate"}
        ``"all"``: every hyperedge is a model column (for :meth:`solve`,
        with or without a mask); ``"generate"``: the model starts with the
        singletons only and hyperedges enter by :meth:`generate`.

    Attributes
    ----------
    value : float
        B* of the last solve.
    n_solves : int
        HiGHS runs so far.
    n_columns : int
        Hyperedge columns the model ever held.

    Examples
    --------
    The side-1 triangle (one point per class, weights 1/3) at eps = 1/2: the
    three pairs conflict, the triple does not (Garcia Trillos, Jacobs, Kim,
    JMLR 2023, section 5.2).

    >>> w = np.full(3, 1 / 3)
    >>> lp = BarycenterLP(w, [np.array([[0, 1], [0, 2], [1, 2]])])
    >>> round(lp.solve(), 12), lp.q
    (0.5, array([0.5, 0.5, 0.5]))
    >>> round(risk_from_mass(lp.value), 12)
    0.5
    """

    def __init__(self, weights, edges, *, columns="all"):
        if columns not in ("all", "generate"):
            raise ValueError(f"columns must be 'all' or 'generate'; got {columns!r}")
        self.w = np.asarray(weights, dtype=float)
        self.edges = [np.asarray(E) for E in edges]
        self.n = n = len(self.w)
        self.mode = columns
        self.n_solves = 0
        self.n_columns = 0
        self.h = _new_highs()
        for name, value in _OPTIONS[columns].items():
            self.h.setOptionValue(name, value)
        # Model column n + t holds hyperedge col_index[t] of group col_group[t].
        self.in_model = [np.zeros(len(E), dtype=bool) for E in self.edges]
        if columns == "all":
            self.col_group = np.concatenate([np.full(len(E), g) for g, E in enumerate(self.edges)] + [[]]).astype(np.int64)
            self.col_index = np.concatenate([np.arange(len(E)) for E in self.edges] + [[]]).astype(np.int64)
            for inside in self.in_model:
                inside[:] = True
            self.n_columns = len(self.col_index)
        else:
            self.col_group = self.col_index = np.zeros(0, dtype=np.int64)
            self.batch = int(max(64, _BATCH_PER_ROW * n))
        self._pass_model()

    def _pass_model(self):
        """Rows ``A z = w`` with the singleton columns and the initial hyperedge columns."""
        n = self.n
        sizes = np.array([self.edges[g].shape[1] for g in self.col_group], dtype=np.int64)
        rows = [np.arange(n)] + [self.edges[g][self.col_index[self.col_group == g]].ravel()
                                 for g in range(len(self.edges))]
        starts = np.concatenate([np.arange(n), n + np.concatenate([[0], np.cumsum(sizes)[:-1]])]) \
            if len(sizes) else np.arange(n)
        m = n + len(sizes)
        hs = highspy
        lp = hs.HighsLp()
        lp.num_col_, lp.num_row_ = m, n
        lp.col_cost_ = np.ones(m)
        lp.col_lower_ = np.zeros(m)
        lp.col_upper_ = np.full(m, hs.kHighsInf)
        lp.row_lower_ = lp.row_upper_ = self.w
        lp.a_matrix_.format_ = hs.MatrixFormat.kColwise
        lp.a_matrix_.start_ = np.append(starts, n + int(sizes.sum())).astype(np.int32)
        lp.a_matrix_.index_ = np.concatenate(rows).astype(np.int32)
        lp.a_matrix_.value_ = np.ones(n + int(sizes.sum()))
        self.h.passModel(lp)

    # -- the one place that runs HiGHS ----------------------------------------
    def _run(self) -> float:
        run_status = self.h.run()
        self.n_solves += 1
        status = self.h.getModelStatus()
        # A run that errors leaves the previous model status in place: check both.
        if run_status == highspy.HighsStatus.kError or status != highspy.HighsModelStatus.kOptimal:
            raise RuntimeError(f"barycenter LP failed: {run_status}, {self.h.modelStatusToString(status)}")
        # Kept here because HiGHS forgets its solution when the model changes
        # (see _prune); deleting nonbasic columns changes neither q nor B*.
        solution = self.h.getSolution()
        self.row_dual = np.asarray(solution.row_dual)
        self.col_value = np.asarray(solution.col_value)
        self.reduced = np.asarray(solution.col_dual)[self.n:]
        self.value = float(self.h.getInfo().objective_function_value)
        return self.value

    # -- ways to solve ----------------------------------------------------------
    def solve(self, alive=None) -> float:
        """Solve with every model column, or only the ``alive`` ones.

        Parameters
        ----------
        alive : ndarray of bool, shape (n_columns,), optional
            Which hyperedge columns may carry mass (in model order: groups
            one after the other); the others get upper bound 0, so the
            previous basis stays a warm start.

        Returns
        -------
        float
            B*.
        """
        if alive is not None:
            m = len(self.col_index)
            upper = np.where(alive, highspy.kHighsInf, 0.0)
            self.h.changeColsBounds(m, np.arange(self.n, self.n + m, dtype=np.int32), np.zeros(m), upper)
        return self._run()

    def generate(self, alive) -> float:
        """B* over the singletons and the first ``alive[g]`` hyperedges of each group.

        Column generation on the model kept from the previous call: alive
        hyperedges with negative reduced cost enter (the most negative
        first), the model is re-solved from its previous basis, far-out
        columns leave, until no alive hyperedge prices out.  ``alive`` must
        not decrease between calls.  When nothing prices out, the previous
        q is still dual feasible, so B* has not changed and nothing is solved.
        """
        if self.n_solves == 0:
            self._run()
        for rounds in itertools.count():
            q = self.row_dual
            reduced, which, index = [], [], []
            for g, (E, inside) in enumerate(zip(self.edges, self.in_model)):
                m = int(alive[g])
                if m == 0:
                    continue
                # 1 - sum_{j in e} q_j for the alive prefix only, one gather per member
                cost = 1.0 - q[E[:m, 0]]
                for t in range(1, E.shape[1]):
                    cost -= q[E[:m, t]]
                enter = np.flatnonzero((cost < -PRICING_TOL) & ~inside[:m])
                if len(enter):
                    reduced.append(cost[enter])
                    which.append(np.full(len(enter), g))
                    index.append(enter)
            if not reduced:
                return self.value
            reduced, which, index = np.concatenate(reduced), np.concatenate(which), np.concatenate(index)
            if len(reduced) > self.batch:
                pick = np.argpartition(reduced, self.batch)[:self.batch]
                which, index = which[pick], index[pick]
            self._add(which, index)
            self._run()
            if rounds < _MAX_PRUNING_ROUNDS:
                self._prune()

    def _add(self, which, index):
        """Append hyperedge columns (group ``which``, position ``index``) to the model."""
        groups, chosen = [], []
        for g in np.unique(which):
            picked = index[which == g]
            self.in_model[g][picked] = True
            groups.append(np.full(len(picked), g))
            chosen.append(picked)
        groups, chosen = np.concatenate(groups), np.concatenate(chosen)
        sizes = np.array([self.edges[g].shape[1] for g in groups])
        starts = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int32)
        rows = np.concatenate([self.edges[g][chosen[groups == g]].ravel() for g in np.unique(groups)]).astype(np.int32)
        n_new = len(chosen)
        self.h.addCols(n_new, np.ones(n_new), np.zeros(n_new), np.full(n_new, highspy.kHighsInf),
                       len(rows), starts, rows, np.ones(len(rows)))
        self.n_columns += n_new
        self.col_group = np.concatenate([self.col_group, groups])
        self.col_index = np.concatenate([self.col_index, chosen])

    def _prune(self):
        """Drop hyperedge columns that are far from entering the basis again.

        Each simplex iteration costs time in proportion to the model's
        columns; a nonbasic column with a clearly positive reduced cost is
        unlikely to be needed soon, and pricing brings it back if it is.
        Deleting nonbasic columns leaves the basis valid.
        """
        n = self.n
        if len(self.col_index) <= _KEEP_PER_ROW * n:
            return
        drop = self.reduced > _DROP_REDUCED_COST
        if not drop.any():
            return
        where = np.flatnonzero(drop)
        self.h.deleteCols(len(where), (where + n).astype(np.int32))
        for g in np.unique(self.col_group[drop]):
            self.in_model[g][self.col_index[drop & (self.col_group == g)]] = False
        self.col_group, self.col_index = self.col_group[~drop], self.col_index[~drop]
        self.reduced = self.reduced[~drop]
        self.col_value = np.concatenate([self.col_value[:n], self.col_value[n:][~drop]])

    # -- reading the solution -------------------------------------------------------
    @property
    def q(self) -> np.ndarray:
        """Optimal dual of the last solve, clipped into [0, 1] (:func:`clip_dual`), shape (n,)."""
        return clip_dual(self.row_dual)

    def atoms(self):
        """The optimal z of the last solve, compactly.

        Returns
        -------
        singles : ndarray, shape (n,)
            Mass of each singleton.
        atoms : list of (ndarray of int, ndarray of float)
            Per group: the hyperedges with mass > :data:`MASS_FLOOR` and
            their masses (in model order).
        """
        z = self.col_value
        singles = z[:self.n].copy()
        hyper = z[self.n:]
        atoms = []
        for g in range(len(self.edges)):
            keep = (self.col_group == g) & (hyper > MASS_FLOOR)
            atoms.append((self.col_index[keep], hyper[keep]))
        return singles, atoms

    def barycenter(self, X, centres) -> Barycenter:
        """The barycenter of the last solve (centres: per group, shapes (m_g, d))."""
        singles, atoms = self.atoms()
        return barycenter_from_atoms(X, singles, atoms, self.edges, centres)


# -- the whole dual LP at once -------------------------------------------------------
#: OneShotLP solves the whole LP with our interior point method (dense n x n
#: normal equations, n^3/3 flops an iteration) when there are at most this many
#: points and the normal matrix is dense anyway: at least DENSE_IPM_MIN_FILL of
#: its off-diagonal entries are conflicting pairs.  Otherwise HiGHS's interior
#: point method (sparse linear algebra) is faster.  Measured whole solves with
#: crossover: digits (64-D, l2, triples; 10 % fill) at n = 500 / 1000 / 1500:
#: ours 0.10 / 1.3 / 7.2 s, HiGHS's 0.19 / 3.4 / 21 s; three Gaussians in the
#: plane (0.4-0.8 % fill) at n = 900 / 2100 / 3000: ours 0.09 / 1.3 / 3.3 s,
#: HiGHS's 0.01 / 0.06 / 0.20 s.
DENSE_IPM_MAX_POINTS = 4000
DENSE_IPM_MIN_FILL = 0.02
# Interior point stopping rule: relative duality gap and residuals.  Crossover
# then moves to an exact optimal basis; a tighter point only saves it pushes.
_IPM_TOL = 1e-8
_IPM_MAX_ITER = 100
#: OneShotLP's answer must have primal and dual values this close (and both
#: sides feasible to _FEASIBILITY), or the primal LP is solved instead.
CERTIFICATE_GAP = 1e-10
_FEASIBILITY = 1e-9
_SCHEDULER = threading.local()


def _start_highs_scheduler():
    """Start HiGHS's task scheduler in this thread, once.

    ``Highs.crossover`` uses the scheduler but, unlike ``run``, does not
    start it: called first in a thread it crashes the process (highspy
    1.16).  Solving a one-variable LP starts it.
    """
    if getattr(_SCHEDULER, "started", False):
        return
    h = _new_highs()
    h.addCol(1.0, 0.0, 1.0, 0, np.zeros(0, dtype=np.int32), np.zeros(0))
    h.run()
    _SCHEDULER.started = True


def match_rows(table, queries) -> np.ndarray:
    """Position of each query row in ``table`` as a set of points, or -1.

    Parameters
    ----------
    table : ndarray of int, shape (m, k)
        Hyperedges (point indices in any order within a row).
    queries : ndarray of int, shape (r, k)

    Returns
    -------
    ndarray of int, shape (r,)
    """
    table, queries = np.sort(np.asarray(table), axis=1), np.sort(np.asarray(queries), axis=1)
    if len(table) == 0 or len(queries) == 0:
        return np.full(len(queries), -1)
    k = table.shape[1]
    base = int(max(table.max(), queries.max())) + 1
    if base ** k < 2**62:  # one int64 per row: its digits in base `base`
        keys = np.zeros(len(table) + len(queries), dtype=np.int64)
        for column in np.concatenate([table, queries]).T:
            keys = keys * base + column
    else:  # the rows' ranks among all distinct rows
        keys = np.unique(np.concatenate([table, queries]), axis=0, return_inverse=True)[1].ravel()
    table_keys, query_keys = keys[:len(table)], keys[len(table):]
    order = np.argsort(table_keys, kind="stable")
    pos = np.minimum(np.searchsorted(table_keys[order], query_keys), len(table) - 1)
    found = table_keys[order][pos] == query_keys
    return np.where(found, order[pos], -1)


def maximal_hyperedges(edges) -> list:
    """For each group, which hyperedges lie in no hyperedge of the next larger size.

    Parameters
    ----------
    edges : list of ndarray, shapes (m_g, k_g)
        Groups of hyperedges, closed under taking subsets of >= 2 points.

    Returns
    -------
    list of ndarray of bool, shapes (m_g,)

    Examples
    --------
    >>> pairs = np.array([[0, 1], [0, 2], [1, 2], [2, 3]])
    >>> [m.tolist() for m in maximal_hyperedges([pairs, np.array([[0, 1, 2]])])]
    [[False, False, False, True], [True]]
    """
    size = {E.shape[1]: g for g, E in enumerate(edges) if len(E)}
    keep = [np.ones(len(E), dtype=bool) for E in edges]
    for g, E in enumerate(edges):
        if not len(E) or E.shape[1] + 1 not in size:
            continue
        larger = edges[size[E.shape[1] + 1]]
        k = larger.shape[1]
        subsets = np.concatenate([np.delete(larger, i, axis=1) for i in range(k)])
        inside = match_rows(subsets, E) >= 0
        keep[g] = ~inside
    return keep


@one_blas_thread
def interior_point(weights, rows, *, tol=_IPM_TOL, max_iter=_IPM_MAX_ITER):
    r"""Near-optimal primal and dual solutions of the dual LP with ``q >= 0``.

    Mehrotra's predictor-corrector method for

    .. math::  \max_q \; w^\top q \quad\text{s.t.}\quad
               \sum_{j \in e} q_j \le 1 \ (e \in \text{rows}), \qquad
               0 \le q_j \le 1,

    written as :math:`\min c^\top q` with :math:`c = -w / \max w` (scaled so
    that the tolerance is relative), slacks s of the rows (the bounds
    :math:`q_j \le 1` are rows too), row duals z and bound duals v.  Each
    iteration solves the normal equations
    :math:`(G^\top \mathrm{diag}(z/s) G + \mathrm{diag}(v/q))\,\Delta q = r`,
    an n x n positive definite system assembled from the hyperedges and
    factorised densely (LAPACK's Cholesky, one BLAS thread); it stops at a
    relative duality gap and residuals below ``tol``, or when the system
    becomes too ill-conditioned to factorise.  Not exact: a crossover
    (:class:`OneShotLP`) turns the result into an optimal basis.

    Parameters
    ----------
    weights : ndarray, shape (n,)
        Nonnegative point weights w, not all 0.
    rows : list of ndarray, shapes (m_g, k_g)
        Hyperedges (point indices), in groups.
    tol : float
    max_iter : int

    Returns
    -------
    q : ndarray, shape (n,)
    z : list of ndarray, shapes (m_g,)
        Row duals (hyperedge masses), in the units of ``weights``.
    """
    w = np.asarray(weights, dtype=float)
    n = len(w)
    scale = float(w.max())
    c = -w / scale
    rows = [np.asarray(R) for R in rows]
    nonempty = [R for R in rows if len(R)]
    # Rows 0..n-1 are the bounds q_j <= 1 (singletons), then the hyperedges.
    member, member_row, m = incidence(n, nonempty)
    starts = n + np.cumsum([0] + [len(R) for R in nonempty])
    # Entries (a, b), a > b, of N = G' diag(d) G: one per pair of members of a row.
    lower, lower_row = [], []
    for R, a in zip(nonempty, starts):
        for i, j in itertools.combinations(range(R.shape[1]), 2):
            lower.append(np.maximum(R[:, i], R[:, j]) * n + np.minimum(R[:, i], R[:, j]))
            lower_row.append(np.arange(a, a + len(R)))
    lower = np.concatenate(lower + [np.zeros(0, dtype=np.int64)]).astype(np.int64)
    lower_row = np.concatenate(lower_row + [np.zeros(0, dtype=np.int64)]).astype(np.int64)
    diagonal = np.arange(n) * (n + 1)

    def G(x):  # row sums
        return np.bincount(member_row, x[member], minlength=m)

    def GT(y):  # coverage of each point
        return np.bincount(member, y[member_row], minlength=n)

    def longest(u, du):  # largest step keeping u + t du >= 0
        shrinking = du < 0
        return np.min(-u[shrinking] / du[shrinking], initial=np.inf)

    q = np.full(n, 0.5 / max([1] + [R.shape[1] for R in nonempty]))
    s = 1.0 - G(q)
    z, v = np.ones(m), np.ones(n)
    for _ in range(max_iter):
        r_dual = c + GT(z) - v
        r_primal = G(q) + s - 1.0
        mu = (s @ z + q @ v) / (m + n)
        gap = abs(c @ q + z.sum()) / (1.0 + abs(c @ q))
        if gap <= tol and np.abs(r_primal).max() <= tol and np.abs(r_dual).max() <= tol:
            break
        d = z / s
        N = np.bincount(lower, d[lower_row], minlength=n * n)
        N[diagonal] += GT(d) + v / q
        # Row-major lower triangle = column-major upper triangle: factorised in place.
        chol, info = _potrf(N.reshape(n, n).T, lower=0, overwrite_a=1, clean=0)
        if info != 0:  # too ill-conditioned: close enough for the crossover
            break

        r_sz, r_qv = s * z, q * v  # predictor (affine scaling), then Mehrotra's corrector
        for corrector in (False, True):
            rhs = -r_dual - GT(d * r_primal - r_sz / s) - r_qv / q
            dq, _ = _potrs(chol, rhs, lower=0)
            dz = d * (G(dq) + r_primal) - r_sz / s
            ds, dv = (-r_sz - s * dz) / z, (-r_qv - v * dq) / q
            step_p = min(1.0, longest(q, dq), longest(s, ds))
            step_d = min(1.0, longest(z, dz), longest(v, dv))
            if not corrector:
                mu_affine = ((s + step_p * ds) @ (z + step_d * dz) + (q + step_p * dq) @ (v + step_d * dv)) / (m + n)
                sigma = (mu_affine / mu) ** 3
                r_sz, r_qv = s * z + ds * dz - sigma * mu, q * v + dq * dv - sigma * mu
        step_p, step_d = min(1.0, 0.995 * step_p), min(1.0, 0.995 * step_d)
        q += step_p * dq
        s += step_p * ds
        z += step_d * dz
        v += step_d * dv
    z = iter(np.split(z[n:] * scale, starts[1:-1] - n))
    return q, [next(z) if len(R) else np.zeros(0) for R in rows]


class OneShotLP:
    """One B* by the dual LP, its rows (hyperedges) generated from the pairs.

    The same LP pair as :class:`BarycenterLP`, solved transposed: n columns
    q_j (``q_j <= 1`` for the singletons) and one row
    ``sum_{j in e} q_j <= 1`` per hyperedge in the model; HiGHS minimises
    ``-w'q``, so its row duals are minus the hyperedge masses z_e, and at
    ``q_j = 1`` minus the reduced cost of q_j is the singleton's mass.  With few columns and many rows HiGHS's dual simplex
    (after presolve) is several times faster on this form than on the
    primal.  Rows are generated:

    1. the model starts with the first group of hyperedges (the pairs) only,
       q free below (the dual of the equalities ``A z = w``);
    2. a larger hyperedge enters only when the current q violates it
       (``q(e) > 1``: negative reduced cost in the primal); the model is
       re-solved from its basis until nothing is violated.  Then q is
       feasible for every hyperedge and z for the whole primal, with equal
       values: the optimum, certified by both feasibilities;
    3. when more than n hyperedges are violated at once (the pairs say
       little, as on 64-pixel digits with triples), the whole LP is solved
       at once (:meth:`_solve_whole`): an interior point method, then a
       crossover to an optimal basis, which certifies the optimum as in 2.

    On Gaussian data the pairs alone usually certify the optimum, so the
    hundreds of thousands of triples are only priced, never solved.

    Parameters
    ----------
    weights : ndarray, shape (n,)
    edges : list of ndarray, shapes (m_g, k_g)
        Groups of hyperedges, one group per size, the pairs first (as the
        hypergraph lists them), closed under taking subsets of at least two
        points.

    Attributes
    ----------
    value : float
        B* after :meth:`solve`.
    n_solves : int
        HiGHS runs.
    n_rows : int
        Hyperedge rows in the final model.
    route : str
        ``"rows"`` (row generation certified the optimum), ``"ipm"`` (our
        interior point and HiGHS's crossover, dense conflicts) or
        ``"highs-ipm"`` (HiGHS's interior point and crossover, sparse ones).
    """

    def __init__(self, weights, edges):
        self.w = np.asarray(weights, dtype=float)
        self.edges = [np.asarray(E) for E in edges]
        self.n = len(self.w)
        self.n_solves = 0
        self.route = "rows"

    def _model(self, groups, index, options, lower=-np.inf):
        """A HiGHS instance holding rows ``edges[groups[t]][index[t]]``, ``lower <= q <= 1``."""
        n = self.n
        h = _new_highs()
        for name, value in options.items():
            h.setOptionValue(name, value)
        rows = [self.edges[g][index[groups == g]] for g in range(len(self.edges))]
        sizes = np.concatenate([np.full(len(R), R.shape[1]) for R in rows] + [np.zeros(0, dtype=np.int64)])
        lp = highspy.HighsLp()
        lp.num_col_, lp.num_row_ = n, len(sizes)
        lp.col_cost_ = -self.w
        lp.col_lower_ = np.full(n, -highspy.kHighsInf if lower == -np.inf else lower)
        lp.col_upper_ = np.ones(n)  # the singletons' rows
        lp.row_lower_ = np.full(len(sizes), -highspy.kHighsInf)
        lp.row_upper_ = np.ones(len(sizes))
        lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
        lp.a_matrix_.start_ = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int32)
        lp.a_matrix_.index_ = np.concatenate([R.ravel() for R in rows] + [np.zeros(0, dtype=np.int64)]).astype(np.int32)
        lp.a_matrix_.value_ = np.ones(int(sizes.sum()))
        h.passModel(lp)
        self.row_group, self.row_index = groups, index
        return h

    def _check(self, h, run_status):
        status = h.getModelStatus()
        if run_status == highspy.HighsStatus.kError or status != highspy.HighsModelStatus.kOptimal:
            raise RuntimeError(f"barycenter LP failed: {run_status}, {h.modelStatusToString(status)}")

    def _read(self, h):
        """q, the hyperedge masses (per group) and the singleton masses of h's optimal basis."""
        solution = h.getSolution()
        self.q_raw = np.asarray(solution.col_value)
        row_mass = -np.asarray(solution.row_dual)  # z_e >= 0 for rows sum q <= 1
        # The reduced cost of q_j is (mass covering j) - w_j: negative at q_j = 1 (the
        # singleton's mass), positive only at q_j = 0 when j is covered more than w_j
        # (possible with the bound q >= 0 of _solve_whole; removed by _exact_cover).
        reduced = np.asarray(solution.col_dual)
        self.single_mass = np.maximum(-reduced, 0.0)
        self.over = np.maximum(reduced, 0.0)
        self.mass = [np.zeros(len(E)) for E in self.edges]
        for g in range(len(self.edges)):
            mine = self.row_group == g
            self.mass[g][self.row_index[mine]] = row_mass[mine]
        self.value = -float(h.getInfo().objective_function_value)
        return self.value

    def _run(self, h):
        run_status = h.run()
        self.n_solves += 1
        self._check(h, run_status)
        return self._read(h)

    def solve(self) -> float:
        """B* over the singletons and every hyperedge (see the class docstring).

        The answer is checked before it is returned: z must cover every
        weight exactly with masses >= 0, q must satisfy every hyperedge's
        row, and the two values must agree to :data:`CERTIFICATE_GAP`.  A
        solution that fails (HiGHS's tolerances are absolute, so weights
        spanning many orders of magnitude can end "optimal" a few 1e-9 off)
        is replaced by the primal LP's (:class:`BarycenterLP`, dual simplex
        on every column).
        """
        self._solve_transposed()
        if not self.certified():
            self._solve_primal()
        return self.value

    def certified(self) -> bool:
        """Whether (z, q) of the last solve are feasible with equal values (see :meth:`solve`)."""
        q = self.q
        cover = self.single_mass.copy()
        primal = float(self.single_mass.sum())
        worst_row = 0.0
        for E, mass in zip(self.edges, self.mass):
            if not len(E):
                continue
            worst_row = max(worst_row, float(q[E].sum(axis=1).max()) - 1.0)
            cover += np.bincount(E.ravel(), np.repeat(mass, E.shape[1]), minlength=self.n)
            primal += float(mass.sum())
        lowest = min([0.0] + [float(m.min()) for m in self.mass if len(m)])
        return bool(worst_row <= _FEASIBILITY and np.abs(cover - self.w).max(initial=0.0) <= _FEASIBILITY
                    and lowest >= -_FEASIBILITY and abs(primal - float(self.w @ q)) <= CERTIFICATE_GAP)

    def _solve_primal(self):
        """The fallback of :meth:`solve`: the exact-cover primal with every column, by dual simplex."""
        self.route += "+primal"
        lp = BarycenterLP(self.w, self.edges)
        self.value = lp.solve()
        self.n_solves += lp.n_solves
        self.q_raw = lp.row_dual
        self.single_mass, atoms = lp.atoms()
        self.single_mass = np.maximum(self.single_mass, 0.0)
        self.mass = [np.zeros(len(E)) for E in self.edges]
        for mass, (index, m) in zip(self.mass, atoms):
            mass[index] = m

    def _solve_transposed(self):
        first = len(self.edges[0]) if self.edges else 0
        groups, index = np.zeros(first, dtype=np.int64), np.arange(first, dtype=np.int64)
        h = self._model(groups, index, _OPTIONS["all"])
        self._run(h)
        inside = [np.zeros(len(E), dtype=bool) for E in self.edges]
        if self.edges:
            inside[0][:] = True
        while True:
            q = self.q_raw
            found = [(g, np.flatnonzero((q[E].sum(axis=1) > 1 + PRICING_TOL) & ~inside[g]))
                     for g, E in enumerate(self.edges)]
            found = [(g, index) for g, index in found if len(index)]
            if not found:
                return
            if sum(len(index) for _, index in found) > self.n:
                self._solve_whole()
                return
            for g, index in found:
                inside[g][index] = True
                E = self.edges[g][index]
                m, k = E.shape
                h.addRows(m, np.full(m, -highspy.kHighsInf), np.ones(m), E.size,
                          np.arange(0, E.size, k, dtype=np.int32), E.ravel().astype(np.int32), np.ones(E.size))
                self.row_group = np.concatenate([self.row_group, np.full(m, g)])
                self.row_index = np.concatenate([self.row_index, index])
            self._run(h)

    def _solve_whole(self) -> float:
        """The whole LP at once, on the maximal hyperedges, with ``0 <= q <= 1``.

        With q >= 0 a hyperedge's row implies the rows of its subsets, so
        only hyperedges contained in no larger one are rows (24 % fewer on
        digits 10 x 50, l2, eps = 1.3, L = 3).  The bound q >= 0 turns the
        primal's equalities into ``sum_{e ni j} z_e + z_{j} >= w_j``, so a
        point may be covered more than its weight; :meth:`_exact_cover`
        then removes the excess.  When the conflicts are dense (see
        :data:`DENSE_IPM_MAX_POINTS`) our interior point method
        (:func:`interior_point`) finds a near-optimal pair (q, z) and HiGHS's
        crossover turns it into an optimal basis; otherwise HiGHS's interior
        point method and crossover solve the model.
        """
        keep = maximal_hyperedges(self.edges)
        groups = np.concatenate([np.full(int(k.sum()), g) for g, k in enumerate(keep)] + [np.zeros(0, dtype=np.int64)])
        index = np.concatenate([np.flatnonzero(k) for k in keep] + [np.zeros(0, dtype=np.int64)])
        pairs = sum(len(E) for E in self.edges if E.shape[1] == 2)
        if self.n <= DENSE_IPM_MAX_POINTS and 2 * pairs >= DENSE_IPM_MIN_FILL * self.n ** 2:
            self.route = "ipm"
            h = self._model(groups, index, _OPTIONS["all"], lower=0.0)
            rows = [self.edges[g][index[groups == g]] for g in range(len(self.edges))]
            q, z = interior_point(self.w, rows)
            if np.isfinite(q).all() and all(np.isfinite(zr).all() for zr in z):
                self._crossover(h, q, z, rows)
            else:  # pragma: no cover - the interior point failed: the simplex method instead
                self._run(h)
        else:
            self.route = "highs-ipm"
            h = self._model(groups, index, _OPTIONS["ipm"], lower=0.0)
            self._run_then_simplex(h)
        self._exact_cover()
        return self.value

    def _crossover(self, h, q, z, rows):
        """From an interior solution (q, z) of h's LP to an optimal basis of it.

        If crossover ends short of optimal, the simplex method continues
        from its basis.
        """
        _start_highs_scheduler()
        members, row_of, n_rows = incidence(0, [R for R in rows if len(R)])  # no singleton rows here
        z_rows = np.concatenate(z + [np.zeros(0)])
        solution = highspy.HighsSolution()
        solution.col_value = q
        solution.row_value = np.bincount(row_of, q[members], minlength=n_rows)
        solution.row_dual = -z_rows
        solution.col_dual = np.bincount(members, z_rows[row_of], minlength=self.n) - self.w
        solution.value_valid = solution.dual_valid = True
        status = h.crossover(solution)
        self.n_solves += 1
        if status == highspy.HighsStatus.kError or h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            self._run_then_simplex(h)
        else:
            self._read(h)

    def _run_then_simplex(self, h):
        """Run h; if it ends short of optimal (e.g. interior point and crossover leave small
        infeasibilities), continue by the simplex method from the basis it reached."""
        run_status = h.run()
        self.n_solves += 1
        if run_status != highspy.HighsStatus.kError and h.getModelStatus() == highspy.HighsModelStatus.kOptimal:
            return self._read(h)
        h.setOptionValue("solver", "simplex")
        return self._run(h)

    def _exact_cover(self):
        """Move over-covering mass to subsets, so that z covers every point exactly.

        A point j covered more than w_j has q_j = 0 (complementary
        slackness), hence no singleton mass (that needs q_j = 1), so its
        excess sits on hyperedges and can be moved off.  Moving mass t from a hyperedge e containing j to
        ``e - {j}`` (a smaller hyperedge, or a singleton) lowers j's
        coverage by t and changes nobody else's, nor the total mass: the
        result is an optimal z of the exact-cover primal, with the same B*.
        """
        over = {int(j): float(t) for j, t in zip(np.flatnonzero(self.over > MASS_FLOOR),
                                                self.over[self.over > MASS_FLOOR])}
        if not over:
            return
        # The atoms with mass, as sorted tuples; only these can move.
        atoms = {}
        for g, E in enumerate(self.edges):
            for i in np.flatnonzero(self.mass[g] > MASS_FLOOR):
                atoms[tuple(sorted(int(j) for j in E[i]))] = float(self.mass[g][i])
        holding = {}
        for e in atoms:
            for j in e:
                holding.setdefault(j, []).append(e)
        singles = self.single_mass.copy()
        for j, excess in over.items():
            for e in sorted(holding.get(j, []), key=len, reverse=True):
                if excess <= MASS_FLOOR:
                    break
                t = min(atoms[e], excess)
                if t <= 0.0:
                    continue
                atoms[e] -= t
                excess -= t
                rest = tuple(i for i in e if i != j)
                if len(rest) == 1:
                    singles[rest[0]] += t
                else:
                    if rest not in atoms:
                        atoms[rest] = 0.0
                        for i in rest:
                            holding.setdefault(i, []).append(rest)
                    atoms[rest] += t
        self.single_mass = singles
        self.over = np.zeros(self.n)
        self.mass = [np.zeros(len(E)) for E in self.edges]
        size_to_group = {E.shape[1]: g for g, E in enumerate(self.edges)}
        by_size = {}
        for e, m in atoms.items():
            by_size.setdefault(len(e), []).append((e, m))
        for k, items in by_size.items():
            g = size_to_group[k]
            where = match_rows(self.edges[g], np.array([e for e, _ in items]))
            if np.any(where < 0):
                raise RuntimeError("a subset of a hyperedge is missing from the hypergraph")
            np.add.at(self.mass[g], where, [m for _, m in items])

    @property
    def n_rows(self) -> int:
        return len(self.row_index)

    @property
    def q(self) -> np.ndarray:
        """Optimal dual, clipped into [0, 1] (:func:`clip_dual`), shape (n,)."""
        return clip_dual(self.q_raw)

    def atoms(self):
        """Singleton masses (n,) and, per group, the hyperedges with mass and their masses."""
        atoms = []
        for mass in self.mass:
            keep = np.flatnonzero(mass > MASS_FLOOR)
            atoms.append((keep, mass[keep]))
        return self.single_mass.copy(), atoms

    def barycenter(self, X, centres) -> Barycenter:
        """The barycenter of the last solve (centres: per group, shapes (m_g, d))."""
        singles, atoms = self.atoms()
        return barycenter_from_atoms(X, singles, atoms, self.edges, centres)
