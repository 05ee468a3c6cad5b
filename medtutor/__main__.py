"""``python -m medtutor``: the command line (also installed as ``medtutor``)."""

import sys

from medtutor.cli import main

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
