"""Exercises of notebook 02: optimal transport, couplings, W_p and W_inf."""
from __future__ import annotations

import numpy as np

from . import function_results, register
from ..transport import w_inf, w_inf_1d, wasserstein, within_w_inf_ball

__all__ = ["attack_data", "predict_sign"]



def _as_float_array(answer, shape, name="your answer"):
    arr = np.asarray(answer, dtype=float)
    if arr.shape != shape:
        return None, f"{name} should have shape {shape}, got {arr.shape}."
    if not np.all(np.isfinite(arr)):
        return None, f"{name} contains nan or inf."
    return arr, None


# --------------------------------------------------------------------- 02.1
_X1, _A1 = np.array([0.0, 1.0]), np.array([0.5, 0.5])
_Y1, _B1 = np.array([0.0, 1.0, 2.0]), np.array([0.25, 0.25, 0.5])


@register("02.1", "The monotone coupling as a matrix")
def check_monotone_coupling(answer):
    P, problem = _as_float_array(answer, (2, 3), "the coupling P")
    if problem:
        return problem
    if np.any(P < -1e-12):
        return "a coupling cannot carry negative mass."
    if not np.allclose(P.sum(axis=1), _A1, atol=1e-9):
        return f"the row sums must be the weights a = {_A1.tolist()}; yours are {P.sum(axis=1).round(4).tolist()}."
    if not np.allclose(P.sum(axis=0), _B1, atol=1e-9):
        return f"the column sums must be the weights b = {_B1.tolist()}; yours are {P.sum(axis=0).round(4).tolist()}."
    monotone = np.array([[0.25, 0.25, 0.0], [0.0, 0.0, 0.5]])
    if not np.allclose(P, monotone, atol=1e-9):
        return ("this is a coupling, but not the monotone one: the left atom x=0 must be emptied into the "
                "leftmost atoms of b first (mass never crosses).")
    return None


# --------------------------------------------------------------------- 02.2
_X2, _Y2 = np.array([0.0, 1.0, 3.0]), np.array([6.0, 1.0, 2.0])


@register("02.2", "W1 and W2 of two small samples")
def check_w1_w2(answer):
    try:
        w1, w2 = (float(v) for v in answer)
    except (TypeError, ValueError):
        return "answer with a pair (W1, W2) of two numbers."
    true_w1 = wasserstein(X=_X2, Y=_Y2, p=1).value
    true_w2 = wasserstein(X=_X2, Y=_Y2, p=2).value
    if np.isclose(w1, np.mean(np.abs(_X2 - _Y2))):
        return "W1 uses the best coupling, not the given order of the points: sort both samples first."
    if not np.isclose(w1, true_w1, rtol=1e-6):
        return "W1 is not right yet: in 1-D match the sorted samples and average |x_(k) - y_(k)|."
    if np.isclose(w2, true_w2**2, rtol=1e-6):
        return "that second number is W2 squared: take the square root."
    if not np.isclose(w2, true_w2, rtol=1e-6):
        return "W2 is not right yet: W2 = sqrt(mean of (x_(k) - y_(k))^2) over the sorted samples."
    return None


# --------------------------------------------------------------------- 02.3
def _bottleneck_cases():
    rng = np.random.default_rng(23)
    cases = [(np.array([[0.0, 0.0]]), np.array([[3.0, 4.0]]))]
    for n in (2, 4, 5, 6):
        cases.append((rng.normal(size=(n, 2)), rng.normal(size=(n, 2)) + rng.normal(size=2)))
    return cases


@register("02.3", "W_inf by brute force")
def check_bottleneck(answer):
    for (X, Y), value in function_results(answer, "bottleneck", _bottleneck_cases()):
        expected = w_inf(X, Y).value
        if not np.isclose(value, expected, rtol=1e-9):
            if np.isclose(value, wasserstein(X=X, Y=Y, p=1).value, rtol=1e-9):
                return "your function returns W1 (the smallest average move); W_inf minimises the longest move."
            return (f"for {len(X)} points the bottleneck value should be {expected:.4f}, yours gives {value:.4f}. "
                    "Take the min over permutations of the max distance.")
    return None


# --------------------------------------------------------------------- 02.4
def attack_data():
    """Data of exercise 02.4: 20 points in the plane and the budget eps.

    Returns
    -------
    X : ndarray, shape (20, 2)
    eps : float
    """
    return np.random.default_rng(4).normal(size=(20, 2)), 0.5


def predict_sign(Z):
    """The fixed classifier of exercise 02.4: +1 if the first coordinate is > 0, else -1."""
    Z = np.asarray(Z, dtype=float)
    return np.where(Z[:, 0] > 0, 1, -1)


@register("02.4", "An attack inside the W_inf ball")
def check_attack(answer):
    X, eps = attack_data()
    Z, problem = _as_float_array(answer, X.shape, "the attacked data")
    if problem:
        return problem
    moves = np.linalg.norm(Z - X, axis=1)
    if np.any(moves > eps * (1 + 1e-9)):
        if within_w_inf_ball(X, Z, eps):
            return ("your points form a measure inside the W_inf ball, but row j is not the attacked version "
                    "of X[j]. Keep the order of the points.")
        return (f"the attacked data is outside the W_inf ball of radius {eps}: a point moves "
                f"{moves.max():.3f} > eps. Move each point by at most eps.")
    # A point can cross the boundary x_1 = 0 iff -eps < x_1 <= eps.
    best = int(np.sum((X[:, 0] > -eps) & (X[:, 0] <= eps)))
    flipped = int(np.sum(predict_sign(Z) != predict_sign(X)))
    if flipped < best:
        return (f"your attack flips {flipped} predictions, but {best} points lie within eps of the boundary "
                "x_1 = 0. Push each of them across it (by at most eps), just past 0.")
    return None


# --------------------------------------------------------------------- 02.5
_X5, _A5 = np.array([0.0, 1.0, 2.0]), np.array([0.5, 0.25, 0.25])
_Y5, _B5 = np.array([0.5, 2.5]), np.array([0.5, 0.5])


@register("02.5", "The smallest budget")
def check_smallest_budget(answer):
    try:
        value = float(answer)
    except (TypeError, ValueError):
        return "answer with one number."
    expected = w_inf_1d(_X5, _Y5, _A5, _B5)
    if np.isclose(value, wasserstein(_A5, _B5, X=_X5, Y=_Y5, p=1).value):
        return "that is W1, the average distance moved. The adversary's budget bounds the longest move."
    if not np.isclose(value, expected, rtol=1e-9):
        return ("draw both quantile functions on (0, 1] and find the level where they are "
                "farthest apart.")
    return None
