"""``python -m sphinx_kb``: the command line (``import hugo|astro SRC DEST``), see :mod:`.importers`."""

import sys

from .importers import main

sys.exit(main())
