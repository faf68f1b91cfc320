"""Helpers for the trust tests (test_trust_*.py).

What counts as executable in built output (checked on pages parsed with
lxml, as a browser would read them), how a build is run as a process with its
time and peak memory measured, and how two built sites are compared when
Pagefind's index is known to differ from run to run.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import lxml.html
from built_site import html_pages
from lxml import etree

REPO_ROOT = Path(__file__).resolve().parent.parent
BUILD_PY = REPO_ROOT / "build.py"

ERROR_LINE = re.compile(r"^(?P<path>\S[^:]*):(?P<line>\d+):(?P<column>\d+): error: \S")
SUMMARY_LINE = re.compile(r"^\d+ errors?(; \S+ was left as it was)?$")


# -- writing content ----------------------------------------------------------


def yaml_str(text: str) -> str:
    """`text` as a YAML double-quoted scalar, every character kept exactly.

    Escapes everything outside printable ASCII, as YAML allows (\\uXXXX and
    \\UXXXXXXXX): JSON's surrogate pairs for characters beyond the BMP are not
    YAML, and raw line separators would be read as line breaks.
    """
    out = []
    for char in text:
        code = ord(char)
        if char in '"\\':
            out.append("\\" + char)
        elif 0x20 <= code < 0x7F:
            out.append(char)
        elif code <= 0xFFFF:
            out.append(f"\\u{code:04x}")
        else:
            out.append(f"\\U{code:08x}")
    return '"' + "".join(out) + '"'


# -- what a browser would run --------------------------------------------------

SAFE_SCHEMES = {"http", "https", "mailto"}
# Attributes a browser follows or loads as a URL.
URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "data",
    "poster",
    "background",
    "cite",
    "longdesc",
    "srcset",
    "ping",
    "manifest",
    "codebase",
    "icon",
    "lowsrc",
    "dynsrc",
    "archive",
    "classid",
    "profile",
    "usemap",
    "itemtype",
    "values",
    "to",
    "from",
}
# Elements our templates never write and content must never bring in. (Inline
# SVG is the build's own, for charts; what could run inside it is checked
# like any element: scripts, handlers, links, and the elements below.)
FORBIDDEN_ELEMENTS = {
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "base",
    "portal",
    "math",
    "style",
    "template",
    "foreignobject",
    "animate",
    "set",
    "handler",
    "listener",
}
ALLOWED_HTTP_EQUIV = {"content-security-policy", "content-type"}
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
_C0_AND_SPACE = "".join(chr(c) for c in range(0x21))


def url_scheme(value: str) -> str | None:
    """The scheme a browser would see in an attribute value (lxml has decoded entities already).

    Browsers strip leading and trailing C0 controls and spaces, and drop tabs
    and newlines anywhere, before they look for the scheme: `jav&#x09;ascript:`
    is javascript:.
    """
    cleaned = re.sub(r"[\t\n\r]", "", value.strip(_C0_AND_SPACE))
    found = _SCHEME.match(cleaned)
    return found.group(1).lower() if found else None


def _srcset_urls(value: str) -> list[str]:
    return [candidate.strip().split()[0] for candidate in value.split(",") if candidate.strip()]


def _local(name: str) -> str:
    """`{namespace}name` (SVG and XLink in XML) or `prefix:name` → name, lowercase."""
    return name.rsplit("}", 1)[-1].rsplit(":", 1)[-1].lower()


def executable_problems(doc, where: str = "") -> list[str]:
    """Everything in a parsed HTML (or SVG) document or fragment that could run script or load a foreign scheme.

    Allowed: <script type="application/ld+json"> holding JSON (and no '<',
    so nothing inside can end or re-open the element) and <script src> from
    this site with nothing inside. Nothing else runs: no other script, no
    on* attribute, no URL attribute with a scheme other than http(s) or
    mailto, no element that embeds, frames, styles or redirects.
    """
    problems = []
    for element in doc.iter():
        if not isinstance(element.tag, str):
            continue  # comments and processing instructions do not run
        tag = _local(element.tag)
        here = f"{where}: <{tag}>"
        if tag in FORBIDDEN_ELEMENTS:
            problems.append(f"{here} element")
        if tag == "script":
            problems.extend(_script_problems(element, here))
        if tag == "meta" and element.get("http-equiv") is not None:
            if element.get("http-equiv").strip().lower() not in ALLOWED_HTTP_EQUIV:
                problems.append(f"{here} http-equiv={element.get('http-equiv')!r}")
        for name, value in element.attrib.items():
            name = _local(name)
            if name.startswith("on"):
                problems.append(f"{here} event handler {name}={value!r}")
            if name == "style" and re.search(r"expression|url\s*\(|javascript|@import|behavior", value, re.I):
                problems.append(f"{here} style={value!r}")
            if name == "srcdoc":
                problems.append(f"{here} srcdoc")
            if name in URL_ATTRIBUTES:
                for url in _srcset_urls(value) if name == "srcset" else [value]:
                    scheme = url_scheme(url)
                    if scheme is not None and scheme not in SAFE_SCHEMES:
                        problems.append(f"{here} {name}={value!r}: scheme {scheme}:")
    return problems


def _script_problems(element, here: str) -> list[str]:
    src = element.get("src")
    body = element.text or ""
    if src is not None:
        if body.strip():
            return [f"{here} script with both src and a body"]
        if not src.startswith("/") or src.startswith("//"):
            return [f"{here} script from {src!r}, not this site"]
        return []
    if (element.get("type") or "").strip().lower() != "application/ld+json":
        return [f"{here} inline script {body[:80]!r}"]
    if "<" in body:
        return [f"{here} JSON-LD holding '<': {body[:80]!r}"]
    try:
        json.loads(body)
    except ValueError as exc:
        return [f"{here} JSON-LD that does not parse: {exc}"]
    return []


# Script sources a policy may name: this site, nothing, and WebAssembly (which Pagefind needs).
ALLOWED_SCRIPT_SOURCES = {"'self'", "'none'", "'wasm-unsafe-eval'"}


def csp_problems(doc, where: str = "") -> list[str]:
    """The page must carry a Content-Security-Policy that forbids inline and foreign script.

    It must come before any script or stylesheet (a <meta> policy covers only
    what follows it), allow scripts from this site only, with no inline
    code, nonce or hash, and no plugins or <base> rewriting.
    """
    metas = [m for m in doc.iter("meta") if (m.get("http-equiv") or "").strip().lower() == "content-security-policy"]
    if len(metas) != 1:
        return [f"{where}: {len(metas)} Content-Security-Policy meta tags, not 1"]
    meta = metas[0]
    head = doc.find("head")
    if head is None or meta.getparent() is not head:
        return [f"{where}: the Content-Security-Policy is not in <head>"]
    problems = []
    for element in meta.itersiblings(preceding=True):
        if element.tag in ("script", "link", "style"):
            problems.append(f"{where}: <{element.tag}> comes before the Content-Security-Policy")
    directives = {}
    for part in meta.get("content", "").split(";"):
        words = part.split()
        if words:
            directives.setdefault(words[0].lower(), [w.lower() for w in words[1:]])
    for name in ("script-src", "script-src-elem", "script-src-attr"):
        sources = directives.get(name, directives.get("default-src") if name == "script-src" else None)
        if sources is None:
            if name == "script-src":
                problems.append(f"{where}: no script-src or default-src in the Content-Security-Policy")
            continue
        bad = [s for s in sources if s not in ALLOWED_SCRIPT_SOURCES]
        if bad:
            problems.append(f"{where}: {name} allows {bad}")
    if directives.get("object-src", directives.get("default-src")) != ["'none'"]:
        problems.append(f"{where}: object-src is not 'none'")
    if directives.get("base-uri") not in (["'none'"], ["'self'"]):
        problems.append(f"{where}: base-uri is not 'none' or 'self'")
    return problems


def feed_problems(feed: Path) -> list[str]:
    """The Atom feed parses as XML, links only to http(s), and its HTML content is inert."""
    try:
        root = etree.parse(str(feed)).getroot()
    except etree.XMLSyntaxError as exc:
        return [f"{feed.name}: not well-formed XML: {exc}"]
    problems = []
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        name = etree.QName(element).localname
        urls = [element.get(a) for a in ("href", "src") if element.get(a) is not None]
        if name in ("uri", "icon", "logo"):
            urls.append(element.text or "")
        problems.extend(
            f"{feed.name}: <{name}> {url!r} is not http(s)" for url in urls if url_scheme(url) not in ("http", "https")
        )
        if name == "content" and element.get("type") == "html" and (element.text or "").strip():
            fragment = lxml.html.fragment_fromstring(element.text, create_parent="div")
            problems.extend(executable_problems(fragment, f"{feed.name} entry content"))
    return problems


def site_problems(site: Path) -> list[str]:
    """Everything executable or missing its policy anywhere in a built site."""
    problems = []
    for relpath, doc in html_pages(site).items():
        problems.extend(executable_problems(doc, relpath))
        problems.extend(csp_problems(doc, relpath))
    problems.extend(feed_problems(site / "feed.xml"))
    sitemap = etree.parse(str(site / "sitemap.xml")).getroot()
    for loc in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc"):
        if url_scheme(loc.text or "") not in ("http", "https"):
            problems.append(f"sitemap.xml: <loc> {loc.text!r} is not http(s)")
    return problems


def visible_text(doc) -> str:
    """What a reader sees (and the <title>): the text outside <script>."""
    return "".join(
        text
        for element in doc.iter()
        if isinstance(element.tag, str) and element.tag != "script"
        for text in (element.text, *(child.tail for child in element))
        if text
    )


def json_ld(doc) -> list[dict]:
    return [json.loads(s.text) for s in doc.xpath("//script[@type='application/ld+json']")]


# -- running a build as a process ---------------------------------------------

# Runs the command as its only child so that RUSAGE_CHILDREN is that build's
# peak memory (with whatever it forked and waited for), not the test run's.
_MEASURE = r"""
import json, os, resource, signal, subprocess, sys, time
timeout, argv = float(sys.argv[1]), sys.argv[2:]
started = time.perf_counter()
child = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
try:
    out, err = child.communicate(timeout=timeout)
    code = child.returncode
except subprocess.TimeoutExpired:
    os.killpg(child.pid, signal.SIGKILL)
    out, err = child.communicate()
    code = None
seconds = time.perf_counter() - started
peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
json.dump({"code": code, "out": out.decode("utf-8", "replace"), "err": err.decode("utf-8", "replace"),
           "seconds": seconds, "peak_kb": peak_kb}, sys.stdout)
"""


@dataclass
class Run:
    code: int | None  # None: killed at the timeout
    out: list[str]
    err: list[str]
    seconds: float
    peak_mb: float

    @property
    def errors(self) -> list[str]:
        return [line for line in self.err if ": error: " in line]

    def shown(self) -> str:
        return f"exit {self.code} after {self.seconds:.1f} s, {self.peak_mb:.0f} MB:\n" + "\n".join(self.err[-8:])


def run_build(cwd: Path, *args: str, timeout: float = 60, env: dict | None = None) -> Run:
    """`python build.py ARGS` from `cwd` as a process: exit code, output lines, seconds, peak RSS."""
    return run_measured(cwd, [sys.executable, str(BUILD_PY), *args], timeout, env)


def run_measured(cwd: Path, argv: list[str], timeout: float = 60, env: dict | None = None) -> Run:
    """`argv` from `cwd` as a process of its own, killed with its group after `timeout` seconds."""
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT), **(env or {})}
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, str(timeout), *argv],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout + 30,
    )
    result = json.loads(done.stdout)
    return Run(
        result["code"],
        result["out"].splitlines(),
        result["err"].splitlines(),
        result["seconds"],
        result["peak_kb"] / 1024,
    )


def assert_positioned_errors_only(err: list[str]) -> None:
    """stderr holds `file:line:col: error: ...` lines and the summary, and no traceback."""
    assert not any("Traceback" in line for line in err), "\n".join(err)
    assert err and SUMMARY_LINE.match(err[-1]), "\n".join(err)
    for line in err[:-1]:
        assert ERROR_LINE.match(line), f"not a positioned error: {line!r}"


def kill_group(pid: int) -> None:
    """End the process group a test started (with start_new_session), if anything of it is left."""
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


# -- comparing built sites -----------------------------------------------------

# Pagefind writes its filter and metadata indexes in a different order, under
# names hashed from their bytes, from run to run (Pagefind issue #638).
# A sharded index has them in each shard's folder.
_UNSTABLE = re.compile(r"pagefind/(?:shard-\d{4}/)?(?:filter/|pagefind-entry\.json|pagefind\.)")
_HASHED_NAME = re.compile(r"_[0-9a-f]{7,}\.")
_ENTRY = re.compile(r"pagefind/(?:shard-\d{4}/)?pagefind-entry\.json")


def site_files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def site_differences(one: Path | dict, two: Path | dict) -> list[str]:
    """How two builds differ: every file byte for byte, except Pagefind's unstable ones.

    Of those, the names (hash left out) and the page count must agree.
    """
    one = one if isinstance(one, dict) else site_files(one)
    two = two if isinstance(two, dict) else site_files(two)

    def stable(files):
        return {path: data for path, data in files.items() if not _UNSTABLE.match(path)}

    def unstable_names(files):
        return sorted(_HASHED_NAME.sub("_#.", path) for path in files if _UNSTABLE.match(path))

    def page_count(files):
        return {
            path: {lang: v["page_count"] for lang, v in json.loads(data)["languages"].items()}
            for path, data in files.items()
            if _ENTRY.fullmatch(path)
        }

    a, b = stable(one), stable(two)
    problems = [f"only in the first: {p}" for p in sorted(a.keys() - b.keys())]
    problems += [f"only in the second: {p}" for p in sorted(b.keys() - a.keys())]
    problems += [f"differs: {p}" for p in sorted(a.keys() & b.keys()) if a[p] != b[p]]
    if unstable_names(one) != unstable_names(two):
        problems.append(f"Pagefind's files differ: {unstable_names(one)} != {unstable_names(two)}")
    if page_count(one) != page_count(two):
        problems.append(f"Pagefind's page counts differ: {page_count(one)} != {page_count(two)}")
    return problems
