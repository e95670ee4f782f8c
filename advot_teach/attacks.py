"""Gradient attacks inside an eps-ball, robust accuracy, adversarial training.

Threat model: the adversary may replace an input ``x`` by any ``x'`` in the
closed ball ``B_eps(x) = {x' : ||x' - x|| <= eps}`` of the linf, l2 or l1 norm
(optionally also inside a box ``clip = (lo, hi)``, e.g. valid pixel values).
The norm's projection and steepest-ascent direction come from
:data:`advot_teach.geometry.NORMS`.  l1's steepest ascent moves one
coordinate at a time (the largest |gradient|): against a box it stalls
where that coordinate is clipped, so l1 attacks under ``clip`` are weak.
It looks for the ``x'`` that maximises the model's loss.

==============================  ==============================================
:func:`fgsm`                    one linearised step: ``x + eps * sign(grad)`` (linf),
                                ``x + eps * grad / ||grad||_2`` (l2),
                                ``x + eps * sign(grad_i) e_i``, i = argmax |grad_i| (l1)
:func:`pgd`                     projected gradient ascent, random start
:func:`project`                 Euclidean projection of perturbations onto the ball
:func:`perturbation_norms`      ``||x' - x||`` row by row
:func:`robust_accuracy`         accuracy under attack at one eps
:func:`robust_accuracy_curve`   the same for many eps (nonincreasing by construction)
:func:`adversarial_training`    PGD training (Madry et al. 2018)
==============================  ==============================================

A model only needs ``input_gradient(X, y)`` (row i = gradient of point i's
loss wrt ``x_i``), ``loss(X, y, reduction="none")`` and ``predict(X)``, as in
:mod:`advot_teach.models`.

Every returned ``X_adv`` satisfies ``perturbation_norms(X, X_adv, norm) <= eps``
*exactly in floating point* (points that rounding pushes an ulp outside are
moved back), and ``lo <= X_adv <= hi`` when ``clip`` is given.
"""
from __future__ import annotations

import numbers
from dataclasses import dataclass

import numpy as np

from ._validation import check_eps, check_scalar, parse_norm
from .geometry import NORMS
from ._blas import one_blas_thread
from .models import _check_X

__all__ = [
    "fgsm",
    "pgd",
    "project",
    "perturbation_norms",
    "robust_accuracy",
    "robust_accuracy_curve",
    "RobustAccuracyCurve",
    "adversarial_training",
]

# ----------------------------------------------------------------------------- validation
def _check_eps(eps) -> float:
    # an attack moves points by eps: it needs a finite one
    return check_eps(eps, allow_inf=False)


def _check_model(model) -> None:
    for method in ("input_gradient", "loss", "predict"):
        if not callable(getattr(model, method, None)):
            raise TypeError(
                f"model must provide {method}(X, y) (see advot_teach.models), "
                f"got {type(model).__name__}"
            )


def _check_clip(clip, X):
    if clip is None:
        return None
    try:
        lo, hi = (float(c) for c in clip)
    except (TypeError, ValueError):
        raise TypeError(f"clip must be a pair (lo, hi) of numbers or None, got {clip!r}") from None
    if not lo < hi:
        raise ValueError(f"clip must satisfy lo < hi, got {clip!r}")
    if X.min() < lo or X.max() > hi:
        raise ValueError(
            f"X must lie inside clip=({lo}, {hi}) (its values span [{X.min()}, {X.max()}])"
        )
    return lo, hi


def _check_inputs(model, X, y, eps, norm, clip):
    _check_model(model)
    X = _check_X(X)
    y = np.asarray(y)
    if y.ndim != 1 or y.shape[0] != X.shape[0]:
        raise ValueError(f"y must have shape ({X.shape[0]},) to match X, got {y.shape}")
    return X, y, _check_eps(eps), parse_norm(norm), _check_clip(clip, X)


# ----------------------------------------------------------------------------- geometry
def perturbation_norms(X, X_adv, norm=np.inf) -> np.ndarray:
    """``||X_adv[i] - X[i]||`` for every row, shape (n,).

    This is the exact formula the attacks guarantee to keep ``<= eps``:
    ``np.abs(D).max(axis=1)`` for linf, ``np.linalg.norm(D, axis=1)`` for l2,
    with ``D = X_adv - X``.
    """
    norm = parse_norm(norm)
    D = np.asarray(X_adv, dtype=float) - np.asarray(X, dtype=float)
    if D.ndim != 2:
        raise ValueError(f"X and X_adv must be 2-D arrays of the same shape, got {D.shape}")
    return NORMS[norm].lengths(D)


def project(delta, eps, norm=np.inf) -> np.ndarray:
    """Euclidean projection of each row of ``delta`` onto the ball ``||.|| <= eps``.

    linf: clip every coordinate to [-eps, eps].  l2: rows longer than ``eps``
    are rescaled to length ``eps``; shorter rows are unchanged.  l1:
    soft-thresholding (Duchi et al. 2008).

    Parameters
    ----------
    delta : array of shape (n, d)
    eps : float >= 0
    norm : {np.inf, 2, 1, 'linf', 'l2', 'l1'}

    Returns
    -------
    ndarray of shape (n, d)
    """
    delta = np.asarray(delta, dtype=float)
    eps, norm = _check_eps(eps), parse_norm(norm)
    return NORMS[norm].project(delta, eps)


def _into_ball(X, X_adv, eps, norm, clip):
    """Project ``X_adv`` onto ``B_eps(X)`` (and the box), robust to rounding."""
    X_adv = X + project(X_adv - X, eps, norm)
    if clip is not None:
        # X lies in the box, so clipping only shortens |X_adv - X| coordinate-wise:
        # it can never leave the ball.
        X_adv = np.clip(X_adv, *clip)
    # X + delta is rounded; move the (rare) points left an ulp outside back
    # toward X.  Both moves stay between X and X_adv, hence inside the box.
    for k in range(64):
        outside = perturbation_norms(X, X_adv, norm) > eps
        if not outside.any():
            return X_adv
        if norm == np.inf:
            bad = outside[:, None] & (np.abs(X_adv - X) > eps)
            X_adv[bad] = np.nextafter(X_adv[bad], X[bad])
        else:
            shrink = 1.0 - 2.0 ** k * np.finfo(float).eps
            X_adv[outside] = X[outside] + (X_adv[outside] - X[outside]) * shrink
    X_adv[outside] = X[outside]  # unreachable in practice; keeps the guarantee
    return X_adv


# ----------------------------------------------------------------------------- attacks
@one_blas_thread
def fgsm(model, X, y, eps, norm=np.inf, *, clip=None) -> np.ndarray:
    """Fast gradient (sign) method: one step to the edge of the eps-ball.

    Linearising the loss, ``L(x + delta) ~ L(x) + <g, delta>`` with
    ``g = grad_x L(x, y)``, the best ``delta`` in the ball is
    ``eps * sign(g)`` for linf, ``eps * g / ||g||_2`` for l2 and ``eps``
    times the signed unit vector of the largest |g_i| for l1; the gain is
    ``eps * ||g||_*`` (dual norm: l1 for linf, l2 for l2, linf for l1).  Goodfellow et al. (2015).

    Parameters
    ----------
    model : object with ``input_gradient``, ``loss`` and ``predict``
    X : array of shape (n, d)
    y : array of shape (n,)
        True labels (the attack increases their loss).
    eps : float >= 0
        Radius of the ball.
    norm : {np.inf, 2, 1, 'linf', 'l2', 'l1'}, default np.inf
    clip : (lo, hi) or None
        Also keep ``X_adv`` inside this box (``X`` must already be inside).

    Returns
    -------
    X_adv : ndarray of shape (n, d)
    """
    X, y, eps, norm, clip = _check_inputs(model, X, y, eps, norm, clip)
    if eps == 0:
        return X.copy()
    direction = NORMS[norm].ascent(model.input_gradient(X, y))
    return _into_ball(X, X + eps * direction, eps, norm, clip)


@one_blas_thread
def pgd(
    model,
    X,
    y,
    eps,
    norm=np.inf,
    steps: int = 10,
    step_size: float | None = None,
    random_start: bool = True,
    seed=0,
    clip=None,
) -> np.ndarray:
    """Projected gradient ascent on the loss inside the eps-ball (Madry et al. 2018).

    ``x_0 = x + uniform noise in the ball`` (if ``random_start``), then
    ``steps`` times ``x_{t+1} = Proj_{B_eps(x)}(x_t + step_size * u_t)`` where
    ``u_t`` is the steepest-ascent direction of the FGSM step
    (``sign(g)`` for linf, ``g / ||g||_2`` for l2, a signed unit vector for l1).

    Parameters
    ----------
    model : object with ``input_gradient``, ``loss`` and ``predict``
    X : array of shape (n, d)
    y : array of shape (n,)
    eps : float >= 0
    norm : {np.inf, 2, 1, 'linf', 'l2', 'l1'}, default np.inf
    steps : int, default 10
        Number of gradient steps (0 allowed: only the random start).
    step_size : float or None
        Length of each step; ``None`` gives ``2.5 * eps / steps`` (enough to
        cross the ball, as in Madry et al.).
    random_start : bool, default True
    seed : int or numpy.random.Generator, default 0
        Randomness of the start.
    clip : (lo, hi) or None
        Also keep ``X_adv`` inside this box.

    Returns
    -------
    X_adv : ndarray of shape (n, d)
        For each point the iterate with the highest loss (start included).
    """
    X, y, eps, norm, clip = _check_inputs(model, X, y, eps, norm, clip)
    steps = check_scalar(steps, "steps", numbers.Integral, min_val=0)
    if step_size is None:
        step_size = 2.5 * eps / max(steps, 1)
    else:
        step_size = check_scalar(step_size, "step_size", min_val=0, include_min=False)
    if eps == 0:
        return X.copy()

    both = getattr(model, "loss_and_input_gradient", None)
    if not callable(both):  # a model without the fused method: two calls
        def both(Z, labels):
            return model.loss(Z, labels, reduction="none"), model.input_gradient(Z, labels)

    rng = np.random.default_rng(seed)
    X_adv = X.copy()
    if random_start:
        X_adv = _into_ball(X, X + NORMS[norm].random_in_ball(rng, X.shape, eps), eps, norm, clip)
    best = X_adv.copy()
    best_loss, grad = both(X_adv, y)
    for t in range(int(steps)):
        X_adv = _into_ball(X, X_adv + step_size * NORMS[norm].ascent(grad), eps, norm, clip)
        if t + 1 < steps:
            loss, grad = both(X_adv, y)
        else:  # the last iterate needs no gradient
            loss = model.loss(X_adv, y, reduction="none")
        better = loss > best_loss
        best[better], best_loss[better] = X_adv[better], loss[better]
    return best


_ATTACKS = {"pgd": pgd, "fgsm": fgsm}


def _run_attack(attack, model, X, y, eps, norm, attack_kwargs):
    if attack not in _ATTACKS:
        raise ValueError(f"attack must be 'pgd' or 'fgsm', got {attack!r}")
    return _ATTACKS[attack](model, X, y, eps, norm, **attack_kwargs)


# ----------------------------------------------------------------------------- evaluation
@one_blas_thread
def robust_accuracy(model, X, y, eps, norm=np.inf, attack: str = "pgd", **attack_kwargs) -> float:
    """Fraction of points still classified correctly after the attack.

    A point counts as robustly correct when the model is right both at ``x``
    (which is in its own ball) and at the attacked point ``x'``.  This is an
    *upper bound* on the true robust accuracy ``mean_i min_{z in B_eps(x_i)}
    1{f(z) = y_i}``: a stronger attack can only lower it.

    Parameters
    ----------
    model, X, y, eps, norm
        As in :func:`pgd`.
    attack : {"pgd", "fgsm"}, default "pgd"
    **attack_kwargs
        Passed on to the attack (``steps``, ``step_size``, ``seed``, ``clip``, ...).

    Returns
    -------
    float in [0, 1]
    """
    X, y, eps, norm, _ = _check_inputs(model, X, y, eps, norm, None)
    return float(_robustly_correct(model, X, y, eps, norm, attack, attack_kwargs).mean())


def _robustly_correct(model, X, y, eps, norm, attack, attack_kwargs):
    correct = model.predict(X) == y
    if eps == 0:
        return correct
    X_adv = _run_attack(attack, model, X, y, eps, norm, attack_kwargs)
    return correct & (model.predict(X_adv) == y)


@dataclass(frozen=True)
class RobustAccuracyCurve:
    """Robust accuracy as a function of eps.

    Attributes
    ----------
    eps : ndarray of shape (m,)
        Radii, sorted increasingly.
    accuracy : ndarray of shape (m,)
        Robust accuracy at each radius (nonincreasing).
    clean_accuracy : float
        Accuracy without attack.
    norm : float
        np.inf, 2.0 or 1.0.
    attack : str
        "pgd" or "fgsm".
    """

    eps: np.ndarray
    accuracy: np.ndarray
    clean_accuracy: float
    norm: float
    attack: str


@one_blas_thread
def robust_accuracy_curve(
    model, X, y, eps_values, norm=np.inf, attack: str = "pgd", **attack_kwargs
) -> RobustAccuracyCurve:
    """Robust accuracy at several radii.

    The balls are nested (``eps <= eps'`` means ``B_eps(x)`` is inside
    ``B_eps'(x)``), so an adversarial example found at a small radius also
    works at every larger one.  The curve uses that: a point counts as broken
    at ``eps`` if the attack broke it at ``eps`` or at any smaller radius of
    the list.  The curve is therefore nonincreasing, and each value is at most
    :func:`robust_accuracy` at that radius.

    Parameters
    ----------
    model, X, y, norm, attack, **attack_kwargs
        As in :func:`robust_accuracy`.
    eps_values : array-like of shape (m,)
        Radii >= 0, in any order (they are sorted).

    Returns
    -------
    RobustAccuracyCurve
    """
    X, y, _, norm, _ = _check_inputs(model, X, y, 0.0, norm, None)
    eps_values = np.asarray(eps_values, dtype=float)
    if eps_values.ndim != 1 or eps_values.size == 0:
        raise ValueError(f"eps_values must be a non-empty 1-D list of radii, got shape {eps_values.shape}")
    if not np.all(np.isfinite(eps_values)) or np.any(eps_values < 0):
        raise ValueError(f"eps_values must be finite and >= 0, got {eps_values.tolist()}")
    eps_values = np.sort(eps_values)
    still_correct = model.predict(X) == y
    clean = float(still_correct.mean())
    accuracy = np.empty(eps_values.size)
    for k, eps in enumerate(eps_values):
        still_correct &= _robustly_correct(model, X, y, float(eps), norm, attack, attack_kwargs)
        accuracy[k] = still_correct.mean()
    return RobustAccuracyCurve(eps_values, accuracy, clean, norm, attack)


# ----------------------------------------------------------------------------- training
def adversarial_training(
    model,
    X,
    y,
    eps,
    norm=np.inf,
    *,
    steps: int = 7,
    step_size: float | None = None,
    clip=None,
    seed: int = 0,
    **fit_kwargs,
):
    """PGD adversarial training: ``min_theta mean_i max_{x' in B_eps(x_i)} loss(x', y_i)``.

    Calls ``model.fit(X, y, seed=seed, attack=...)`` where the attack replaces
    each minibatch by its PGD version against the *current* weights (Madry et
    al. 2018).

    Parameters
    ----------
    model : SoftmaxRegression or MLP (anything with ``fit(..., attack=)``)
    X : array of shape (n, d)
    y : array of shape (n,)
    eps : float >= 0
        Training radius.
    norm : {np.inf, 2, 1, 'linf', 'l2', 'l1'}, default np.inf
    steps : int, default 7
        PGD steps per minibatch.
    step_size : float or None
        PGD step; ``None`` gives ``2.5 * eps / steps``.
    clip : (lo, hi) or None
        Box for the adversarial examples (e.g. (0, 1) for pixels).
    seed : int, default 0
        Seeds both the training and the PGD random starts.
    **fit_kwargs
        ``epochs``, ``lr``, ``batch_size``, ``l2``, ``momentum`` for ``fit``.

    Returns
    -------
    model
        The same object, fitted.
    """
    X = _check_X(X)
    eps, norm = _check_eps(eps), parse_norm(norm)
    clip = _check_clip(clip, X)
    if "attack" in fit_kwargs:
        raise TypeError("adversarial_training builds the attack itself; do not pass attack=")
    rng = np.random.default_rng([seed, 1])  # a stream of its own for the random starts

    def attack(current_model, Xb, yb):
        return pgd(current_model, Xb, yb, eps, norm, steps=steps, step_size=step_size,
                   random_start=True, seed=rng, clip=clip)

    return model.fit(X, y, seed=seed, attack=attack, **fit_kwargs)
