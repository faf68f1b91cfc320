"""The floor: the least any implementation of this design must spend on a build.

Read every content file with libyaml, convert each analysis with one reused
Markdown instance, render one template per page kind and write the pages.
No validation, no links resolved, no backlinks, one process: the build's time
above this is what its checks and structure cost.

Source pages show their archived text, as the real ones do, so the texts are
read too; otherwise Pagefind would index smaller pages here than there.

    python -m bench.floor CONTENT OUT [--with-pagefind]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

import jinja2
import markdown
import yaml
from markupsafe import Markup

TEMPLATES = Path(__file__).resolve().parent / "floor_templates"
# Content folder (also the output folder) → its page template: one page per record.
PAGE_KINDS = {"claims": "claim.html", "sources": "source.html", "people": "person.html", "topics": "topic.html"}


def read_records(content: Path) -> tuple[dict, list[tuple[str, str, dict]]]:
    """site.yaml and every record as (folder, slug, data), archived texts inlined."""
    site_root = content.parent
    with open(content / "site.yaml", encoding="utf-8") as f:
        site = yaml.load(f, Loader=yaml.CSafeLoader)
    records = []
    for folder in PAGE_KINDS:
        if not (content / folder).is_dir():
            continue
        for name in sorted(os.listdir(content / folder)):
            with open(content / folder / name, encoding="utf-8") as f:
                data = yaml.load(f, Loader=yaml.CSafeLoader)
            if folder == "sources" and data.get("text"):
                data["archived_text"] = (site_root / data["text"]).read_text(encoding="utf-8")
            records.append((folder, name.removesuffix(".yaml"), data))
    return site, records


def build_floor(content: Path, out: Path, with_pagefind: bool) -> tuple[int, dict[str, float]]:
    """Pages written and seconds per stage."""
    stages: dict[str, float] = {}
    last = time.perf_counter()

    def lap(stage: str) -> None:
        nonlocal last
        now = time.perf_counter()
        stages[stage], last = now - last, now

    site, records = read_records(content)
    lap("read")
    md = markdown.Markdown(extensions=["tables", "footnotes", "sane_lists", "toc"])
    analyses = {}
    for folder, slug, data in records:
        if folder == "claims":
            md.reset()
            analyses[slug] = Markup(md.convert(data["analysis"]))
    lap("markdown")
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True)
    templates = {folder: env.get_template(name) for folder, name in PAGE_KINDS.items()}
    pages = [
        (
            f"{folder}/{slug}/index.html",
            templates[folder].render(
                site=site, record=data, analysis=analyses.get(slug), archived_text=data.get("archived_text")
            ),
        )
        for folder, slug, data in records
    ]
    lap("render")
    for relpath, html in pages:
        path = out / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(html, encoding="utf-8")
    lap("write")
    if with_pagefind:
        run_pagefind(out)
        lap("pagefind")
    return len(pages), stages


def run_pagefind(site: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "pagefind", "--site", str(site)], capture_output=True, text=True)
    if done.returncode != 0:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"floor: pagefind exited with {done.returncode}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.floor", description=__doc__.split("\n\n")[0])
    parser.add_argument("content", type=Path, help="the archive's content folder")
    parser.add_argument("out", type=Path, help="output folder (pages are added to it)")
    parser.add_argument("--with-pagefind", action="store_true", help="then index the output with Pagefind's CLI")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    pages, stages = build_floor(args.content, args.out, args.with_pagefind)
    print(f"wrote {pages} pages into {args.out} in {time.perf_counter() - started:.2f} s")
    # The build's -v format, so one parser reads both.
    for stage, seconds in stages.items():
        print(f"  {stage:<10} {seconds:7.3f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
