"""Read a labelled data set (points X, labels y) from files, for the command line.

Three layouts are understood:

* ``.npz``: arrays named ``X`` and ``y`` (``numpy.savez("data.npz", X=X, y=y)``);
* two ``.npy`` files: the points, then the labels;
* ``.csv``: one point per row, the label in one column (the last by default),
  an optional header row.

Each failure raises :class:`DataFileError` (a ``ValueError``) naming the file
and what was expected; checking the values themselves (NaN, lengths) is left
to the solvers' own validation, which the command line reports with the file
name.
"""
from __future__ import annotations

import csv
import zipfile
from pathlib import Path

import numpy as np

__all__ = ["DataFileError", "load_labelled_data", "load_weights"]


class DataFileError(ValueError):
    """A data file is missing, unreadable or not in an understood layout."""


def load_labelled_data(path, labels_path=None, *, label_column=-1):
    """Points and labels from ``.npz``, a ``.npy`` pair or ``.csv``.

    Parameters
    ----------
    path : str or Path
        ``.npz`` (arrays ``X``, ``y``), ``.npy`` (the points; then
        ``labels_path`` is required) or ``.csv``.
    labels_path : str or Path, optional
        ``.npy`` file of labels, with a ``.npy`` ``path``.
    label_column : int or str, default -1
        For ``.csv``: index (negative counts from the end) or header name of
        the label column.

    Returns
    -------
    X : ndarray, shape (n, d)
    y : ndarray, shape (n,)
        Integer labels when every label is an integer, else strings.
    """
    path = _existing(path)
    suffix = path.suffix.lower()
    if suffix == ".npz":
        if labels_path is not None:
            raise DataFileError(f"{path}: a .npz file holds its own labels (array 'y'); drop the labels file")
        return _from_npz(path)
    if suffix == ".npy":
        if labels_path is None:
            raise DataFileError(f"{path}: a .npy file holds only the points; give the labels as a second "
                                f".npy file (X.npy y.npy)")
        labels_path = _existing(labels_path)
        return _npy(path, "points"), _npy(labels_path, "labels")
    if suffix in (".csv", ".txt"):
        if labels_path is not None:
            raise DataFileError(f"{path}: a .csv file holds its own labels (one column); drop the labels file")
        return _from_csv(path, label_column)
    raise DataFileError(f"{path}: unknown file type {suffix or '(none)'!r}; expected .npz, .npy (with a labels "
                        f".npy) or .csv")


def load_weights(path):
    """Point weights from ``.npy``, ``.csv`` or ``.txt`` (one number per point), shape (n,)."""
    path = _existing(path)
    if path.suffix.lower() == ".npy":
        w = _npy(path, "weights")
    else:
        rows = _csv_rows(path)
        try:
            w = np.array([float(v) for row in rows for v in row])
        except ValueError:
            raise DataFileError(f"{path}: weights must be numbers, one per point") from None
    try:
        return np.asarray(w, dtype=float).ravel()
    except (TypeError, ValueError):
        raise DataFileError(f"{path}: weights must be numbers, one per point") from None


def _existing(path) -> Path:
    path = Path(path)
    if not path.is_file():
        raise DataFileError(f"{path}: no such file")
    return path


def _npy(path, what):
    try:
        return np.load(path, allow_pickle=False)
    except (OSError, ValueError) as exc:
        raise DataFileError(f"{path}: cannot read the {what} as a .npy array ({exc})") from None


def _from_npz(path):
    try:
        with np.load(path, allow_pickle=False) as data:
            arrays = {key: data[key] for key in data.files}
    except (OSError, ValueError, zipfile.BadZipFile) as exc:
        raise DataFileError(f"{path}: cannot read it as a .npz archive ({exc})") from None
    if "X" not in arrays or "y" not in arrays:
        raise DataFileError(f"{path}: expected arrays named 'X' and 'y' (numpy.savez(path, X=X, y=y)); "
                            f"found {sorted(arrays) or 'none'}")
    return arrays["X"], arrays["y"]


def _csv_rows(path):
    try:
        with open(path, newline="") as handle:
            sample = handle.read(4096)
            handle.seek(0)
            delimiter = "," if "," in sample or "\t" not in sample else "\t"
            rows = [row for row in csv.reader(handle, delimiter=delimiter) if any(field.strip() for field in row)]
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise DataFileError(f"{path}: cannot read it as text ({exc})") from None
    if not rows:
        raise DataFileError(f"{path}: the file is empty")
    return rows


def _from_csv(path, label_column):
    rows = _csv_rows(path)
    width = len(rows[0])
    if width < 2:
        raise DataFileError(f"{path}: expected at least two columns (features and a label); found {width}")
    if isinstance(label_column, str) and not label_column.strip().lstrip("-").isdigit():
        header, rows = [name.strip() for name in rows[0]], rows[1:]
        if label_column not in header:
            raise DataFileError(f"{path}: no column named {label_column!r}; the header row has {header}")
        column, first = header.index(label_column), 2
    else:
        column = int(label_column)
        if not -width <= column < width:
            raise DataFileError(f"{path}: label column {column} is out of range for {width} columns")
        column %= width
        first = 1
        if not _all_numbers(_drop(rows[0], column)):  # a header row
            rows, first = rows[1:], 2
    if not rows:
        raise DataFileError(f"{path}: no data rows")
    for line, row in enumerate(rows, start=first):
        if len(row) != width:
            raise DataFileError(f"{path}: every row must have {width} columns; line {line} has {len(row)}")
    try:
        X = np.array([[float(v) for v in _drop(row, column)] for row in rows])
    except ValueError as exc:
        raise DataFileError(f"{path}: the feature columns must hold numbers ({exc})") from None
    labels = [row[column].strip() for row in rows]
    try:
        y = np.array([int(v) for v in labels])
    except ValueError:
        y = np.array(labels)
    return X, y


def _drop(row, column):
    return [v for i, v in enumerate(row) if i != column]


def _all_numbers(fields):
    try:
        [float(v) for v in fields]
    except ValueError:
        return False
    return True
