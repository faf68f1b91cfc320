"""The command line: build (the default), check. Exit codes are part of the interface.

0 built (or checked) cleanly, 1 content errors, 2 usage error,
3 the output could not be written (disk, permissions, another build running),
4 an internal error: a bug in this tool, never the editor's fault.
"""

from __future__ import annotations

import argparse
import os
import sys

from . import __version__
from .errors import BuildFailed, ContentError
from .pipeline import BuildOptions, build, load_library
from .search import SearchIndexFailed
from .writer import OutputError

EXIT_OK, EXIT_CONTENT, EXIT_USAGE, EXIT_OUTPUT, EXIT_INTERNAL = 0, 1, 2, 3, 4
COMMANDS = ("build", "check")


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="build.py",
        description="Check a fact-check archive and build it into a static site.",
        epilog="Without a command, build.py builds. Exit codes: 0 ok, 1 content errors, "
        "2 usage error, 3 output not writable, 4 internal error.",
    )
    top.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = top.add_subparsers(dest="command", metavar="COMMAND")

    build_cmd = commands.add_parser("build", help="check the content and build the site (the default)",
                                    description="Check the content and build the site into the output folder.")
    _content_arg(build_cmd)
    build_cmd.add_argument("--out", default="public", metavar="DIR", help="output folder (default: public)")
    build_cmd.add_argument("--base-url", metavar="URL", help="publish under this URL instead of site.yaml's base_url (for previews)")
    build_cmd.add_argument("--verbose", "-v", action="store_true", help="also print how long each stage took")

    check_cmd = commands.add_parser("check", help="check the content without writing anything",
                                    description="Check every content file and report all errors; writes nothing.")
    _content_arg(check_cmd)
    return top


def _content_arg(command: argparse.ArgumentParser) -> None:
    command.add_argument("--content", default="content", metavar="DIR",
                         help="the archive's content folder (default: content)")


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or (argv[0].startswith("-") and argv[0] not in ("-h", "--help", "--version")):
        argv.insert(0, "build")
    try:
        args = parser().parse_args(argv)
    except SystemExit as exc:
        return EXIT_USAGE if exc.code else EXIT_OK
    if not os.path.isdir(args.content):
        print(f"build.py: error: the content folder '{args.content}' does not exist "
              "(run from the archive's root or pass --content DIR)", file=sys.stderr)
        return EXIT_USAGE
    try:
        if args.command == "check":
            return _check(args)
        return _build(args)
    except BuildFailed as failed:
        return _report_errors(failed.errors, wrote=args.command == "build", out=getattr(args, "out", None))
    except (OutputError, SearchIndexFailed) as exc:
        print(f"build.py: error: {exc}", file=sys.stderr)
        return EXIT_OUTPUT
    except KeyboardInterrupt:
        print("build.py: interrupted; the output folder was left as it was", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 (an editor must never see a traceback)
        print(f"build.py: internal error: {type(exc).__name__}: {exc}\n"
              "This is a bug in the site builder, not in your content: please report it "
              "with the command you ran.", file=sys.stderr)
        return EXIT_INTERNAL


def _check(args) -> int:
    library = load_library(BuildOptions(content_dir=args.content))
    print(f"checked {library.record_count()} records in {args.content}: no errors")
    return EXIT_OK


def _build(args) -> int:
    options = BuildOptions(content_dir=args.content, out_dir=args.out, base_url=args.base_url)
    report = build(options)
    print(f"built {report.pages} pages from {report.records} records into {args.out} in {report.seconds:.2f} s")
    if args.verbose:
        for stage, seconds in report.stages.items():
            print(f"  {stage:<10} {seconds:7.3f} s")
    return EXIT_OK


def _report_errors(errors: list[ContentError], wrote: bool, out: str | None) -> int:
    for error in errors:
        print(error, file=sys.stderr)
    tail = f"; {out} was left as it was" if wrote else ""
    print(f"{len(errors)} error{'s' if len(errors) != 1 else ''}{tail}", file=sys.stderr)
    return EXIT_CONTENT
