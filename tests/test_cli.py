"""The command line (advot_teach.cli): files in, CSV and PNG out, one-line errors."""
import csv
import subprocess
import sys
import tomllib
from pathlib import Path

import numpy as np
import pytest

from advot_teach import datasets, optimal_adversarial_risk
from advot_teach.cli import main, parse_eps
from advot_teach.paths import risk_path
from advot_teach.sinkhorn import sinkhorn_risk_curve

ROOT = Path(__file__).resolve().parents[1]


def _read(path):
    with open(path, newline="") as handle:
        rows = list(csv.reader(handle))
    return rows[0], np.array(rows[1:], dtype=float)


@pytest.fixture
def three(tmp_path):
    X, y = datasets.three_blobs(12)
    return X, y


def test_npz_exact_curve_equals_the_solver(tmp_path, three):
    X, y = three
    np.savez(tmp_path / "data.npz", X=X, y=y)
    out = tmp_path / "curve.csv"
    assert main([str(tmp_path / "data.npz"), "--eps", "0:0.6:7", "-o", str(out), "--no-progress"]) == 0
    header, table = _read(out)
    assert header == ["eps", "risk"]
    np.testing.assert_allclose(table[:, 0], np.linspace(0, 0.6, 7))
    np.testing.assert_allclose(table[:, 1], risk_path(X, y, np.linspace(0, 0.6, 7)), atol=1e-11)
    assert table[-1, 1] == pytest.approx(optimal_adversarial_risk(X, y, 0.6).risk, abs=1e-11)
    assert table[-1, 1] > 0.1
    png = out.with_suffix(".png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_npy_pair_norm_weights_and_max_order(tmp_path, three):
    X, y = three
    w = np.linspace(1, 2, len(X))
    np.save(tmp_path / "X.npy", X)
    np.save(tmp_path / "y.npy", y)
    np.savetxt(tmp_path / "w.txt", w)
    out = tmp_path / "c.csv"
    code = main([str(tmp_path / "X.npy"), str(tmp_path / "y.npy"), "--eps", "0.2", "0.4,0.5", "--norm", "linf",
                 "--weights", str(tmp_path / "w.txt"), "--max-order", "2", "-o", str(out), "--no-plot"])
    assert code == 0 and not out.with_suffix(".png").exists()
    header, table = _read(out)
    assert header == ["eps", "risk_L2_lower_bound"]
    expected = [optimal_adversarial_risk(X, y, e, norm=np.inf, weights=w, max_order=2).risk for e in (0.2, 0.4, 0.5)]
    np.testing.assert_allclose(table[:, 1], expected, atol=1e-11)


def test_csv_with_header_string_labels_and_named_column(tmp_path, three):
    X, y = three
    names = np.array(["cat", "dog", "emu"])[y]
    path = tmp_path / "t.csv"
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["animal", "a", "b"])
        writer.writerows([[lab, *(repr(float(v)) for v in x)] for lab, x in zip(names, X)])
    out = tmp_path / "c.csv"
    assert main([str(path), "--label-column", "animal", "--eps", "0.3", "-o", str(out), "--no-plot"]) == 0
    assert _read(out)[1][0, 1] == pytest.approx(optimal_adversarial_risk(X, y, 0.3).risk, abs=1e-11)
    # Without a header the label is the last column by default.
    plain = tmp_path / "plain.csv"
    np.savetxt(plain, np.column_stack([X, y]), delimiter=",")
    assert main([str(plain), "--eps", "0.3", "-o", str(out), "--no-plot"]) == 0
    assert _read(out)[1][0, 1] == pytest.approx(optimal_adversarial_risk(X, y, 0.3).risk, abs=1e-11)


def test_sinkhorn_bounds_bracket_the_exact_value(tmp_path, three):
    X, y = three
    np.savez(tmp_path / "data.npz", X=X, y=y)
    out = tmp_path / "s.csv"
    assert main([str(tmp_path / "data.npz"), "--eps", "0.2,0.5", "--method", "sinkhorn", "-o", str(out)]) == 0
    header, table = _read(out)
    assert header == ["eps", "risk_lower_bound", "risk_L2_upper_bound"]
    curve = sinkhorn_risk_curve(X, y, [0.2, 0.5])
    np.testing.assert_allclose(table[:, 1], curve.risk, atol=1e-11)
    exact = risk_path(X, y, [0.2, 0.5], max_order=2)
    assert np.all(table[:, 1] <= exact + 1e-9) and np.all(exact <= table[:, 2] + 1e-9)
    assert out.with_suffix(".png").exists()


def _error(capsys, argv):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("advot-teach: error: ") and err.count("\n") == 1  # one line, no traceback
    return err


def test_bad_files_give_one_line_errors(tmp_path, capsys):
    X, y = datasets.three_blobs(5)
    eps = ["--eps", "0.1", "-o", str(tmp_path / "o.csv")]
    assert "no such file" in _error(capsys, [str(tmp_path / "missing.npz"), *eps])
    (tmp_path / "junk.npz").write_bytes(b"not a zip archive")
    assert "cannot read it as a .npz" in _error(capsys, [str(tmp_path / "junk.npz"), *eps])
    np.savez(tmp_path / "keys.npz", data=X, labels=y)
    assert "'X' and 'y'" in _error(capsys, [str(tmp_path / "keys.npz"), *eps])
    np.save(tmp_path / "X.npy", X)
    assert "labels as a second .npy" in _error(capsys, [str(tmp_path / "X.npy"), *eps])
    (tmp_path / "bad.npy").write_text("garbage")
    assert "bad.npy: cannot read" in _error(capsys, [str(tmp_path / "X.npy"), str(tmp_path / "bad.npy"), *eps])
    (tmp_path / "data.json").write_text("{}")
    assert "unknown file type '.json'" in _error(capsys, [str(tmp_path / "data.json"), *eps])
    (tmp_path / "ragged.csv").write_text("1,2,0\n3,1\n")
    assert "line 2 has 2" in _error(capsys, [str(tmp_path / "ragged.csv"), *eps])
    (tmp_path / "words.csv").write_text("a,b,label\n1,x,0\n")
    assert "must hold numbers" in _error(capsys, [str(tmp_path / "words.csv"), *eps])
    (tmp_path / "empty.csv").write_text("")
    assert "empty" in _error(capsys, [str(tmp_path / "empty.csv"), *eps])


def test_bad_values_name_the_file_and_the_problem(tmp_path, capsys):
    X, y = datasets.three_blobs(5)
    eps = ["--eps", "0.1", "-o", str(tmp_path / "o.csv")]
    np.savez(tmp_path / "short.npz", X=X, y=y[:-1])
    err = _error(capsys, [str(tmp_path / "short.npz"), *eps])
    assert "short.npz" in err and "one label per row" in err
    Xn = X.copy()
    Xn[3, 1] = np.nan
    np.savez(tmp_path / "nan.npz", X=Xn, y=y)
    assert "NaN" in _error(capsys, [str(tmp_path / "nan.npz"), *eps])
    np.savez(tmp_path / "ok.npz", X=X, y=y)
    np.save(tmp_path / "w.npy", np.ones(3))
    assert "weights" in _error(capsys, [str(tmp_path / "ok.npz"), *eps, "--weights", str(tmp_path / "w.npy")])
    assert "start:stop:count" in _error(capsys, [str(tmp_path / "ok.npz"), "--eps", "0:1"])
    assert ">= 0" in _error(capsys, [str(tmp_path / "ok.npz"), "--eps", "-0.5"])
    assert "norm" in _error(capsys, [str(tmp_path / "ok.npz"), *eps, "--norm", "l7"])


def test_a_hypergraph_too_large_suggests_max_order_or_sinkhorn(tmp_path, capsys):
    X, y = datasets.three_blobs(30)
    np.savez(tmp_path / "d.npz", X=X, y=y)
    err = _error(capsys, [str(tmp_path / "d.npz"), "--eps", "2", "--max-hyperedges", "100", "-o",
                          str(tmp_path / "o.csv")])
    assert "--max-order" in err and "--method sinkhorn" in err


def test_parse_eps():
    np.testing.assert_allclose(parse_eps(["0:1:3", "2.5,4"]), [0, 0.5, 1, 2.5, 4])
    for bad in (["x"], ["1:2:0"], ["1:2:3:4"], ["inf"]):
        with pytest.raises(ValueError, match="--eps"):
            parse_eps(bad)


def test_module_and_console_script_are_wired():
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    assert scripts["advot-teach"] == "advot_teach.cli:main"
    done = subprocess.run([sys.executable, "-m", "advot_teach", "--help"], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0 and "--max-order" in done.stdout and "--method" in done.stdout
