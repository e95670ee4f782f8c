"""Exercises of notebook 03: Wasserstein barycenters."""
from __future__ import annotations

import numpy as np

from . import function_results, register
from ..barycenters import mccann_interpolation
from ..transport import w_inf

# --------------------------------------------------------------------- 03.1
_U1, _V1 = np.array([5.0, 0.0, 1.0]), np.array([2.0, 6.0, 4.0])


@register("03.1", "Quantile averaging")
def check_quantile_average(answer):
    atoms = np.asarray(answer, dtype=float)
    if atoms.shape != (3,):
        return f"answer with the 3 atoms of the barycenter as an array of shape (3,), got shape {atoms.shape}."
    expected = (np.sort(_U1) + np.sort(_V1)) / 2
    if np.allclose(np.sort(atoms), np.sort((_U1 + _V1) / 2)):
        return "you averaged the points in the order given. Average the quantiles: sort each sample first."
    if not np.allclose(np.sort(atoms), expected):
        return "the k-th smallest atom of the barycenter is the average of the k-th smallest samples."
    return None


# --------------------------------------------------------------------- 03.2
@register("03.2", "Barycenter of two Gaussians")
def check_gaussian_barycenter(answer):
    try:
        mean, std = (float(v) for v in answer)
    except (TypeError, ValueError):
        return "answer with a pair (mean, std) of two numbers."
    # N(-2, 1) and N(4, 3^2), weights 1/4 and 3/4: quantiles average, so
    # the means and the standard deviations average.
    if not np.isclose(mean, 0.25 * -2 + 0.75 * 4):
        return "the mean is not right: quantile averaging averages the means with the weights."
    if np.isclose(std, np.sqrt(0.25 * 1 + 0.75 * 9)):
        return "you averaged the variances; quantiles scale with sigma, so average the standard deviations."
    if np.isclose(std, 0.25 * 1 + 0.75 * 9):
        return "that is an average of variances. F^{-1}(s) = m + sigma * Phi^{-1}(s): average the sigmas."
    if not np.isclose(std, 0.25 * 1 + 0.75 * 3):
        return "the standard deviation is not right: write each quantile function as m + sigma * Phi^{-1}(s)."
    return None


# --------------------------------------------------------------------- 03.4
def _interpolation_cases():
    rng = np.random.default_rng(33)
    return [(rng.normal(size=(n, 2)), rng.normal(size=(n, 2)) * 1.5 + [2.0, 0.0], t)
            for n, t in ((3, 0.5), (6, 0.25), (8, 0.9), (5, 0.0), (5, 1.0))]


@register("03.4", "McCann interpolation by assignment")
def check_interpolate(answer):
    as_array = lambda Z: np.asarray(Z, dtype=float)  # noqa: E731
    for (X, Y, t), Z in function_results(answer, "interpolate", _interpolation_cases(), convert=as_array):
        if Z.shape != X.shape:
            return f"interpolate(X, Y, t) should return an array of shape {X.shape}, got {Z.shape}."
        expected = mccann_interpolation(X, Y, t)
        if w_inf(Z, expected.support, None, expected.mass).value > 1e-8:
            naive = (1 - t) * X + t * Y
            if np.allclose(Z, naive):
                return ("you interpolated X[i] with Y[i] in the given order; first match the points optimally "
                        "with linear_sum_assignment on the squared distances.")
            return f"for n={len(X)}, t={t} your points differ from the displacement interpolation."
    return None


# --------------------------------------------------------------------- 03.3
def _tuple_cases():
    rng = np.random.default_rng(34)
    cases = [(np.array([[0.0], [2.0]]), np.array([0.5, 0.5]))]
    for K, d in ((3, 2), (4, 3), (2, 1)):
        alpha = rng.random(K)
        cases.append((rng.normal(size=(K, d)), alpha / alpha.sum()))
    return cases


def _tuple_cost(points, alpha):
    mean = alpha @ points
    return float(alpha @ ((points - mean) ** 2).sum(axis=1))


@register("03.3", "The multimarginal cost")
def check_tuple_cost(answer):
    for (points, alpha), value in function_results(answer, "tuple_cost", _tuple_cases()):
        expected = _tuple_cost(points, alpha)
        if not np.isclose(value, expected, rtol=1e-9, atol=1e-12):
            mean = points.mean(axis=0)
            if np.isclose(value, float(alpha @ ((points - mean) ** 2).sum(axis=1))):
                return "use the weighted mean xbar = sum_i alpha_i x_i, not the plain mean."
            return (f"for points {points.round(3).tolist()} and weights alpha = {alpha.round(3).tolist()} the cost is "
                    f"{expected:.4f}, yours gives {value:.4f}.")
    return None


# --------------------------------------------------------------------- 03.5
@register("03.5", "A first generalized barycenter")
def check_generalized_mass(answer):
    # the tie eps = 0.5 last, so that its hint is about the tie only
    cases = [(eps,) for eps in (0.0, 0.2, 0.49, 0.51, 0.8, 3.0, 0.5)]
    for (eps,), value in function_results(answer, "barycenter_mass", cases):
        expected = 0.5 if eps >= 0.5 else 1.0
        if not np.isclose(value, expected):
            if eps == 0.5:
                return "at eps = 0.5 exactly the two closed balls touch at 0.5: the mass can already merge."
            return f"at eps = {eps} the least total mass is {expected}, yours gives {value}."
    return None
