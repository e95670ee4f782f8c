"""``python -m advot_teach``: the command line (see :mod:`advot_teach.cli`)."""
import sys

from .cli import main

sys.exit(main())
