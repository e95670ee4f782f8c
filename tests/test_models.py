"""Tests of advot_teach.models: hand-written backprop against finite differences,
the convex model against scikit-learn's exact optimum, accuracy, validation."""
import numpy as np
import pytest

from advot_teach.models import MLP, NotFittedError, SoftmaxRegression
from advot_teach.datasets import digits, three_blobs, two_class_toy

MODELS = [SoftmaxRegression(), MLP(7, "tanh"), MLP(7, "relu")]
IDS = ["softmax", "mlp-tanh", "mlp-relu"]


@pytest.fixture(scope="module")
def three_class():
    return three_blobs(20, spread=0.5, seed=3)


def _fitted(model, X, y, **kw):
    # a few epochs only: we want generic (not converged) weights for gradient checks
    return model.fit(X, y, epochs=3, lr=0.05, seed=1, **kw)


@pytest.mark.parametrize("model", MODELS, ids=IDS)
def test_input_gradient_matches_central_differences(model, three_class):
    X, y = three_class
    _fitted(model, X, y)
    X, y = X[:12], y[:12]
    grad = model.input_gradient(X, y)
    assert grad.shape == X.shape
    h = 1e-6
    numeric = np.zeros_like(X)
    for j in range(X.shape[1]):
        step = np.zeros_like(X)
        step[:, j] = h
        # per-point losses: row i of the gradient only involves point i
        numeric[:, j] = (model.loss(X + step, y, reduction="none")
                         - model.loss(X - step, y, reduction="none")) / (2 * h)
    np.testing.assert_allclose(grad, numeric, rtol=1e-5, atol=1e-8)


@pytest.mark.parametrize("model", MODELS, ids=IDS)
def test_parameter_gradients_match_central_differences(model, three_class):
    X, y = three_class
    _fitted(model, X, y)
    l2 = 0.3
    grads = model.gradients(X, y, l2=l2)
    assert set(grads) == set(model.params_)

    def objective():
        penalty = sum((model.params_[k] ** 2).sum() for k in model._weight_names)
        return model.loss(X, y) + 0.5 * l2 * penalty

    h = 1e-6
    for name, param in model.params_.items():
        numeric = np.zeros_like(param)
        for idx in np.ndindex(param.shape):
            old = param[idx]
            param[idx] = old + h
            up = objective()
            param[idx] = old - h
            down = objective()
            param[idx] = old
            numeric[idx] = (up - down) / (2 * h)
        np.testing.assert_allclose(grads[name], numeric, rtol=1e-5, atol=1e-8, err_msg=name)


def test_softmax_regression_reaches_sklearn_optimum():
    # Same strongly convex objective: mean CE + l2/2 ||W||^2 (intercept free)
    # equals sklearn's 1/2 ||W||^2 + C * sum CE with C = 1 / (n * l2).
    from sklearn.linear_model import LogisticRegression

    X, y = three_blobs(30, spread=0.5, seed=5)
    l2 = 0.05
    ours = SoftmaxRegression().fit(X, y, epochs=800, lr=0.5, batch_size=len(y), l2=l2)
    ref = LogisticRegression(C=1.0 / (len(y) * l2), tol=1e-12, max_iter=10_000).fit(X, y)
    np.testing.assert_allclose(ours.params_["W"], ref.coef_.T, atol=1e-6)
    np.testing.assert_allclose(ours.predict_proba(X), ref.predict_proba(X), atol=1e-7)


def test_probabilities_are_softmax_of_logits():
    X, y = two_class_toy(10, seed=0)
    model = SoftmaxRegression().fit(X, y, epochs=2)
    model.params_["W"] = np.array([[1.0, -2.0], [0.5, 3.0]])
    model.params_["b"] = np.array([0.25, -0.75])
    x = np.array([[2.0, -1.0]])
    logits = np.array([2 * 1.0 - 1 * 0.5 + 0.25, 2 * -2.0 - 1 * 3.0 - 0.75])
    expected = np.exp(logits) / np.exp(logits).sum()
    np.testing.assert_allclose(model.predict_proba(x)[0], expected, rtol=1e-14)
    assert model.predict(x)[0] == 0
    np.testing.assert_allclose(model.loss(x, [1]), -np.log(expected[1]), rtol=1e-13)
    # huge logits must not overflow
    assert np.all(np.isfinite(model.predict_proba(1e6 * x)))


@pytest.mark.parametrize("model", [SoftmaxRegression(), MLP(16)], ids=["softmax", "mlp"])
def test_accuracy_on_toy_data_is_near_bayes(model):
    # Blobs at (+-1, 0), std 0.6: Bayes accuracy Phi(1/0.6) = 0.952.
    X, y = two_class_toy(200, seed=0)
    X_test, y_test = two_class_toy(200, seed=1)
    model.fit(X, y, epochs=30, lr=0.05)
    assert model.accuracy(X_test, y_test) >= 0.92


@pytest.mark.parametrize("model", [SoftmaxRegression(), MLP(32)], ids=["softmax", "mlp"])
def test_accuracy_on_digits_well_above_chance(model):
    X, y = digits()
    perm = np.random.default_rng(0).permutation(len(y))
    train, test = perm[:1200], perm[1200:]
    model.fit(X[train], y[train], epochs=20, lr=0.05)
    assert model.accuracy(X[test], y[test]) >= 0.93  # chance is 0.10


def test_arbitrary_labels_are_kept():
    X, y = two_class_toy(30, seed=2)
    names = np.where(y == 0, "cat", "dog")
    model = MLP(8).fit(X, names, epochs=10)
    assert model.classes_.tolist() == ["cat", "dog"]
    assert set(model.predict(X)) <= {"cat", "dog"}
    np.testing.assert_array_equal(model.predict(X) == "dog", model.predict_proba(X)[:, 1] > 0.5)
    shifted = SoftmaxRegression().fit(X, 10 * y + 7, epochs=10)
    plain = SoftmaxRegression().fit(X, y, epochs=10)
    np.testing.assert_array_equal(shifted.predict(X), 10 * plain.predict(X) + 7)
    np.testing.assert_allclose(shifted.input_gradient(X, 10 * y + 7), plain.input_gradient(X, y))


def test_training_is_deterministic_and_seeded():
    X, y = three_blobs(20, spread=0.5, seed=0)
    a = MLP(8).fit(X, y, epochs=5, seed=4)
    b = MLP(8).fit(X, y, epochs=5, seed=4)
    c = MLP(8).fit(X, y, epochs=5, seed=5)
    for k in a.params_:
        np.testing.assert_array_equal(a.params_[k], b.params_[k])
    assert not np.allclose(a.params_["W1"], c.params_["W1"])
    assert a.loss_curve_.shape == (5,)


def test_loss_decreases_during_training():
    X, y = three_blobs(30, spread=0.5, seed=0)
    model = MLP(16).fit(X, y, epochs=40, lr=0.05)
    assert model.loss_curve_[-1] < 0.6 * model.loss_curve_[0]


def test_identity_attack_changes_nothing_and_sees_current_model():
    X, y = three_blobs(15, spread=0.5, seed=1)
    calls = []

    def identity(model, Xb, yb):
        calls.append((Xb.shape, set(yb)))
        assert model.params_ is not None
        return Xb

    a = MLP(5).fit(X, y, epochs=2, batch_size=16, attack=identity)
    b = MLP(5).fit(X, y, epochs=2, batch_size=16)
    for k in a.params_:
        np.testing.assert_array_equal(a.params_[k], b.params_[k])
    assert len(calls) == 2 * 3 and calls[0][0] == (16, 2)
    assert all(labels <= {0, 1, 2} for _, labels in calls)  # original labels, not indices


def test_attack_that_moves_points_changes_training():
    X, y = two_class_toy(20, seed=1)
    a = SoftmaxRegression().fit(X, y, epochs=3, attack=lambda m, Xb, yb: Xb + 1.0)
    b = SoftmaxRegression().fit(X, y, epochs=3)
    assert not np.allclose(a.params_["b"], b.params_["b"])


def test_validation_errors():
    X, y = two_class_toy(10, seed=0)
    model = SoftmaxRegression()
    import sklearn.exceptions

    assert NotFittedError is sklearn.exceptions.NotFittedError
    with pytest.raises(NotFittedError, match="fit"):
        model.predict(X)
    with pytest.raises(ValueError, match="2-D"):
        model.fit(X[:, 0], y)
    with pytest.raises(ValueError, match="same number of rows"):
        model.fit(X, y[:-1])
    with pytest.raises(ValueError, match="two classes"):
        model.fit(X, np.zeros(len(X)))
    with pytest.raises(ValueError, match="NaN"):
        model.fit(np.where(X > 1, np.nan, X), y)
    with pytest.raises(ValueError, match="epochs"):
        model.fit(X, y, epochs=0)
    with pytest.raises(TypeError, match="epochs"):
        model.fit(X, y, epochs=2.5)
    with pytest.raises(ValueError, match="lr"):
        model.fit(X, y, lr=-1.0)
    with pytest.raises(ValueError, match="momentum"):
        model.fit(X, y, momentum=1.0)
    with pytest.raises(TypeError, match="attack"):
        model.fit(X, y, attack="pgd")
    with pytest.raises(ValueError, match="attack returned shape"):
        model.fit(X, y, epochs=1, attack=lambda m, Xb, yb: Xb[:, :1])
    model.fit(X, y, epochs=1)
    with pytest.raises(ValueError, match="features"):
        model.predict(np.zeros((3, 5)))
    with pytest.raises(ValueError, match="not fitted on"):
        model.loss(X, y + 5)
    with pytest.raises(ValueError, match="reduction"):
        model.loss(X, y, reduction="max")
    with pytest.raises(ValueError, match="activation"):
        MLP(4, activation="sigmoid")
    with pytest.raises(TypeError, match="hidden"):
        MLP(hidden=3.0)
