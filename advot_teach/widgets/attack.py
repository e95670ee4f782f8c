"""The attack explorer: a trained model's decision regions and its PGD/FGSM
adversarial examples as eps grows.

Every slider stop is attacked once (per attack and norm) and cached.
"""
from __future__ import annotations

import numbers

import numpy as np
from matplotlib.lines import Line2D
from matplotlib import patheffects
from matplotlib.patches import Patch

from .. import plots
from .._validation import check_eps, parse_norm
from ._base import Explorer, check_points, check_positive, clean, segments, slider


_HALO = [patheffects.withStroke(linewidth=4, foreground="white")]

class AttackExplorer(Explorer):
    """See :func:`attack_explorer`."""

    def __init__(self, model, X, y, *, norm=np.inf, eps_max=1.0, attack="pgd", eps=None, steps=50,
                 resolution=150):
        import ipywidgets as widgets

        for method in ("predict", "predict_proba", "input_gradient", "loss"):
            if not callable(getattr(model, method, None)):
                raise TypeError(f"model must have a {method}() method (e.g. advot_teach.models.MLP); "
                                f"got {type(model).__name__}")
        X = check_points(X, "X")
        y = np.asarray(y)
        if y.ndim != 1 or len(y) != len(X):
            raise ValueError(f"y must have one label per row of X: shape {y.shape} for {len(X)} points")
        norm = parse_norm(norm)
        if norm not in (2.0, np.inf):
            raise ValueError(f"norm must be np.inf or 2 for the attacks; got {norm}")
        if attack not in ("pgd", "fgsm"):
            raise ValueError(f"attack must be 'pgd' or 'fgsm'; got {attack!r}")
        eps_max = check_positive(eps_max, "eps_max")
        if isinstance(steps, bool) or not isinstance(steps, numbers.Integral) or steps < 1:
            raise ValueError(f"steps must be a positive integer; got {steps!r}")
        classes = np.asarray(getattr(model, "classes_", np.unique(y)))
        missing = np.setdiff1d(np.unique(y), classes)
        if len(missing):
            raise ValueError(f"y holds labels the model does not know: {missing.tolist()}")
        self.model, self.X, self.y, self.classes = model, X, y, classes
        self.codes = np.searchsorted(classes, y) if np.all(classes[:-1] <= classes[1:]) else \
            np.array([classes.tolist().index(v) for v in y.tolist()])
        self.eps_max, self._steps = eps_max, int(steps)
        self.eps_grid = np.linspace(0.0, eps_max, self._steps + 1)
        self._cache = {}
        self.extent = plots.data_extent(X, margin=0.12, pad=0.5 * eps_max)
        self._grid, self._grid_shape = plots.grid_points(self.extent, int(resolution))
        self.clean_correct = np.asarray(model.predict(X)) == y

        eps = float(self.eps_grid[self._steps // 3]) if eps is None else check_eps(eps, allow_inf=False)
        self.slider = slider("ε", eps, eps_max, steps=self._steps)
        self.attack = widgets.Dropdown(options=[("PGD (10 steps)", "pgd"), ("FGSM (1 step)", "fgsm")],
                                       value=attack, description="attack", layout=widgets.Layout(width="260px"))
        self.norm = widgets.Dropdown(options=[("ℓ∞", np.inf), ("ℓ2", 2.0)], value=norm, description="norm",
                                     layout=widgets.Layout(width="160px"))
        self._draw_static()
        self._finish([self.slider, self.attack, self.norm], observed=[self.attack, self.norm])

    # -- attacks (cached per attack, norm and eps) ----------------------------
    def adversarial(self, eps):
        """Adversarial examples at eps for the current attack and norm.

        Returns
        -------
        X_adv : ndarray, shape (n, 2)
        robust : ndarray of bool, shape (n,)
            Correct on x and on x_adv, as in :func:`advot_teach.attacks.robust_accuracy`.
        """
        from .. import attacks

        key = (self.attack.value, self.norm.value, clean(eps))
        if key not in self._cache:
            run = attacks.pgd if self.attack.value == "pgd" else attacks.fgsm
            X_adv = self.X.copy() if eps == 0 else run(self.model, self.X, self.y, float(eps), self.norm.value)
            robust = self.clean_correct & (np.asarray(self.model.predict(X_adv)) == self.y)
            self._cache[key] = (X_adv, robust)
        return self._cache[key]

    def curve(self):
        """Robust accuracy at every slider stop, shape (steps + 1,)."""
        return np.array([self.adversarial(e)[1].mean() for e in self.eps_grid])

    # -- drawing -------------------------------------------------------------
    def _draw_static(self):
        K = len(self.classes)
        with self._style():
            ax, _, cax = self._panels(map=6.4, curve=5.0, height=0.76)
            self._static_ax, self._static_curve_ax = ax, cax
            proba = np.asarray(self.model.predict_proba(self._grid)).reshape(*self._grid_shape, K)
            # the model answers its most likely class: draw those decisions (its
            # soft scores are not a hedging classifier and would all be striped)
            plots.draw_partition(ax, np.eye(K)[proba.argmax(axis=-1)], self.extent, self.classes, legend=False)
            plots.draw_data(ax, self.X, self.codes, classes=np.arange(K), legend=False, size=30, alpha=0.9)
            self._frame_map(ax, self.extent)
            ax.set_title("model, clean points and their attacks")
            regions = [Patch(facecolor=shade, edgecolor="0.5", label=f"model answers {c}")
                       for c, shade in zip(self.classes, plots.class_map_colors(K))]
            self._map_handles = plots.class_legend_handles(self.classes) + regions + [
                Line2D([], [], linestyle="none", marker="o", markerfacecolor="none", markeredgecolor="black",
                       markersize=8, label="attacked point"),
                Line2D([], [], linestyle="none", marker="x", color="#D55E00", markersize=8, markeredgewidth=2,
                       label="fools the model", path_effects=_HALO),
            ]
            self._map_legend()
            self._static_curve = cax.plot(self.eps_grid, self.curve(), "-o", color="#0072B2", markersize=3,
                                          label="robust accuracy")[0]
            cax.axhline(self.clean_correct.mean(), color="0.4", linestyle=":", label="clean accuracy")
            cax.set_xlim(0, self.eps_max)
            cax.set_ylim(-0.02, 1.02)
            cax.set_xlabel(r"budget $\varepsilon$")
            cax.set_ylabel("robust accuracy")
            cax.grid(alpha=0.3)
            cax.legend(loc="upper right")
            self._curve_title = cax.set_title(self._curve_label())

    def _map_legend(self):
        """The map's legend, with the eps-ball drawn in the current norm's shape;
        under the map, not over the points it explains."""
        ax = self._static_ax
        if ax.get_legend() is not None:
            ax.get_legend().remove()
        ax.legend(handles=[*self._map_handles, plots.ball_legend_handle(self.norm.value)], loc="upper center",
                  bbox_to_anchor=(0.5, -0.02), ncol=4, frameon=False, fontsize=10, handlelength=1.4,
                  columnspacing=1.2)

    def _curve_label(self):
        name = "PGD" if self.attack.value == "pgd" else "FGSM"
        norm = "ℓ∞" if self.norm.value == np.inf else "ℓ2"
        return f"accuracy under {name} ({norm} balls)"

    def _draw_live(self):
        K = len(self.classes)
        ax = self.ax = self._live_axes(self._static_ax)
        self.curve_ax = cax = self._live_axes(self._static_curve_ax)
        eps = self.slider.value
        self.artists = {
            "balls": plots.draw_balls(ax, self.X, eps, self.norm.value, y=self.codes, classes=np.arange(K),
                                      alpha=0.0, edge_alpha=0.35 if len(self.X) <= 60 else 0.12),
            "arrows": ax.add_collection(segments([], color="0.15", linewidth=0.9, alpha=0.8, zorder=5)),
            # dark outlines: the attacked point shows on its own class's region too
            "adversarial": [ax.scatter(np.zeros(0), np.zeros(0), s=30, marker=m, facecolors="none",
                                       edgecolors="0.1", linewidths=1.1, zorder=6)
                            for m in plots.class_markers(K)],
            # a white halo keeps the cross visible on dark regions and in greyscale
            "fooled": ax.scatter(np.zeros(0), np.zeros(0), s=38, marker="x", color="#D55E00", linewidths=2,
                                 zorder=7, path_effects=_HALO),
        }
        self.artists["curve"] = self._curve_marker(cax, eps, "#0072B2")
        self._curve_key = (self.attack.value, self.norm.value)

    def _update(self):
        eps = clean(self.slider.value)
        X_adv, robust = self.adversarial(eps)
        a = self.artists
        key = (self.attack.value, self.norm.value)
        if key != self._curve_key:
            self._static_curve.set_ydata(self.curve())
            self._curve_title.set_text(self._curve_label())
            self._map_legend()
            self._backdrop.invalidate()
            self._curve_key = key
        plots.update_balls(a["balls"], eps, self.norm.value)
        a["arrows"].set_segments(np.stack([self.X, X_adv], axis=1))
        for c, scatter in enumerate(a["adversarial"]):
            scatter.set_offsets(X_adv[self.codes == c])
        a["fooled"].set_offsets(X_adv[self.clean_correct & ~robust])
        accuracy = float(robust.mean())
        self._move_curve_marker(eps, accuracy)
        self.eps, self.accuracy = eps, accuracy
        self._set_readout(f"eps = {eps:.3f} | robust accuracy = {accuracy:.4f}", eps=eps, accuracy=accuracy)


def attack_explorer(model, X, y, *, norm=np.inf, eps_max=1.0, attack="pgd"):
    """Watch a gradient attack move 2-D points as eps grows.

    Shows the model's decision regions (colours mixed by its class
    probabilities), the clean points, their PGD or FGSM adversarial examples
    with arrows, points that now fool the model, and the robust accuracy
    curve with a marker at the current eps.

    Parameters
    ----------
    model : fitted classifier
        Needs ``predict``, ``predict_proba``, ``input_gradient`` and
        ``loss`` (as :class:`advot_teach.models.MLP`); 2-D inputs.
    X : array_like, shape (n, 2)
    y : array_like, shape (n,)
    norm : {np.inf, 2}
        Initial ball of the attack (a dropdown changes it).
    eps_max : float
        Right end of the slider (50 steps; every stop is attacked once and
        cached).
    attack : {"pgd", "fgsm"}
        Initial attack (a dropdown changes it); default settings of
        :func:`advot_teach.attacks.pgd` / :func:`~advot_teach.attacks.fgsm`.

    Returns
    -------
    AttackExplorer
        ``.slider``, ``.fig``, ``.widget``, ``.readout`` (text like
        ``eps = 0.350 | robust accuracy = 0.8100``), ``.attack``, ``.norm``,
        ``.adversarial(eps)``.
    """
    return AttackExplorer(model, X, y, norm=norm, eps_max=eps_max, attack=attack)
