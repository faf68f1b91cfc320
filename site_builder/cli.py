"""The command line: build (the default), check, serve, new, generate, import. Exit codes are part of the interface.

0 built (or checked) cleanly, 1 content errors, 2 usage error,
3 the output could not be written (disk, permissions, another build running),
4 an internal error: a bug in this tool, never the editor's fault.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys

from . import (
    __version__,
    archiver,
    cache,
    importing,
    jsonschema_export,
    progress,
    publishing,
    reference,
    serve,
    template_docs,
)
from .error_formats import FORMATS, format_errors, github_annotation
from .errors import BuildFailed, ContentError, display_path
from .files import TOOL_ROOT, site_root
from .library import warnings as content_warnings
from .pipeline import BuildOptions, build, load_library
from .scaffold import KINDS, TEXTS_FOLDER, ScaffoldRefused, new_record_file, new_text_file
from .schema import URL_RE, parse_datetime, slug_problem
from .search import SearchIndexFailed, peak_memory
from .validate import placeholder_base_url
from .writer import MARKER, OutputError, OutputRefused, refuse_unsafe_output

EXIT_OK, EXIT_CONTENT, EXIT_USAGE, EXIT_OUTPUT, EXIT_INTERNAL = 0, 1, 2, 3, 4


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="build.py",
        description="Check a fact-check archive and build it into a static site.",
        epilog="Without a command, build.py builds. Exit codes: 0 ok, 1 content errors, "
        "2 usage error, 3 output not writable, 4 internal error.",
    )
    top.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = top.add_subparsers(dest="command", metavar="COMMAND")

    build_cmd = commands.add_parser(
        "build",
        help="check the content and build the site (the default)",
        description="Check the content and build the site into the output folder.",
    )
    _content_arg(build_cmd)
    build_cmd.add_argument("--out", default="public", metavar="DIR", help="output folder (default: public)")
    build_cmd.add_argument(
        "--base-url",
        metavar="URL",
        type=_base_url,
        help="publish under this URL instead of site.yaml's base_url (for previews)",
    )
    build_cmd.add_argument("--verbose", "-v", action="store_true", help="also print how long each stage took")
    _publish_arg(build_cmd)
    build_cmd.add_argument(
        "--drafts",
        action="store_true",
        help="also build drafts and embargoed claims, each page with a banner and noindex (for previews)",
    )
    _now_arg(build_cmd)
    _force_arg(build_cmd)

    check_cmd = commands.add_parser(
        "check",
        help="check the content without writing anything",
        description="Check every content file and report all errors; writes nothing.",
    )
    _content_arg(check_cmd)
    check_cmd.add_argument(
        "--format",
        choices=FORMATS,
        default="text",
        help="how errors are written: text for people (default, on stderr), github for "
        "GitHub Actions annotations or json for programs (both on stdout)",
    )
    _publish_arg(check_cmd)
    _now_arg(check_cmd)

    serve_cmd = commands.add_parser(
        "serve",
        help="preview the site on this machine, rebuilt on every save",
        description="Build the site into a preview folder and serve it; on every save "
        "of content or templates rebuild what changed and reload the browser. Content "
        "errors are shown in the terminal and over the page until they are fixed.",
    )
    _content_arg(serve_cmd)
    serve_cmd.add_argument(
        "--port", type=_port, default=8000, metavar="N", help="port to listen on (default: 8000; 0 picks a free one)"
    )
    serve_cmd.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this machine only)"
    )
    serve_cmd.add_argument(
        "--out",
        default=".preview",
        metavar="DIR",
        help="preview folder (default: .preview, so that public/ is never overwritten)",
    )
    serve_cmd.add_argument(
        "--poll",
        action="store_true",
        help="notice saves by scanning the folders, not by the system's file events: for folders on a network "
        "drive or shared into a container, whose saves the events miss (a save then shows up to a second later)",
    )
    _now_arg(serve_cmd)
    _force_arg(serve_cmd)

    new_cmd = commands.add_parser(
        "new",
        help="start a new content file, every key explained",
        description="Write content/<folder>/<SLUG>.yaml with every key of its kind, "
        "each explained in a comment. Keys only you can fill are left empty, and "
        "`check` reports them until they are written.",
    )
    kinds = new_cmd.add_subparsers(dest="kind", metavar="KIND", required=True)
    for kind, (folder, record) in KINDS.items():
        kind_cmd = kinds.add_parser(kind, help=f"a new {folder}/<SLUG>.yaml", description=record.doc)
        kind_cmd.add_argument("slug", metavar="SLUG", help="the file name without .yaml: the permanent id and URL")
        _content_arg(kind_cmd)
        kind_cmd.set_defaults(claimant=None, source=None)
        kind_cmd.set_defaults(text=False)
        if kind == "claim":
            kind_cmd.add_argument(
                "--claimant",
                metavar="SLUG",
                help="who made the claim: the file name of a person in people/, without .yaml",
            )
            kind_cmd.add_argument(
                "--source",
                metavar="SLUG",
                help="a source the claim appeared in: the file name of a source in sources/, without .yaml",
            )
        if kind == "source":
            kind_cmd.add_argument(
                "--text",
                action="store_true",
                help="also start the source's archived text, an empty seeds/SLUG.txt, and name it in `text`",
            )

    archive_cmd = commands.add_parser(
        "archive",
        help="fetch a source from the web and keep it with its digest",
        description="Fetch URL (following redirects), keep it under archive/ beside "
        "the content folder (a web page as a WARC file, a PDF as itself) and write "
        "url, text, sha256 and archived into sources/SLUG.yaml, with the title and "
        "publisher where the page's metadata has them; then print the quotes the "
        "text holds. The only command that uses the network.",
    )
    archive_cmd.add_argument("url", metavar="URL", help="the http:// or https:// address of the page or PDF")
    archive_cmd.add_argument(
        "--source",
        required=True,
        metavar="SLUG",
        type=_slug,
        help="the source's slug: sources/SLUG.yaml is written, or updated keeping what is in it",
    )
    _content_arg(archive_cmd)
    archive_cmd.add_argument(
        "--allow-local",
        action="store_true",
        help="also fetch from private and loopback addresses (this machine, the local network)",
    )
    archive_cmd.add_argument(
        "--timeout",
        type=float,
        default=archiver.TIMEOUT_SECONDS,
        metavar="SECONDS",
        help=f"give up after this long (default: {archiver.TIMEOUT_SECONDS:g})",
    )

    import_cmd = commands.add_parser(
        "import",
        help="move an existing archive in: ClaimReview pages, Fact Check API, CSV",
        description="Write content files from an existing archive's export: saved pages or "
        "files with ClaimReview JSON-LD (claimreview), responses of Google's Fact Check Tools "
        "API (factcheck-api), or a spreadsheet (csv). Ratings that match no verdict stop the "
        "import until a verdict map says what they mean. See docs/importing.md.",
    )
    import_cmd.add_argument(
        "format", choices=importing.FORMATS, metavar="FORMAT", help="claimreview, factcheck-api or csv"
    )
    import_cmd.add_argument("paths", nargs="+", metavar="PATH", help="files or folders to import")
    _content_arg(import_cmd)
    import_cmd.add_argument(
        "--verdict-map", metavar="FILE", help="a YAML mapping of ratings to verdict ids, filled in by an editor"
    )
    import_cmd.add_argument(
        "--write-verdict-map",
        metavar="FILE",
        help="write every distinct rating to FILE with an empty value to fill in; writes no content",
    )
    import_cmd.add_argument(
        "--columns",
        metavar="MAP",
        default="",
        help="CSV column names for the keys, like claim=Statement,claimant=Speaker",
    )
    import_cmd.add_argument("--dry-run", action="store_true", help="print what would be written; write nothing")
    import_cmd.add_argument(
        "--force", action="store_true", help="also overwrite files an editor changed since the last import"
    )

    generate_cmd = commands.add_parser(
        "generate",
        help="rewrite the files made from the content format",
        description="Rewrite what is generated from site_builder/schema.py and "
        "the page families in site_builder/pages/: the JSON Schemas in schemas/, the reference docs/format.md and "
        "the templates' reference docs/templates.md.",
    )
    generate_cmd.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if a generated file is out of date"
    )
    return top


def _base_url(value: str) -> str:
    if not URL_RE.fullmatch(value):
        raise argparse.ArgumentTypeError(f"'{value}' is not an http:// or https:// address")
    return value if value.endswith("/") else value + "/"


def _content_arg(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--content", default="content", metavar="DIR", help="the archive's content folder (default: content)"
    )


def _slug(text: str) -> str:
    problem = slug_problem(text)
    if problem:
        raise argparse.ArgumentTypeError(f"'{text}' is not a valid slug: {problem}")
    return text


def _now_arg(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--now",
        type=_instant,
        metavar="DATE-TIME",
        help="evaluate embargoes (publish_at) at this instant instead of the current time, "
        "written like 2026-12-05T09:00+01:00, 2026-12-05T08:00Z or 2026-12-05",
    )


def _instant(text: str) -> dt.datetime:
    value = parse_datetime(text.strip())
    if value is None:
        raise argparse.ArgumentTypeError(
            f"'{text}' is not a date-time with an offset (2026-12-05T09:00+01:00, "
            "2026-12-05T08:00Z) or a date (2026-12-05)"
        )
    return value


def _force_arg(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--force",
        action="store_true",
        help="replace the output folder even if a build did not write it (it has no "
        f"{MARKER} file): everything in it is lost",
    )


def _publish_arg(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--publish",
        action="store_true",
        help="this build is the one to publish (the deploy workflow's): a placeholder base_url "
        "such as https://example.org/ is an error, not a warning",
    )


def _placeholder(args, override: str | None = None) -> ContentError | None:
    """The placeholder base_url's warning; with --publish, an error reported with the content's own."""
    problem = placeholder_base_url(args.content, override)
    if problem is not None and args.publish:
        try:
            load_library(BuildOptions(content_dir=args.content))
        except BuildFailed as failed:
            raise BuildFailed(sorted([*failed.errors, problem])) from None
        raise BuildFailed([problem])
    return problem


def _warn(problem: ContentError | None) -> None:
    if problem is not None:
        print(str(problem).replace(": error: ", ": warning: ", 1), file=sys.stderr)


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
        print(
            f"build.py: error: the content folder '{args.content}' does not exist "
            "(run from the archive's root or pass --content DIR)",
            file=sys.stderr,
        )
        return EXIT_USAGE
    command = {
        "check": _check,
        "serve": _serve,
        "new": _new,
        "generate": _generate,
        "archive": _archive,
        "import": _import,
    }.get(args.command, _build)
    try:
        try:
            if args.command in (None, "build", "serve"):
                # Before anything is read or bound: a wrong --out must cost nothing.
                refuse_unsafe_output(args.out, site_root(args.content), args.content)
            return command(args)
        finally:
            progress.clear()  # before any message below, so none starts mid-line
    except BuildFailed as failed:
        return _report_errors(
            failed.errors,
            wrote=args.command == "build",
            out=getattr(args, "out", None),
            style=getattr(args, "format", "text"),
        )
    except (ScaffoldRefused, OutputRefused, importing.ImportUsageError) as exc:
        print(f"build.py: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except (OutputError, SearchIndexFailed) as exc:
        print(f"build.py: error: {exc}", file=sys.stderr)
        return EXIT_OUTPUT
    except KeyboardInterrupt:
        print("build.py: interrupted; the output folder was left as it was", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 (an editor must never see a traceback)
        print(
            f"build.py: internal error: {type(exc).__name__}: {exc}\n"
            "This is a bug in the site builder, not in your content: please report it "
            "with the command you ran.",
            file=sys.stderr,
        )
        return EXIT_INTERNAL


def _check(args) -> int:
    placeholder = _placeholder(args)
    options = BuildOptions(content_dir=args.content, drafts=True, now=args.now)
    # check writes nothing; it still reads what builds kept, and no build prunes it meanwhile.
    with cache.reading_only(), cache.CacheLock(options.site_root):
        library = load_library(options)
    progress.clear()
    warnings = content_warnings(library)
    for warning in warnings:
        if args.format == "github":
            print(github_annotation(warning).replace("::error ", "::warning ", 1))
        else:
            print(str(warning).replace(": error: ", ": warning: ", 1), file=sys.stderr)
    counted = f", {len(warnings)} warning{'s' if len(warnings) != 1 else ''}" if warnings else ""
    summary = f"checked {library.record_count()} records in {args.content}: no errors{counted}"
    drafts, embargoed = publishing.counts(library.held)
    if drafts or embargoed:
        summary += (
            f"; {drafts} draft{'s' if drafts != 1 else ''} and {embargoed} embargoed "
            f"claim{'s' if embargoed != 1 else ''}, which `build` leaves out"
        )
    if args.format == "json":
        print(format_errors([], "json"), end="")
        print(summary, file=sys.stderr)
    else:
        print(summary)
    if args.format == "text":
        _warn(placeholder)
    return EXIT_OK


def _new(args) -> int:
    text = f"{TEXTS_FOLDER}/{args.slug}.txt" if args.text else None
    path = new_record_file(args.content, args.kind, args.slug, claimant=args.claimant, source=args.source, text=text)
    text_path = new_text_file(args.content, args.slug) if text else None
    for kind, slug in (("person", args.claimant), ("source", args.source)):
        folder = KINDS[kind][0]
        if slug and not os.path.exists(os.path.join(args.content, folder, f"{slug}.yaml")):
            print(
                f"note: {folder}/{slug}.yaml does not exist yet; `python build.py new {kind} {slug}` starts it",
                file=sys.stderr,
            )
    print(display_path(path))
    if text:
        print(
            f"{display_path(text_path)}: paste the source's full text into this file, as published; "
            "its quotes are checked against it"
        )
    return EXIT_OK


def generated_files() -> dict[str, str]:
    """What `generate` writes, by path relative to the tool's repository."""
    return {
        **jsonschema_export.schema_files(),
        reference.FORMAT_MD: reference.format_reference(),
        template_docs.TEMPLATES_MD: template_docs.templates_reference(),
    }


def _generate(args) -> int:
    stale = {
        relpath: text
        for relpath, text in generated_files().items()
        if _read_or_none(os.path.join(TOOL_ROOT, relpath)) != text
    }
    if args.check and stale:
        print(f"out of date: {', '.join(stale)}; run `python build.py generate` and commit the result", file=sys.stderr)
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


def _import(args) -> int:
    try:
        columns = importing.csv_reader.parse_columns(args.columns)
    except importing.csv_reader.ColumnsError as exc:
        raise importing.ImportUsageError(str(exc)) from None
    if columns and args.format != "csv":
        raise importing.ImportUsageError("--columns names CSV columns: it works with `import csv` only")
    return importing.run(
        importing.ImportOptions(
            args.format,
            args.paths,
            args.content,
            args.verdict_map,
            args.write_verdict_map,
            columns,
            args.dry_run,
            args.force,
        )
    )


def _build(args) -> int:
    options = BuildOptions(
        content_dir=args.content,
        out_dir=args.out,
        base_url=args.base_url,
        force=args.force,
        drafts=args.drafts,
        now=args.now,
    )
    placeholder = _placeholder(args, args.base_url)
    report = build(options)
    progress.clear()
    print(f"built {report.pages} pages from {report.records} records into {args.out} in {report.seconds:.2f} s")
    _warn(placeholder)
    if args.verbose:
        for stage, seconds in report.stages.items():
            print(f"  {stage:<10} {seconds:7.3f} s")
        # On stderr: stdout's -v lines are the stages, one format.
        print(
            "peak RSS (workers: the largest forked worker, pages shared with main copy-on-write included;"
            " pagefind: the indexer, a separate program):",
            file=sys.stderr,
        )
        for name, size in peak_memory().items():
            print(f"  memory.{name:<10} {size / 2**20:7.1f} MiB", file=sys.stderr)
    return EXIT_OK


def _archive(args) -> int:
    try:
        done = archiver.archive(args.url, args.source, args.content, args.allow_local, args.timeout)
    except archiver.ArchiveRefused as exc:
        print(f"build.py: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except (archiver.FetchFailed, archiver.SourceFileProblem) as exc:
        print(f"build.py: error: nothing was archived: {exc}", file=sys.stderr)
        return EXIT_CONTENT
    except OSError as exc:
        raise OutputError(f"cannot write the archived copy or the source file: {exc.strerror or exc}") from None
    size = f"{done.size / 1000:,.1f} KB"
    print(f"archived {done.final_url} ({'PDF' if done.kind == 'pdf' else 'WARC'}, {size}) as {done.path}")
    print(f"  sha256 {done.sha256}")
    print(f"wrote {display_path(done.source_file)}: {', '.join(done.written_keys)}")
    for quote_id, found in done.quotes:
        state = (
            "is in the new copy"
            if found
            else (
                "is NOT in the new copy: the page has changed since it was "
                "quoted; see docs/editing.md, 'When a page has changed'"
            )
        )
        print(f"  quote '{quote_id}' {state}")
    if done.text is not None:
        passages = archiver.quotable_passages(done.text)
        if passages:
            print(
                "quotes you can now write (the passages the text puts in quotation marks; "
                "give each an id and its speaker):"
            )
            for passage in passages:
                print(f"  - id:\n    speaker:\n    text: {archiver.yaml_scalar(passage)}")
        else:
            words = done.text.split()
            print(
                f"the text has {len(words):,} words and no passages in quotation marks; any of its words can be "
                f"quoted exactly. It begins: {' '.join(words[:30])}{' …' if len(words) > 30 else ''}"
            )
    for error in done.errors:  # a text that cannot be taken from the copy is one of them
        print(error, file=sys.stderr)
    return EXIT_CONTENT if done.problem or done.errors else EXIT_OK


def _serve(args) -> int:
    try:
        return serve.serve(args.content, args.out, args.host, args.port, force=args.force, now=args.now, poll=args.poll)
    except serve.PortUnavailable as exc:
        print(f"build.py: error: {exc}", file=sys.stderr)
        return EXIT_USAGE


def _report_errors(errors: list[ContentError], wrote: bool, out: str | None, style: str = "text") -> int:
    print(format_errors(errors, style), end="", file=sys.stderr if style == "text" else sys.stdout)
    tail = f"; {out} was left as it was" if wrote else ""
    print(f"{len(errors)} error{'s' if len(errors) != 1 else ''}{tail}", file=sys.stderr)
    return EXIT_CONTENT
