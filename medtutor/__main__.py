"""Command line entry point: ``python -m medtutor`` (also installed as ``medtutor``)."""

from __future__ import annotations

import argparse
import sys

import medtutor


def main(argv: list[str] | None = None) -> int:
    """Run the ``medtutor`` command line.

    Parameters
    ----------
    argv : list of str, optional
        Arguments without the program name; defaults to ``sys.argv[1:]``.

    Returns
    -------
    int
        The process exit status.
    """
    parser = argparse.ArgumentParser(prog="medtutor", description=__doc__)
    parser.add_argument("--version", action="version", version=f"medtutor {medtutor.__version__}")
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("versions", help="print the versions of the libraries the book uses")
    args = parser.parse_args(argv)
    if args.command == "versions":
        for name, version in medtutor.versions().items():
            print(f"{name:14s} {version}")
        return 0
    parser.print_help()
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
