"""``python -m medtutor``: the command line (also installed as ``medtutor``)."""

import sys

try:
    from medtutor.cli import main
except KeyboardInterrupt:  # Ctrl-C while Python is still importing
    sys.stderr.write("medtutor: interrupted; nothing was written\n")
    sys.exit(130)

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
