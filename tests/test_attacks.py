"""Tests of advot_teach.attacks.

Ground truths: the exact worst case of a linear binary model (move against
w by eps, gain eps * ||w||_dual), brute-force grid search of the ball in 2-D,
the variational inequality of a projection, and the nesting of balls.
"""
import numpy as np
import pytest

from advot_teach.attacks import (
    adversarial_training,
    fgsm,
    perturbation_norms,
    pgd,
    project,
    robust_accuracy,
    robust_accuracy_curve,
)
from advot_teach.models import MLP, SoftmaxRegression
from advot_teach.datasets import digits, three_blobs, two_class_toy

NORMS = [np.inf, 2, 1]
DUAL = {np.inf: 1, 2: 2, 1: np.inf}  # dual exponent: ||.||_inf <-> ||.||_1, ||.||_2 <-> ||.||_2


@pytest.fixture(scope="module")
def toy():
    X, y = two_class_toy(60, seed=0)
    return X, y, SoftmaxRegression().fit(X, y, epochs=30, lr=0.1)


@pytest.fixture(scope="module")
def toy_mlp():
    X, y = three_blobs(30, spread=0.5, seed=1)
    return X, y, MLP(16).fit(X, y, epochs=60, lr=0.05)


@pytest.fixture(scope="module")
def digit_data():
    X, y = digits(n_per_class=60, seed=0)
    perm = np.random.default_rng(0).permutation(len(y))
    train, test = perm[:450], perm[450:]
    model = MLP(32).fit(X[train], y[train], epochs=25, lr=0.05)
    return X[train], y[train], X[test], y[test], model


def _margins(model, X, y):
    """Signed margin s_i (w.x_i + b) of a two-class softmax model, and w."""
    W, b = model.params_["W"], model.params_["b"]
    w, c = W[:, 1] - W[:, 0], b[1] - b[0]
    sign = np.where(y == model.classes_[1], 1.0, -1.0)
    return sign * (X @ w + c), w


# ----------------------------------------------------------------------------- the ball
@pytest.mark.parametrize("norm", NORMS)
@pytest.mark.parametrize("clip", [None, (-3.0, 3.0)])
def test_perturbations_stay_in_closed_ball_exactly(toy_mlp, norm, clip):
    X, y, model = toy_mlp
    for eps in [1e-7, 0.1, 0.3, 1.0, 2.5]:
        for X_adv in (fgsm(model, X, y, eps, norm, clip=clip),
                      pgd(model, X, y, eps, norm, steps=5, clip=clip, seed=2)):
            assert X_adv.shape == X.shape
            assert np.all(perturbation_norms(X, X_adv, norm) <= eps)  # no tolerance
            D = X_adv - X
            raw = np.linalg.norm(D, ord=norm, axis=1)
            assert np.all(raw <= eps)
            if clip is not None:
                assert X_adv.min() >= clip[0] and X_adv.max() <= clip[1]


@pytest.mark.parametrize("norm", NORMS)
def test_ball_is_exact_where_rounding_bites(norm):
    # Large coordinates and a tiny eps: X + eps*sign(g) often rounds outside.
    rng = np.random.default_rng(0)
    X = rng.uniform(-1, 1, (200, 3))
    y = (X[:, 0] > 0).astype(int)
    model = SoftmaxRegression().fit(X, y, epochs=5)
    X_big = 1e3 * X + 0.1
    model.params_["W"] = model.params_["W"] * 1e-3
    for eps in [1e-9, 3e-7, 0.1, 0.3]:
        for X_adv in (fgsm(model, X_big, y, eps, norm), pgd(model, X_big, y, eps, norm, steps=3)):
            assert np.all(perturbation_norms(X_big, X_adv, norm) <= eps)


@pytest.mark.parametrize("norm", NORMS)
def test_projection_satisfies_variational_inequality(norm):
    # p = Proj(delta) iff p is in the ball and <delta - p, z - p> <= 0 for all z in it.
    rng = np.random.default_rng(1)
    delta = rng.normal(scale=2.0, size=(50, 4))
    eps = 1.3
    p = project(delta, eps, norm)
    assert np.all(np.linalg.norm(p, ord=norm, axis=1) <= eps + 1e-12)
    z = rng.uniform(-1, 1, (500, 4))
    z = project(z * eps, eps, norm)  # points of the ball, many on its boundary
    z = np.concatenate([z, project(100 * z, eps, norm)])  # points on the boundary
    inner = np.einsum("id,jd->ij", delta - p, z) - np.einsum("id,id->i", delta - p, p)[:, None]
    assert inner.max() <= 1e-10
    inside = np.linalg.norm(delta, ord=norm, axis=1) <= eps
    np.testing.assert_array_equal(p[inside], delta[inside])


# ----------------------------------------------------------------------------- closed form
@pytest.mark.parametrize("norm", NORMS)
def test_linear_model_worst_case_is_reached(toy, norm):
    # For logits difference w.x + c the loss of (x, y) is log(1 + exp(-m)), m the
    # signed margin; over the ball the smallest margin is m - eps * ||w||_dual,
    # reached at x - s * eps * sign(w) (linf), x - s * eps * w / ||w||_2 (l2) or
    # x - s * eps * sign(w_i) e_i with i the largest |w_i| (l1).
    X, y, model = toy
    m, w = _margins(model, X, y)
    for eps in [0.05, 0.2, 0.5]:
        worst = m - eps * np.linalg.norm(w, ord=DUAL[norm])
        for X_adv in (fgsm(model, X, y, eps, norm),
                      pgd(model, X, y, eps, norm, steps=10, random_start=(norm == np.inf))):
            np.testing.assert_allclose(_margins(model, X_adv, y)[0], worst, atol=1e-12)
            np.testing.assert_allclose(model.loss(X_adv, y, reduction="none"),
                                       np.logaddexp(0, -worst), rtol=1e-10)
        # with a random start the l2 iterates approach the optimum geometrically
        approx = _margins(model, pgd(model, X, y, eps, 2, steps=40, step_size=eps / 2), y)[0]
        np.testing.assert_allclose(approx, m - eps * np.linalg.norm(w), atol=1e-4 * eps)
        # exact robust accuracy of a linear model: margin must exceed eps * ||w||_dual
        expected = np.mean(worst > 0)
        assert robust_accuracy(model, X, y, eps, norm, attack="fgsm") == expected
        assert robust_accuracy(model, X, y, eps, norm) == expected


def test_zero_gradient_does_not_move_l2(toy):
    X, y, model = toy
    flat = SoftmaxRegression().fit(X, y, epochs=1)
    flat.params_["W"][:] = 0.0  # constant model: input gradient is exactly 0
    np.testing.assert_array_equal(flat.input_gradient(X, y), 0.0)
    np.testing.assert_array_equal(fgsm(flat, X, y, 0.5, 2), X)
    np.testing.assert_array_equal(fgsm(flat, X, y, 0.5, np.inf), X)


# ----------------------------------------------------------------------------- strength
@pytest.mark.parametrize("norm, eps", [(np.inf, 0.1), (2, 0.8)])
def test_pgd_at_least_as_strong_as_fgsm_on_trained_model(digit_data, norm, eps):
    _, _, X, y, model = digit_data
    clean = model.loss(X, y, reduction="none")
    loss_fgsm = model.loss(fgsm(model, X, y, eps, norm, clip=(0, 1)), y, reduction="none")
    loss_pgd = model.loss(pgd(model, X, y, eps, norm, clip=(0, 1)), y, reduction="none")
    assert loss_fgsm.mean() > clean.mean()
    assert loss_pgd.mean() >= loss_fgsm.mean()
    assert np.mean(loss_pgd >= clean) >= 0.99
    assert (robust_accuracy(model, X, y, eps, norm, clip=(0, 1))
            <= robust_accuracy(model, X, y, eps, norm, attack="fgsm", clip=(0, 1)))


@pytest.mark.parametrize("norm", NORMS)
def test_pgd_matches_grid_search_of_the_ball(toy_mlp, norm):
    # Second method: evaluate the loss on a fine grid of the 2-D ball.
    X, y, model = toy_mlp
    X, y, eps = X[::3], y[::3], 0.4
    t = np.linspace(-eps, eps, 161)
    grid = np.stack(np.meshgrid(t, t), axis=-1).reshape(-1, 2)
    if norm == 2:
        angles = np.linspace(0, 2 * np.pi, 2000, endpoint=False)
        grid = np.concatenate([grid[np.linalg.norm(grid, axis=1) <= eps],
                               eps * np.column_stack([np.cos(angles), np.sin(angles)])])
    if norm == 1:
        s = np.linspace(-1, 1, 2001)
        boundary = eps * np.concatenate([np.column_stack([s, 1 - np.abs(s)]), np.column_stack([s, np.abs(s) - 1])])
        grid = np.concatenate([grid[np.abs(grid).sum(axis=1) <= eps], boundary])
    grid_max = np.array([model.loss(x + grid, np.full(len(grid), label), reduction="none").max()
                         for x, label in zip(X, y)])
    found = model.loss(pgd(model, X, y, eps, norm, steps=50, step_size=eps / 10), y,
                       reduction="none")
    assert np.all(found <= grid_max + 1e-3 * (1 + grid_max))  # cannot beat the true sup
    # the loss of an MLP is not concave: a few points end in a local maximum
    assert np.mean(found >= grid_max - 1e-3 * (1 + grid_max)) >= 0.8


# ----------------------------------------------------------------------------- accuracy
@pytest.mark.parametrize("norm", NORMS)
def test_robust_accuracy_curve(digit_data, norm):
    _, _, X, y, model = digit_data
    eps_values = [0.3, 0.0, 0.05, 0.1, 0.2] if norm == np.inf else [0, 0.5, 1, 2, 3]
    # l1's steepest ascent moves one pixel at a time and stalls where that
    # pixel is clipped, so l1 is attacked without the pixel box here.
    clip = None if norm == 1 else (0, 1)
    curve = robust_accuracy_curve(model, X, y, eps_values, norm, clip=clip)
    assert curve.eps.tolist() == sorted(eps_values)
    clean = np.mean(model.predict(X) == y)
    assert curve.clean_accuracy == clean == curve.accuracy[0]
    assert robust_accuracy(model, X, y, 0.0, norm) == clean
    assert np.all(np.diff(curve.accuracy) <= 0)
    assert curve.accuracy[-1] < 0.5 * clean  # a large ball breaks an undefended model
    for eps, acc in zip(curve.eps, curve.accuracy):
        assert acc <= robust_accuracy(model, X, y, eps, norm, clip=(0, 1))


def test_eps_zero_returns_input_and_pgd_is_seeded(toy_mlp):
    X, y, model = toy_mlp
    np.testing.assert_array_equal(pgd(model, X, y, 0.0), X)
    np.testing.assert_array_equal(fgsm(model, X, y, 0.0, 2), X)
    a = pgd(model, X, y, 0.3, steps=2, seed=7)
    np.testing.assert_array_equal(a, pgd(model, X, y, 0.3, steps=2, seed=7))
    np.testing.assert_array_equal(a, pgd(model, X, y, 0.3, steps=2,
                                         seed=np.random.default_rng(7)))
    assert not np.array_equal(a, pgd(model, X, y, 0.3, steps=2, seed=8))


def test_adversarial_training_buys_robustness(digit_data):
    X_train, y_train, X, y, standard = digit_data
    eps = 0.1
    robust = adversarial_training(MLP(32), X_train, y_train, eps, np.inf, clip=(0, 1),
                                  epochs=25, lr=0.05)
    before = robust_accuracy(standard, X, y, eps, np.inf, clip=(0, 1))
    after = robust_accuracy(robust, X, y, eps, np.inf, clip=(0, 1))
    assert after >= before + 0.15
    assert np.mean(robust.predict(X) == y) >= 0.85


# ----------------------------------------------------------------------------- errors
def test_bad_inputs_raise_clear_errors(toy):
    X, y, model = toy
    with pytest.raises(ValueError, match="eps"):
        fgsm(model, X, y, -0.1)
    with pytest.raises(ValueError, match="eps"):
        pgd(model, X, y, np.nan)
    with pytest.raises(TypeError, match="eps"):
        pgd(model, X, y, "0.1")
    for bad in [3, "l3", 0.5]:
        with pytest.raises(ValueError, match="norm"):
            fgsm(model, X, y, 0.1, bad)
    with pytest.raises(TypeError, match="norm"):
        fgsm(model, X, y, 0.1, None)
    np.testing.assert_array_equal(fgsm(model, X, y, 0.1, "linf"), fgsm(model, X, y, 0.1, np.inf))
    np.testing.assert_array_equal(fgsm(model, X, y, 0.1, "l2"), fgsm(model, X, y, 0.1, 2))
    with pytest.raises(ValueError, match="steps"):
        pgd(model, X, y, 0.1, steps=-1)
    with pytest.raises(ValueError, match="step_size"):
        pgd(model, X, y, 0.1, step_size=0.0)
    with pytest.raises(ValueError, match="clip"):
        pgd(model, X, y, 0.1, clip=(0, 1))  # X is not inside [0, 1]
    with pytest.raises(ValueError, match="lo < hi"):
        fgsm(model, X, y, 0.1, clip=(1, 0))
    with pytest.raises(ValueError, match="y must have shape"):
        fgsm(model, X, y[:-1], 0.1)
    with pytest.raises(ValueError, match="not fitted on"):
        fgsm(model, X, y + 2, 0.1)
    with pytest.raises(TypeError, match="input_gradient"):
        fgsm(object(), X, y, 0.1)
    with pytest.raises(ValueError, match="attack"):
        robust_accuracy(model, X, y, 0.1, attack="cw")
    with pytest.raises(ValueError, match="eps_values"):
        robust_accuracy_curve(model, X, y, [0.1, -0.1])
    with pytest.raises(TypeError, match="attack="):
        adversarial_training(SoftmaxRegression(), X, y, 0.1, attack=None)
