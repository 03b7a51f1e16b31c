"""``python -m gmm``: the command line (see :mod:`gmm.cli`)."""

import sys

from gmm.cli import main

if __name__ == "__main__":
    sys.exit(main())
