"""The slider explorers, driven from code (no browser).

Every readout is compared with an independent solver call at the same eps;
artist data and rendered pixels are compared before and after a move.
"""
from __future__ import annotations

import base64

import matplotlib
import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from scipy import sparse
from scipy.sparse.csgraph import maximum_bipartite_matching

from advot_teach import datasets, optimal_adversarial_risk, risk_breakpoints
from advot_teach import widgets as W
from advot_teach.widgets import _canvas
from advot_teach.geometry import pairwise_distances, within
from advot_teach.hypergraph import conflict_hypergraph
from advot_teach.plots import dual_classifier_proba, step_value

TRIANGLE_EPS = [0.0, 0.3, 0.5, 0.55, 1 / np.sqrt(3), 0.6]


def readout(eps, risk):
    return f"eps = {eps:.3f} | R* = {risk:.4f}"


def pixels(explorer):
    FigureCanvasAgg.draw(explorer.fig.canvas)
    return np.asarray(explorer.fig.canvas.buffer_rgba()).copy()


@pytest.fixture(scope="module")
def triangle():
    X, y = datasets.triangle()
    return X, y, W.epsilon_explorer(X, y, eps_max=0.7)


@pytest.fixture(scope="module")
def blobs():
    X, y = datasets.three_blobs(12, seed=1)
    return X, y, W.epsilon_explorer(X, y, eps_max=0.6)


# ------------------------------------------------------------- epsilon explorer: values


@pytest.mark.parametrize("eps", TRIANGLE_EPS)
def test_triangle_readout_is_the_published_value(triangle, eps):
    X, y, ex = triangle
    ex.slider.value = eps
    # JMLR 2023, section 5.2: 0, then 1/2 from eps = 1/2, then 2/3 from 1/sqrt(3)
    expected = 0.0 if eps < 0.5 else (0.5 if eps < 1 / np.sqrt(3) - 1e-12 else 2 / 3)
    assert ex.readout_text == readout(eps, expected)
    assert ex.readout_text == readout(eps, optimal_adversarial_risk(X, y, eps).risk)


def test_triangle_middle_regime_is_probabilistic(triangle):
    _, _, ex = triangle
    ex.slider.value = 0.55
    np.testing.assert_allclose(ex.levels.dual(0.55), [0.5, 0.5, 0.5], atol=1e-9)
    # the lens between the balls of classes 0 and 1 is drawn as stripes of both classes
    image = ex.artists["partition"]["image"].get_array()
    x0, x1, y0, y1 = ex.extent
    col = int(round((0.5 - x0) / (x1 - x0) * (ex.resolution - 1)))
    row = int(round((0.0 - y0) / (y1 - y0) * (ex.resolution - 1)))
    from advot_teach.plots import class_map_colors

    lens = image[row - 2:row + 3, col - 2:col + 3].reshape(-1, 3)
    for shade in class_map_colors(3)[:2]:
        assert np.any(np.all(np.isclose(lens, shade, atol=1e-6), axis=1))
    # the legend says so, and lists only what the map shows
    labels = [t.get_text() for t in ex._map_legend_artist.get_texts()]
    assert "hedges (stripes)" in labels
    ex.slider.value = 0.3
    labels = [t.get_text() for t in ex._map_legend_artist.get_texts()]
    assert labels == ["class 0 for sure", "class 1 for sure", "class 2 for sure", "free: any label"]


def test_data_legend_lists_the_marks_on_screen(triangle):
    _, _, ex = triangle

    def data_labels():
        return [t.get_text() for t in ex._legend_artists[0].get_texts()]

    classes = ["class 0", "class 1", "class 2", r"$\varepsilon$-ball"]
    ex.slider.value = 0.3  # no conflicts: each point keeps its own mass (rings)
    assert data_labels() == classes + ["unshared mass"]
    ex.slider.value = 0.55  # three pairs, each merged by an atom at its midpoint
    assert data_labels() == classes + ["conflict", "merged pair", "barycenter atom"]
    ex.slider.value = 0.6  # the triple is merged by one atom
    assert data_labels() == classes + ["conflict", "merged triple", "barycenter atom"]
    # the ball's entry has the shape of the current norm
    ball = ex._legend_artists[0].legend_handles[3]
    assert ball.get_marker() == "o"
    ex.norm.value = np.inf
    assert ex._legend_artists[0].legend_handles[3].get_marker() == "s"
    ex.norm.value = 2.0


def test_map_title_counts_are_grammatical(triangle):
    _, _, ex = triangle
    ex.slider.value = 0.6  # all three balls share a point: one triple
    assert ex._title.get_text() == "3 conflicting pairs, 1 larger set"
    ex.slider.value = 0.3
    assert ex._title.get_text() == "0 conflicting pairs, 0 larger sets"
    pair = W.epsilon_explorer([[0.0, 0.0], [1.0, 0.0]], [0, 1], eps_max=0.7)
    pair.slider.value = 0.6
    assert pair._title.get_text() == "1 conflicting pair"
    pair.close()


def test_blobs_readout_matches_solver_at_random_eps_and_breakpoints(blobs):
    X, y, ex = blobs
    rng = np.random.default_rng(0)
    bps = risk_breakpoints(X, y, eps_max=0.6)
    eps_values = list(rng.uniform(0, 0.6, 6)) + list(bps[[0, len(bps) // 2, -1]])
    for eps in eps_values:
        ex.slider.value = float(eps)
        assert ex.readout_text == readout(eps, optimal_adversarial_risk(X, y, float(eps)).risk)


def test_curve_is_exact_at_every_breakpoint(blobs):
    X, y, ex = blobs
    curve_eps, curve_risk = ex.levels.curve()
    bps = risk_breakpoints(X, y, eps_max=0.6)
    # R* is right-continuous and constant between breakpoints: check each
    # breakpoint and the middle of each gap (a second, independent solve).
    probes = np.concatenate([bps[::4], (bps[:-1] + bps[1:])[::4] / 2])
    for eps in probes:
        assert step_value(curve_eps, curve_risk, eps) == pytest.approx(
            optimal_adversarial_risk(X, y, float(eps)).risk, abs=1e-8)
    # one LP per level, far fewer than one per breakpoint
    assert ex.levels.n_solves < len(bps) / 3


def test_each_level_has_a_primal_dual_certificate(blobs):
    X, y, ex = blobs
    w = np.full(len(X), 1 / len(X))
    for eps in np.random.default_rng(1).uniform(0.05, 0.6, 5):
        risk = ex.levels.risk(eps)
        q = ex.levels.dual(eps)
        hg = conflict_hypergraph(X, y, eps)
        for k in hg.orders:  # dual feasible at eps
            assert np.all(q[hg.edges[k]].sum(axis=1) <= 1 + 1e-7)
        assert w @ q == pytest.approx(1 - risk, abs=1e-8)
        bary = ex.levels.barycenter(eps)
        assert bary.mass.sum() == pytest.approx(1 - risk, abs=1e-8)
        for point, members in zip(bary.support, bary.members):  # each atom lies in all its members' balls
            assert np.all(within(np.linalg.norm(X[list(members)] - point, axis=1), eps))
            assert len(set(y[list(members)])) == len(members)


def test_classifier_image_is_the_dual_formula(blobs):
    X, y, ex = blobs
    ex.slider.value = 0.3
    level = ex.levels.level(0.3)
    fast = ex._classifier(level, 0.3).reshape(-1, 3)
    inside = within(pairwise_distances(ex._grid, X, 2), 0.3)
    slow = dual_classifier_proba(inside, y, ex.levels.dual(0.3), 3)
    # float32 distances may flip pixels lying on a ball's boundary
    mismatch = np.any(np.abs(fast - slow) > 1e-6, axis=1).mean()
    assert mismatch < 1e-3
    assert (slow.sum(axis=1) > 0).mean() > 0.2  # the image is not trivially empty


# ------------------------------------------------------------- epsilon explorer: artists


def test_slider_move_updates_artists_in_place(blobs):
    X, y, ex = blobs
    ex.slider.value = 0.1
    artists = dict(ex.artists)
    before = pixels(ex)
    image_before = ex.artists["partition"]["image"].get_array().copy()
    ball_before = ex.artists["balls"].get_paths()[0].vertices.copy()
    n_fig_children = len(ex.fig.get_children())
    ex.slider.value = 0.4
    assert ex.artists == artists  # same artist objects, new data
    assert len(ex.fig.get_children()) == n_fig_children
    np.testing.assert_allclose(np.abs(ex.artists["balls"].get_paths()[0].vertices).max(), 0.4)
    np.testing.assert_allclose(np.abs(ball_before).max(), 0.1)
    assert not np.array_equal(ex.artists["partition"]["image"].get_array(), image_before)
    marker = ex.artists["curve"]["marker"].get_data()
    assert marker[0][0] == 0.4
    assert marker[1][0] == pytest.approx(optimal_adversarial_risk(X, y, 0.4).risk, abs=1e-9)
    after = pixels(ex)
    assert np.mean(np.any(before != after, axis=-1)) > 0.01


def test_live_layer_lines_up_with_static_layer(blobs):
    _, _, ex = blobs
    for live, static in ((ex.ax, ex._static_ax), (ex.curve_ax, ex._static_curve_ax)):
        np.testing.assert_allclose(live.get_position().bounds, static.get_position(original=False).bounds)
        assert live.get_xlim() == static.get_xlim()
        assert live.get_ylim() == static.get_ylim()


def test_snapping_lands_on_hypergraph_breakpoints(triangle, blobs):
    X, y, ex = triangle
    ex.snap.value = True
    try:
        ex.slider.value = 0.52
        assert ex.slider.value == pytest.approx(0.5, abs=1e-12)
        assert ex.readout_text == "eps = 0.500 | R* = 0.5000"
        ex.slider.value = 0.56
        assert ex.slider.value == pytest.approx(1 / np.sqrt(3), abs=1e-12)
        assert ex.readout_text == readout(1 / np.sqrt(3), 2 / 3)
    finally:
        ex.snap.value = False
    X, y, ex = blobs
    bps = risk_breakpoints(X, y, eps_max=0.6)
    ex.snap.value = True
    try:
        for eps in np.random.default_rng(2).uniform(0, 0.6, 5):
            ex.slider.value = float(eps)
            # the stops: the breakpoints and the slider's ends
            assert ex.slider.value in (0.0, 0.6) or np.min(np.abs(bps - ex.slider.value)) < 1e-12
            assert ex.readout_text == readout(ex.slider.value, optimal_adversarial_risk(X, y, ex.slider.value).risk)
    finally:
        ex.snap.value = False


def test_norm_dropdown_changes_the_answer(triangle):
    X, y, ex = triangle
    ex.slider.value = 0.45
    assert ex.readout_text == "eps = 0.450 | R* = 0.0000"
    ex.norm.value = np.inf  # linf balls: the slanted sides are shorter (0.866), so they conflict first
    try:
        expected = optimal_adversarial_risk(X, y, 0.45, norm=np.inf).risk
        assert expected > 0
        assert ex.readout_text == readout(0.45, expected)
        vertices = ex.artists["balls"].get_paths()[0].vertices
        np.testing.assert_allclose(np.abs(vertices).max(axis=0), [0.45, 0.45])
        assert len(vertices) <= 5  # a square, not a circle
    finally:
        ex.norm.value = 2.0


def test_order_dropdown_gives_the_published_lower_bounds():
    # Published four-circles value (Garcia Trillos, Jacobs, Kim, Werenski 2024; eps = 0.5): R*_2 = .5, R*_3 = .5556, R*_4 = .5833
    X, y = datasets.four_circles()
    ex = W.epsilon_explorer(X, y, eps_max=0.52)
    ex.slider.value = 0.5
    assert ex.readout_text == "eps = 0.500 | R* = 0.5833"
    ex.order.value = 3
    assert ex.readout_text == "eps = 0.500 | R*_3 = 0.5556 (lower bound)"
    ex.order.value = 2
    assert ex.readout_text == "eps = 0.500 | R*_2 = 0.5000 (lower bound)"
    ex.close()


# ------------------------------------------------------------- display and fallback


def test_mimebundle_has_widget_view_png_and_hint(triangle):
    _, _, ex = triangle
    bundle = ex._repr_mimebundle_()
    assert base64.b64decode(bundle["image/png"])[:8] == b"\x89PNG\r\n\x1a\n"
    assert bundle["text/plain"] == "Run this notebook in JupyterLab for the live eps-slider"
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == ex.widget.model_id
    assert ex.view in ex.widget.children and ex.readout in ex.widget.children
    assert "advot-risk-readout" in ex.readout._dom_classes
    assert "advot-explorer" in ex.widget._dom_classes  # the readout's script finds the sliders by it


def test_no_pyplot_figures_and_backend_untouched():
    import matplotlib.pyplot as plt

    backend = matplotlib.get_backend()
    figures = plt.get_fignums()
    X, y = datasets.triangle()
    ex = W.epsilon_explorer(X, y, eps_max=0.7)
    ex.slider.value = 0.6
    assert plt.get_fignums() == figures
    assert matplotlib.get_backend() == backend
    ex.close()


# ------------------------------------------------------------- frames sent to the browser


def decode(png):
    from PIL import Image
    import io

    return np.asarray(Image.open(io.BytesIO(png)).convert("RGBA"))


class Sent:
    """Records the frames an explorer's view sends (instead of a comm)."""

    def __init__(self, view, monkeypatch):
        self.messages = []
        monkeypatch.setattr(view, "send", lambda content, buffers=None: self.messages.append((content, buffers)))


def test_first_frame_is_in_the_state_before_any_browser_asks():
    # A view shows `frame` at once: the picture must be there when the cell ends.
    X, y = datasets.triangle()
    ex = W.epsilon_explorer(X, y, eps_max=0.7)
    frame = decode(ex.view.frame)
    w, h, ratio = ex.view.size
    assert frame.shape == (h, w, 4) and ratio == 1.0
    np.testing.assert_array_equal(frame, pixels(ex))
    ex.close()


def test_patches_rebuild_the_rendered_frame(blobs, monkeypatch):
    X, y, ex = blobs
    screen = decode(ex.view.frame).copy()  # what a browser shows
    sent = Sent(ex.view, monkeypatch)
    ex._live.push(full=True)
    content, buffers = sent.messages[-1]
    assert content["type"] == "full"
    screen = decode(buffers[0]).copy()
    for eps in (0.1, 0.35, 0.36, 0.5):
        sent.messages.clear()
        ex.slider.value = eps
        (content, buffers), = sent.messages  # one message per move, sent at once
        assert content["type"] == "patch" and len(content["rects"]) == len(buffers) >= 1
        for (x, y0), png in zip(content["rects"], buffers):
            patch = decode(png)
            screen[y0:y0 + patch.shape[0], x:x + patch.shape[1]] = patch
        np.testing.assert_array_equal(screen, pixels(ex))
    # the map (and its title) and the curve marker change, the legend between
    # them does not: separate rectangles, together much smaller than the figure
    area = sum(decode(png).shape[0] * decode(png).shape[1] for png in buffers)
    assert 2 <= len(buffers) <= 4 and area < 0.75 * screen.shape[0] * screen.shape[1]


def test_changed_rects_split_separate_regions():
    changed = np.zeros((100, 200), dtype=bool)
    changed[10:20, 5:30] = True
    changed[50:60, 150:160] = True
    changed[80, 152] = True
    assert _canvas.changed_rects(changed, gap=24) == [(5, 10, 25, 10), (150, 50, 10, 31)]
    assert _canvas.changed_rects(np.zeros((5, 5), dtype=bool)) == []


def test_ready_message_resends_the_whole_frame(triangle, monkeypatch):
    _, _, ex = triangle
    sent = Sent(ex.view, monkeypatch)
    ex._live._on_msg(ex.view, {"type": "ready"}, [])
    (content, buffers), = sent.messages
    assert content["type"] == "full"
    np.testing.assert_array_equal(decode(buffers[0]), pixels(ex))


# ------------------------------------------------------------- layout for the page's width


def test_zoom_draws_larger_and_still_fits_the_width():
    X, y = datasets.three_blobs(12, seed=1)
    plain = W.epsilon_explorer(X, y, eps_max=0.6)
    previous = W.set_zoom(1.35)
    try:
        zoomed = W.epsilon_explorer(X, y, eps_max=0.6)
    finally:
        assert W.set_zoom(previous) == 1.35
    try:
        for ex in (plain, zoomed):
            ex.view.width = 1890  # a 1920-pixel-wide projector page
        (w0, _, _), (w1, h1, _) = plain.view.size, zoomed.view.size
        # the plain figure stops at its widest design; the zoomed one fills the page
        assert w0 < 1500 and 1860 <= w1 <= 1890
        assert decode(zoomed.view.frame).shape[:2] == (h1, w1)
        # same layout in the figure's own pixels, 1.35 times larger on the page: text too
        assert zoomed.fig.get_size_inches()[0] == pytest.approx(w1 / 1.35 / 100, abs=0.02)
        assert zoomed.fig.dpi == pytest.approx(135)
        # an explorer keeps the zoom it was made with
        assert plain.zoom == 1.0 and zoomed.zoom == 1.35
    finally:
        plain.close()
        zoomed.close()
    with pytest.raises(ValueError, match="zoom"):
        W.set_zoom(5)
    with pytest.raises(TypeError, match="zoom"):
        W.set_zoom("big")


@pytest.mark.parametrize("make", ["epsilon", "attack", "coupling", "barycenter"])
def test_figure_fits_the_width_the_page_reports(make, trained):
    ex = {
        "epsilon": lambda: W.epsilon_explorer(*datasets.three_blobs(12, seed=1), eps_max=0.6),
        "attack": lambda: W.attack_explorer(trained[0], trained[1], trained[2], eps_max=0.3),
        "coupling": lambda: W.coupling_explorer(*_two_clouds()),
        "barycenter": lambda: W.barycenter_explorer(*_two_clouds()),
    }[make]()
    try:
        for width in (700, 970, 1300, 640):
            ex.view.width = width
            w, h, _ = ex.view.size
            assert w <= width and decode(ex.view.frame).shape[:2] == (h, w)
            for live, static in ((ex.ax, ex._static_ax),
                                 *(((ex.curve_ax, ex._static_curve_ax),) if make != "barycenter" else ())):
                np.testing.assert_allclose(live.get_position().bounds,
                                           static.get_position(original=False).bounds)
            if make != "barycenter":
                map_box, curve_box = ex._static_ax.get_position(), ex._static_curve_ax.get_position()
                side_by_side = curve_box.x0 >= map_box.x1
                assert side_by_side == (width >= 970 if make == "epsilon" else width >= 900), width
                assert side_by_side or curve_box.y1 <= map_box.y0
        ex.slider.value = ex.slider.max
        np.testing.assert_array_equal(decode(ex.to_png())[..., :3], pixels(ex)[..., :3])
    finally:
        ex.close()


def _two_clouds():
    rng = np.random.default_rng(3)
    return rng.normal(size=(8, 2)), rng.normal(size=(8, 2)) + [2.0, 0.5]


# ------------------------------------------------------------- steps, names, data attributes


def test_sliders_take_32_to_79_round_steps_and_have_names(triangle):
    _, _, ex = triangle
    span = ex.slider.max - ex.slider.min
    assert ex.slider.step == 0.01 and 32 <= span / ex.slider.step <= 79  # eps_max = 0.7: 70 steps
    assert ex.readout.slider_labels == ["attack budget eps"]
    bary = W.barycenter_explorer(*_two_clouds())
    assert bary.slider.step == 0.02 and bary.readout.slider_labels == ["interpolation time t"]
    bary.close()


@pytest.mark.parametrize("span, step", [(0.7, 0.01), (0.8, 0.02), (1.1, 0.02), (1.0, 0.02), (0.35, 0.005),
                                        (2.6, 0.05), (12.0, 0.2), (0.5, 0.01)])
def test_nice_step_is_round_and_near_a_fiftieth(span, step):
    from advot_teach.widgets._base import nice_step

    assert nice_step(span) == pytest.approx(step, rel=1e-12)
    assert 32 <= span / nice_step(span) <= 79


def test_slider_values_lose_their_binary_noise(triangle):
    from advot_teach.widgets._base import clean

    assert clean(0.14000000000000001) == 0.14 and clean(0.1 + 0.2) == 0.3
    assert clean(1 / np.sqrt(3)) == pytest.approx(1 / np.sqrt(3), rel=1e-12)
    _, _, ex = triangle
    ex.slider.value = 7 * 0.05  # 0.35000000000000003
    assert ex.readout.data["eps"] == "0.35" and ex.readout_text.startswith("eps = 0.350 |")


def test_readout_data_attributes_carry_the_solvers_numbers(blobs):
    X, y, ex = blobs
    for eps in (0.123, 0.4):
        ex.slider.value = eps
        data = ex.readout.data
        assert float(data["eps"]) == ex.slider.value
        assert float(data["risk"]) == pytest.approx(optimal_adversarial_risk(X, y, float(data["eps"])).risk,
                                                    abs=1e-9)
        assert data["exact"] == "true" and data["order"] == "3"
    ex.order.value = 2
    assert ex.readout.data["exact"] == "false" and ex.readout.data["order"] == "2"
    ex.order.value = 3


@pytest.mark.parametrize("kwargs, error", [
    (dict(X=np.zeros((3, 3)), y=[0, 1, 2]), ValueError),
    (dict(X=np.zeros((3, 2)), y=[0, 0, 0]), ValueError),
    (dict(X=np.zeros((3, 2)), y=[0, 1]), ValueError),
    (dict(eps_max=-1.0), ValueError),
    (dict(eps_max="big"), TypeError),
    (dict(snap="yes"), TypeError),
    (dict(max_order=1), ValueError),
    (dict(norm=3), ValueError),
    (dict(weights=[1.0, -1.0, 1.0]), ValueError),
])
def test_epsilon_explorer_rejects_bad_input(kwargs, error):
    X, y = datasets.triangle()
    args = dict(X=X, y=y, eps_max=0.7)
    args.update(kwargs)
    with pytest.raises(error):
        W.epsilon_explorer(args.pop("X"), args.pop("y"), **args)


# ------------------------------------------------------------- the other explorers


@pytest.fixture(scope="module")
def trained():
    from advot_teach import models

    X, y = datasets.two_class_toy(25, seed=0)
    return models.MLP(hidden=8).fit(X, y, epochs=30, seed=0), X, y


def test_attack_explorer_matches_robust_accuracy(trained):
    from advot_teach.attacks import fgsm, pgd, robust_accuracy

    model, X, y = trained
    ex = W.attack_explorer(model, X, y, eps_max=1.0)
    for eps in (0.0, 0.2, 0.6):
        ex.slider.value = eps
        acc = robust_accuracy(model, X, y, eps, np.inf, "pgd")
        assert ex.readout_text == f"eps = {eps:.3f} | robust accuracy = {acc:.4f}"
    segments = ex.artists["arrows"].get_segments()
    np.testing.assert_allclose(np.array(segments)[:, 1], pgd(model, X, y, 0.6, np.inf))
    assert np.abs(np.array(segments)[:, 1] - X).max() == pytest.approx(0.6)  # on the linf sphere mostly
    ex.attack.value = "fgsm"
    np.testing.assert_allclose(np.array(ex.artists["arrows"].get_segments())[:, 1], fgsm(model, X, y, 0.6, np.inf))
    acc = robust_accuracy(model, X, y, 0.6, np.inf, "fgsm")
    assert ex.readout_text == f"eps = 0.600 | robust accuracy = {acc:.4f}"
    ex.norm.value = 2.0
    acc2 = robust_accuracy(model, X, y, 0.6, 2, "fgsm")
    assert ex.readout_text == f"eps = 0.600 | robust accuracy = {acc2:.4f}"
    assert "image/png" in ex._repr_mimebundle_()
    ex.close()
    with pytest.raises(TypeError):
        W.attack_explorer(object(), X, y)
    with pytest.raises(ValueError):
        W.attack_explorer(model, X, y, norm=1)
    with pytest.raises(ValueError):
        W.attack_explorer(model, X[:, :1], y)


def _unmatched_by_matching(X, Y, eps):
    # independent: uniform equal-size clouds, unmatched mass = 1 - |max matching| / n
    allowed = sparse.csr_matrix(within(pairwise_distances(X, Y, 2), eps).astype(int))
    return 1 - np.count_nonzero(maximum_bipartite_matching(allowed, perm_type="column") >= 0) / len(X)


def test_coupling_explorer_says_yes_exactly_from_w_inf():
    rng = np.random.default_rng(0)
    X, Y = rng.normal(size=(8, 2)), rng.normal(size=(8, 2)) + [1.0, 0.0]
    ex = W.coupling_explorer(X, Y)
    w = ex.w_inf
    assert _unmatched_by_matching(X, Y, w) == 0 and _unmatched_by_matching(X, Y, w * (1 - 1e-6)) > 0
    for eps, answer in ((w * 0.999, "no"), (w, "yes"), (min(1.2 * w, ex.eps_max), "yes")):
        ex.slider.value = float(eps)
        assert ex.readout_text == f"eps = {eps:.3f} | W_inf <= eps: {answer}"
    plan, feasible, unmatched = ex.coupling(w)
    assert feasible and unmatched == 0
    np.testing.assert_allclose(plan.sum(axis=1), 1 / 8)
    np.testing.assert_allclose(plan.sum(axis=0), 1 / 8)
    assert pairwise_distances(X, Y, 2)[plan > 1e-12].max() <= w * (1 + 1e-9)
    ex.snap.value = True
    ex.slider.value = float(w * 1.0001)  # snaps to the nearest pairwise distance
    distances = pairwise_distances(X, Y, 2)
    assert np.min(np.abs(distances - ex.slider.value)) < 1e-12
    ex.snap.value = False
    curve_eps, curve_unmatched = ex.curve()
    for eps in np.linspace(0, ex.eps_max, 13):
        assert step_value(curve_eps, curve_unmatched, eps) == pytest.approx(_unmatched_by_matching(X, Y, eps))
    ex.close()
    with pytest.raises(ValueError):
        W.coupling_explorer(X, Y[:, :1])


def test_barycenter_explorer_moves_mass_on_straight_lines():
    from advot_teach.barycenters import mccann_interpolation

    rng = np.random.default_rng(3)
    X, Y = rng.normal(size=(6, 2)), rng.normal(size=(6, 2)) + [2.0, 0.0]
    ex = W.barycenter_explorer(X, Y)
    atoms = ex.artists["atoms"]
    for t in (0.0, 0.25, 1.0):
        ex.slider.value = t
        assert ex.readout_text == f"t = {t:.2f}"
        np.testing.assert_allclose(atoms.get_offsets(), mccann_interpolation(X, Y, t).support)
    ex.slider.value = 0.0
    np.testing.assert_allclose(np.sort(atoms.get_offsets(), axis=0), np.sort(X, axis=0))
    assert ex._repr_mimebundle_()["text/plain"] == "Run this notebook in JupyterLab for the live t-slider"
    ex.close()
    with pytest.raises(ValueError):
        W.barycenter_explorer(X, Y, t=2.0)


def test_snapping_goes_to_the_nearest_stop_and_gives_the_browser_the_stops():
    X, y = datasets.three_blobs(n_per_class=20, seed=0)
    ex = W.epsilon_explorer(X, y, eps_max=1.0, snap=True)
    try:
        stops = ex._stops()
        assert stops[0] == 0.0 and stops[-1] == 1.0 and np.all(np.diff(stops) > 0)
        np.testing.assert_array_equal(stops[1:-1], ex.breakpoints[ex.breakpoints < 1.0])
        # no step grid while snapping: a stop shows as itself and is not echoed rounded
        assert ex.slider.step is None
        # the keys walk these in the browser (readout.js)
        assert ex.readout.stops == [float(v) for v in stops] or len(ex.readout.stops) == 2000
        ex.slider.value = 0.4
        nearest = float(stops[np.argmin(np.abs(stops - 0.4))])
        assert ex.slider.value == nearest
        assert ex.readout.data["eps"] == repr(nearest)
        assert ex.readout_text.endswith(f"R* = {optimal_adversarial_risk(X, y, nearest).risk:.4f}")
        ex.snap.value = False
        assert ex.slider.step == pytest.approx(0.02) and ex.readout.stops == []
        ex.slider.value = 0.4
        assert ex.slider.value == 0.4
    finally:
        ex.close()


def test_attack_map_legend_names_every_mark_and_follows_the_norm(trained):
    model, X, y = trained[:3]
    ex = W.attack_explorer(model, X, y, eps_max=0.3)
    try:
        legend = ex._static_ax.get_legend()
        labels = [t.get_text() for t in legend.get_texts()]
        assert labels == ["class 0", "class 1", "model answers 0", "model answers 1", "attacked point",
                          "fools the model", r"$\varepsilon$-ball"]
        assert legend.legend_handles[-1].get_marker() == "s"  # linf balls are squares
        ex.norm.value = 2.0
        assert ex._static_ax.get_legend().legend_handles[-1].get_marker() == "o"
    finally:
        ex.close()


def test_nearest_image_draws_what_agg_resampling_draws(blobs):
    # The classifier map is drawn by a numpy lookup (NearestImage); Agg's own
    # nearest-neighbour resampling of the same data gives the same picture.
    from matplotlib.image import AxesImage

    X, y, ex = blobs
    ex.slider.value = 0.37
    fast = ex.artists["partition"]["image"]
    assert isinstance(fast, _canvas.NearestImage)
    ours = pixels(ex)
    slow = AxesImage(ex.ax, origin=fast.origin, extent=fast.get_extent(), interpolation="nearest")
    slow.set_data(fast.get_array())
    slow.set_zorder(fast.get_zorder())
    slow.set_clip_path(ex.ax.patch)
    fast.set_visible(False)
    ex.ax.add_image(slow)
    try:
        theirs = pixels(ex)
    finally:
        slow.remove()
        fast.set_visible(True)
    differ = np.any(ours != theirs, axis=2)
    # at most a pixel's shift along some cell boundaries
    assert differ.mean() < 0.01, differ.mean()
    rows, cols = np.nonzero(differ)
    assert len(rows) == 0 or (np.ptp(cols) > 0 and differ.sum() < 0.05 * ex.resolution * max(ours.shape))


def test_epsilon_explorer_starts_where_asked():
    X, y = datasets.triangle()
    ex = W.epsilon_explorer(X, y, eps_max=0.7, eps=0.56)
    try:
        # the first picture (the widget state a page shows first) is already at 0.56
        assert ex.slider.value == pytest.approx(0.56) and ex.readout_text == "eps = 0.560 | R* = 0.5000"
        labels = [t.get_text() for t in ex._map_legend_artist.get_texts()]
        assert "hedges (stripes)" in labels
    finally:
        ex.close()
    with pytest.raises(ValueError, match="eps"):
        W.epsilon_explorer(X, y, eps_max=0.7, eps=0.9)


def test_risk_curve_is_labelled_as_truncated_when_the_order_is_below_k():
    """A truncated curve is R*_L, a lower bound, and must not be titled exact."""
    X, y = datasets.four_circles()
    explorer = W.epsilon_explorer(X, y, max_order=2, eps_max=1.1)
    axes = explorer._static_curve_ax
    assert "lower bound" in axes.get_title() and "R^*_{2}" in axes.get_ylabel()
    explorer.order.value = 4
    assert axes.get_title() == "optimal adversarial risk (exact)"
    assert axes.get_ylabel() == r"$R^*(\varepsilon)$"
    explorer.close()
