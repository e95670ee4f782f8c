r"""Exact optimal adversarial risk, generalized barycenter and robust classifier.

For data :math:`(x_j, y_j, w_j)` and closed eps-balls of a norm, the optimal
adversarial 0-1 risk over all (probabilistic) classifiers is

.. math::  R^*(\varepsilon) = 1 - B^*(\varepsilon),

where :math:`B^*` is the mass of the generalized barycenter (Garcia Trillos,
Jacobs, Kim, JMLR 2023).  On the conflict hypergraph (singletons included) it
is a pair of linear programs:

* primal, the barycenter: :math:`B^* = \min \sum_e z_e` subject to
  :math:`\sum_{e \ni j} z_e = w_j`, :math:`z \ge 0`; an atom of mass
  :math:`z_e` sits at a point common to the balls of e;
* dual, the classifier: :math:`B^* = \max \sum_j w_j q_j` subject to
  :math:`\sum_{j \in e} q_j \le 1`, :math:`0 \le q \le 1`.

:math:`q_j` is the worst-case probability that point j is classified
correctly by the optimal robust classifier

.. math::  f_y(z) = \max\{q_j : y_j = y,\ \|z - x_j\| \le \varepsilon\}.

Keeping only hyperedges of at most L points gives :math:`R^*_L \le R^*`.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ._validation import check_data, check_eps, check_max_hyperedges, check_max_order, parse_norm
from .binary import double_cover_solution, matching_solution
from .classifier import robust_classifier_scores
from .geometry import pairwise_distances, within
from .hypergraph import Hypergraph, conflict_hypergraph
from .lp import MASS_FLOOR, Barycenter, OneShotLP, barycenter_from_atoms, risk_from_mass
from .paths import risk_path

__all__ = [
    "Barycenter",
    "AdversarialRiskResult",
    "optimal_adversarial_risk",
    "adversarial_risk_curve",
    "risk_breakpoints",
]


@dataclass(frozen=True)
class AdversarialRiskResult:
    """Solution of the adversarial training problem at one eps.

    Attributes
    ----------
    risk : float
        R*(eps) (or the truncated lower bound R*_L when ``max_order`` < K).
    q : ndarray, shape (n,)
        Optimal dual: worst-case probability of classifying point j correctly.
    barycenter : Barycenter
        The optimal generalized barycenter (primal solution).
    classes : ndarray, shape (K,)
        Label values, in the column order of :meth:`predict_proba`.
    hyperedges : list of tuple of int
        Conflict hyperedges (size >= 2) used by the LP (built on access).
    hypergraph : Hypergraph
        The same hyperedges as arrays, with birth radii and common points.
    eps, norm, max_order : the problem's parameters.
    weights : ndarray, shape (n,)
        Normalised point weights.
    """

    risk: float
    q: np.ndarray
    barycenter: Barycenter
    classes: np.ndarray
    hypergraph: Hypergraph = field(repr=False)
    eps: float
    norm: float
    max_order: int | None
    weights: np.ndarray
    X: np.ndarray = field(repr=False)
    codes: np.ndarray = field(repr=False)

    @property
    def hyperedges(self) -> list:
        return self.hypergraph.as_tuples()  # built with max_order already applied

    @property
    def dual_value(self) -> float:
        """sum_j w_j q_j: equals 1 - risk (strong duality)."""
        return float(self.weights @ self.q)

    @property
    def is_exact(self) -> bool:
        """False when truncation (max_order < K) makes ``risk`` a lower bound."""
        return self.max_order is None or self.max_order >= len(self.classes)

    def predict_proba(self, Z) -> np.ndarray:
        """The optimal robust classifier read off the dual.

        ``f_y(z) = max{q_j : y_j = y, ||z - x_j|| <= eps}`` (0 if no ball of
        class y contains z).  The hyperedge constraints give
        ``sum_y f_y(z) <= 1``; the rows are scaled up in proportion to sum to
        1, which keeps the probability of class y_j >= q_j everywhere in the
        ball around x_j (so the classifier stays optimal) and answers a class
        for sure where only its balls reach.  Where no ball reaches, every
        answer is optimal and the row is uniform.

        With truncation (``is_exact`` False) the certificate is lost: the
        scores may sum to more than 1 before normalisation.

        Parameters
        ----------
        Z : array_like, shape (m, d)

        Returns
        -------
        ndarray, shape (m, K)
        """
        scores = self.scores(Z)
        total = scores.sum(axis=1, keepdims=True)
        K = len(self.classes)
        return np.where(total > 0, scores / np.where(total > 0, total, 1.0), 1.0 / K)

    def scores(self, Z) -> np.ndarray:
        """Unnormalised ``f_y(z) = max{q_j : y_j = y, ||z - x_j|| <= eps}``.

        Parameters
        ----------
        Z : array_like, shape (m, d)

        Returns
        -------
        ndarray, shape (m, K)
            Zero rows where no ball reaches.
        """
        Z = np.asarray(Z, dtype=float)
        if Z.ndim != 2 or Z.shape[1] != self.X.shape[1]:
            raise ValueError(f"Z must have shape (m, {self.X.shape[1]}); got {Z.shape}")
        K = len(self.classes)
        scores = np.zeros((len(Z), K))
        chunk = max(1, 2**22 // max(len(self.X), 1))
        for start in range(0, len(Z), chunk):
            inside = within(pairwise_distances(Z[start:start + chunk], self.X, self.norm), self.eps)
            scores[start:start + chunk] = robust_classifier_scores(inside, self.codes, self.q, K)
        return scores

    def predict(self, Z) -> np.ndarray:
        """Most likely class label at each row of Z (ties: first class)."""
        return self.classes[np.argmax(self.predict_proba(Z), axis=1)]


def optimal_adversarial_risk(X, y, eps, *, norm=2, weights=None, max_order=None, method="auto",
                             max_hyperedges=None) -> AdversarialRiskResult:
    """Exact optimal adversarial 0-1 risk R*(eps) and its certificates.

    Parameters
    ----------
    X : array_like, shape (n, d)
        Points.
    y : array_like, shape (n,)
        Labels (ints or strings), any number of classes.
    eps : float
        Attack budget: the adversary moves each point within its closed eps-ball.
    norm : {2, 1, np.inf, "l2", "l1", "linf"}
        Norm of the balls.
    weights : array_like, shape (n,), optional
        Nonnegative point weights, normalised to sum 1 (default uniform).
    max_order : int, optional
        Keep hyperedges of at most this many points: gives the lower bound
        R*_L (Garcia Trillos, Jacobs, Kim, Werenski 2024).  Default: exact.
    method : {"auto", "lp", "matching"}
        ``"lp"`` solves the hypergraph LP (HiGHS); ``"matching"`` (uniform
        weights, and conflicts in pairs only: two classes, ``max_order=2``,
        or no three points in conflict) finds a maximum bipartite matching -- of the
        conflict graph for two classes, of its double cover otherwise
        (:func:`~advot_teach.binary.double_cover_solution`) -- and reads the
        dual off a Kőnig vertex cover, much faster for thousands of points;
        ``"auto"`` picks matching when it applies.
    max_hyperedges : int, optional
        Refuse to build a conflict hypergraph with more hyperedges (raises
        :class:`~advot_teach.hypergraph.HypergraphTooLarge`, a MemoryError);
        default :data:`advot_teach.hypergraph.DEFAULT_MAX_HYPEREDGES`.

    Returns
    -------
    AdversarialRiskResult
        With ``.risk``, ``.q``, ``.barycenter``, ``.predict_proba``, ``.classes``.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[0.0, 0.0], [1.0, 0.0], [0.5, np.sqrt(3) / 2]])
    >>> round(optimal_adversarial_risk(X, [0, 1, 2], 0.5).risk, 4)
    0.5
    """
    X, codes, classes, w = check_data(X, y, weights)
    eps = check_eps(eps)
    norm = parse_norm(norm)
    max_order = check_max_order(max_order)
    max_hyperedges = check_max_hyperedges(max_hyperedges)
    if method not in ("auto", "lp", "matching"):
        raise ValueError(f"method must be 'auto', 'lp' or 'matching'; got {method!r}")
    uniform = bool(np.all(w == w[0]))
    if method == "matching" and not uniform:
        raise ValueError("method='matching' needs uniform weights")
    hg = conflict_hypergraph(X, codes, eps, norm, max_order, max_hyperedges=max_hyperedges)
    pairs_only = all(k == 2 for k in hg.orders if max_order is None or k <= max_order)
    if method == "matching" and not pairs_only:
        raise ValueError("method='matching' needs conflicts in pairs only (two classes, or max_order=2); "
                         f"these data have conflicting sets of up to {max(hg.orders)} points")
    if method == "matching" or (method == "auto" and uniform and pairs_only):
        return _solve_by_matching(X, codes, classes, w, eps, norm, max_order, hg)
    return _solve(X, codes, classes, w, eps, norm, max_order, hg)


def _solve_by_matching(X, codes, classes, w, eps, norm, max_order, hg):
    pairs = hg.edges.get(2, np.zeros((0, 2), dtype=int))
    if len(classes) == 2:  # the conflict graph is bipartite: an integral matching
        matched, q = matching_solution(codes, pairs)
        x = matched.astype(float)
    else:  # a half-integral fractional matching, from the double cover
        x, q = double_cover_solution(len(w), pairs)
    mass = w[0] * x  # pair masses z_e = x_e / n
    singles = w - np.bincount(pairs.ravel(), np.repeat(mass, 2), minlength=len(w))
    singles[singles < MASS_FLOOR] = 0.0  # covered points: exactly 0, not round-off
    used = np.flatnonzero(mass > 0)
    centres = [hg.centre.get(2, np.zeros((0, X.shape[1])))]
    bary = barycenter_from_atoms(X, singles, [(used, mass[used])], [pairs], centres)
    b_star = float(singles.sum() + mass.sum())
    return _result(X, codes, classes, w, eps, norm, max_order, hg, b_star, q, bary)


def _solve(X, codes, classes, w, eps, norm, max_order, hg):
    orders = [k for k in hg.orders if max_order is None or k <= max_order]
    lp = OneShotLP(w, [hg.edges[k] for k in orders])
    b_star = lp.solve()
    bary = lp.barycenter(X, [hg.centre[k] for k in orders])
    return _result(X, codes, classes, w, eps, norm, max_order, hg, b_star, lp.q, bary)


def _result(X, codes, classes, w, eps, norm, max_order, hg, b_star, q, bary):
    return AdversarialRiskResult(
        risk=risk_from_mass(b_star), q=q, barycenter=bary, classes=classes,
        hypergraph=hg, eps=eps, norm=norm, max_order=max_order, weights=w, X=X, codes=codes,
    )


def adversarial_risk_curve(X, y, eps_values, *, norm=2, weights=None, max_order=None) -> np.ndarray:
    """R*(eps) for every value in ``eps_values`` (any order), exactly.

    Computes the whole path at once (:func:`advot_teach.paths.risk_path`):
    the hypergraph is built once with each hyperedge's birth radius, each eps
    is solved on the hyperedges born by then with a warm-started LP (two
    classes with equal weights: an augmented maximum matching), and eps
    values whose value is already certified need no solve.  The numbers equal
    :func:`optimal_adversarial_risk` at each eps.

    Parameters
    ----------
    X, y, norm, weights, max_order
        As in :func:`optimal_adversarial_risk`.
    eps_values : array_like, shape (m,)
        Budgets, each >= 0.

    Returns
    -------
    ndarray, shape (m,)
    """
    return risk_path(X, y, eps_values, norm=norm, weights=weights, max_order=max_order)


def risk_breakpoints(X, y, *, norm=2, max_order=None, eps_max=None, weights=None) -> np.ndarray:
    """Sorted eps values where R*(eps) can jump.

    R* is a right-continuous step function of eps; it changes only where a
    new hyperedge is born, i.e. at the birth radius of a multi-class set.

    Parameters
    ----------
    eps_max : float, optional
        Only breakpoints <= eps_max (default: all, which for many classes and
        points can be a very large set; pass eps_max or max_order then).
    weights : ignored for the positions; accepted for a uniform signature.

    Returns
    -------
    ndarray, shape (b,)
    """
    X, codes, classes, _ = check_data(X, y, weights)
    norm = parse_norm(norm)
    max_order = check_max_order(max_order)
    eps_max = np.inf if eps_max is None else check_eps(eps_max, "eps_max")
    hg = conflict_hypergraph(X, codes, eps_max, norm, max_order)
    return hg.breakpoints()
