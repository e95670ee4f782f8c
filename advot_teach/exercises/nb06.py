"""Exercises of notebook 06: the dual problem and optimal robust classifiers."""
from __future__ import annotations

import numpy as np

from . import register
from ..datasets import three_blobs, triangle
from ..risk import optimal_adversarial_risk

__all__ = ["attack_case"]

_NONE_HINT = "your function returns None: write its body and `return` the value."


# --------------------------------------------------------------------- 06.1
def _dual_cases():
    """(weights, hyperedges, B*) triples; B* from the package's primal solver."""
    cases = []
    X, y = triangle()
    for eps in (0.55, 0.6):
        result = optimal_adversarial_risk(X, y, eps)
        cases.append((result.weights, result.hyperedges, 1.0 - result.risk))
    rng = np.random.default_rng(61)
    X, y = three_blobs(6, seed=6)
    w = rng.uniform(0.5, 1.5, len(y))
    for eps in (0.3, 0.6):
        result = optimal_adversarial_risk(X, y, eps, weights=w)
        cases.append((result.weights, result.hyperedges, 1.0 - result.risk))
    return cases


@register("06.1", "The dual linear program")
def check_dual_lp(answer):
    if not callable(answer):
        return "answer with the function itself, e.g. `answer = dual_lp` (no parentheses)."
    for w, hyperedges, b_star in _dual_cases():
        q = answer(w.copy(), [tuple(e) for e in hyperedges])
        if q is None:
            return _NONE_HINT
        q = np.asarray(q, dtype=float)
        if q.shape != w.shape:
            return f"return one value q_j per point: shape {w.shape}, got {q.shape}."
        if np.any(q < -1e-7) or np.any(q > 1 + 1e-7):
            return "every q_j is a probability: keep 0 <= q_j <= 1 (bounds=(0, 1) in linprog)."
        worst = max((q[list(e)].sum() for e in hyperedges), default=0.0)
        if worst > 1 + 1e-7:
            return (f"q breaks a hyperedge constraint: some hyperedge has sum q_j = {worst:.3f} > 1. Add one row "
                    "sum_(j in e) q_j <= 1 per hyperedge.")
        value = float(w @ q)
        if value < b_star - 1e-7:
            return (f"q is feasible but not optimal: sum_j w_j q_j = {value:.4f} < B* = {b_star:.4f}. linprog "
                    "minimises, so minimise -w @ q.")
    return None


# --------------------------------------------------------------------- 06.2
def _raw_classifier(Z, X, y, q, eps):
    D = np.sqrt(((Z[:, None, :] - X[None, :, :]) ** 2).sum(axis=2))
    inside = D <= eps
    K = int(y.max()) + 1
    F = np.zeros((len(Z), K))
    for c in range(K):
        cols = y == c
        F[:, c] = np.where(inside[:, cols], q[cols][None, :], 0.0).max(axis=1)
    return F


def _classifier_cases():
    rng = np.random.default_rng(62)
    X, y = triangle()
    cases = [(rng.uniform(-0.6, 1.6, (200, 2)), X, y, np.full(3, 0.5), 0.55)]
    X, y = three_blobs(8, seed=2)
    result = optimal_adversarial_risk(X, y, 0.45)
    cases.append((rng.uniform(-2.0, 2.0, (300, 2)), X, y, result.q, 0.45))
    q = rng.uniform(size=len(y))  # the formula works for any q; test it off the optimum too
    cases.append((rng.uniform(-2.0, 2.0, (300, 2)), X, y, q, 0.3))
    return cases


@register("06.2", "The classifier read off the dual")
def check_robust_classifier(answer):
    if not callable(answer):
        return "answer with the function itself, e.g. `answer = robust_classifier` (no parentheses)."
    for Z, X, y, q, eps in _classifier_cases():
        F = answer(Z.copy(), X.copy(), y.copy(), q.copy(), eps)
        if F is None:
            return _NONE_HINT
        F = np.asarray(F, dtype=float)
        want = _raw_classifier(Z, X, y, q, eps)
        if F.shape != want.shape:
            return f"return one row per point of Z and one column per class: shape {want.shape}, got {F.shape}."
        if np.allclose(F, want, atol=1e-9):
            continue
        total = want.sum(axis=1, keepdims=True)
        if np.allclose(F.sum(axis=1), 1.0) and not np.allclose(total, 1.0):
            return ("your rows sum to 1: return the raw f_y(z) = max{q_j : y_j = y, z in the ball of x_j}, "
                    "without spreading the leftover mass.")
        if np.allclose(F, _raw_classifier(Z, X, y, q, 2 * eps), atol=1e-9):
            return "z is in the ball of x_j when ||z - x_j|| <= eps (not 2 eps)."
        return ("not yet: for each class y take the largest q_j among the points of class y whose eps-ball contains "
                "z, and 0 if there is none.")
    return None


# --------------------------------------------------------------------- 06.3
def _disc_samples(X, eps, per_ball, rng):
    """Seeded attack points, shape (n, 2 * per_ball, 2): half inside each disc, half on its circle.

    The circle samples sit a hair (1e-9 relative) inside, so that round-off never
    puts one outside the closed ball it belongs to.
    """
    n = len(X)
    theta = rng.uniform(0.0, 2.0 * np.pi, (n, 2 * per_ball))
    r = eps * np.concatenate([np.sqrt(rng.uniform(size=(n, per_ball))), np.full((n, per_ball), 1 - 1e-9)], axis=1)
    return X[:, None, :] + r[..., None] * np.stack([np.cos(theta), np.sin(theta)], axis=-1)


def _worst_losses(X, y, q, eps, Z, *, radius_factor=1.0, best=False):
    """Per point, the largest (``best``: smallest) loss 1 - f_{y_j}(z) over the samples Z[j]."""
    losses = np.array([1.0 - _raw_classifier(Z[j], X, y, q, radius_factor * eps)[:, y[j]] for j in range(len(X))])
    return losses.min(axis=1) if best else losses.max(axis=1)


def _sampled_risk_cases():
    rng = np.random.default_rng(63)
    X, y = triangle()
    cases = [(X, y, np.full(3, 1 / 3), np.full(3, 0.5), 0.55)]
    X, y = three_blobs(8, seed=2)
    w = rng.uniform(0.5, 1.5, len(y))
    result = optimal_adversarial_risk(X, y, 0.45, weights=w)
    cases.append((X, y, result.weights, result.q, 0.45))
    cases.append((X, y, result.weights, rng.uniform(size=len(y)), 0.3))  # any q: the formula, off the optimum
    # Spread out, so that eps and 2 eps give different classifiers; the last 5 points repeat
    # the first 5 (same class, other q), so f_(y_j) > q_j on a whole ball and the sampled risk
    # is below sum_j w_j (1 - q_j).
    X = rng.uniform(0.0, 2.0, (15, 2))
    X, y = np.vstack([X, X[:5]]), np.concatenate([np.arange(15) % 3, np.arange(5) % 3])
    cases.append((X, y, rng.dirichlet(np.ones(20)), rng.uniform(size=20), 0.3))
    return [(X, y, w, q, eps, _disc_samples(X, eps, 60, rng)) for X, y, w, q, eps in cases]


@register("06.3", "The learner's certificate on samples")
def check_sampled_risk(answer):
    if not callable(answer):
        return "answer with the function itself, e.g. `answer = sampled_risk` (no parentheses)."
    for X, y, w, q, eps, Z in _sampled_risk_cases():
        value = answer(X.copy(), y.copy(), w.copy(), q.copy(), eps, Z.copy())
        if value is None:
            return _NONE_HINT
        if np.ndim(value) != 0:
            return "return one number: the weighted sum over the points of their worst sampled loss."
        value = float(value)
        worst = _worst_losses(X, y, q, eps, Z)
        if np.isclose(value, w @ worst, rtol=0, atol=1e-9):
            continue
        if np.isclose(value, worst.mean(), rtol=0, atol=1e-9) and not np.allclose(w, w.mean()):
            return "weight each point's worst loss by its weight w_j: sum_j w_j max_s (1 - f_(y_j)(z_js))."
        if np.isclose(value, w @ (1.0 - q), rtol=0, atol=1e-9):
            return ("sum_j w_j (1 - q_j) is the bound to compare with, not the sampled risk: evaluate the classifier "
                    "f_(y_j) at the samples Z[j].")
        if np.isclose(value, w @ _worst_losses(X, y, q, eps, Z, best=True), rtol=0, atol=1e-9):
            return "the adversary picks the *worst* sample of each ball: take the largest loss, not the smallest."
        if np.isclose(value, w @ _worst_losses(X, y, q, eps, Z, radius_factor=2.0), rtol=0, atol=1e-9):
            return "z is in the ball of x_i when ||z - x_i|| <= eps (not 2 eps)."
        return (f"at eps = {eps} the sampled risk should be {w @ worst:.4f}, yours gives {value:.4f}. For each point j "
                "take the largest 1 - f_(y_j)(z) over its samples z in Z[j], with the raw f of exercise 06.2, and "
                "add up with the weights w_j.")
    return None


# --------------------------------------------------------------------- 06.4
def attack_case():
    """Data of exercise 06.4: three blobs of 10 points and eps = 0.4.

    Returns
    -------
    X : ndarray, shape (30, 2)
    y : ndarray, shape (30,)
    eps : float
    """
    X, y = three_blobs(10, seed=0)
    return X, y, 0.4


def _correct_mass(barycenter, codes, proba):
    P = np.asarray(proba(np.asarray(barycenter.support)), dtype=float)
    return float(sum(m * P[a, [codes[j] for j in members]].sum()
                     for a, (m, members) in enumerate(zip(barycenter.mass, barycenter.members))))


def _classifiers(result):
    def constant(Z):
        out = np.zeros((len(Z), 3))
        out[:, 0] = 1.0
        return out

    def by_angle(Z):  # a fixed deterministic classifier: three sectors around the origin
        sector = np.floor((np.arctan2(Z[:, 1], Z[:, 0]) + np.pi) / (2 * np.pi / 3)).astype(int) % 3
        return np.eye(3)[sector]

    return (("the optimal robust classifier", result.predict_proba), ("always class 0", constant),
            ("three sectors", by_angle))


@register("06.4", "The adversary's certificate")
def check_correct_mass(answer):
    if not callable(answer):
        return "answer with the function itself, e.g. `answer = correct_mass_under_attack` (no parentheses)."
    X, y, eps = attack_case()
    for e in (eps, 0.25, 0.6):
        result = optimal_adversarial_risk(X, y, e)
        for name, proba in _classifiers(result):
            value = answer(result.barycenter, result.codes.copy(), proba)
            if value is None:
                return _NONE_HINT
            value = float(value)
            want = _correct_mass(result.barycenter, result.codes, proba)
            if np.isclose(value, want, atol=1e-9):
                continue
            if np.isclose(value, 1 - want, atol=1e-9):
                return "that is the error mass; return the *correctly classified* mass."
            return (f"at eps = {e} for the classifier '{name}' the correct mass should be {want:.4f}, yours gives "
                    f"{value:.4f}. For each atom add mass * proba[atom, class of j] over its members j.")
    return None


# --------------------------------------------------------------------- 06.5
@register("06.5", "The best deterministic classifier on the triangle")
def check_deterministic_triangle(answer):
    try:
        value = float(answer)
    except (TypeError, ValueError):
        return "answer with one number."
    if np.isclose(value, 2 / 3, atol=1e-6):
        return None
    if np.isclose(value, 0.5, atol=1e-6):
        return ("1/2 is R*, reached only by a probabilistic classifier. A deterministic classifier must give each "
                "lens (where two discs overlap) to one class: count the points that lose a lens.")
    if np.isclose(value, 1 / 3, atol=1e-6):
        return ("one point cannot absorb all three lenses: each point touches only two of them, so the third lens "
                "costs a second point.")
    return "not yet: every lens costs one of its two points; how few points can lose all three lenses?"
