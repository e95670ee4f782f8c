"""Exercises of notebook 07: lower bounds at scale.

The checkers test what the mathematics requires (a ceiling formula, exact
marginals after a class update, feasibility of a rounded plan, the sweeps of
the Sinkhorn loop), not one particular piece of code.
"""
from __future__ import annotations

import numpy as np
from scipy.special import logsumexp

from . import register
from .. import datasets
from ..hypergraph import conflict_hypergraph


def _need_function(answer, name):
    if not callable(answer):
        return f"answer with the function itself, e.g. `answer = {name}` (no parentheses)."
    return None


def _instance(n_per_class, seed, eps, max_order=3):
    """Seeded three-class problem: points, labels, weights, hyperedges (singletons first)."""
    X, y = datasets.three_blobs(n_per_class, seed=seed)
    rng = np.random.default_rng(seed)
    w = rng.uniform(0.5, 1.5, len(X))
    w /= w.sum()
    hg = conflict_hypergraph(X, y, eps, 2, max_order)
    hyperedges = [(j,) for j in range(len(X))] + hg.as_tuples()
    return y, w, hyperedges


def _incidence(hyperedges, n):
    points = np.concatenate([np.asarray(e, dtype=int) for e in hyperedges])
    edges = np.repeat(np.arange(len(hyperedges)), [len(e) for e in hyperedges])
    return points, edges


# --------------------------------------------------------------------- 07.1
@register("07.1", "How high can a truncated bound go?")
def check_ceiling(answer):
    problem = _need_function(answer, "ceiling")
    if problem:
        return problem
    values = {L: float(answer(L)) for L in range(1, 13)}
    if all(abs(values[L] - 1 / L) < 1e-12 for L in values):
        return "1/L is the smallest possible barycenter mass B*_L; the risk is R*_L = 1 - B*_L."
    if abs(values[1]) > 1e-12:
        return "with L = 1 only singletons are left: nothing can be merged, so R*_1 = 0."
    for L, value in values.items():
        if abs(value - (1 - 1 / L)) > 1e-12:
            return (f"ceiling({L}) = {value:.4g} is not right. A hyperedge of at most L points covers at most L "
                    "units of weight per unit of mass, so B = sum_e z_e >= 1/L; which data set attains it?")
    return None


# --------------------------------------------------------------------- 07.2
def _log_coverage(g, hyperedges, n, reg):
    points, edges = _incidence(hyperedges, n)
    sums = np.bincount(edges, weights=g[points], minlength=len(hyperedges))
    out = np.full(n, -np.inf)
    for j in range(n):
        out[j] = logsumexp((sums[edges[points == j]] - 1.0) / reg)
    return out


@register("07.2", "One Sinkhorn update of a whole class")
def check_class_update(answer):
    problem = _need_function(answer, "class_update")
    if problem:
        return problem
    codes, w, hyperedges = _instance(4, seed=5, eps=0.8)
    n = len(codes)
    rng = np.random.default_rng(7)
    for reg, high in [(0.1, 0.6), (0.02, 0.5), (1e-3, 0.3)]:
        g = rng.uniform(0.0, high, n)
        for c in range(3):
            with np.errstate(all="ignore"):
                new = np.asarray(answer(g.copy(), list(hyperedges), codes.copy(), w.copy(), c, reg), dtype=float)
            if new.shape != (n,):
                return f"class_update must return all n = {n} potentials, shape ({n},); got shape {new.shape}."
            if not np.all(np.isfinite(new)):
                return (f"at reg = {reg} some potentials are nan or inf: exp((g(e) - 1) / reg) underflows to 0. "
                        "Work in the log domain, g_j = reg * (log w_j - logsumexp(...)), with "
                        "scipy.special.logsumexp.")
            other = codes != c
            if not np.allclose(new[other], g[other], rtol=0, atol=1e-14):
                return "only the potentials of class c change in a class update; the others stay as they are."
            gap = np.abs(_log_coverage(new, hyperedges, n, reg)[codes == c] - np.log(w[codes == c]))
            if gap.max() > 1e-8:
                return (f"after the update (reg = {reg}, class {c}) the points of class c must be covered exactly: "
                        "sum over e containing j of exp((sum_{i in e} g_i - 1) / reg) = w_j. Remember that the sum "
                        "over e includes the singleton {j}, and that g_j itself must be left out of the exponent "
                        "before solving for it.")
    return None


# --------------------------------------------------------------------- 07.3
@register("07.3", "Rounding a plan onto the constraints")
def check_round_plan(answer):
    problem = _need_function(answer, "round_plan")
    if problem:
        return problem
    codes, w, hyperedges = _instance(5, seed=7, eps=0.7)
    n, m = len(codes), len(hyperedges)
    points, edges = _incidence(hyperedges, n)
    degree = np.bincount(points, minlength=n)
    rng = np.random.default_rng(11)
    z = rng.exponential(1.0 / (n * degree.mean()), m)  # some points over-, some under-covered
    cover = np.bincount(points, weights=z[edges], minlength=n)
    assert np.any(cover > w) and np.any(cover < w)
    new = np.asarray(answer(z.copy(), list(hyperedges), w.copy()), dtype=float)
    if new.shape != (m,):
        return f"round_plan must return one mass per hyperedge, shape ({m},); got shape {new.shape}."
    if not np.all(np.isfinite(new)) or np.any(new < -1e-15):
        return "rounded masses must be finite and >= 0."
    new_cover = np.bincount(points, weights=new[edges], minlength=n)
    if np.max(np.abs(new_cover - w)) > 1e-12:
        over = np.any(new_cover > w + 1e-12)
        return ("some points are still over-covered: scale each hyperedge by the smallest ratio "
                "min(1, w_j / coverage_j) over its members." if over else
                "some points are under-covered: after scaling, give each point's missing mass "
                "w_j - coverage_j to its singleton {j}.")
    big = np.array([len(e) >= 2 for e in hyperedges])
    if np.any(new[big] > z[big] * (1 + 1e-12) + 1e-15):
        return "hyperedges of two or more points may only be scaled down, never up (that could over-cover)."
    ratio = np.minimum(1.0, w / cover)
    scale = np.array([ratio[list(e)].min() for e in hyperedges])
    if np.any(new[big] < z[big] * scale[big] * (1 - 1e-9) - 1e-15):
        return ("the plan is feasible but throws away more merged mass than needed: scale each hyperedge by "
                "min over its members of min(1, w_j / coverage_j), no further.")
    return None


# --------------------------------------------------------------------- 07.4
def _sweeps(hyperedges, codes, w, reg, n_sweeps, *, jacobi=False):
    """Reference multimarginal Sinkhorn from g = 0: potentials and marginal errors.

    One sweep updates the classes 0, 1, ..., K-1 in turn, each with the
    potentials left by the previous class (``jacobi=True`` instead updates all
    classes from the same old potentials: the mistake the checker recognises).
    """
    n = len(codes)
    points, edges = _incidence(hyperedges, n)
    log_w = np.log(w)
    g = np.zeros(n)
    errors = np.zeros(n_sweeps)
    for t in range(n_sweeps):
        old = g.copy()
        for c in np.unique(codes):
            source = old if jacobi else g
            sums = np.bincount(edges, weights=source[points], minlength=len(hyperedges))
            for j in np.nonzero(codes == c)[0]:
                mine = edges[points == j]
                g[j] = reg * log_w[j] - reg * logsumexp((sums[mine] - source[j] - 1.0) / reg)
        errors[t] = float(np.sum(np.abs(np.exp(_log_coverage(g, hyperedges, n, reg)) - w)))
    return g, errors


@register("07.4", "The Sinkhorn loop")
def check_sinkhorn_loop(answer):
    problem = _need_function(answer, "sinkhorn_loop")
    if problem:
        return problem
    codes, w, hyperedges = _instance(4, seed=5, eps=0.8)
    for reg, n_sweeps in [(0.2, 12), (0.05, 30)]:
        out = answer(list(hyperedges), codes.copy(), w.copy(), reg, n_sweeps)
        if not isinstance(out, tuple) or len(out) != 2:
            return "return a pair (g, errors): the final potentials and the marginal error after every sweep."
        g, errors = (np.asarray(v, dtype=float) for v in out)
        want_g, want_errors = _sweeps(hyperedges, codes, w, reg, n_sweeps)
        if g.shape != want_g.shape or errors.shape != want_errors.shape:
            return (f"g has one potential per point, shape {want_g.shape}, and errors one value per sweep, "
                    f"shape {want_errors.shape}; got {g.shape} and {errors.shape}.")
        if np.allclose(g, want_g, rtol=0, atol=1e-9):
            if np.allclose(errors, want_errors, rtol=1e-6, atol=1e-12):
                continue
            return ("your potentials are right, but errors[t] must be sum_j |sum_(e contains j) z_e - w_j| "
                    "computed after sweep t (with z_e = exp((sum_(i in e) g_i - 1) / reg)).")
        if np.allclose(g, _sweeps(hyperedges, codes, w, reg, n_sweeps, jacobi=True)[0], rtol=0, atol=1e-9):
            return ("you update every class from the same old potentials. Update class 0, then class 1 with the "
                    "new potentials of class 0, and so on: each update is an exact projection only then.")
        return (f"after {n_sweeps} sweeps at reg = {reg} your potentials differ from the reference. Start from "
                "g = 0 and apply your class update (exercise 07.2) to the classes 0, 1, ..., K-1 in turn, "
                "n_sweeps times.")
    return None
