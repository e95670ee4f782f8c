"""Exercises of notebook 05: the generalized barycenter and its linear program."""
from __future__ import annotations

import numpy as np

from . import function_results, register
from ..datasets import three_blobs, triangle
from ..geometry import birth_radius
from ..risk import optimal_adversarial_risk

__all__ = []


# --------------------------------------------------------------------- 05.1
def _attack_cases():
    rng = np.random.default_rng(51)
    cases = [np.array([[0.2, 0.1, 0.0], [0.0, 0.3, 0.1], [0.1, 0.0, 0.2]])]
    for K, m in ((2, 4), (3, 6), (4, 5)):
        A = rng.uniform(size=(K, m)) * (rng.uniform(size=(K, m)) < 0.6)
        cases.append(A / A.sum())
    return cases


@register("05.1", "The smallest measure above every attacked class")
def check_upper_envelope(answer):
    for (A,), value in function_results(answer, "barycenter_mass", [(A,) for A in _attack_cases()]):
        want = A.max(axis=0).sum()
        if np.isclose(value, want, atol=1e-12):
            continue
        if np.isclose(value, A.sum(), atol=1e-12):
            return ("that is the total mass of all classes. lambda only has to lie above each attacked class "
                    "separately: at every location it needs the *largest* class mass, not the sum.")
        if np.isclose(value, A.sum(axis=1).max(), atol=1e-12):
            return "compare the classes location by location (column by column), then add up over the locations."
        if np.isclose(value, A.min(axis=0).sum(), atol=1e-12):
            return "lambda must be >= every class at every location: take the maximum over classes, not the minimum."
        return f"for this attack lambda(X) should be {want:.4f}, yours gives {value:.4f}."
    return None


# --------------------------------------------------------------------- 05.2
def _triangles():
    rng = np.random.default_rng(52)
    side = np.array([[0.0, 0.0], [1.0, 0.0], [0.5, np.sqrt(3) / 2]])
    cases = [side, np.array([[0.0, 0.0], [2.0, 0.0], [1.0, 0.3]]),  # obtuse
             np.array([[0.0, 0.0], [1.0, 0.0], [0.4, 0.9]])]  # acute
    cases += [rng.normal(size=(3, 2)) for _ in range(8)]
    return cases


def _circumradius(P):
    a, b, c = (np.linalg.norm(P[i] - P[j]) for i, j in ((1, 2), (0, 2), (0, 1)))
    u, v = P[1] - P[0], P[2] - P[0]
    area = abs(u[0] * v[1] - u[1] * v[0]) / 2
    return a * b * c / (4 * area)


@register("05.2", "When do three discs meet?")
def check_triple_radius(answer):
    for (P,), value in function_results(answer, "triple_radius", [(P,) for P in _triangles()]):
        want = float(birth_radius(P[None], 2)[0][0])
        if np.isclose(value, want, rtol=1e-7):
            continue
        pair_half = max(np.linalg.norm(P[i] - P[j]) for i, j in ((0, 1), (0, 2), (1, 2))) / 2
        if np.isclose(value, _circumradius(P), rtol=1e-7):
            return ("right for acute triangles, but for an obtuse triangle the circumcentre lies outside it and the "
                    "smallest enclosing circle has the longest side as diameter.")
        if np.isclose(value, pair_half, rtol=1e-7):
            return ("half the longest side is enough only when the triangle is not acute. For an acute triangle the "
                    "discs meet pairwise earlier than all three: use the circumradius.")
        return f"for the triangle {P.round(3).tolist()} the radius should be {want:.4f}, yours gives {value:.4f}."
    return None


# --------------------------------------------------------------------- 05.3
def _lp_cases():
    """(weights, hyperedges, B*) triples; B* from the package's solver."""
    cases = []
    X, y = triangle()
    for eps in (0.4, 0.55, 0.6):
        result = optimal_adversarial_risk(X, y, eps)
        cases.append((result.weights, result.hyperedges, 1.0 - result.risk))
    rng = np.random.default_rng(54)
    X, y = three_blobs(6, seed=4)
    w = rng.uniform(0.5, 1.5, len(y))
    for eps in (0.3, 0.5, 0.8):
        result = optimal_adversarial_risk(X, y, eps, weights=w)
        cases.append((result.weights, result.hyperedges, 1.0 - result.risk))
    return cases


@register("05.3", "The barycenter linear program")
def check_barycenter_lp(answer):
    cases = _lp_cases()
    results = function_results(answer, "barycenter_lp", [(w, [tuple(e) for e in edges]) for w, edges, _ in cases])
    for ((w, hyperedges), value), (_, _, want) in zip(results, cases):
        if np.isclose(value, want, atol=1e-7):
            continue
        if np.isclose(value, 1 - want, atol=1e-7):
            return "that is R* = 1 - B*; the function should return the barycenter mass B* (the LP's optimal value)."
        if np.isclose(value, 1.0, atol=1e-7):
            return ("B* = 1 means no mass was merged: give every hyperedge its own column z_e, with a 1 in the "
                    "row of each of its points, next to the singleton columns.")
        return (f"with {len(w)} points and {len(hyperedges)} hyperedges B* should be {want:.4f}, yours gives "
                f"{value:.4f}. Did you include the singletons {{j}} as columns, and constraints with equality?")
    return None


# --------------------------------------------------------------------- 05.4
def _risk_cases():
    """(X, y, eps) with uniform weights; in the blob cases R*_3 > R*_2, so triples matter."""
    X, y = triangle()
    cases = [(X, y, eps) for eps in (0.45, 0.55, 0.6)]
    for seed, n, eps in ((3, 5, 0.5), (1, 4, 0.9), (5, 5, 1.0), (8, 6, 0.75)):
        X, y = three_blobs(n, seed=seed)
        cases.append((X, y, eps))
    return cases


@register("05.4", "Build it: R*_L from the data")
def check_hypergraph_risk(answer):
    cases = [(X, y, eps, max_order) for X, y, eps in _risk_cases() for max_order in (2, 3)]
    for (X, y, eps, max_order), value in function_results(answer, "hypergraph_risk", cases):
        want = optimal_adversarial_risk(X, y, eps, max_order=max_order).risk
        if np.isclose(value, want, atol=1e-7):
            continue
        where = f"for {len(X)} points, eps = {eps} and max_order = {max_order}"
        if np.isclose(value, 1 - want, atol=1e-7):
            return f"{where} you returned B*_L; the risk is R*_L = 1 - B*_L."
        other = optimal_adversarial_risk(X, y, eps, max_order=5 - max_order).risk
        if max_order == 3 and np.isclose(value, other, atol=1e-7):
            return (f"{where} your value is R*_2: add the triples of three different labels whose smallest "
                    "enclosing circle has radius <= eps (exercise 05.2).")
        if max_order == 2 and np.isclose(value, other, atol=1e-7):
            return f"{where} you used triples too; with max_order = 2 keep only the pairs."
        if np.isclose(value, optimal_adversarial_risk(X, y, eps / 2, max_order=max_order).risk, atol=1e-7):
            return "two eps-discs meet when the centres are at most 2 eps apart: compare distances with 2 * eps."
        if np.isclose(value, 0.0, atol=1e-7):
            return (f"{where} R*_L = {want:.4f} > 0 but yours is 0: no mass was merged. Did you add a column "
                    "for every hyperedge, next to the singleton columns?")
        return (f"{where} R*_L should be {want:.4f}, yours gives {value:.4f}. Hyperedges: pairs of different "
                "labels within 2 eps; triples of three labels with enclosing radius <= eps; weights 1/n.")
    return None
