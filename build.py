"""Build the fact-check archive: `python build.py --help`."""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
VENV = os.path.join(HERE, ".venv")
VENV_PYTHON = os.path.join(VENV, "Scripts", "python.exe") if os.name == "nt" else os.path.join(VENV, "bin", "python")


def _in_project_venv() -> bool:
    return os.path.normcase(os.path.realpath(sys.prefix)) == os.path.normcase(os.path.realpath(VENV))


def _load_main():
    """The command line, or None when this Python lacks what it needs (said in one line, never a traceback)."""
    if sys.version_info >= (3, 11):  # noqa: UP036 (an older Python gets a sentence, not a SyntaxError)
        try:
            from site_builder.cli import main

            return main
        except ImportError as exc:
            missing = getattr(exc, "name", None) or str(exc)
            if missing.startswith("site_builder"):  # our own module: a bug, not a set-up step
                print(f"build.py: internal error: {exc}", file=sys.stderr)
                sys.exit(4)
    else:
        missing = None
    # `python build.py` with the system's Python, as the guide writes it: use
    # the project's own environment when `make build` has made it.
    if os.path.isfile(VENV_PYTHON) and not _in_project_venv():
        os.execv(VENV_PYTHON, [VENV_PYTHON, os.path.abspath(__file__), *sys.argv[1:]])
    if missing is None:
        print(
            f"build.py: error: this is Python {sys.version_info[0]}.{sys.version_info[1]}; the site builder needs "
            "3.11 or later: run `make build` first, which sets it up",
            file=sys.stderr,
        )
    else:
        print(
            f"build.py: error: this Python lacks the package '{missing}': run `make build` first, which installs "
            "everything into .venv (then `python build.py` uses it)",
            file=sys.stderr,
        )
    return None


if __name__ == "__main__":
    main = _load_main()
    sys.exit(main() if main else 2)
