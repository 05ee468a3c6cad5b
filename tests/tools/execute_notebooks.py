"""``make notebooks``: re-execute every notebook under the given folders, in place."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from nbrun import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
