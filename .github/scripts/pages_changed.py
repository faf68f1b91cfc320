"""List the pages that differ between two built sites, as Markdown for a pull request.

Usage: pages_changed.py BASE_DIR NEW_DIR. A page is an `index.html` (its
address is its folder) or any other `.html` file; feeds, images, data files
and the search index change with the pages and are left out of the list.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

SHOWN = 50  # a longer list is cut, with a count of the rest


def pages(root: Path) -> dict[str, str]:
    found = {}
    for path in root.rglob("*.html"):
        relative = path.relative_to(root)
        if relative.parts[0] in {"pagefind", "admin"}:
            continue
        if relative.name == "index.html":
            folder = relative.parent.as_posix()
            address = "/" if folder == "." else f"/{folder}/"
        else:
            address = f"/{relative.as_posix()}"
        found[address] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def section(title: str, addresses: list[str]) -> list[str]:
    if not addresses:
        return []
    lines = [f"**{title}** ({len(addresses)})", ""]
    lines += [f"- `{address}`" for address in addresses[:SHOWN]]
    if len(addresses) > SHOWN:
        lines.append(f"- … and {len(addresses) - SHOWN} more")
    return lines + [""]


def main(base_dir: str, new_dir: str) -> int:
    before, after = pages(Path(base_dir)), pages(Path(new_dir))
    added = sorted(after.keys() - before.keys())
    removed = sorted(before.keys() - after.keys())
    changed = sorted(a for a in after.keys() & before.keys() if after[a] != before[a])
    lines = ["### Pages this pull request touches", ""]
    body = section("New", added) + section("Changed", changed) + section("Removed", removed)
    lines += body or ["No page changes."]
    lines += ["", "The whole site, drafts included, is in this run's `preview` artifact."]
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: pages_changed.py BASE_DIR NEW_DIR")
    sys.exit(main(sys.argv[1], sys.argv[2]))
