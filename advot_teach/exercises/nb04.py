"""Exercises of notebook 04: binary robustness as optimal transport."""
from __future__ import annotations

import numpy as np
from scipy.stats import norm as normal

from . import function_results, register
from ..binary import binary_risk_matching
from ..datasets import binary_blobs
from ..risk import optimal_adversarial_risk

__all__ = []


def _l2(A, B):
    return np.sqrt(((np.asarray(A)[:, None, :] - np.asarray(B)[None, :, :]) ** 2).sum(axis=2))


def _true_pairs(X, y, eps):
    D = _l2(X, X)
    i, j = np.nonzero(np.triu((D <= 2 * eps) & (y[:, None] != y[None, :]), 1))
    return {(int(a), int(b)) for a, b in zip(i, j)}


def _pairs_of(answer):
    """A learner's pairs as a set of sorted tuples (any container of pairs)."""
    pairs = set()
    for p in answer:
        a, b = (int(v) for v in p)
        pairs.add((min(a, b), max(a, b)))
    return pairs


# --------------------------------------------------------------------- 04.1
def _conflict_cases():
    # No distance lies within 1e-6 of 2 eps, so no answer depends on rounding.
    cases = []
    for seed, n, eps in ((1, 6, 0.5), (2, 10, 0.3), (3, 8, 0.7), (1, 6, 0.8)):
        X, y = binary_blobs(n, seed=seed)
        cases.append((X, y, eps))
    return cases


@register("04.1", "The conflict graph")
def check_conflict_pairs(answer):
    for (X, y, eps), got in function_results(answer, "conflict_pairs", _conflict_cases(), convert=_pairs_of):
        want = _true_pairs(X, y, eps)
        if got == want:
            continue
        if any(i == j for i, j in got):
            return "a point never conflicts with itself: keep only pairs i < j."
        if any(y[i] == y[j] for i, j in got):
            return "keep only pairs with *different* labels: two points of the same class never cost an error."
        if got == _true_pairs(X, y, eps / 2):
            return ("two balls of radius eps meet when the centres are at most 2 eps apart, "
                    "not eps: compare the distance with 2 * eps.")
        return (f"for {len(X)} points and eps = {eps} there should be {len(want)} conflicting pairs; "
                f"yours has {len(got)}. Use the Euclidean distance and `<= 2 * eps`.")
    return None


# --------------------------------------------------------------------- 04.2
def _ot_cases():
    cases = []
    for seed, n in ((0, 6), (5, 10), (7, 15)):
        X, y = binary_blobs(n, seed=seed)
        for eps in (0.1, 0.3, 0.6):
            cases.append((X, y, eps))
    return cases


@register("04.2", "R* by optimal transport with the 0/1 cost")
def check_risk_by_ot(answer):
    for (X, y, eps), value in function_results(answer, "risk_by_ot", _ot_cases()):
        want = binary_risk_matching(X, y, eps).risk
        if np.isclose(value, want, atol=1e-7):
            continue
        cost = 1.0 - 2.0 * want  # the optimal 0/1 transport cost between the class conditionals
        if np.isclose(value, cost, atol=1e-7):
            return ("that is the transport cost C (the fraction of a class that cannot be paired). "
                    "R* = (1 - C) / 2.")
        if np.isclose(value, 1.0 - cost, atol=1e-7):
            return "close: 1 - C is the fraction of *one class* that is paired; each pair costs 1 of n points, so halve it."
        if np.isclose(value, want * len(X), atol=1e-7):
            return "that is the number of matched pairs; R* is that number divided by n."
        return (f"for n = {len(X)}, eps = {eps} R* should be {want:.4f}, yours gives {value:.4f}. Use the cost "
                "M = (D > 2 eps) between the two classes and uniform weights 1/n_0, 1/n_1.")
    return None


# --------------------------------------------------------------------- 04.3
@register("04.3", "The population risk of two Gaussians")
def check_population_risk(answer):
    cases = [(eps, a, s) for a, s in ((1.0, 1.0), (2.0, 0.5), (0.5, 2.0))
             for eps in (0.0, 0.3 * a, 0.8 * a, a, 1.5 * a, 3 * a)]
    for (eps, a, s), value in function_results(answer, "population_risk", cases):
        want = normal.cdf((eps - a) / s) if eps < a else 0.5
        if np.isclose(value, want, atol=1e-9):
            continue
        if eps >= a and np.isclose(value, normal.cdf((eps - a) / s), atol=1e-9):
            return ("for eps >= a the adversary can move both classes onto the same distribution; "
                    "then no classifier beats a coin flip: R* stays at 1/2.")
        if np.isclose(value, normal.cdf((a - eps) / s), atol=1e-9):
            return "check the sign: R* must grow with eps, so use Phi((eps - a) / s)."
        if np.isclose(value, normal.cdf((eps - a) * s), atol=1e-9):
            return "divide by the standard deviation s (do not multiply)."
        return (f"for a = {a}, s = {s}, eps = {eps:.2f} the value should be {want:.4f}, yours gives {value:.4f}. "
                "Use scipy.stats.norm.cdf.")
    return None


# --------------------------------------------------------------------- 04.4
def _matching_cases():
    # Equal and unequal class sizes; no distance lies within 1e-6 of 2 eps.
    cases = []
    for seed, n, eps in ((4, 8, 0.3), (6, 12, 0.45), (8, 15, 0.2)):
        X, y = binary_blobs(n, seed=seed)
        cases.append((X, y, eps))
        drop = np.nonzero(y == 1)[0][: n // 2]  # half of class 1 removed: n_0 = 2 n_1
        keep = np.setdiff1d(np.arange(len(y)), drop)
        cases.append((X[keep], y[keep], eps))
    return cases


@register("04.4", "Build it: R* by maximum matching")
def check_risk_by_matching(answer):
    for (X, y, eps), value in function_results(answer, "risk_by_matching", _matching_cases()):
        want = optimal_adversarial_risk(X, y, eps).risk  # the general LP: shares no code with a matching
        if np.isclose(value, want, atol=1e-9):
            continue
        n, n0, n1 = len(y), int(np.sum(y == 0)), int(np.sum(y == 1))
        pairs = round(want * n)
        if np.isclose(value, pairs):
            return "that is the number of matched pairs; R* is that number divided by n, the number of all points."
        if any(np.isclose(value, pairs / k) for k in {n0, n1, min(n0, n1)} if k != n):
            return "divide the number of matched pairs by n = n_0 + n_1, the number of all points (uniform weights 1/n)."
        if np.isclose(value, 2 * want):
            return "each matched pair costs the error of one of its two points: R* = pairs / n, not 2 pairs / n."
        if np.isclose(value, optimal_adversarial_risk(X, y, eps / 2).risk, atol=1e-9):
            return "two balls of radius eps meet when the centres are at most 2 eps apart: use `D <= 2 * eps`."
        if np.isclose(value, len(_true_pairs(X, y, eps)) / n):
            return ("that counts every conflicting pair; a matching uses each point at most once. "
                    "Count the entries of maximum_bipartite_matching's result that are not -1.")
        return (f"for n_0 = {n0}, n_1 = {n1}, eps = {eps} R* should be {want:.4f}, yours gives {value:.4f}. "
                "Build the n_0 x n_1 conflict matrix between the classes, match it, count the matched pairs.")
    return None
