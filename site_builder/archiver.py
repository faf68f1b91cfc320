"""`build.py archive URL --source SLUG`: fetch a source, keep it with its digest, write the source file.

The one place the program reaches the network, and only when an editor asks.
The page is fetched as a browser would, following redirects, within a
timeout and a size limit. Only http(s) addresses are fetched, and none that
resolves to a private, loopback or otherwise non-public address (a server on
the newsroom's network is not a source) unless `--allow-local`: every
address is checked after it is resolved, for each redirect, and the
connection goes to the address checked, so a second lookup cannot swap it.

A web page is kept as a WARC file (ISO 28500), the request and response of
every step of the redirects as they went; a PDF is kept as the PDF. Both go
under archive/ beside content/, named by the source and the time, so an
earlier copy is never overwritten.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import http.client
import io
import ipaddress
import os
import re
import socket
import ssl
import tempfile
import time
import zlib
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from . import __version__, files
from .errors import ErrorList
from .extract import ExtractionFailed, extract
from .quotes import SearchableText, find_quote
from .schema import SOURCE_KINDS
from .urls import Urls
from .validate import MAX_ARCHIVE_BYTES, ContentFile, Validator
from .yamlsrc import Mapping, Scalar, parse_yaml

TIMEOUT_SECONDS = 30.0
MAX_BYTES = MAX_ARCHIVE_BYTES  # what the build accepts
MAX_REDIRECTS = 10
ARCHIVE_FOLDER = "archive"
USER_AGENT = f"fact-check-archive/{__version__} (archiving a source for a fact-check)"
_REDIRECTS = {301, 302, 303, 307, 308}
_HTML_TYPES = {"text/html", "application/xhtml+xml"}


class ArchiveRefused(Exception):
    """The request itself is not allowed: not http(s), or an address that is not public. A usage error."""


class FetchFailed(Exception):
    """The page could not be archived: the network, the server's answer, its size or its type."""


@dataclass
class Exchange:
    """One request and its response, as the WARC records them."""

    url: str
    address: str  # the IP address the response came from
    request_line: str
    request_headers: list[tuple[str, str]]
    status: int
    reason: str
    protocol: str  # HTTP/1.1 or HTTP/1.0
    headers: list[tuple[str, str]]
    body: bytes = b""
    date: str = ""  # when the response was received, WARC-Date

    def header(self, name: str) -> str:
        return next((v for k, v in self.headers if k.lower() == name.lower()), "")

    @property
    def media_type(self) -> str:
        return self.header("Content-Type").split(";")[0].strip().lower()


@dataclass
class Fetched:
    exchanges: list[Exchange] = field(default_factory=list)

    @property
    def final(self) -> Exchange:
        return self.exchanges[-1]


def fetch(
    url: str, allow_local: bool = False, timeout: float = TIMEOUT_SECONDS, max_bytes: int | None = None
) -> Fetched:
    """GET `url`, following redirects; every step is kept. Raises ArchiveRefused or FetchFailed."""
    max_bytes = MAX_BYTES if max_bytes is None else max_bytes
    fetched = Fetched()
    deadline = time.monotonic() + timeout
    for _ in range(MAX_REDIRECTS + 1):
        exchange = _get(url, allow_local, timeout, deadline, max_bytes)
        fetched.exchanges.append(exchange)
        location = exchange.header("Location")
        if exchange.status not in _REDIRECTS or not location:
            break
        url = urljoin(url, location)
    else:
        raise FetchFailed(f"more than {MAX_REDIRECTS} redirects, the last to {url}: archive the address they end at")
    final = fetched.final
    if not 200 <= final.status < 300:
        raise FetchFailed(f"{final.url} answered {final.status} {final.reason}: only a page that loads can be archived")
    return fetched


def _get(url: str, allow_local: bool, timeout: float, deadline: float, max_bytes: int) -> Exchange:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ArchiveRefused(
            f"'{url}' is not an http:// or https:// address: only web pages and files on the web can be archived"
        )
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise ArchiveRefused(f"'{url}' has an invalid port") from None
    address = _checked_address(parts.hostname, port, allow_local, url)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    host_header = parts.hostname if parts.port is None else f"{parts.hostname}:{parts.port}"
    if ":" in parts.hostname:  # an IPv6 literal
        host_header = f"[{parts.hostname}]" + (f":{parts.port}" if parts.port else "")
    headers = [
        ("Host", host_header),
        ("User-Agent", USER_AGENT),
        ("Accept", "text/html,application/xhtml+xml,application/pdf;q=0.9,text/plain;q=0.8,*/*;q=0.5"),
        ("Accept-Encoding", "identity"),
        ("Connection", "close"),
    ]
    connection = _PinnedConnection.make(parts.scheme, parts.hostname, port, address, timeout)
    try:
        connection.putrequest("GET", path, skip_host=True, skip_accept_encoding=True)
        for name, value in headers:
            connection.putheader(name, value)
        connection.endheaders()
        response = connection.getresponse()
        exchange = Exchange(
            url,
            address,
            f"GET {path} HTTP/1.1",
            headers,
            response.status,
            response.reason,
            "HTTP/1.0" if response.version == 10 else "HTTP/1.1",
            list(response.getheaders()),
        )
        length = exchange.header("Content-Length")
        if length.isdigit() and int(length) > max_bytes:
            raise FetchFailed(f"{url} is {int(length):,} bytes, more than the limit of {max_bytes:,}")
        exchange.body = _read_body(response, deadline, max_bytes, url)
        exchange.date = _now()
    except (OSError, http.client.HTTPException) as exc:
        if isinstance(exc, (TimeoutError, socket.timeout)):
            raise FetchFailed(f"{url} did not answer within {timeout:g} seconds: try again later") from None
        if isinstance(exc, ssl.SSLError):
            raise FetchFailed(f"{url}: the secure connection failed ({exc.reason or exc}): check the address") from None
        raise FetchFailed(f"{url} could not be fetched: {getattr(exc, 'strerror', None) or exc}") from None
    finally:
        connection.close()
    return exchange


def _read_body(response: http.client.HTTPResponse, deadline: float, max_bytes: int, url: str) -> bytes:
    chunks, size = [], 0
    while True:
        if time.monotonic() > deadline:
            raise FetchFailed(f"{url} took too long to download: try again later")
        chunk = response.read(64 * 1024)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > max_bytes:
            raise FetchFailed(f"{url} is larger than the limit of {max_bytes:,} bytes")
        chunks.append(chunk)


def _checked_address(host: str, port: int, allow_local: bool, url: str) -> str:
    """The address to connect to: every address the name resolves to must be public (or allowed)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchFailed(f"the host '{host}' of {url} was not found ({exc}): check the address") from None
    addresses = [info[4][0] for info in infos]
    if not allow_local:
        for address in addresses:
            if not address_allowed(address):
                raise ArchiveRefused(
                    f"{url} leads to {address}, a private, loopback or reserved address: "
                    "only public web pages are archived (pass --allow-local to archive from this "
                    "machine or the local network)"
                )
    return addresses[0]


def address_allowed(address: str) -> bool:
    """Whether an address is a public one: not private, loopback, link-local, shared, reserved or multicast."""
    ip = ipaddress.ip_address(address.split("%")[0])
    ip = getattr(ip, "ipv4_mapped", None) or ip  # ::ffff:127.0.0.1 is 127.0.0.1
    return ip.is_global and not ip.is_multicast


class _PinnedConnection:
    """HTTP(S) connections to an address already checked, with the host's name for Host, SNI and the certificate."""

    @staticmethod
    def make(scheme: str, host: str, port: int, address: str, timeout: float) -> http.client.HTTPConnection:
        if scheme == "https":
            connection = _PinnedHTTPS(host, port, timeout=timeout, context=ssl.create_default_context())
        else:
            connection = _PinnedHTTP(host, port, timeout=timeout)
        connection.pinned_address = address
        return connection


class _PinnedHTTP(http.client.HTTPConnection):
    pinned_address = ""

    def connect(self) -> None:
        self.sock = socket.create_connection((self.pinned_address, self.port), self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    pinned_address = ""

    def connect(self) -> None:
        sock = socket.create_connection((self.pinned_address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def _now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# -- keeping the copy ---------------------------------------------------------------


def kind_of(fetched: Fetched) -> str:
    """pdf, html or txt: what the final response is; FetchFailed for anything else."""
    final = fetched.final
    body = _decoded(final)
    if body.startswith(b"%PDF-") or final.media_type == "application/pdf":
        return "pdf"
    if final.media_type in _HTML_TYPES or (
        not final.media_type and body.lstrip()[:15].lower().startswith((b"<!doctype html", b"<html"))
    ):
        return "html"
    if final.media_type == "text/plain":
        return "txt"
    raise FetchFailed(
        f"{final.url} is {final.media_type or 'of no stated type'}: an HTML page, a PDF or a text file can be archived"
    )


def _decoded(exchange: Exchange) -> bytes:
    """The body without a content coding the server applied though asked not to."""
    coding = exchange.header("Content-Encoding").lower()
    if coding in ("gzip", "x-gzip", "deflate"):
        try:
            return zlib.decompress(exchange.body, 47 if "gzip" in coding else 15)
        except zlib.error:
            return exchange.body
    return exchange.body


def warc_bytes(fetched: Fetched, filename: str) -> bytes:
    """A gzipped WARC 1.1: a warcinfo record, then each request and its response."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True, warc_version="1.1")
    writer.write_record(
        writer.create_warcinfo_record(
            filename,
            {
                "software": f"fact-check-archive/{__version__} (warcio)",
                "format": "WARC File Format 1.1",
                "conformsTo": "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/",
            },
        )
    )
    for exchange in fetched.exchanges:
        # http.client undoes chunking: the headers must say what the body now is.
        headers = [(k, v) for k, v in exchange.headers if k.lower() not in ("transfer-encoding", "content-length")]
        headers += [(f"X-Archive-Orig-{k}", v) for k, v in exchange.headers if k.lower() == "transfer-encoding"]
        headers.append(("Content-Length", str(len(exchange.body))))
        response = writer.create_warc_record(
            exchange.url,
            "response",
            payload=io.BytesIO(exchange.body),
            http_headers=StatusAndHeaders(f"{exchange.status} {exchange.reason}", headers, protocol=exchange.protocol),
            warc_headers_dict={"WARC-Date": exchange.date, "WARC-IP-Address": exchange.address},
        )
        request = writer.create_warc_record(
            exchange.url,
            "request",
            payload=io.BytesIO(b""),
            http_headers=StatusAndHeaders(exchange.request_line, exchange.request_headers, is_http_request=True),
            warc_headers_dict={"WARC-Date": exchange.date},
        )
        writer.write_request_response_pair(request, response)
    return out.getvalue()


def store(fetched: Fetched, site_root: str, slug: str, kind: str) -> tuple[str, bytes]:
    """Write the copy under archive/ with a new name; its path relative to the site root, and its bytes."""
    stamp = fetched.final.date.replace("-", "").replace(":", "")
    extension = ".pdf" if kind == "pdf" else ".warc.gz"
    folder = os.path.join(site_root, ARCHIVE_FOLDER)
    os.makedirs(folder, exist_ok=True)
    name = f"{slug}-{stamp}{extension}"
    counter = 1
    while os.path.exists(os.path.join(folder, name)):
        counter += 1
        name = f"{slug}-{stamp}-{counter}{extension}"
    data = _decoded(fetched.final) if kind == "pdf" else warc_bytes(fetched, name)
    _write_new(os.path.join(folder, name), data)
    return f"{ARCHIVE_FOLDER}/{name}", data


def _write_new(path: str, data: bytes) -> None:
    handle, temporary = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".archiving-")
    try:
        with os.fdopen(handle, "wb") as f:
            f.write(data)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)  # as any file the editor saves, not mkstemp's owner-only
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


# -- what the page says about itself -------------------------------------------------


def page_metadata(body: bytes, kind: str) -> dict[str, str]:
    """The title and publisher the page's (or PDF's) own metadata gives, where it gives them."""
    found: dict[str, str] = {}
    if kind == "html":
        import trafilatura

        meta = trafilatura.extract_metadata(body)
        if meta is not None:
            found = {"title": meta.title, "publisher": meta.sitename}
            if re.search(rb"<meta[^>]+property=[\"']og:type[\"'][^>]+content=[\"']article[\"']", body, re.I):
                found["kind"] = "news-article"
    elif kind == "pdf":
        import pypdf

        try:
            info = pypdf.PdfReader(io.BytesIO(body)).metadata
            found = {"title": info.title if info else None}
        except Exception:  # noqa: BLE001 (a damaged PDF's metadata is simply not used; its text says what is wrong)
            found = {}
    return {
        key: " ".join(value.split())[:500] for key, value in found.items() if isinstance(value, str) and value.strip()
    }


# -- the source file ----------------------------------------------------------------

# Where new keys go: in the schema's order, before the quotes.
_KEY_ORDER = [
    "title",
    "kind",
    "publisher",
    "url",
    "archive_url",
    "published",
    "language",
    "text",
    "sha256",
    "archived",
    "draft",
    "quotes",
]


class SourceFileProblem(Exception):
    """The source file cannot be updated in place; the message says why."""


def update_source_text(text: str | None, path: str, replace: dict[str, str], fill: dict[str, str]) -> str:
    """The source file with `replace`'s keys set and `fill`'s added where missing; the rest as the editor wrote it."""
    if text is None or not text.strip():
        return new_source_text({**fill, **replace})
    errors = ErrorList()
    root = parse_yaml(path, text, errors)
    if errors or not isinstance(root, Mapping):
        raise SourceFileProblem(
            f"{path} cannot be read as a mapping of keys: fix it (python build.py check) and archive again"
        )
    entries = list(root.entries.items())
    if any(key_node.pos.column != 1 for _, (key_node, _) in entries):
        raise SourceFileProblem(f"{path} is not written one key a line: write it in block style and archive again")
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    starts = [key_node.pos.line - 1 for _, (key_node, _) in entries] + [len(lines)]
    spans = {}
    for index, (key, _) in enumerate(entries):
        end = starts[index + 1]
        # Blank lines and comments before the next key stay with it.
        while end - 1 > starts[index] and (not lines[end - 1].strip() or lines[end - 1].lstrip().startswith("#")):
            end -= 1
        spans[key] = (starts[index], end)
    replaced = {spans[key][0]: f"{key}: {yaml_scalar(value)}" for key, value in replace.items() if key in spans}
    dropped = {n for key in replace if key in spans for n in range(*spans[key])}
    inserted: dict[int, list[str]] = {}
    for key, value in {**fill, **replace}.items():
        if key in spans:
            continue
        later = [
            start
            for other, (start, _) in spans.items()
            if other in _KEY_ORDER and _KEY_ORDER.index(other) > _KEY_ORDER.index(key)
        ]
        inserted.setdefault(min(later, default=len(lines)), []).append(f"{key}: {yaml_scalar(value)}")
    out: list[str] = []
    for number in range(len(lines) + 1):
        out.extend(sorted(inserted.get(number, ()), key=lambda line: _KEY_ORDER.index(line.split(":")[0])))
        if number < len(lines):
            if number in replaced:
                out.append(replaced[number])
            elif number not in dropped:
                out.append(lines[number])
    return "\n".join(out) + "\n"


def new_source_text(values: dict[str, str]) -> str:
    """A new source file; what the page's metadata did not say is left for the editor, and `check` asks for it."""
    lines = [
        f"title: {yaml_scalar(values['title'])}" if "title" in values else "title:  # the source's title, as published",
        f"kind: {values['kind']}" if "kind" in values else f"kind:  # one of {', '.join(SOURCE_KINDS)}",
    ]
    lines += [f"{key}: {yaml_scalar(values[key])}" for key in _KEY_ORDER[2:] if key in values]
    return "\n".join(lines) + "\n"


def yaml_scalar(value: str) -> str:
    """The value as YAML that reads back as the same text: plain where that is safe, else double-quoted."""
    errors = ErrorList()
    node = parse_yaml("<value>", f"key: {value}\n", errors)
    if (
        not errors
        and isinstance(node, Mapping)
        and isinstance(node.entries["key"][1], Scalar)
        and node.entries["key"][1].value == value
        and node.entries["key"][1].plain
    ):
        return value
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


# -- the command --------------------------------------------------------------------


@dataclass
class Archived:
    path: str  # of the copy, relative to the site root
    sha256: str
    size: int
    kind: str
    source_file: str
    written_keys: list[str]
    text: str | None  # the text quotes can come from; None if it has none
    problem: str | None  # why the text could not be taken
    errors: list  # what `check` says about the source file now
    quotes: list[tuple[str, bool]]  # the source's quotes, and whether each is in the new copy
    final_url: str


def archive(
    url: str, slug: str, content_dir: str, allow_local: bool = False, timeout: float = TIMEOUT_SECONDS
) -> Archived:
    site_root = files.site_root(content_dir)
    fetched = fetch(url, allow_local, timeout)
    kind = kind_of(fetched)
    relpath, data = store(fetched, site_root, slug, kind)
    final = fetched.final
    digest = hashlib.sha256(data).hexdigest()
    text, problem = None, None
    try:
        text = extract(data, "pdf" if kind == "pdf" else "warc", relpath).text
    except ExtractionFailed as failed:
        problem = str(failed)
    source_file = os.path.join(content_dir, "sources", f"{slug}.yaml")
    try:
        with open(source_file, encoding="utf-8") as f:
            before = f.read()
    except FileNotFoundError:
        before = None
    replace = {"url": final.url, "text": relpath, "sha256": digest, "archived": final.date}
    fill = page_metadata(_decoded(final), kind)
    after = update_source_text(before, source_file, replace, fill)
    os.makedirs(os.path.dirname(source_file), exist_ok=True)
    _write_new(source_file, after.encode("utf-8"))
    written = list(replace) + [key for key in fill if before is None or not _has_key(before, key)]
    errors = ErrorList()
    validator = Validator(site_root, Urls("https://example.invalid/"), convert_markdown=False)
    record = validator.record(ContentFile(source_file, "sources", slug), errors)
    if record is not None:
        quotes = [(quote.id, True) for quote in record.quotes]
    else:
        quotes = _quote_status(source_file, text) if text is not None else []
    return Archived(
        relpath, digest, len(data), kind, source_file, written, text, problem, list(errors), quotes, final.url
    )


def _has_key(text: str, key: str) -> bool:
    return re.search(rf"(?m)^{re.escape(key)}\s*:", text) is not None


def _quote_status(source_file: str, text: str) -> list[tuple[str, bool]]:
    """Each quote of the source file, and whether the new copy holds it, when the file did not validate."""
    import yaml

    try:
        with open(source_file, encoding="utf-8") as f:
            data = yaml.safe_load(f)
        quotes = data.get("quotes") or []
    except (OSError, yaml.YAMLError, AttributeError):
        return []
    searchable = SearchableText(text)
    return [
        (str(q.get("id")), find_quote(str(q.get("text", "")), searchable) is not None)
        for q in quotes
        if isinstance(q, dict)
    ]


_QUOTED = re.compile(r"[\u201c\"]([^\u201c\u201d\"\n]{12,600})[\u201d\"]")


def quotable_passages(text: str, limit: int = 12) -> list[str]:
    """Passages the text puts in quotation marks: what a source's quotes usually are."""
    found = []
    for match in _QUOTED.finditer(text):
        passage = " ".join(match.group(1).split())
        if len(passage.split()) >= 3 and passage not in found:
            found.append(passage)
        if len(found) == limit:
            break
    return found
