"""Tests of the training data sets in advot_teach.datasets: shapes, seeding, scaling, validation."""
import numpy as np
import pytest

from advot_teach.datasets import digits, three_blobs, two_class_toy, two_moons


def test_blobs_shapes_labels_and_seeding():
    X, y = two_class_toy(40, seed=3)
    assert X.shape == (80, 2) and y.tolist() == [0] * 40 + [1] * 40
    np.testing.assert_array_equal(X, two_class_toy(40, seed=3)[0])
    assert not np.allclose(X, two_class_toy(40, seed=4)[0])
    # class means near the centres (-1, 0) and (1, 0): 40 draws, std 0.6
    np.testing.assert_allclose(X[y == 0].mean(0), [-1, 0], atol=0.3)
    np.testing.assert_allclose(X[y == 1].mean(0), [1, 0], atol=0.3)
    X3, y3 = three_blobs(500, spread=0.5, seed=0)
    means = np.array([X3[y3 == k].mean(0) for k in range(3)])
    np.testing.assert_allclose(np.linalg.norm(means, axis=1), 1.0, atol=0.08)
    pair = np.linalg.norm(means[:, None] - means[None], axis=-1)[np.triu_indices(3, 1)]
    np.testing.assert_allclose(pair, np.sqrt(3), atol=0.1)


def test_moons_lie_on_their_half_circles():
    X, y = two_moons(50, seed=2, noise=0.0)
    assert X.shape == (100, 2) and y.tolist() == [0] * 50 + [1] * 50
    np.testing.assert_allclose(np.linalg.norm(X[y == 0], axis=1), 1.0)
    np.testing.assert_allclose(np.linalg.norm(X[y == 1] - [1.0, 0.5], axis=1), 1.0)
    assert np.all(X[y == 0, 1] >= 0) and np.all(X[y == 1, 1] <= 0.5)
    noisy, _ = two_moons(50, seed=2, noise=0.1)
    np.testing.assert_array_equal(noisy, two_moons(50, seed=2, noise=0.1)[0])
    assert 0.05 < np.std(noisy - X) < 0.15


def test_digits_scaled_and_subsampled():
    X, y = digits()
    assert X.shape == (1797, 64) and X.min() == 0.0 and X.max() == 1.0
    Xs, ys = digits(classes=[3, 8], n_per_class=25, seed=1)
    assert Xs.shape == (50, 64) and sorted(set(ys)) == [3, 8]
    assert np.bincount(ys)[[3, 8]].tolist() == [25, 25]
    np.testing.assert_array_equal(Xs, digits([3, 8], 25, seed=1)[0])
    # each subsampled image is a real image of its class
    full = {tuple(row): label for row, label in zip(X, y)}
    assert all(full[tuple(row)] == label for row, label in zip(Xs, ys))


def test_validation():
    with pytest.raises(ValueError, match="n_per_class"):
        two_class_toy(0)
    with pytest.raises(ValueError, match="noise"):
        two_moons(10, noise=-0.1)
    with pytest.raises(TypeError, match="n_per_class"):
        three_blobs(2.5)
    with pytest.raises(ValueError, match="digits 0..9"):
        digits(classes=[1, 10])
    with pytest.raises(ValueError, match="exceeds"):
        digits(classes=[0], n_per_class=1000)
