"""Tests for advot_teach.barycenters: every method against a second one."""
import numpy as np
import pytest

from advot_teach.barycenters import (
    barycenter_1d,
    entropic_barycenter_2d,
    free_support_barycenter,
    mccann_interpolation,
    multimarginal_barycenter_lp,
)
from advot_teach.transport import w_inf, w_inf_1d, wasserstein


def _w2_squared(X, a, Y, b):
    return wasserstein(a, b, X=X, Y=Y, p=2).cost


def _weighted_cost(support, mass, clouds, masses, w):
    """sum_i w_i W_2^2(barycenter, mu_i), by exact OT."""
    return sum(wi * _w2_squared(support, mass, P, m) for wi, P, m in zip(w, clouds, masses))


# ----------------------------------------------------------------- 1-D
def test_1d_barycenter_of_uniform_equal_size_samples_averages_sorted_samples():
    rng = np.random.default_rng(0)
    samples = [rng.normal(size=6), rng.exponential(size=6), rng.uniform(size=6)]
    w = np.array([0.2, 0.5, 0.3])
    result = barycenter_1d(samples, w)
    expected = sum(wi * np.sort(s) for wi, s in zip(w, samples))
    np.testing.assert_allclose(result.support, np.sort(expected), rtol=1e-12)
    np.testing.assert_allclose(result.mass, np.full(6, 1 / 6), rtol=1e-12)


def test_1d_barycenter_of_affine_images_is_the_averaged_map():
    # samples a_i z + c_i with a_i > 0 share the quantile ordering of z
    z = np.random.default_rng(1).normal(size=7)
    scales, shifts, w = [1.0, 3.0], [-2.0, 4.0], [0.25, 0.75]
    result = barycenter_1d([s * z + c for s, c in zip(scales, shifts)], w, levels=[0.5, 1.0])
    np.testing.assert_allclose(result.support, np.sort(2.5 * z + 2.5), rtol=1e-12)
    np.testing.assert_allclose(result.quantiles, [2.5 * np.median(z) + 2.5, 2.5 * z.max() + 2.5], rtol=1e-12)


@pytest.mark.parametrize("seed", range(3))
def test_lp_barycenter_equals_quantile_barycenter_in_1d(seed):
    rng = np.random.default_rng(10 + seed)
    sizes = [3, 4, 5]
    samples = [rng.normal(loc=i, size=n) for i, n in enumerate(sizes)]
    masses = [rng.random(n) + 0.1 for n in sizes]
    w = rng.random(3) + 0.1
    quantile = barycenter_1d(samples, w, masses=masses)
    lp = multimarginal_barycenter_lp(samples, w, masses=masses)
    # the same measure: W_inf between them vanishes
    assert w_inf_1d(lp.support[:, 0], quantile.support, lp.mass, quantile.mass) == pytest.approx(0, abs=1e-9)
    # and the same value, computed a third way by exact W2 to each measure
    w = w / w.sum()
    masses = [m / m.sum() for m in masses]
    value = _weighted_cost(quantile.support, quantile.mass, samples, masses, w)
    assert lp.value == pytest.approx(value, rel=1e-9)


# ----------------------------------------------------------- multimarginal LP
@pytest.mark.parametrize("seed", range(3))
def test_lp_value_is_the_weighted_w2_to_its_barycenter(seed):
    rng = np.random.default_rng(20 + seed)
    clouds = [rng.normal(size=(n, 2)) + 2 * rng.normal(size=2) for n in (3, 4, 4)]
    w = np.array([0.5, 0.3, 0.2])
    lp = multimarginal_barycenter_lp(clouds, w)
    uniform = [np.full(len(P), 1 / len(P)) for P in clouds]
    assert lp.value == pytest.approx(_weighted_cost(lp.support, lp.mass, clouds, uniform, w), rel=1e-9)
    # each atom is the weighted mean of its tuple
    means = sum(wi * P[lp.tuples[:, i]] for i, (wi, P) in enumerate(zip(w, clouds)))
    np.testing.assert_allclose(lp.support, means, atol=1e-12)
    assert lp.mass.sum() == pytest.approx(1.0)


def test_lp_and_free_support_agree_on_translates_with_the_closed_form():
    # Barycenter of translates X + v_i is X + sum w_i v_i; value sum w_i |v_i - v_bar|^2.
    rng = np.random.default_rng(30)
    X = rng.normal(size=(4, 2))
    shifts = np.array([[0.0, 0.0], [3.0, 1.0], [-1.0, 2.0]])
    w = np.array([0.2, 0.3, 0.5])
    clouds = [X + v for v in shifts]
    v_bar = w @ shifts
    closed_form = float(w @ ((shifts - v_bar) ** 2).sum(axis=1))
    lp = multimarginal_barycenter_lp(clouds, w)
    free = free_support_barycenter(clouds, w)
    assert lp.value == pytest.approx(closed_form, rel=1e-9)
    assert free.value == pytest.approx(closed_form, rel=1e-9)
    assert w_inf(lp.support, X + v_bar, lp.mass).value == pytest.approx(0, abs=1e-9)
    assert w_inf(free.support, X + v_bar).value == pytest.approx(0, abs=1e-9)


@pytest.mark.parametrize("seed", range(3))
def test_free_support_barycenter_cost_on_tiny_2d_cases(seed):
    rng = np.random.default_rng(40 + seed)
    # two clouds: the barycenter is exact for both methods, value w1 w2 W2^2
    P, Q = rng.normal(size=(4, 2)), rng.normal(size=(4, 2)) + 1
    w = np.array([0.4, 0.6])
    two = 0.4 * 0.6 * _w2_squared(P, np.full(4, 0.25), Q, np.full(4, 0.25))
    assert multimarginal_barycenter_lp([P, Q], w).value == pytest.approx(two, rel=1e-9)
    assert free_support_barycenter([P, Q], w).value == pytest.approx(two, rel=1e-9)
    # three clouds: the LP is the global optimum, the fixed point is never better
    clouds = [rng.normal(size=(3, 2)) * (i + 1) for i in range(3)]
    lp = multimarginal_barycenter_lp(clouds)
    free = free_support_barycenter(clouds)
    assert lp.value <= free.value * (1 + 1e-9)


# ----------------------------------------------------------------- McCann
def test_mccann_endpoints_and_constant_speed():
    rng = np.random.default_rng(50)
    X, Y = rng.normal(size=(5, 2)), rng.normal(size=(7, 2)) + [2.0, 0.0]
    a, b = rng.random(5), rng.random(7)
    distance = wasserstein(a, b, X=X, Y=Y, p=2).value
    start = mccann_interpolation(X, Y, 0.0, a, b)
    end = mccann_interpolation(X, Y, 1.0, a, b)
    assert w_inf(start.support, X, start.mass, a).value == pytest.approx(0, abs=1e-9)
    assert w_inf(end.support, Y, end.mass, b).value == pytest.approx(0, abs=1e-9)
    for t in (0.25, 0.6):
        middle = mccann_interpolation(X, Y, t, a, b)
        assert wasserstein(middle.mass, a, X=middle.support, Y=X, p=2).value == pytest.approx(t * distance, rel=1e-9)
        assert wasserstein(middle.mass, b, X=middle.support, Y=Y, p=2).value == pytest.approx((1 - t) * distance, rel=1e-9)
        np.testing.assert_allclose(start.at(t), middle.support)


def test_mccann_uniform_equal_size_starts_at_x_exactly():
    rng = np.random.default_rng(51)
    X, Y = rng.normal(size=(6, 2)), rng.normal(size=(6, 2))
    result = mccann_interpolation(X, Y, 0.0)
    # a permutation plan: one atom per point of X, in order
    np.testing.assert_allclose(result.support, X)
    np.testing.assert_allclose(mccann_interpolation(X, Y, 1.0).support[np.argsort(result.target[:, 0])],
                               Y[np.argsort(Y[:, 0])])


def test_mccann_is_the_two_measure_lp_barycenter():
    rng = np.random.default_rng(52)
    X, Y = rng.normal(size=(4, 2)), rng.normal(size=(5, 2)) * 2
    t = 0.3
    mid = mccann_interpolation(X, Y, t)
    lp = multimarginal_barycenter_lp([X, Y], [1 - t, t])
    assert w_inf(mid.support, lp.support, mid.mass, lp.mass).value == pytest.approx(0, abs=1e-9)


# ---------------------------------------------------------------- entropic 2-D
def _square(center, half, size=32):
    image = np.zeros((size, size))
    r, c = center
    image[r - half: r + half, c - half: c + half] = 1.0
    return image


def _centre_of_mass(image):
    rows, cols = np.indices(image.shape)
    return np.array([(image * rows).sum(), (image * cols).sum()]) / image.sum()


@pytest.mark.parametrize("reg", [0.0015, 0.004])  # log-domain and plain solver
def test_entropic_barycenter_centre_of_mass_is_the_weighted_mean(reg):
    # W2 barycenters average means: sum_i w_i E[mu_i] is the barycenter's mean.
    images = np.stack([_square((8, 8), 3), _square((22, 20), 4)])
    w = np.array([0.3, 0.7])
    result = entropic_barycenter_2d(images, w, reg=reg)
    expected = w @ np.stack([_centre_of_mass(im) for im in images])
    np.testing.assert_allclose(_centre_of_mass(result.image), expected, atol=0.05)
    assert result.image.min() >= 0
    assert result.image.sum() == pytest.approx(1.0)
    # mass sits between the two squares, not on them (no plain averaging)
    assert result.image[8, 8] < 1e-3 * result.image.max()


def test_entropic_barycenter_with_all_weight_on_one_image_stays_there():
    images = np.stack([_square((10, 12), 3), _square((24, 6), 2)])
    result = entropic_barycenter_2d(images, [1.0, 0.0], reg=0.004)
    np.testing.assert_allclose(_centre_of_mass(result.image), _centre_of_mass(images[0]), atol=0.05)


# ---------------------------------------------------------------- validation
@pytest.mark.parametrize(
    "call, error, match",
    [
        (lambda: barycenter_1d([np.zeros((2, 2))]), ValueError, "1-D samples"),
        (lambda: barycenter_1d([[0.0], [1.0]], [1.0]), ValueError, r"weights must have shape \(2,\)"),
        (lambda: barycenter_1d([[0.0], [1.0]], levels=[0.0]), ValueError, "levels"),
        (lambda: barycenter_1d([]), TypeError, "non-empty list"),
        (lambda: multimarginal_barycenter_lp([np.zeros((2, 2)), np.zeros((2, 3))]), ValueError, "same dimension"),
        (lambda: multimarginal_barycenter_lp([np.zeros((100, 1))] * 3), ValueError, "max_tuples"),
        (lambda: multimarginal_barycenter_lp([[0.0], [1.0]], masses=[[1.0]]), ValueError, "one weight vector"),
        (lambda: free_support_barycenter([[0.0, 1.0]], X_init=np.zeros((2, 2))), ValueError, "X_init"),
        (lambda: mccann_interpolation([0.0], [1.0], 1.5), ValueError, "t must be a finite number >= 0 and <= 1"),
        (lambda: mccann_interpolation([0.0], [1.0], "0.5"), TypeError, "t must be"),
        (lambda: entropic_barycenter_2d(np.zeros((2, 4))), ValueError, r"shape \(K, h, w\)"),
        (lambda: entropic_barycenter_2d(-np.ones((1, 4, 4))), ValueError, "non-negative"),
        (lambda: entropic_barycenter_2d(np.ones((1, 4, 4)), reg=0.0), ValueError, "reg"),
        (lambda: entropic_barycenter_2d(np.zeros((1, 4, 4))), ValueError, "positive total"),
    ],
)
def test_validation_errors_name_the_argument(call, error, match):
    with pytest.raises(error, match=match):
        call()
