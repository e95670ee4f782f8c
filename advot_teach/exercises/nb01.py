"""Exercises of notebook 01: adversarial attacks.

Every answer is a function; the checkers call it on seeded random inputs and
compare with what the mathematics says (not with one particular code).
"""
from __future__ import annotations

import numpy as np

from . import NONE_HINT, Hint, register
from ..datasets import two_class_toy

_NORMS = (np.inf, 2)
_DUAL = {np.inf: 1, 2: 2}


def _norms(A, norm):
    return np.linalg.norm(A, ord=norm, axis=1)


def _raw(answer, *args):
    # copies: a learner's function may modify its inputs in place
    result = answer(*[a.copy() if isinstance(a, np.ndarray) else a for a in args])
    if result is None:
        raise Hint(NONE_HINT)
    return result


def _call(answer, *args):
    return np.asarray(_raw(answer, *args), dtype=float)


def _need_function(answer, name):
    if not callable(answer):
        return f"answer with the function itself, e.g. `answer = {name}` (no parentheses)."
    return None


def _gradients():
    rng = np.random.default_rng(101)
    G = rng.normal(size=(20, 5))
    G[3] = 0.0  # a zero gradient: any delta in the ball is optimal
    G[7, :3] = 0.0  # zeros inside a row: sign(0) = 0 is allowed
    return G


# --------------------------------------------------------------------- 01.1
@register("01.1", "The FGSM step: steepest ascent in a ball")
def check_fgsm_delta(answer):
    problem = _need_function(answer, "fgsm_delta")
    if problem:
        return problem
    G = _gradients()
    for norm in _NORMS:
        for eps in (0.3, 1.7):
            delta = _call(answer, G, eps, norm)
            if delta.shape != G.shape:
                return f"fgsm_delta(g, eps, norm) must return one row per row of g: shape {G.shape}, got {delta.shape}."
            if not np.all(np.isfinite(delta)):
                return "your delta contains nan or inf. Careful with rows where the gradient is 0."
            name = "linf" if norm == np.inf else "l2"
            if np.any(_norms(delta, norm) > eps * (1 + 1e-9)):
                if norm == 2 and np.allclose(delta, eps * np.sign(G)):
                    return ("eps * sign(g) is the linf step; its l2 length is eps * sqrt(d) > eps. "
                            "In l2 go along g itself, normalised to length eps.")
                return (f"for norm={name} some rows of delta are longer than eps={eps} in the {name} norm: "
                        "the step must stay inside the ball.")
            gain, best = np.einsum("id,id->i", G, delta), eps * _norms(G, _DUAL[norm])
            if np.any(gain < best - 1e-9 * (1 + best)):
                hint = ("sign(g) maximises <g, delta> over the box |delta_k| <= eps"
                        if norm == np.inf else "g / ||g||_2 is the direction of steepest ascent in l2")
                return (f"for norm={name} the gain <g, delta> should be eps * ||g||_{_DUAL[norm]} (the dual norm), "
                        f"but some rows fall short: {hint}.")
    return None


# --------------------------------------------------------------------- 01.2
def _reference_project(delta, eps, norm):
    if norm == np.inf:
        return np.clip(delta, -eps, eps)
    lengths = np.linalg.norm(delta, axis=1, keepdims=True)
    return delta * np.minimum(1.0, eps / np.maximum(lengths, 1e-300))


@register("01.2", "Projection onto the eps-ball")
def check_project(answer):
    problem = _need_function(answer, "project")
    if problem:
        return problem
    rng = np.random.default_rng(102)
    delta = rng.normal(scale=1.5, size=(30, 4))
    delta[0] = 0.0
    delta[1] *= 0.05  # rows well inside the ball must not move
    for norm in _NORMS:
        name = "linf" if norm == np.inf else "l2"
        for eps in (0.5, 2.0):
            P = _call(answer, delta, eps, norm)
            if P.shape != delta.shape:
                return f"project(delta, eps, norm) must keep the shape {delta.shape}, got {P.shape}."
            expected = _reference_project(delta, eps, norm)
            if np.allclose(P, expected, atol=1e-9):
                continue
            inside = _norms(delta, norm) <= eps
            if not np.allclose(P[inside], delta[inside], atol=1e-9):
                return f"for norm={name}: rows already inside the ball are their own projection; leave them unchanged."
            if norm == 2 and np.allclose(P, np.clip(delta, -eps, eps), atol=1e-9):
                return ("clipping each coordinate is the linf projection. For l2 the nearest point of the ball "
                        "lies on the ray to delta: rescale long rows to length eps.")
            if np.any(_norms(P, norm) > eps * (1 + 1e-9)):
                return f"for norm={name} some projected rows are still outside the ball of radius {eps}."
            return (f"for norm={name} your rows are inside the ball but not the nearest points: "
                    "the projection moves delta as little as possible.")
    return None


# --------------------------------------------------------------------- 01.3
def _linear_cases():
    rng = np.random.default_rng(103)
    cases = []
    for d, eps in ((2, 0.3), (5, 0.1), (8, 0.05)):
        w, b = rng.normal(size=d), float(rng.normal())
        X = rng.normal(size=(200, d))
        y = np.where(X @ w + b + 0.5 * rng.normal(size=200) > 0, 1, -1)
        cases.append((w, b, X, y, eps))
    return cases


def _reference_linear_robust_accuracy(w, b, X, y, eps, norm):
    return float(np.mean(y * (X @ w + b) > eps * np.linalg.norm(w, ord=_DUAL[norm])))


@register("01.3", "Exact robust accuracy of a linear classifier")
def check_linear_robust_accuracy(answer):
    problem = _need_function(answer, "linear_robust_accuracy")
    if problem:
        return problem
    for w, b, X, y, eps in _linear_cases():
        for norm in _NORMS:
            name = "linf" if norm == np.inf else "l2"
            value = float(_raw(answer, w, b, X, y, eps, norm))
            expected = _reference_linear_robust_accuracy(w, b, X, y, eps, norm)
            if np.isclose(value, expected, atol=1e-12):
                continue
            if np.isclose(value, float(np.mean(y * (X @ w + b) > 0))):
                return "that is the clean accuracy: the margin y (w.x + b) must beat what the attacker can remove."
            for wrong in (1, 2, np.inf):
                if wrong != _DUAL[norm] and np.isclose(
                        value, float(np.mean(y * (X @ w + b) > eps * np.linalg.norm(w, ord=wrong)))):
                    return (f"for norm={name} you used ||w||_{wrong}. The attacker removes "
                            "eps * max over the unit ball of <w, u> = eps * (dual norm of w) "
                            f"= eps * ||w||_{_DUAL[norm]}.")
            return (f"for norm={name}, d={len(w)}, eps={eps} the robust accuracy should be {expected:.3f}, "
                    f"yours is {value:.3f}.")
    return None


# --------------------------------------------------------------------- 01.4
def _pair_cases():
    X, y = two_class_toy(25, seed=104)
    return [(X, y, eps, norm) for eps in (0.1, 0.3) for norm in _NORMS]


@register("01.4", "Conflicting pairs: a bound for every classifier")
def check_conflict_pairs(answer):
    problem = _need_function(answer, "disjoint_conflict_pairs")
    if problem:
        return problem
    for X, y, eps, norm in _pair_cases():
        name = "linf" if norm == np.inf else "l2"
        pairs = [tuple(int(k) for k in p) for p in _raw(answer, X, y, eps, norm)]
        if any(len(p) != 2 for p in pairs):
            return "return a list of pairs (i, j) of point indices."
        used = [k for p in pairs for k in p]
        if any(k < 0 or k >= len(y) for k in used):
            return f"indices must lie in 0..{len(y) - 1}."
        if len(set(used)) != len(used):
            return "the pairs must be disjoint: each point may appear in at most one pair."
        D = np.linalg.norm(X[:, None, :] - X[None, :, :], ord=norm, axis=-1)
        for i, j in pairs:
            if y[i] == y[j]:
                return f"pair ({i}, {j}) has two points of the same class; a conflict needs different labels."
            if D[i, j] > 2 * eps * (1 + 1e-12):
                return (f"for norm={name}, eps={eps}: the balls of points {i} and {j} do not meet "
                        f"(distance {D[i, j]:.3f} > 2 eps).")
        free = np.ones(len(y), dtype=bool)
        free[used] = False
        addable = (D <= 2 * eps) & (y[:, None] != y[None, :]) & free[:, None] & free[None, :]
        if addable.any():
            i, j = np.argwhere(addable)[0]
            return (f"for norm={name}, eps={eps} the list can still grow: points {i} and {j} are unused, "
                    "of different classes and at distance <= 2 eps. Keep adding pairs until none is left.")
    return None
