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
hyperedge), rows generated from the pairs, with an interior-point fallback.

Solver choices (simplex variant, presolve, tolerances) live in
``_OPTIONS`` and every solve goes through :meth:`BarycenterLP._run`.
"""
from __future__ import annotations

import itertools
import os
import sys
from dataclasses import dataclass

import highspy
import numpy as np

__all__ = ["Barycenter", "BarycenterLP", "OneShotLP", "MASS_FLOOR", "clip_dual", "risk_from_mass", "barycenter_from_atoms"]

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
    # OneShotLP's fallback when the pairs say little: interior point, then
    # crossover to an optimal basis (4x faster than simplex on the digits, L = 3).
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


class OneShotLP:
    """One B* by the dual LP, its rows (hyperedges) generated from the pairs.

    The same LP pair as :class:`BarycenterLP`, solved transposed: n columns
    q_j (free below, ``q_j <= 1`` for the singletons) and one row
    ``sum_{j in e} q_j <= 1`` per hyperedge in the model; HiGHS's row duals
    are the hyperedge masses z_e and the reduced costs of the q_j the
    singleton masses.  With few columns and many rows HiGHS's dual simplex
    (after presolve) is several times faster on this form than on the
    primal.  Rows are generated:

    1. the model starts with the first group of hyperedges (the pairs) only;
    2. a larger hyperedge enters only when the current q violates it
       (``q(e) > 1``: negative reduced cost in the primal); the model is
       re-solved from its basis until nothing is violated.  Then q is
       feasible for every hyperedge and z for the whole primal, with equal
       values: the optimum, certified by both feasibilities;
    3. when more than n hyperedges are violated at once (the pairs say
       little, as on 64-pixel digits with triples), the whole model is solved
       instead by HiGHS's interior point method with crossover, which ends
       in an optimal basis too.

    On Gaussian data the pairs alone usually certify the optimum, so the
    hundreds of thousands of triples are only priced, never solved.

    Parameters
    ----------
    weights : ndarray, shape (n,)
    edges : list of ndarray, shapes (m_g, k_g)
        Groups of hyperedges, the pairs first (as the hypergraph lists them).

    Attributes
    ----------
    value : float
        B* after :meth:`solve`.
    n_solves : int
        HiGHS runs.
    n_rows : int
        Hyperedge rows in the final model.
    route : str
        ``"rows"`` (row generation certified the optimum) or ``"ipm"``.
    """

    def __init__(self, weights, edges):
        self.w = np.asarray(weights, dtype=float)
        self.edges = [np.asarray(E) for E in edges]
        self.n = len(self.w)
        self.n_solves = 0
        self.route = "rows"

    def _model(self, groups, index, options):
        """A HiGHS instance holding rows ``edges[groups[t]][index[t]]``."""
        n = self.n
        h = _new_highs()
        for name, value in options.items():
            h.setOptionValue(name, value)
        rows = [self.edges[g][index[groups == g]] for g in range(len(self.edges))]
        sizes = np.concatenate([np.full(len(R), R.shape[1]) for R in rows] + [np.zeros(0, dtype=np.int64)])
        lp = highspy.HighsLp()
        lp.num_col_, lp.num_row_ = n, len(sizes)
        lp.col_cost_ = -self.w
        lp.col_lower_ = np.full(n, -highspy.kHighsInf)  # free: the dual of the equalities A z = w
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

    def _run(self, h):
        run_status = h.run()
        self.n_solves += 1
        status = h.getModelStatus()
        if run_status == highspy.HighsStatus.kError or status != highspy.HighsModelStatus.kOptimal:
            raise RuntimeError(f"barycenter LP failed: {run_status}, {h.modelStatusToString(status)}")
        solution = h.getSolution()
        self.q_raw = np.asarray(solution.col_value)
        self.row_mass = -np.asarray(solution.row_dual)  # z_e >= 0 for rows sum q <= 1
        self.single_mass = -np.asarray(solution.col_dual)  # slack of q_j <= 1: the singleton's mass
        self.value = -float(h.getInfo().objective_function_value)
        return self.value

    def solve(self) -> float:
        """B* over the singletons and every hyperedge (see the class docstring)."""
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
                return self.value
            if sum(len(index) for _, index in found) > self.n:
                self.route = "ipm"
                groups = np.concatenate([np.full(len(E), g) for g, E in enumerate(self.edges)])
                index = np.concatenate([np.arange(len(E)) for E in self.edges])
                return self._run(self._model(groups, index, _OPTIONS["ipm"]))
            for g, index in found:
                inside[g][index] = True
                E = self.edges[g][index]
                m, k = E.shape
                h.addRows(m, np.full(m, -highspy.kHighsInf), np.ones(m), E.size,
                          np.arange(0, E.size, k, dtype=np.int32), E.ravel().astype(np.int32), np.ones(E.size))
                self.row_group = np.concatenate([self.row_group, np.full(m, g)])
                self.row_index = np.concatenate([self.row_index, index])
            self._run(h)

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
        for g in range(len(self.edges)):
            keep = (self.row_group == g) & (self.row_mass > MASS_FLOOR)
            atoms.append((self.row_index[keep], self.row_mass[keep]))
        return self.single_mass.copy(), atoms

    def barycenter(self, X, centres) -> Barycenter:
        """The barycenter of the last solve (centres: per group, shapes (m_g, d))."""
        singles, atoms = self.atoms()
        return barycenter_from_atoms(X, singles, atoms, self.edges, centres)
