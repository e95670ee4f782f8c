"""``python -m advot_teach``: the command line (see :mod:`advot_teach.cli`)."""
import sys

from .cli import main

if __name__ == "__main__":  # importing the module (pytest --doctest-modules) must not run it
    sys.exit(main())
