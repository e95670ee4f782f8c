"""Progress bars for long loops (tqdm: a text bar in a terminal, a widget in a notebook)."""
from __future__ import annotations

__all__ = ["progress"]

# A bar appears only once a loop has run this long: short solves stay silent.
DELAY_SECONDS = 2.0


def progress(iterable, *, enabled=True, total=None, desc=None):
    """``iterable`` wrapped in a tqdm bar that shows after :data:`DELAY_SECONDS`.

    With ``enabled`` False the iterable is returned unchanged, so solvers can
    take a ``progress`` flag without importing tqdm on the fast path.
    """
    if not enabled:
        return iterable
    from tqdm.auto import tqdm

    return tqdm(iterable, total=total, desc=desc, delay=DELAY_SECONDS, leave=False)
