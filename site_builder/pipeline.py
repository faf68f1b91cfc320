"""The build, stage after stage: read and validate, resolve, plan, render, write, index.

Data flows one way. Every stage before writing collects errors instead of
raising, and the build stops before touching the output if there are any.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field

from .context import PageBuilder
from .errors import BuildFailed, ErrorList
from .library import Library, build_library
from .parallel import run_chunked
from .render import Renderer, TemplateFailed
from .search import index_folder
from .urls import Urls
from .validate import Validator, find_content_files, read_site
from .writer import StagedOutput

ASSETS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "templates", "assets")


@dataclass
class BuildOptions:
    content_dir: str = "content"
    out_dir: str = "public"
    base_url: str | None = None  # overrides site.yaml's, for previews
    search: bool = True


@dataclass
class BuildReport:
    records: int = 0
    pages: int = 0
    indexed: int = 0  # pages in the search index
    seconds: float = 0.0
    stages: dict[str, float] = field(default_factory=dict)


class _Stopwatch:
    def __init__(self, report: BuildReport) -> None:
        self.report, self.last = report, time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.report.stages[stage] = self.report.stages.get(stage, 0.0) + now - self.last
        self.last = now


def load_library(options: BuildOptions, report: BuildReport | None = None) -> Library:
    """Read, validate and resolve the archive; raises BuildFailed with every error."""
    report = report or BuildReport()
    watch = _Stopwatch(report)
    errors = ErrorList()
    content_dir = options.content_dir
    site = read_site(content_dir, errors)
    files = find_content_files(content_dir, errors)
    watch.lap("read")
    base_url = options.base_url or (site.base_url if site else "https://example.invalid/")
    site_root = os.path.dirname(os.path.abspath(content_dir))
    records = []
    for chunk_records, chunk_errors in run_chunked(
        _validate_chunk, files, lambda: Validator(site_root, Urls(base_url))
    ):
        records.extend(chunk_records)
        errors.extend(chunk_errors)
    watch.lap("validate")
    library = build_library(site, records, errors) if site is not None and not errors else None
    watch.lap("resolve")
    if errors or library is None:
        raise BuildFailed(errors.sorted())
    return library


def build(options: BuildOptions) -> BuildReport:
    started = time.perf_counter()
    report = BuildReport()
    library = load_library(options, report)
    watch = _Stopwatch(report)
    urls = Urls(options.base_url or library.site.base_url)
    builder = PageBuilder(library, urls)
    pages = builder.pages()
    watch.lap("plan")
    with StagedOutput(options.out_dir) as output:
        clashes = ErrorList()
        for page in pages:
            earlier = output.claim(page.output, page.template)
            if earlier is not None:
                clashes.add(page.origin, f"two pages would be written to {page.output}: this one and one from {earlier}")
        if clashes:
            raise BuildFailed(clashes.sorted())
        template_errors = ErrorList()
        for chunk_errors in run_chunked(
            _render_chunk, range(len(pages)), lambda: (Renderer(builder.site_view), pages, output)
        ):
            template_errors.extend(chunk_errors)
        if template_errors:
            raise BuildFailed(template_errors.sorted())
        for relpath, data in builder.data_files():
            output.write(relpath, data)
        output.copy_tree(ASSETS, "assets")
        watch.lap("render")
        if options.search:
            report.indexed = index_folder(output.staging)
            watch.lap("index")
        output.commit()
    watch.lap("swap")
    report.records = library.record_count()
    report.pages = len(pages)
    report.seconds = time.perf_counter() - started
    return report


def _validate_chunk(validator: Validator, files) -> tuple[list, list]:
    errors = ErrorList()
    records = [r for r in (validator.record(f, errors) for f in files) if r is not None]
    return records, list(errors)


def _render_chunk(state, indices) -> list:
    """Render and write pages in this process; template errors come back as data."""
    renderer, pages, output = state
    errors = []
    for index in indices:
        page = pages[index]
        try:
            output.write(page.output, renderer.render(page))
        except TemplateFailed as failed:
            errors.append(failed.error)
    return errors
