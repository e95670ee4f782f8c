"""Small classifiers in plain numpy, with backpropagation written out.

Attacks need one thing from a model: the gradient of its loss with respect to
the *input*.  Deep-learning libraries hide that behind automatic
differentiation; here both models write their backward pass by hand, so a
learner can read exactly what FGSM and PGD use.

=========================  ===================================================
:class:`SoftmaxRegression`  linear logits ``X @ W + b`` (multinomial logistic)
:class:`MLP`                one hidden layer (tanh or relu), then linear logits
=========================  ===================================================

Both share the interface the attacks rely on::

    model.fit(X, y, epochs=..., lr=..., seed=..., batch_size=..., l2=..., attack=None)
    model.predict_proba(X)       # (n, K) class probabilities, columns = model.classes_
    model.predict(X)             # (n,) labels from model.classes_
    model.loss(X, y)             # mean cross-entropy (reduction="none": per point)
    model.input_gradient(X, y)   # (n, d): row i = d loss_i / d x_i
    model.loss_and_input_gradient(X, y)  # both, from one forward pass
    model.gradients(X, y, l2=0)  # dict of parameter gradients of the training objective

The loss of a point ``(x, y)`` is the cross-entropy
``loss(x, y) = -log softmax(logits(x))_y``.  Training minimises
``mean_i loss(x_i, y_i) + l2/2 * sum ||W||_F^2`` (weight matrices only, not
biases) with minibatch SGD with momentum.  Everything random (initial
weights, minibatch order) comes from ``np.random.default_rng(seed)``.
"""
from __future__ import annotations

import numbers
from typing import Callable

import numpy as np
from sklearn.exceptions import NotFittedError as _SklearnNotFittedError

from ._blas import one_blas_thread
from ._validation import check_array, check_labels, check_scalar

__all__ = ["SoftmaxRegression", "MLP", "NotFittedError"]


# Raised when a model is used before fit: scikit-learn's own exception, so
# ``except sklearn.exceptions.NotFittedError`` catches ours too.
NotFittedError = _SklearnNotFittedError


# ----------------------------------------------------------------------------- validation
def _check_X(X, name: str = "X") -> np.ndarray:
    X = np.asarray(X)
    if X.dtype == object or not (np.issubdtype(X.dtype, np.number) or X.dtype == bool):
        raise TypeError(f"{name} must be a numeric array of shape (n, d), got dtype {X.dtype}")
    return check_array(X, name)


def _check_y(y, n: int) -> np.ndarray:
    return check_labels(y, n)


def _check_positive_int(value, name: str) -> int:
    return check_scalar(value, name, numbers.Integral, min_val=1)


def _check_nonnegative(value, name: str, *, strictly_positive: bool = False) -> float:
    return check_scalar(value, name, min_val=0, include_min=not strictly_positive)


def _softmax(logits: np.ndarray) -> np.ndarray:
    z = logits - logits.max(axis=1, keepdims=True)  # shift: exp never overflows
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def _log_softmax(logits: np.ndarray) -> np.ndarray:
    z = logits - logits.max(axis=1, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=1, keepdims=True))


# ----------------------------------------------------------------------------- base class
class _Classifier:
    """Shared training loop, losses and gradients; subclasses give the layers.

    A subclass defines ``_weight_names`` (parameters penalised by ``l2``) and

    * ``_init_params(d, K, rng) -> dict``;
    * ``_forward(X) -> (logits, cache)``;
    * ``_backward(cache, dlogits) -> (param_grads, dX)`` where ``dlogits`` is
      the gradient of the objective with respect to the logits.
    """

    _weight_names: tuple[str, ...] = ()

    # -- layers (subclasses) --------------------------------------------------
    def _init_params(self, d: int, K: int, rng: np.random.Generator) -> dict:
        raise NotImplementedError

    def _forward(self, X: np.ndarray):
        raise NotImplementedError

    def _backward(self, cache, dlogits: np.ndarray):
        raise NotImplementedError

    # -- helpers --------------------------------------------------------------
    def _check_fitted(self) -> None:
        if getattr(self, "params_", None) is None:
            raise NotFittedError(
                f"this {type(self).__name__} is not fitted yet; call fit(X, y) first"
            )

    def _check_input(self, X, name: str = "X") -> np.ndarray:
        self._check_fitted()
        X = _check_X(X, name)
        if X.shape[1] != self.n_features_in_:
            raise ValueError(
                f"{name} has {X.shape[1]} features but the model was fitted with "
                f"{self.n_features_in_}"
            )
        return X

    def _encode(self, y, n: int) -> np.ndarray:
        """Labels -> column indices into ``classes_`` (ValueError on unknown labels)."""
        y = _check_y(y, n)
        idx = np.searchsorted(self.classes_, y)
        idx = np.clip(idx, 0, len(self.classes_) - 1)
        bad = self.classes_[idx] != y
        if np.any(bad):
            raise ValueError(
                f"y contains labels the model was not fitted on: {np.unique(y[bad]).tolist()}; "
                f"known classes: {self.classes_.tolist()}"
            )
        return idx

    def _logits_and_grad(self, X, y, scale):
        """Forward pass and d(sum_i scale_i * loss_i)/d logits."""
        logits, cache = self._forward(X)
        P = _softmax(logits)
        P[np.arange(len(y)), y] -= 1.0  # d loss_i / d logits_i = softmax - onehot
        return cache, P * scale

    # -- public API -----------------------------------------------------------
    @one_blas_thread
    def fit(
        self,
        X,
        y,
        *,
        epochs: int = 100,
        lr: float = 0.1,
        seed: int = 0,
        batch_size: int = 32,
        l2: float = 0.0,
        momentum: float = 0.9,
        attack: Callable | None = None,
    ):
        """Train with minibatch SGD with momentum on the cross-entropy.

        Parameters
        ----------
        X : array of shape (n, d)
            Training inputs.
        y : array of shape (n,)
            Labels, any sortable values (at least two distinct); they are
            stored, sorted, in ``classes_``.
        epochs : int, default 100
            Passes over the data.
        lr : float, default 0.1
            Learning rate (step size of SGD).
        seed : int, default 0
            Seed for the initial weights and the minibatch order.
        batch_size : int, default 32
            Points per gradient step (the last batch of an epoch may be smaller).
        l2 : float, default 0.0
            Weight decay: the objective adds ``l2/2 * ||W||_F^2`` per weight matrix.
        momentum : float in [0, 1), default 0.9
            Heavy-ball momentum; 0 gives plain SGD.
        attack : callable or None
            Adversarial training.  If given, every minibatch ``(Xb, yb)`` is
            replaced by ``attack(self, Xb, yb)`` (same shape, e.g. a PGD
            attack on the current model) before the gradient step -- the
            inner maximisation of Madry et al. (2018).

        Returns
        -------
        self
            Fitted: ``classes_``, ``n_features_in_``, ``params_`` (dict of
            arrays) and ``loss_curve_`` (mean minibatch loss of each epoch,
            measured on the points the step was taken on).
        """
        X = _check_X(X)
        y = _check_y(y, X.shape[0])
        epochs = _check_positive_int(epochs, "epochs")
        batch_size = _check_positive_int(batch_size, "batch_size")
        lr = _check_nonnegative(lr, "lr", strictly_positive=True)
        l2 = _check_nonnegative(l2, "l2")
        momentum = _check_nonnegative(momentum, "momentum")
        if momentum >= 1:
            raise ValueError(f"momentum must lie in [0, 1), got {momentum}")
        if attack is not None and not callable(attack):
            raise TypeError(f"attack must be a callable attack(model, X, y) or None, got {attack!r}")
        classes = np.unique(y)
        if classes.size < 2:
            raise ValueError(f"y must contain at least two classes, got {classes.tolist()}")

        rng = np.random.default_rng(seed)
        self.classes_ = classes
        self.n_features_in_ = X.shape[1]
        self.params_ = self._init_params(X.shape[1], classes.size, rng)
        velocity = {k: np.zeros_like(v) for k, v in self.params_.items()}
        targets = np.searchsorted(classes, y)
        n = X.shape[0]
        self.loss_curve_ = []
        for _ in range(epochs):
            order = rng.permutation(n)
            total = 0.0
            for start in range(0, n, batch_size):
                batch = order[start:start + batch_size]
                Xb, tb = X[batch], targets[batch]
                if attack is not None:
                    Xb = np.asarray(attack(self, Xb, classes[tb]), dtype=float)
                    if Xb.shape != (batch.size, X.shape[1]):
                        raise ValueError(
                            f"attack returned shape {Xb.shape}, expected {(batch.size, X.shape[1])}"
                        )
                grads, batch_loss = self._objective_gradients(Xb, tb, l2)
                total += batch_loss * batch.size
                for k, g in grads.items():
                    velocity[k] = momentum * velocity[k] - lr * g
                    self.params_[k] += velocity[k]
            self.loss_curve_.append(total / n)
        self.loss_curve_ = np.asarray(self.loss_curve_)
        return self

    def _objective_gradients(self, X, targets, l2):
        n = X.shape[0]
        cache, dlogits = self._logits_and_grad(X, targets, 1.0 / n)
        grads, _ = self._backward(cache, dlogits)
        for k in self._weight_names:
            grads[k] = grads[k] + l2 * self.params_[k]
        logp = _log_softmax(cache["logits"])
        return grads, float(-logp[np.arange(n), targets].mean())

    @one_blas_thread
    def decision_function(self, X) -> np.ndarray:
        """Logits, shape (n, K); the predicted class is the largest column."""
        X = self._check_input(X)
        return self._forward(X)[0]

    def predict_proba(self, X) -> np.ndarray:
        """Class probabilities ``softmax(logits)``, shape (n, K), columns ``classes_``."""
        return _softmax(self.decision_function(X))

    def predict(self, X) -> np.ndarray:
        """Most probable label for each row of ``X``, shape (n,)."""
        logits = self.decision_function(X)  # checks that the model is fitted
        return self.classes_[np.argmax(logits, axis=1)]

    def accuracy(self, X, y) -> float:
        """Fraction of rows of ``X`` classified as ``y``."""
        X = self._check_input(X)
        y = _check_y(y, X.shape[0])
        return float(np.mean(self.predict(X) == y))

    @one_blas_thread
    def loss(self, X, y, *, reduction: str = "mean"):
        """Cross-entropy ``-log p_y(x)``.

        Parameters
        ----------
        X : array of shape (n, d)
        y : array of shape (n,), labels from ``classes_``
        reduction : {"mean", "sum", "none"}, default "mean"
            ``"none"`` returns the per-point losses, shape (n,).

        Returns
        -------
        float or ndarray of shape (n,)
        """
        if reduction not in ("mean", "sum", "none"):
            raise ValueError(f"reduction must be 'mean', 'sum' or 'none', got {reduction!r}")
        X = self._check_input(X)
        targets = self._encode(y, X.shape[0])
        logp = _log_softmax(self._forward(X)[0])
        losses = -logp[np.arange(X.shape[0]), targets]
        if reduction == "none":
            return losses
        return float(losses.mean() if reduction == "mean" else losses.sum())

    @one_blas_thread
    def loss_and_input_gradient(self, X, y):
        """Per-point losses and their input gradients from one forward pass.

        Returns
        -------
        losses : ndarray of shape (n,)
            Same as ``loss(X, y, reduction="none")``.
        grad : ndarray of shape (n, d)
            Same as ``input_gradient(X, y)``.
        """
        X = self._check_input(X)
        targets = self._encode(y, X.shape[0])
        cache, dlogits = self._logits_and_grad(X, targets, 1.0)
        logp = _log_softmax(cache["logits"])
        return -logp[np.arange(X.shape[0]), targets], self._backward(cache, dlogits)[1]

    @one_blas_thread
    def input_gradient(self, X, y) -> np.ndarray:
        """Gradient of each point's loss with respect to that point.

        Parameters
        ----------
        X : array of shape (n, d)
        y : array of shape (n,), labels from ``classes_``

        Returns
        -------
        ndarray of shape (n, d)
            Row ``i`` is ``d loss(x_i, y_i) / d x_i`` (not divided by ``n``):
            the direction in which an attacker on point ``i`` should move.
        """
        X = self._check_input(X)
        targets = self._encode(y, X.shape[0])
        cache, dlogits = self._logits_and_grad(X, targets, 1.0)
        return self._backward(cache, dlogits)[1]

    @one_blas_thread
    def gradients(self, X, y, *, l2: float = 0.0) -> dict:
        """Gradient of the training objective with respect to the parameters.

        The objective is ``loss(X, y) + l2/2 * sum ||W||_F^2`` over the weight
        matrices; this is what :meth:`fit` descends on each minibatch.

        Returns
        -------
        dict
            Same keys and shapes as ``params_``.
        """
        X = self._check_input(X)
        targets = self._encode(y, X.shape[0])
        l2 = _check_nonnegative(l2, "l2")
        return self._objective_gradients(X, targets, l2)[0]


# ----------------------------------------------------------------------------- models
class SoftmaxRegression(_Classifier):
    """Multinomial logistic regression: ``logits = X @ W + b``.

    Parameters (after :meth:`fit`) are ``params_["W"]`` (d, K) and
    ``params_["b"]`` (K,).  The loss is convex in them; the weights start at 0.

    Examples
    --------
    >>> from advot_teach.datasets import two_class_toy
    >>> X, y = two_class_toy(50, seed=0)
    >>> model = SoftmaxRegression().fit(X, y, epochs=20)
    >>> model.predict_proba(X).shape
    (100, 2)
    """

    _weight_names = ("W",)

    def _init_params(self, d, K, rng):
        return {"W": np.zeros((d, K)), "b": np.zeros(K)}

    def _forward(self, X):
        logits = X @ self.params_["W"] + self.params_["b"]
        return logits, {"X": X, "logits": logits}

    def _backward(self, cache, dlogits):
        grads = {"W": cache["X"].T @ dlogits, "b": dlogits.sum(axis=0)}
        return grads, dlogits @ self.params_["W"].T

    def __repr__(self) -> str:
        return "SoftmaxRegression()"


class MLP(_Classifier):
    """One hidden layer: ``logits = act(X @ W1 + b1) @ W2 + b2``.

    Parameters
    ----------
    hidden : int, default 32
        Width of the hidden layer.
    activation : {"tanh", "relu"}, default "tanh"
        Non-linearity of the hidden layer.  (relu's derivative at 0 is taken as 0.)

    Notes
    -----
    Initial weights (drawn in :meth:`fit` from its ``seed``): Glorot-uniform
    for tanh, He-normal for relu; biases start at 0.
    """

    _weight_names = ("W1", "W2")

    def __init__(self, hidden: int = 32, activation: str = "tanh"):
        self.hidden = _check_positive_int(hidden, "hidden")
        if activation not in ("tanh", "relu"):
            raise ValueError(f"activation must be 'tanh' or 'relu', got {activation!r}")
        self.activation = activation

    def _init_params(self, d, K, rng):
        h = self.hidden
        if self.activation == "tanh":
            a1, a2 = np.sqrt(6.0 / (d + h)), np.sqrt(6.0 / (h + K))
            W1, W2 = rng.uniform(-a1, a1, (d, h)), rng.uniform(-a2, a2, (h, K))
        else:
            W1 = rng.standard_normal((d, h)) * np.sqrt(2.0 / d)
            W2 = rng.standard_normal((h, K)) * np.sqrt(2.0 / h)
        return {"W1": W1, "b1": np.zeros(h), "W2": W2, "b2": np.zeros(K)}

    def _forward(self, X):
        p = self.params_
        pre = X @ p["W1"] + p["b1"]
        H = np.tanh(pre) if self.activation == "tanh" else np.maximum(pre, 0.0)
        logits = H @ p["W2"] + p["b2"]
        return logits, {"X": X, "pre": pre, "H": H, "logits": logits}

    def _backward(self, cache, dlogits):
        p = self.params_
        dH = dlogits @ p["W2"].T
        if self.activation == "tanh":
            dpre = dH * (1.0 - cache["H"] ** 2)
        else:
            dpre = dH * (cache["pre"] > 0)
        grads = {
            "W1": cache["X"].T @ dpre,
            "b1": dpre.sum(axis=0),
            "W2": cache["H"].T @ dlogits,
            "b2": dlogits.sum(axis=0),
        }
        return grads, dpre @ p["W1"].T

    def __repr__(self) -> str:
        return f"MLP(hidden={self.hidden}, activation={self.activation!r})"
