"""Plain helpers for browser and validator tests; the fixtures in conftest.py wrap them.

The tools themselves (Debian's chromium, java, node_modules/) are installed by
`make test`; a helper whose tool is missing raises with that hint rather than
letting the test be skipped, since a missing tool is a set-up failure here.
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import http.server
import json
import shutil
import subprocess
import threading
import urllib.parse
from collections.abc import Iterable, Iterator
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent

CHROMIUM = Path("/usr/bin/chromium")
# Root has no sandbox; the rest keep a test run from talking to the network
# (component updates, sync, QUIC probes) and from first-run UI.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

AXE_JS = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU_JAR = REPO_ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

_INSTALL_HINT = "run `make test` (it installs the test tools) or see the Makefile"


class MissingTool(RuntimeError):
    pass


def require_file(path: Path, what: str) -> Path:
    if not path.is_file():
        raise MissingTool(f"{what} not found at {path}; {_INSTALL_HINT}")
    return path


def read_dataset(site: Path) -> dict:
    """The built dataset (docs/dataset.md) as one document: its index at data/claims.json, and in
    place of each list's parts the records they hold, every part read as a reuser would."""
    index = json.loads((site / "data/claims.json").read_text(encoding="utf-8"))
    data, base = dict(index), index["site"]["url"]
    for name in ("claims", "sources", "people", "topics"):
        records = []
        for part in index[name]["parts"]:
            assert part["url"].startswith(base), part
            # Lines end at "\n" alone: a record's text may hold U+2028 or U+0085, which str.splitlines breaks at.
            text = gzip.decompress((site / part["url"][len(base) :]).read_bytes()).decode("utf-8")
            assert text.endswith("\n"), part
            lines = text[:-1].split("\n")
            assert len(lines) == part["records"] and lines, part
            records += [json.loads(line) for line in lines]
            assert (records[-len(lines)]["slug"], records[-1]["slug"]) == (part["first"], part["last"]), part
        assert len(records) == index[name]["count"], name
        data[name] = records
    return data


def normalize_prefix(prefix: str) -> str:
    """'archive', '/archive' and '/archive/' all mean the URL path '/archive/'."""
    stripped = prefix.strip("/")
    return f"/{stripped}/" if stripped else "/"


class _PrefixedQuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves `directory` at `prefix`, so a site can be tested under a base path.

    Only the file lookup strips the prefix; self.path keeps it, so the
    directory redirect ('/archive/docs' -> '/archive/docs/') stays correct.
    """

    prefix = "/"

    def _local_path(self) -> str | None:
        path = urllib.parse.urlsplit(self.path).path
        if path.startswith(self.prefix):
            return "/" + path[len(self.prefix) :]
        if path + "/" == self.prefix:
            return "/"  # the directory redirect adds the slash
        return None

    def send_head(self):
        if self._local_path() is None:
            self.send_error(404, f"outside the served prefix {self.prefix}")
            return None
        return super().send_head()

    def translate_path(self, path: str) -> str:
        local = self._local_path()
        return super().translate_path(local if local is not None else path)

    def log_message(self, format: str, *args) -> None:
        pass  # one line per request would drown pytest's output


@contextlib.contextmanager
def serving(folder: str | Path, prefix: str = "/") -> Iterator[str]:
    """Serve `folder` over http on 127.0.0.1; yields the base URL ending in '/'.

    http, not file://, because Pagefind and ES modules need it. Port 0 lets the
    OS pick a free port, which avoids races between parallel servers.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise FileNotFoundError(f"cannot serve {folder}: not a directory")
    prefix = normalize_prefix(prefix)
    handler = type("Handler", (_PrefixedQuietHandler,), {"prefix": prefix})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(folder)))
    server.daemon_threads = True
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, name=f"serve {folder}", daemon=True
    )
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{prefix}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


_AXE_RUN = """async (options) => {
    const result = await axe.run(document, options || {});
    return result.violations.map(v => [v.id, v.impact, v.nodes.length, v.help]);
}"""


def axe_violations(page, options: dict | None = None) -> list[tuple[str, str | None, int, str]]:
    """Run axe-core on the page's current document: [(id, impact, nodes_count, help)].

    `options` goes to axe.run, e.g. {"runOnly": ["wcag2a", "wcag2aa"]}.
    """
    require_file(AXE_JS, "axe-core")
    if not page.evaluate("() => typeof window.axe === 'object'"):
        # Evaluated, not added as a <script> tag: a page whose CSP forbids
        # inline scripts (as a good static site may) would block the tag.
        page.evaluate("(source) => { (0, eval)(source); }", AXE_JS.read_text(encoding="utf-8"))
    return [tuple(v) for v in page.evaluate(_AXE_RUN, options)]


HTML_SUFFIXES = {".html", ".htm", ".xhtml", ".xht"}


def _html_files_exist(paths: list[Path]) -> bool:
    for path in paths:
        if path.is_file() and path.suffix in HTML_SUFFIXES:
            return True
        if path.is_dir() and any(p.suffix in HTML_SUFFIXES for p in path.rglob("*")):
            return True
    return False


def vnu_errors(paths: str | Path | Iterable[str | Path]) -> list[str]:
    """Check HTML files or folders with the Nu HTML Checker; its error lines, [] if valid.

    Lines look like `"file:/abs/page.html":3.5-3.20: error: Stray end tag “span”.`
    Only HTML files are checked: given a folder, vnu would otherwise parse its
    CSS, JS and JSON as HTML. One JVM for all paths, as java takes ~1 s to start.
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    paths = [Path(p) for p in paths]
    # vnu exits 0 for a path that does not exist or holds no HTML, which would
    # let a wrong path pass as a valid site.
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise FileNotFoundError(f"vnu_errors: no such file or folder: {', '.join(missing)}")
    if not _html_files_exist(paths):
        raise FileNotFoundError(f"vnu_errors: no HTML file in {[str(p) for p in paths]}")
    require_file(VNU_JAR, "vnu.jar")
    java = shutil.which("java")
    if java is None:
        raise MissingTool(f"java not found on PATH; {_INSTALL_HINT}")
    proc = subprocess.run(
        [java, "-jar", str(VNU_JAR), "--errors-only", "--skip-non-html", "--format", "gnu", *map(str, paths)],
        capture_output=True,
        text=True,
        check=False,
    )
    # vnu reports on stderr and exits 1 when it found errors; anything else
    # (a crash, a JVM too old) must not pass as "valid".
    lines = [line for line in (proc.stdout + proc.stderr).splitlines() if line.strip()]
    if proc.returncode == 0:
        return []
    if proc.returncode == 1 and lines:
        return lines
    raise RuntimeError(f"vnu exited {proc.returncode}:\n" + "\n".join(lines))


SDTT = REPO_ROOT / "node_modules" / "structured-data-testing-tool" / "bin" / "cli.js"


def sdtt_report(page: str | Path) -> tuple[int, str]:
    """structured-data-testing-tool's Google presets on one HTML file: (exit code, its report)."""
    require_file(SDTT, "structured-data-testing-tool")
    node = shutil.which("node")
    if node is None:
        raise MissingTool(f"node not found on PATH; {_INSTALL_HINT}")
    proc = subprocess.run(
        [node, str(SDTT), "--file", str(page), "--presets", "Google"],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    return proc.returncode, proc.stdout + proc.stderr
