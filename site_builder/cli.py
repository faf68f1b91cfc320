"""The command line: build (the default), check, serve, new, generate. Exit codes are part of the interface.

0 built (or checked) cleanly, 1 content errors, 2 usage error,
3 the output could not be written (disk, permissions, another build running),
4 an internal error: a bug in this tool, never the editor's fault.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys

from . import __version__, jsonschema_export, progress, publishing, reference, serve, template_docs
from .error_formats import FORMATS, format_errors
from .schema import URL_RE, parse_datetime
from .errors import BuildFailed, ContentError, display_path
from .pipeline import BuildOptions, build, load_library
from .scaffold import KINDS, ScaffoldRefused, new_record_file
from .search import SearchIndexFailed, peak_memory
from .writer import MARKER, OutputError, OutputRefused, refuse_unsafe_output

EXIT_OK, EXIT_CONTENT, EXIT_USAGE, EXIT_OUTPUT, EXIT_INTERNAL = 0, 1, 2, 3, 4
COMMANDS = ("build", "check", "serve", "new", "generate")
# The repository holding this tool: generated files are written into it.
TOOL_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


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
    build_cmd.add_argument("--base-url", metavar="URL", type=_base_url,
                           help="publish under this URL instead of site.yaml's base_url (for previews)")
    build_cmd.add_argument("--verbose", "-v", action="store_true", help="also print how long each stage took")
    build_cmd.add_argument("--drafts", action="store_true",
                           help="also build drafts and embargoed claims, each page with a banner and noindex (for previews)")
    _now_arg(build_cmd)
    _force_arg(build_cmd)

    check_cmd = commands.add_parser("check", help="check the content without writing anything",
                                    description="Check every content file and report all errors; writes nothing.")
    _content_arg(check_cmd)
    check_cmd.add_argument("--format", choices=FORMATS, default="text",
                           help="how errors are written: text for people (default, on stderr), github for "
                           "GitHub Actions annotations or json for programs (both on stdout)")
    _now_arg(check_cmd)

    serve_cmd = commands.add_parser("serve", help="preview the site on this machine, rebuilt on every save",
                                    description="Build the site into a preview folder and serve it; on every save "
                                    "of content or templates rebuild what changed and reload the browser. Content "
                                    "errors are shown in the terminal and over the page until they are fixed.")
    _content_arg(serve_cmd)
    serve_cmd.add_argument("--port", type=_port, default=8000, metavar="N",
                           help="port to listen on (default: 8000; 0 picks a free one)")
    serve_cmd.add_argument("--host", default="127.0.0.1",
                           help="address to listen on (default: 127.0.0.1, this machine only)")
    serve_cmd.add_argument("--out", default=".preview", metavar="DIR",
                           help="preview folder (default: .preview, so that public/ is never overwritten)")
    _now_arg(serve_cmd)
    _force_arg(serve_cmd)

    new_cmd = commands.add_parser("new", help="start a new content file, every key explained",
                                  description="Write content/<folder>/<SLUG>.yaml with every key of its kind, "
                                  "each explained in a comment. Keys only you can fill are left empty, and "
                                  "`check` reports them until they are written.")
    kinds = new_cmd.add_subparsers(dest="kind", metavar="KIND", required=True)
    for kind, (folder, record) in KINDS.items():
        kind_cmd = kinds.add_parser(kind, help=f"a new {folder}/<SLUG>.yaml", description=record.doc)
        kind_cmd.add_argument("slug", metavar="SLUG", help="the file name without .yaml: the permanent id and URL")
        _content_arg(kind_cmd)
        kind_cmd.set_defaults(claimant=None, source=None)
        if kind == "claim":
            kind_cmd.add_argument("--claimant", metavar="SLUG", help="who made the claim: a slug from people/")
            kind_cmd.add_argument("--source", metavar="SLUG", help="a source the claim appeared in: a slug from sources/")

    generate_cmd = commands.add_parser("generate", help="rewrite the files made from the content format",
                                       description="Rewrite what is generated from site_builder/schema.py and "
                                       "context.py: the JSON Schemas in schemas/, the reference docs/format.md and "
                                       "the templates' reference docs/templates.md.")
    generate_cmd.add_argument("--check", action="store_true",
                              help="write nothing; exit 1 if a generated file is out of date")
    return top


def _base_url(value: str) -> str:
    if not URL_RE.fullmatch(value):
        raise argparse.ArgumentTypeError(f"'{value}' is not an http:// or https:// address")
    return value if value.endswith("/") else value + "/"


def _content_arg(command: argparse.ArgumentParser) -> None:
    command.add_argument("--content", default="content", metavar="DIR",
                         help="the archive's content folder (default: content)")


def _now_arg(command: argparse.ArgumentParser) -> None:
    command.add_argument("--now", type=_instant, metavar="DATE-TIME",
                         help="evaluate embargoes (publish_at) at this instant instead of the current time, "
                         "written like 2026-12-05T09:00+01:00, 2026-12-05T08:00Z or 2026-12-05")


def _instant(text: str) -> dt.datetime:
    value = parse_datetime(text.strip())
    if value is None:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date-time with an offset (2026-12-05T09:00+01:00, "
                                         "2026-12-05T08:00Z) or a date (2026-12-05)")
    return value


def _force_arg(command: argparse.ArgumentParser) -> None:
    command.add_argument("--force", action="store_true",
                         help="replace the output folder even if a build did not write it (it has no "
                         f"{MARKER} file): everything in it is lost")


def _port(text: str) -> int:
    if not text.isdigit() or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"'{text}' is not a port number (0 to 65535)")
    return int(text)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or (argv[0].startswith("-") and argv[0] not in ("-h", "--help", "--version")):
        argv.insert(0, "build")
    try:
        args = parser().parse_args(argv)
    except SystemExit as exc:
        return EXIT_USAGE if exc.code else EXIT_OK
    if hasattr(args, "content") and not os.path.isdir(args.content):
        print(f"build.py: error: the content folder '{args.content}' does not exist "
              "(run from the archive's root or pass --content DIR)", file=sys.stderr)
        return EXIT_USAGE
    command = {"check": _check, "serve": _serve, "new": _new, "generate": _generate}.get(args.command, _build)
    try:
        try:
            if args.command in (None, "build", "serve"):
                # Before anything is read or bound: a wrong --out must cost nothing.
                refuse_unsafe_output(args.out, os.path.dirname(os.path.abspath(args.content)), args.content)
            return command(args)
        finally:
            progress.clear()  # before any message below, so none starts mid-line
    except BuildFailed as failed:
        return _report_errors(failed.errors, wrote=args.command == "build", out=getattr(args, "out", None),
                              style=getattr(args, "format", "text"))
    except (ScaffoldRefused, OutputRefused) as exc:
        print(f"build.py: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
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
    library = load_library(BuildOptions(content_dir=args.content, drafts=True, now=args.now))
    progress.clear()
    summary = f"checked {library.record_count()} records in {args.content}: no errors"
    drafts, embargoed = publishing.counts(library.held)
    if drafts or embargoed:
        summary += (f"; {drafts} draft{'s' if drafts != 1 else ''} and {embargoed} embargoed "
                    f"claim{'s' if embargoed != 1 else ''}, which `build` leaves out")
    if args.format == "json":
        print(format_errors([], "json"), end="")
        print(summary, file=sys.stderr)
    else:
        print(summary)
    return EXIT_OK


def _new(args) -> int:
    path = new_record_file(args.content, args.kind, args.slug, claimant=args.claimant, source=args.source)
    for kind, slug in (("person", args.claimant), ("source", args.source)):
        folder = KINDS[kind][0]
        if slug and not os.path.exists(os.path.join(args.content, folder, f"{slug}.yaml")):
            print(f"note: {folder}/{slug}.yaml does not exist yet; `python build.py new {kind} {slug}` starts it",
                  file=sys.stderr)
    print(display_path(path))
    return EXIT_OK


def generated_files() -> dict[str, str]:
    """What `generate` writes, by path relative to the tool's repository."""
    return {**jsonschema_export.schema_files(), reference.FORMAT_MD: reference.format_reference(),
            template_docs.TEMPLATES_MD: template_docs.templates_reference()}


def _generate(args) -> int:
    stale = {relpath: text for relpath, text in generated_files().items()
             if _read_or_none(os.path.join(TOOL_ROOT, relpath)) != text}
    if args.check and stale:
        print(f"out of date: {', '.join(stale)}; run `python build.py generate` and commit the result",
              file=sys.stderr)
        return EXIT_CONTENT
    if not args.check:
        for relpath, text in stale.items():
            path = os.path.join(TOOL_ROOT, relpath)
            try:
                os.makedirs(os.path.dirname(path), exist_ok=True)
                with open(path, "w", encoding="utf-8") as f:
                    f.write(text)
            except OSError as exc:
                raise OutputError(f"cannot write {relpath}: {exc.strerror}") from None
    print(f"rewrote {', '.join(stale)}" if stale else "generated files are up to date")
    return EXIT_OK


def _read_or_none(path: str) -> str | None:
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except FileNotFoundError:
        return None


def _build(args) -> int:
    options = BuildOptions(content_dir=args.content, out_dir=args.out, base_url=args.base_url, force=args.force,
                           drafts=args.drafts, now=args.now)
    report = build(options)
    progress.clear()
    print(f"built {report.pages} pages from {report.records} records into {args.out} in {report.seconds:.2f} s")
    if args.verbose:
        for stage, seconds in report.stages.items():
            print(f"  {stage:<10} {seconds:7.3f} s")
        # On stderr: stdout's -v lines are the stages, one format.
        print("peak RSS (workers: the largest forked worker, pages shared with main copy-on-write included;"
              " pagefind: the indexer, a separate program):", file=sys.stderr)
        for name, size in peak_memory().items():
            print(f"  memory.{name:<10} {size / 2**20:7.1f} MiB", file=sys.stderr)
    return EXIT_OK


def _serve(args) -> int:
    try:
        return serve.serve(args.content, args.out, args.host, args.port, force=args.force, now=args.now)
    except serve.PortUnavailable as exc:
        print(f"build.py: error: {exc}", file=sys.stderr)
        return EXIT_USAGE


def _report_errors(errors: list[ContentError], wrote: bool, out: str | None, style: str = "text") -> int:
    print(format_errors(errors, style), end="", file=sys.stderr if style == "text" else sys.stdout)
    tail = f"; {out} was left as it was" if wrote else ""
    print(f"{len(errors)} error{'s' if len(errors) != 1 else ''}{tail}", file=sys.stderr)
    return EXIT_CONTENT
