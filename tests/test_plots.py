"""Drawing functions: they draw what they are given, and return their artists."""
from __future__ import annotations

import numpy as np
import pytest
from matplotlib import colors as mcolors
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from advot_teach import datasets, optimal_adversarial_risk
from advot_teach import plots as P


@pytest.fixture
def ax():
    fig = Figure(figsize=(4, 4))
    FigureCanvasAgg(fig)
    return fig.add_subplot()


def test_class_colors_are_okabe_ito_and_distinct():
    colors = P.class_colors(3)
    assert colors.shape == (3, 4)
    np.testing.assert_allclose(colors[0], mcolors.to_rgba("#0072B2"))
    np.testing.assert_allclose(colors[1], mcolors.to_rgba("#E69F00"))
    for K in (2, 8, 12):
        assert len({tuple(c) for c in P.class_colors(K)}) == K
    assert len(set(P.class_markers(8))) == 8
    with pytest.raises(ValueError):
        P.class_colors(0)
    with pytest.raises(TypeError):
        P.class_colors(2.5)


def test_draw_data_one_collection_per_class_in_class_order(ax):
    X, y = datasets.three_blobs(5, seed=0)
    y = np.array(["b", "a", "c"])[y]  # string labels, sorted classes a, b, c
    artists = P.draw_data(ax, X, y)
    assert len(artists) == 3
    colors = P.class_colors(3)
    for c, (label, art) in enumerate(zip(["a", "b", "c"], artists)):
        np.testing.assert_allclose(art.get_offsets(), X[y == label])
        np.testing.assert_allclose(art.get_facecolor()[0], colors[c])
        assert art.get_label() == f"class {label}"
    # a class missing from y keeps its slot and colour
    artists = P.draw_data(ax, X[y != "b"], y[y != "b"], classes=["a", "b", "c"], legend=False)
    assert len(artists[1].get_offsets()) == 0
    np.testing.assert_allclose(artists[2].get_facecolor()[0], colors[2])
    with pytest.raises(ValueError):
        P.draw_data(ax, X, y[:-1])


@pytest.mark.parametrize("norm, ord_", [(2, 2), (np.inf, np.inf), (1, 1)])
def test_ball_outlines_lie_on_the_sphere_of_their_norm(norm, ord_):
    X = np.array([[0.0, 0.0], [2.0, 1.0]])
    polygons = P.ball_polygons(X, 0.3, norm)
    for centre, poly in zip(X, polygons):
        np.testing.assert_allclose(np.linalg.norm(poly - centre, ord=ord_, axis=1), 0.3)


def test_draw_balls_is_one_shape_placed_at_every_point(ax):
    X = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 2.0]])
    balls = P.draw_balls(ax, X, 0.25, np.inf, y=[0, 1, 1])
    np.testing.assert_allclose(balls.get_offsets(), X)
    np.testing.assert_allclose(np.abs(balls.get_paths()[0].vertices).max(axis=0), [0.25, 0.25])
    np.testing.assert_allclose(balls.get_edgecolor()[1][:3], P.class_colors(2)[1][:3])
    P.update_balls(balls, 0.5, 1)
    np.testing.assert_allclose(np.abs(balls.get_paths()[0].vertices).sum(axis=1), 0.5)
    # the outline is drawn in data units at each point: its screen size scales with the axes
    ax.set_xlim(-1, 2)
    ax.set_ylim(-1, 3)
    ax.figure.canvas.draw()
    assert np.any(np.asarray(ax.figure.canvas.buffer_rgba())[..., :3] < 250)


def test_hyperedge_geometry_segments_and_convex_polygons():
    X = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    segments, polygons = P.hyperedge_geometry(X, [(0, 1), (3, 0, 2, 1)])
    np.testing.assert_allclose(segments, [[[0, 0], [1, 0]]])
    (quad,) = polygons
    # vertices in angular order: consecutive cross products have one sign
    edges = np.roll(quad, -1, axis=0) - quad
    cross = edges[:, 0] * np.roll(edges, -1, axis=0)[:, 1] - edges[:, 1] * np.roll(edges, -1, axis=0)[:, 0]
    assert np.all(cross > 0) or np.all(cross < 0)


def test_class_map_colours_keep_the_hue_and_get_their_own_grey():
    for K in (2, 3, 4, 8):
        shades = P.class_map_colors(K)
        grey = np.sort(P.luma(shades))
        # one grey per class, evenly spread, all lighter than black points need
        assert np.all(np.diff(grey) > 0.04), (K, grey)
        assert grey[0] >= 0.45 and grey[-1] <= 0.9
        # the hue of the class colour is kept
        hues = mcolors.rgb_to_hsv(shades)[:, 0]
        own = mcolors.rgb_to_hsv(P.class_colors(K)[:, :3])[:, 0]
        saturated = mcolors.rgb_to_hsv(P.class_colors(K)[:, :3])[:, 1] > 0.1
        np.testing.assert_allclose(hues[saturated], own[saturated], atol=1e-6)
    # three classes: "class 0 for sure" and "class 2 for sure" differ in greyscale
    g = P.luma(P.class_map_colors(3))
    assert min(abs(g[0] - g[2]), abs(g[0] - g[1]), abs(g[1] - g[2])) > 0.15


def test_proba_to_rgb_sure_free_and_mixed_rows():
    shades = P.class_map_colors(3)
    np.testing.assert_allclose(P.proba_to_rgb([[1.0, 0, 0], [0, 0, 1.0]]), shades[[0, 2]])
    np.testing.assert_allclose(P.proba_to_rgb([0.0, 0.0, 0.0]), [1.0, 1.0, 1.0])  # free: blank
    # a single row cannot show stripes: the probability-weighted mixture
    np.testing.assert_allclose(P.proba_to_rgb([0.5, 0.5, 0.0]), (shades[0] + shades[1]) / 2)
    with pytest.raises(ValueError):
        P.proba_to_rgb([[0.5, 0.5]], colors=P.class_colors(3))


def test_hedging_pixels_of_an_image_are_stripes_as_wide_as_the_probabilities():
    shades = P.class_map_colors(3)
    proba = np.zeros((104, 104, 3))
    proba[..., 0] = 0.75
    proba[..., 2] = 0.25
    rgb = P.proba_to_rgb(proba)
    period = P.stripe_period(proba.shape)
    assert period >= 4
    pixels = rgb.reshape(-1, 3)
    is_0 = np.all(np.isclose(pixels, shades[0]), axis=1).mean()
    is_2 = np.all(np.isclose(pixels, shades[2]), axis=1).mean()
    hatch = np.all(np.isclose(pixels, 0.25), axis=1).mean()
    assert is_0 + is_2 + hatch == pytest.approx(1.0)
    assert hatch == pytest.approx(1 / period, abs=0.01)
    # widths proportional to the probabilities (the hatch line replaces one class-0 pixel)
    assert (is_0 + hatch) / (is_0 + is_2 + hatch) == pytest.approx(0.75, abs=1 / period)
    # stripes are diagonal: constant along anti-diagonals of the pixel grid
    np.testing.assert_allclose(rgb[1:, :-1], rgb[:-1, 1:])
    # sure pixels stay plain
    proba[:10] = [0, 1, 0]
    np.testing.assert_allclose(P.proba_to_rgb(proba)[:10], np.broadcast_to(shades[1], (10, 104, 3)))


def test_partition_categories_and_legend_list_only_what_is_shown(ax):
    proba = np.zeros((4, 6, 3))
    proba[:, :2] = [1, 0, 0]
    proba[:, 2:4] = [0, 0, 1]
    assert P.partition_categories(proba) == ([0, 2], False, True)
    out = P.draw_partition(ax, proba, (0, 1, 0, 1), ["a", "b", "c"])
    labels = [t.get_text() for t in out["legend"].get_texts()]
    assert labels == ["class a for sure", "class c for sure", "free: any label"]
    proba[:, 4:] = [0.5, 0.5, 0.0]
    assert P.partition_categories(proba) == ([0, 2], True, False)
    labels = [t.get_text() for t in P.draw_partition(ax, proba, (0, 1, 0, 1))["legend"].get_texts()]
    assert labels == ["class 0 for sure", "class 2 for sure", "hedges (stripes)"]


def test_dual_classifier_on_the_triangle():
    # middle regime, q = (1/2, 1/2, 1/2) (JMLR 2023, section 5.2)
    X, y = datasets.triangle()
    result = optimal_adversarial_risk(X, y, 0.55)
    Z = np.array([[0.5, 0.0], [-0.3, -0.2], [3.0, 3.0]])  # lens of balls 0 and 1; ball 0 only; nowhere
    proba = P.result_proba(result, Z)
    np.testing.assert_allclose(proba, [[0.5, 0.5, 0.0], [1.0, 0.0, 0.0], [0.0, 0.0, 0.0]])
    # same decision as the solver's classifier wherever a ball covers the pixel
    solver = result.predict_proba(Z[:2])
    np.testing.assert_array_equal(np.argmax(solver, axis=1), np.argmax(proba[:2], axis=1))
    # and the certificate: on every ball the true class keeps probability >= q_j
    angles = np.linspace(0, 2 * np.pi, 24)
    for j in range(3):
        ring = X[j] + 0.55 * np.stack([np.cos(angles), np.sin(angles)], axis=1) * 0.999
        assert np.all(P.result_proba(result, ring)[:, y[j]] >= result.q[j] - 1e-12)


def test_draw_partition_image_and_legend(ax):
    proba = np.zeros((4, 5, 3))
    proba[..., 0] = 1.0
    proba[:, 3:, :] = [0.5, 0.5, 0.0]
    out = P.draw_partition(ax, proba, (0, 1, 0, 1), ["a", "b", "c"])
    np.testing.assert_allclose(out["image"].get_array(), P.proba_to_rgb(proba))
    labels = [t.get_text() for t in out["legend"].get_texts()]
    assert labels == ["class a for sure", "hedges (stripes)"]
    with pytest.raises(ValueError):
        P.draw_partition(ax, proba[..., :2], (0, 1, 0, 1), ["a", "b", "c"])


def test_ball_legend_entry_has_the_shape_of_the_norm():
    assert [P.ball_legend_handle(n).get_marker() for n in (2, np.inf, 1, "linf")] == ["o", "s", "D", "s"]
    assert P.ball_legend_handle(2).get_markerfacecolor() == "none"  # an outline, like the balls
    with pytest.raises(ValueError):
        P.ball_legend_handle(3)


def test_balls_and_hyperedges_are_outlines_so_the_map_is_the_only_fill(ax):
    X = np.array([[0.0, 0.0], [1.0, 0.0], [0.5, 0.8]])
    balls = P.draw_balls(ax, X, 0.6, y=[0, 1, 2])
    assert np.all(balls.get_facecolor()[:, 3] == 0) and np.all(balls.get_edgecolor()[:, 3] > 0)
    edges = P.draw_hyperedges(ax, X, [(0, 1), (0, 1, 2)])
    assert np.all(edges["polygons"].get_facecolor()[:, 3] == 0)


def test_risk_curve_is_a_right_continuous_step(ax):
    eps = np.array([0.0, 0.5, 1 / np.sqrt(3), 0.8])
    risk = np.array([0.0, 0.5, 2 / 3, 2 / 3])
    out = P.draw_risk_curve(ax, eps, risk, current_eps=0.5)
    assert out["curve"].get_drawstyle() == "steps-post"
    assert out["marker"].get_data()[1][0] == 0.5  # value at a jump is the right limit
    assert P.step_value(eps, risk, 0.4999) == 0.0
    assert P.step_value(eps, risk, 0.6) == pytest.approx(2 / 3)
    np.testing.assert_allclose(out["jumps"].get_data()[0], [0.5, 1 / np.sqrt(3)])


def test_draw_barycenter_area_proportional_to_mass(ax):
    X, y = datasets.triangle()
    bary = optimal_adversarial_risk(X, y, 0.55).barycenter
    out = P.draw_barycenter(ax, bary, codes=y, unit_mass=1 / 3, size=30)
    np.testing.assert_allclose(out["shared"].get_offsets(), bary.support)
    np.testing.assert_allclose(out["shared"].get_sizes(), 30 * 3 * bary.mass * 3.0)  # stars drawn 3x larger
    # a shared atom of classes 0 and 1 is filled with the mixture of their colours
    colors = P.class_colors(3)
    i = bary.members.index((0, 1))
    np.testing.assert_allclose(out["shared"].get_facecolor()[i][:3], (colors[0, :3] + colors[1, :3]) / 2)
    # without codes (over a classifier map) the stars are white: no second meaning for mixed colours
    plain = P.draw_barycenter(ax, bary, unit_mass=1 / 3)
    np.testing.assert_allclose(plain["shared"].get_facecolor()[:, :3], 1.0)


def test_draw_result_combines_everything(ax):
    X, y = datasets.triangle()
    result = optimal_adversarial_risk(X, y, 0.55)
    out = P.draw_result(ax, result, resolution=40)
    assert set(out) >= {"partition", "balls", "hyperedges", "barycenter", "data", "title"}
    assert len(out["hyperedges"]["pairs"].get_segments()) == 3
    assert "0.5000" in out["title"].get_text()
    ax.figure.canvas.draw()
    three_d = optimal_adversarial_risk(np.zeros((2, 3)), [0, 1], 0.1)  # solved outside: must not raise
    with pytest.raises(ValueError, match="1-D or 2-D data"):
        P.draw_result(ax, three_d)


# Colour-vision deficiency simulation (Machado, Oliveira, Fernandes 2009, severity 1, linear RGB).
_CVD = {
    "protan": [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]],
    "deutan": [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]],
    "tritan": [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.303900]],
}


def _linear(c):
    c = np.asarray(c, dtype=float)
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def _lab(linear_rgb):
    xyz = linear_rgb @ np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]).T
    f = np.cbrt(xyz / np.array([0.9505, 1.0, 1.089]))  # all colours here are far above the linear toe
    return np.stack([116 * f[:, 1] - 16, 500 * (f[:, 0] - f[:, 1]), 200 * (f[:, 1] - f[:, 2])], axis=1)


@pytest.mark.parametrize("K, floor", [(2, 15.0), (3, 15.0), (4, 8.0)])
def test_map_colours_stay_apart_for_colour_blind_viewers(K, floor):
    # the class shades and the free colour, pairwise CIE76 distance, as seen with
    # each common colour-vision deficiency (about 2.3 is just noticeable)
    colours = _linear(np.vstack([P.class_map_colors(K), [1.0, 1.0, 1.0]]))
    for name, matrix in _CVD.items():
        lab = _lab(np.clip(colours @ np.array(matrix).T, 0.0, 1.0))
        gaps = [np.linalg.norm(lab[i] - lab[j]) for i in range(len(lab)) for j in range(i + 1, len(lab))]
        assert min(gaps) >= floor, (name, min(gaps))
