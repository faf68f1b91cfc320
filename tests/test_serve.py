"""`build.py serve`: the preview server, its rebuilds, and live reload in a real browser.

Each test runs the real command on a copy of the default archive, as an
editor would: `python build.py serve --port 0` in the archive's folder,
stopped with Ctrl-C (SIGINT) at the end, which must exit 0 without a
traceback.
"""

from __future__ import annotations

import errno
import gzip
import http.client
import json
import os
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from lxml import html
from tools import axe_violations

from site_builder import serve
from site_builder.serve import SHOWN_ERRORS, LiveReload, with_live_reload
from site_builder.watcher import InotifyWatcher, PollingWatcher, Watcher

ROOT = Path(__file__).resolve().parent.parent
CLAIM = "content/claims/paryan-completely-cleared-of-taliban.yaml"
CLAIM_URL = "claims/paryan-completely-cleared-of-taliban/"
SOURCE = "content/sources/massoud-ready-to-talk-to-taliban.yaml"
SEED = "seeds/000_e619fb0d5ecc3523.txt"
NEW_SUMMARY = "Quokkaberry says the preview rebuilt this."
LIVE_TAG = re.compile(rb'<script src="/__livereload\.js" data-build="[0-9a-f]+-\d+" defer></script>\n')


@pytest.fixture
def archive(tmp_path):
    shutil.copytree(ROOT / "content", tmp_path / "content")
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    return tmp_path


class Server:
    """`build.py serve` running in `folder`; its output lines are collected as they come."""

    def __init__(
        self, folder: Path, port: int = 0, host: str | None = None, max_files: int | None = None, poll: bool = False
    ) -> None:
        def limit_files():  # in the child: as `ulimit -n max_files` would
            resource.setrlimit(resource.RLIMIT_NOFILE, (max_files, max_files))

        self.process = subprocess.Popen(
            [
                sys.executable,
                str(ROOT / "build.py"),
                "serve",
                "--port",
                str(port),
                *(["--host", host] if host else []),
                *(["--poll"] if poll else []),
            ],
            cwd=folder,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            preexec_fn=limit_files if max_files else None,
        )
        self.stdout: list[str] = []
        self.stderr: list[str] = []
        self.readers = [
            threading.Thread(target=_collect, args=(stream, lines), daemon=True)
            for stream, lines in ((self.process.stdout, self.stdout), (self.process.stderr, self.stderr))
        ]
        for reader in self.readers:
            reader.start()
        serving = self.wait_for_line(self.stdout, re.compile(r"^serving (http://\S+/) "), timeout=60)
        self.url = serving.group(1)

    def wait_for_line(self, lines: list[str], pattern: re.Pattern, timeout: float = 5, after: int = 0) -> re.Match:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in lines[after:]:
                match = pattern.search(line)
                if match:
                    return match
            if self.process.poll() is not None:
                raise AssertionError(f"serve exited {self.process.returncode}:\n{''.join(self.stdout + self.stderr)}")
            time.sleep(0.02)
        raise AssertionError(
            f"no line matching {pattern.pattern!r} within {timeout} s:\n{''.join(self.stdout + self.stderr)}"
        )

    def get(
        self,
        path: str,
        method: str = "GET",
        host_header: str | None = None,
        timeout: float = 5,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, dict, bytes]:
        """One request, redirects not followed; `host_header` in place of the URL's host and port."""
        host, port = urllib.parse.urlsplit(self.url).netloc.rsplit(":", 1)
        connection = http.client.HTTPConnection("127.0.0.1" if host == "0.0.0.0" else host, int(port), timeout=timeout)
        try:
            if host_header is None:
                connection.request(method, "/" + path, headers=headers or {})
            else:
                connection.putrequest(method, "/" + path, skip_host=True)
                connection.putheader("Host", host_header)
                connection.endheaders()
            response = connection.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            connection.close()

    def status(self) -> dict:
        return json.loads(self.get("__status")[2])

    def wait_for_status(self, check, timeout: float = 5) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            status = self.status()
            if check(status):
                return status
            time.sleep(0.02)
        raise AssertionError(f"status never as expected: {self.status()}\n{''.join(self.stdout + self.stderr)}")

    def interrupt(self) -> int:
        """Ctrl-C; the exit code, once all output is read."""
        self.process.send_signal(signal.SIGINT)
        code = self.process.wait(timeout=10)
        for reader in self.readers:
            reader.join(timeout=5)
        return code


def _collect(stream, lines: list[str]) -> None:
    for line in stream:
        lines.append(line)


@pytest.fixture
def preview(archive):
    server = Server(archive)
    try:
        yield server
    finally:
        if server.process.poll() is None:
            code = server.interrupt()
            assert code == 0, "".join(server.stderr)
            assert "Traceback" not in "".join(server.stderr)
            assert server.stdout[-1] == "stopped\n"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


class EventStream:
    """The live-reload event stream, read on a thread: a list of (event, data)."""

    def __init__(self, url: str) -> None:
        host, port = urllib.parse.urlsplit(url).netloc.rsplit(":", 1)
        # A raw socket, so that close() can interrupt the reading thread mid-read.
        self.socket = socket.create_connection((host, int(port)), timeout=30)
        # With a Host, as a browser sends: the preview answers no other request.
        self.socket.sendall(f"GET /__livereload HTTP/1.0\r\nHost: {host}:{port}\r\n\r\n".encode("ascii"))
        self.stream = self.socket.makefile("rb")
        headers = []
        while line := self.stream.readline().strip():
            headers.append(line.decode("ascii").lower())
        assert headers[0].endswith(" 200 ok") and "content-type: text/event-stream" in headers, headers
        self.events: list[tuple[str, str]] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        name, data = None, []
        try:
            for raw in self.stream:
                line = raw.decode("utf-8").rstrip("\n")
                if line.startswith("event: "):
                    name = line[len("event: ") :]
                elif line.startswith("data: "):
                    data.append(line[len("data: ") :])
                elif not line and name:
                    self.events.append((name, "\n".join(data)))
                    name, data = None, []
        except (OSError, ValueError):  # closed
            pass

    def wait_for(self, name: str, after: int = 0, timeout: float = 5) -> tuple[int, str]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for index, (event, data) in enumerate(self.events[after:], after):
                if event == name:
                    return index, data
            time.sleep(0.02)
        raise AssertionError(f"no {name!r} event within {timeout} s: {self.events}")

    def close(self) -> None:
        self.socket.shutdown(socket.SHUT_RDWR)
        self.socket.close()


# -- serving -----------------------------------------------------------------


def test_serves_the_preview_folder_on_localhost(preview, archive):
    assert preview.url.startswith("http://127.0.0.1:")
    status, headers, body = preview.get(CLAIM_URL)
    assert status == 200
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert headers["Cache-Control"] == "no-store"
    assert len(LIVE_TAG.findall(body)) == 1
    doc = html.fromstring(body)
    assert doc.xpath("//head/script[last()]/@src") == ["/__livereload.js"]
    # Links point at the preview, not at the published site.
    assert doc.xpath("//link[@rel='canonical']/@href") == [preview.url + CLAIM_URL]
    # The script is added as pages are served, never written into the build.
    built = (archive / ".preview" / CLAIM_URL / "index.html").read_bytes()
    assert b"__livereload" not in built
    assert LIVE_TAG.sub(b"", body) == built
    assert not (archive / "public").exists()


def test_content_types_and_missing_pages(preview, archive):
    expected = {
        "assets/site.css": "text/css; charset=utf-8",
        "pagefind/pagefind.js": "text/javascript; charset=utf-8",
        "pagefind/pagefind-entry.json": "application/json",
        "feed.xml": "application/xml",
        "robots.txt": "text/plain; charset=utf-8",
        "__livereload.js": "text/javascript; charset=utf-8",
    }
    index = archive / ".preview" / "pagefind"
    for built in [*index.glob("*.pf_meta"), *index.glob("fragment/*.pf_fragment"), *index.glob("wasm.*.pagefind")][:3]:
        expected[str(built.relative_to(archive / ".preview"))] = "application/octet-stream"
    for path, content_type in expected.items():
        status, headers, body = preview.get(path)
        assert (status, headers["Content-Type"]) == (200, content_type), path
        if path.startswith("__"):  # the preview's own, not the site's
            continue
        # Kept by the browser and checked before each use: the same file is not sent twice.
        assert headers["Cache-Control"] == "no-cache" and headers["ETag"].startswith('"'), path
        again = preview.get(path, headers={"If-None-Match": f'"other", {headers["ETag"]}'})
        assert (again[0], again[2], again[1]["ETag"]) == (304, b"", headers["ETag"]), path
        assert preview.get(path, headers={"If-None-Match": '"other"'})[2] == body, path
    # A page carries the live-reload tag of the build it was sent with: never kept.
    status, headers, _ = preview.get(CLAIM_URL)
    assert (status, headers["Cache-Control"], "ETag" in headers) == (200, "no-store", False)

    status, headers, body = preview.get("claims/no-such-claim/")
    assert status == 404
    assert headers["Cache-Control"] == "no-store"
    assert LIVE_TAG.sub(b"", body) == (archive / ".preview" / "404.html").read_bytes()

    status, headers, _ = preview.get("claims")
    assert status == 301 and headers["Location"] == "/claims/"
    for hidden in (
        "../content/site.yaml",
        "%2e%2e/content/site.yaml",
        "pagefind/../../content/site.yaml",
        ".pagefind-new/pagefind.js",
    ):
        assert preview.get(hidden)[0] == 404, hidden
    status, headers, body = preview.get(CLAIM_URL, method="HEAD")
    assert status == 200 and body == b"" and int(headers["Content-Length"]) > 0


def test_port_in_use_is_a_usage_error(archive):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, str(ROOT / "build.py"), "serve", "--port", str(port)],
            cwd=archive,
            capture_output=True,
            text=True,
            timeout=30,
        )
    assert result.returncode == 2
    assert f"port {port} on 127.0.0.1 is in use" in result.stderr
    assert "--port" in result.stderr and "Traceback" not in result.stderr
    assert not (archive / ".preview").exists()  # nothing was built


# -- who may ask, and how many at once ------------------------------------------


def _raw_request(url: str, request: bytes, timeout: float = 5) -> bytes:
    """Send `request` as written (no Host unless it holds one); everything the server answers."""
    host, port = urllib.parse.urlsplit(url).netloc.rsplit(":", 1)
    with socket.create_connection((host, int(port)), timeout=timeout) as connection:
        connection.sendall(request)
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    return answer


def test_only_a_local_host_name_gets_an_answer(preview, archive):
    """DNS rebinding: a page at evil.example, its name pointed at 127.0.0.1, must not read the preview."""
    port = urllib.parse.urlsplit(preview.url).port
    paths = ["", CLAIM_URL, "__status", "__livereload.js", "__livereload", "assets/site.css", "no-such-page/"]
    refused = [
        "evil.example",
        f"evil.example:{port}",
        "",
        f"localhost:{port + 1}",
        f"127.0.0.1.evil.example:{port}",
        f"localhost.evil.example:{port}",
        "localhost",
        f"[::1]:{port}x",
        f"10.0.0.1:{port}",
        f"0.0.0.0:{port}",
    ]
    for path in paths:
        for host in refused:
            status, headers, body = preview.get(path, host_header=host)
            assert status == 421, (path, host, status)
            assert headers["Content-Type"] == "text/plain; charset=utf-8"
            assert b"content" not in body and str(archive).encode() not in body, body
        assert preview.get(path, method="HEAD", host_header="evil.example")[0] == 421
        # No Host at all (HTTP/1.0 allows it; no browser leaves it out) and two of them.
        assert _raw_request(preview.url, f"GET /{path} HTTP/1.0\r\n\r\n".encode()).startswith(b"HTTP/1.0 421 ")
        two = f"GET /{path} HTTP/1.0\r\nHost: localhost:{port}\r\nHost: evil.example\r\n\r\n".encode()
        assert _raw_request(preview.url, two).startswith(b"HTTP/1.0 421 ")
    for host in (f"localhost:{port}", f"LOCALHOST:{port}", f"127.0.0.1:{port}", f"[::1]:{port}"):
        for path in ("", CLAIM_URL, "__status"):
            assert preview.get(path, host_header=host)[0] == 200, (host, path)
    # The page still works in a browser: the event stream answers a local Host.
    stream = EventStream(preview.url)
    stream.wait_for("reload")
    stream.close()
    assert not [line for line in preview.stderr if "Traceback" in line]


def test_a_preview_open_to_the_network_warns_and_still_refuses_other_names(archive):
    server = Server(archive, host="0.0.0.0")
    try:
        warning = server.wait_for_line(server.stderr, re.compile(r"^build\.py: warning: serving on 0\.0\.0\.0: .*"))
        assert "drafts" in warning.group(0) and "status page" in warning.group(0), warning.group(0)
        port = urllib.parse.urlsplit(server.url).port
        # Addresses cannot be rebound, so the machine's own are answered; names other than localhost are not.
        assert server.get("", host_header=f"127.0.0.1:{port}")[0] == 200
        assert server.get("", host_header=f"192.0.2.7:{port}")[0] == 200
        assert server.get("__status", host_header=f"evil.example:{port}")[0] == 421
    finally:
        assert server.interrupt() == 0
    assert "Traceback" not in "".join(server.stderr)


def test_a_preview_on_this_machine_only_gives_no_warning(preview):
    assert not [line for line in preview.stderr if "warning" in line]


class BareServer:
    """The preview's HTTP server alone, in this process: listening at once, answering once started."""

    def __init__(self, folder: Path) -> None:
        (folder / "index.html").write_text("<!doctype html><title>x</title><p>home", encoding="utf-8")
        self.server = serve._PreviewServer("127.0.0.1", 0, str(folder))
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def close(self) -> None:
        self.server.live.close()
        if self.thread.is_alive():
            self.server.shutdown()
            self.thread.join(timeout=5)
        self.server.server_close()


@pytest.fixture
def bare(tmp_path, monkeypatch):
    """A BareServer with a 1 s deadline for requests, not yet started."""
    monkeypatch.setattr(serve, "REQUEST_SECONDS", 1.0)
    server = BareServer(tmp_path)
    try:
        yield server
    finally:
        server.close()


@pytest.fixture
def bare_server(bare):
    bare.thread.start()
    return bare.server


def test_two_hundred_connections_wait_for_a_busy_server_and_are_all_answered(bare):
    """The listen backlog was 5: with the server busy, a sixth browser's connection timed out (73 to 87 of 200)."""
    port = bare.server.server_address[1]
    waiting = []
    try:
        for _ in range(200):  # not accepted yet: each waits in the system's queue, or times out
            waiting.append(socket.create_connection(("127.0.0.1", port), timeout=3))
        bare.thread.start()
        for connection in waiting:
            connection.sendall(f"GET / HTTP/1.0\r\nHost: localhost:{port}\r\n\r\n".encode())
        answers = []
        for connection in waiting:
            connection.settimeout(10)
            answer = b""
            while chunk := connection.recv(65536):
                answer += chunk
            answers.append(answer.split(b"\r\n", 1)[0])
    finally:
        for connection in waiting:
            connection.close()
    assert answers == [b"HTTP/1.0 200 OK"] * 200


def _connect(server) -> socket.socket:
    return socket.create_connection(server.server_address[:2], timeout=10)


def _closed_within(connection: socket.socket, seconds: float) -> bool:
    """Whether the server closes `connection` (reads give b'' or a reset) within `seconds`."""
    connection.settimeout(seconds)
    try:
        while connection.recv(4096):
            pass
        return True
    except ConnectionResetError:
        return True
    except TimeoutError:
        return False


def test_a_connection_that_sends_nothing_is_closed(bare_server):
    with _connect(bare_server) as idle:
        assert _closed_within(idle, 8)


def test_a_client_that_trickles_its_request_is_dropped(bare_server):
    """One byte of headers every 0.2 s never ends a socket timeout: the request as a whole has a deadline."""
    port = bare_server.server_address[1]
    with _connect(bare_server) as slow:
        slow.sendall(b"GET / HTTP/1.1\r\n")
        dropped = False
        for byte in f"Host: localhost:{port}\r\nX-Padding: {'a' * 40}\r\n\r\n".encode():
            try:
                slow.sendall(bytes([byte]))
            except (BrokenPipeError, ConnectionResetError):
                dropped = True
                break
            time.sleep(0.2)
        assert dropped, "the server waited for a request trickled in over 9 s"


def test_connections_are_bounded_and_the_longest_waiting_makes_room(bare_server):
    bare_server.max_connections = 4
    port = bare_server.server_address[1]
    idle = [_connect(bare_server) for _ in range(4)]
    try:
        time.sleep(0.1)  # accepted, each waiting for its request
        answer = _raw_request(f"http://127.0.0.1:{port}/", f"GET / HTTP/1.0\r\nHost: localhost:{port}\r\n\r\n".encode())
        assert answer.startswith(b"HTTP/1.0 200 "), answer[:80]
        assert _closed_within(idle[0], 0.5)  # the first to connect gave its place up at once
        assert len(bare_server._connections) <= 4
    finally:
        for connection in idle:
            connection.close()
    # Every place taken by an answer that lasts (event streams): the next is told so, not left waiting.
    streams = [EventStream(f"http://127.0.0.1:{port}/") for _ in range(4)]
    try:
        answer = _raw_request(f"http://127.0.0.1:{port}/", f"GET / HTTP/1.0\r\nHost: localhost:{port}\r\n\r\n".encode())
        assert answer.startswith(b"HTTP/1.0 503 "), answer[:80]
    finally:
        for stream in streams:
            stream.close()


def test_with_few_files_idle_sockets_neither_stop_new_requests_nor_the_watcher(archive):
    """Under `ulimit -n 256`, 256 idle sockets made accept() fail with EMFILE and the watcher crash."""
    server = Server(archive, max_files=256)
    port = urllib.parse.urlsplit(server.url).port
    idle = []
    try:
        for _ in range(256):
            try:
                idle.append(socket.create_connection(("127.0.0.1", port), timeout=2))
            except OSError:  # the backlog is full: connections beyond it wait in the client's kernel
                break
        assert len(idle) >= 200
        assert server.get("__status", timeout=10)[0] == 200
        builds = server.status()["builds"]
        edit(archive / CLAIM, "summary:", f"summary: {NEW_SUMMARY}")
        server.wait_for_status(lambda status: status["builds"] > builds, timeout=30)
        status, _, body = server.get(CLAIM_URL, timeout=10)
        assert status == 200 and NEW_SUMMARY.encode() in body
    finally:
        for connection in idle:
            connection.close()
        code = server.interrupt()
    stderr = "".join(server.stderr)
    assert code == 0 and "Traceback" not in stderr and "Errno 24" not in stderr, stderr


# -- rebuilding --------------------------------------------------------------


def test_an_edit_is_served_within_two_seconds_and_rebuilds_only_its_dependents(preview, archive):
    total = preview.status()["last_build"]["pages"]
    lines_before = len(preview.stdout)
    stream = EventStream(preview.url)
    _, shown_before = stream.wait_for("reload")
    tags = {path: preview.get(path)[1]["ETag"] for path in ("pagefind/pagefind-entry.json", "assets/site.css")}
    edit(archive / CLAIM, "summary:", f"summary: {NEW_SUMMARY}")
    saved = time.monotonic()
    while NEW_SUMMARY.encode() not in preview.get(CLAIM_URL)[2]:
        assert time.monotonic() - saved < 2, "".join(preview.stdout + preview.stderr)
        time.sleep(0.02)

    line = preview.wait_for_line(
        preview.stdout,
        re.compile(r"^rebuilt (\d+) pages \((\d+) files changed\) in \d+\.\d\d s; search index in \d+\.\d\d s$"),
        after=lines_before,
    )
    pages, written = int(line.group(1)), int(line.group(2))
    assert 1 <= pages < total
    assert written >= 1
    last = preview.status()["last_build"]
    assert (last["full"], last["pages"], last["written"]) == (False, pages, written)
    # Pages that do not show the claim were left alone.
    assert NEW_SUMMARY.encode() not in preview.get("topics/peace-talks/")[2]
    # The search index was swapped for one that knows the new text (before the line was printed).
    fragments = (archive / ".preview" / "pagefind" / "fragment").glob("*.pf_fragment")
    assert any(NEW_SUMMARY.encode() in gzip.decompress(f.read_bytes()) for f in fragments)
    # Open pages were told: reload once the claim's page was written, all but the search page; then,
    # as parts that follow that build, the search page once the index knew the edit (its Pagefind,
    # loaded before, never asks again), and the site-wide pages.
    index, shown = stream.wait_for("reload", after=1)
    while not any(event == "reload" and data == status_build(preview) for event, data in stream.events[index:]):
        time.sleep(0.02)
    parts = json.loads(next(data for event, data in reversed(stream.events) if event == "followed"))
    stream.close()
    assert shown != shown_before
    assert parts[0] == {"build": shown, "since": shown_before, "unchanged": ["/search/"]}
    assert [part["since"] for part in parts[1:]] == [part["build"] for part in parts[:-1]]
    assert ["/search/"] in [part.get("changed") for part in parts[1:]]
    assert "/" + CLAIM_URL not in [path for part in parts[1:] for path in part["changed"]]
    # A file the rebuild replaced is sent again to a browser holding the old one; one it left alone is not.
    entry = preview.get("pagefind/pagefind-entry.json", headers={"If-None-Match": tags["pagefind/pagefind-entry.json"]})
    assert entry[0] == 200 and entry[2] == (archive / ".preview/pagefind/pagefind-entry.json").read_bytes()
    assert preview.get("assets/site.css", headers={"If-None-Match": tags["assets/site.css"]})[0] == 304


def status_build(preview) -> str:
    return preview.status()["build"]


def test_a_preview_told_to_poll_sees_an_edit_by_scanning(archive):
    server = Server(archive, poll=True)
    try:
        edit(archive / CLAIM, "summary:", f"summary: {NEW_SUMMARY}")
        server.wait_for_line(server.stdout, re.compile(r"^rebuilt \d+ pages"), timeout=30)
        assert NEW_SUMMARY.encode() in server.get(CLAIM_URL)[2]
    finally:
        assert server.interrupt() == 0


def test_an_archives_own_template_and_static_file_are_picked_up_when_they_appear(preview, archive):
    (archive / "static").mkdir()
    (archive / "static" / "humans.txt").write_text("Made by the archive's team.\n", encoding="utf-8")
    (archive / "templates").mkdir()
    own_404 = (
        (ROOT / "templates" / "404.html")
        .read_text(encoding="utf-8")
        .replace("{% block main %}", '{% block main %}\n<p class="own-404">Our own page.</p>', 1)
    )
    (archive / "templates" / "404.html").write_text(own_404, encoding="utf-8")
    saved = time.monotonic()
    while b"own-404" not in preview.get("404.html")[2] or preview.get("humans.txt")[0] != 200:
        assert time.monotonic() - saved < 10, "".join(preview.stdout + preview.stderr)
        time.sleep(0.05)


def test_errors_are_streamed_and_the_last_good_page_stays_until_they_are_fixed(preview, archive):
    events = EventStream(preview.url)
    try:
        first, build = events.wait_for("reload")
        edit(archive / CLAIM, "verdict: unproven", "verdict: unprovn")
        index, data = events.wait_for("errors", after=first + 1)
        shown = json.loads(data)
        errors = shown["errors"]
        assert shown["total"] == len(errors) == 1
        assert re.fullmatch(
            r"content/claims/paryan-completely-cleared-of-taliban\.yaml:\d+:\d+: error: "
            r"verdict 'unprovn' .*",
            errors[0],
        )
        # The terminal says the same, in the format `build` uses.
        preview.wait_for_line(preview.stderr, re.compile(re.escape(errors[0])))
        preview.wait_for_line(preview.stderr, re.compile(r"^1 error; the preview shows the last good build$"))
        assert preview.status()["errors"] == errors
        status, _, body = preview.get(CLAIM_URL)
        assert status == 200 and b"Unproven" in body

        edit(archive / CLAIM, "verdict: unprovn", "verdict: false")
        _, fixed = events.wait_for("reload", after=index + 1)
        assert fixed != build
        status = preview.status()
        assert status["errors"] == [] and status["build"] == fixed
        assert "False" in html.fromstring(preview.get(CLAIM_URL)[2]).xpath("string(//main)")
    finally:
        events.close()


def test_an_edited_archived_text_checks_its_quotes_again(preview, archive):
    seed = archive / SEED
    original = seed.read_text(encoding="utf-8")
    seed.write_text(original.replace("illegitimate war", "unlawful war"), encoding="utf-8")
    status = preview.wait_for_status(lambda s: s["errors"])
    # The seed's recorded digest no longer matches, and the quote is no longer in it.
    fixity, error = status["errors"]
    assert re.match(
        rf"{re.escape(SOURCE)}:\d+:\d+: error: the archived file has changed since it was recorded: {SEED}", fixity
    )
    assert re.match(
        rf"{re.escape(SOURCE)}:\d+:\d+: error: quote 'clerics-illegitimate-war' is not in the archived text {SEED}",
        error,
    )
    seed.write_text(original, encoding="utf-8")
    preview.wait_for_status(lambda s: not s["errors"] and s["builds"] > status["builds"])


def test_first_build_with_errors_keeps_serving_until_fixed(archive):
    edit(archive / CLAIM, "verdict: unproven", "verdict: unprovn")
    server = Server(archive)
    try:
        assert server.status()["builds"] == 0
        assert len(server.status()["errors"]) == 1
        status, _, body = server.get(CLAIM_URL)
        assert status == 404 and LIVE_TAG.search(body)  # nothing built yet: the overlay will say why
        edit(archive / CLAIM, "verdict: unprovn", "verdict: unproven")
        server.wait_for_status(lambda s: s["builds"] == 1 and not s["errors"])
        assert server.get(CLAIM_URL)[0] == 200
    finally:
        assert server.interrupt() == 0


# -- live reload in a browser --------------------------------------------------


def test_the_open_page_reloads_itself_and_shows_errors_over_the_last_good_page(preview, archive, page):
    # The list of claims is written after the claim's page (and the reload): it reloads once more, the claim's not.
    listing = page.context.new_page()
    listing.goto(preview.url + "claims/")
    page.goto(preview.url + CLAIM_URL)
    page.evaluate("window.__marker = 1")
    edit(archive / CLAIM, "summary:", f"summary: {NEW_SUMMARY}")
    saved = time.monotonic()
    page.wait_for_function(
        "(text) => window.__marker === undefined && document.body.innerText.includes(text)",
        arg=NEW_SUMMARY,
        timeout=5000,
    )
    reload_seconds = time.monotonic() - saved
    assert reload_seconds < 2
    page.evaluate("window.__marker = 3")
    # The page reloads first; the line comes once the search index has been refreshed too.
    preview.wait_for_line(preview.stdout, re.compile(r"^rebuilt .*; search index in"), timeout=10)
    listing.wait_for_function("(text) => document.body.innerText.includes(text)", arg=NEW_SUMMARY, timeout=5000)
    assert page.evaluate("window.__marker") == 3
    listing.close()
    hits = page.evaluate("""async () => { const pf = await import('/pagefind/pagefind.js');
        const s = await pf.search('quokkaberry'); return s.results.length; }""")
    assert hits == 1

    page.evaluate("window.__marker = 2")
    edit(archive / CLAIM, "verdict: unproven", "verdict: unprovn")
    dialog = page.get_by_role("alertdialog")
    dialog.wait_for(timeout=5000)
    assert page.evaluate("window.__marker") == 2  # shown over the page, not by reloading it
    text = dialog.inner_text()
    assert "1 content error" in text
    assert re.search(
        r"content/claims/paryan-completely-cleared-of-taliban\.yaml:\d+:\d+: error: verdict 'unprovn'", text
    )
    assert page.evaluate("document.activeElement.textContent") == "Hide"
    assert axe_violations(page, {"runOnly": ["wcag2a", "wcag2aa"]}) == []
    # Still the last good page underneath.
    assert NEW_SUMMARY in page.locator("main").inner_text()

    edit(archive / CLAIM, "verdict: unprovn", "verdict: unproven")
    page.wait_for_function("() => window.__marker === undefined", timeout=5000)
    assert page.get_by_role("alertdialog").count() == 0

    # A search page open for a word no page has: it reloads with the others once the claim's page
    # is written, before the index has the word, and asks again by itself once the index has it.
    searching = page.context.new_page()
    searching.goto(preview.url + "search/?q=quokkaplum")
    searching.locator(".pagefind-ui__message").filter(has_text="No results for quokkaplum").wait_for(timeout=5000)
    searching.evaluate("window.__marker = 1")
    edit(archive / CLAIM, "summary: ", "summary: Quokkaplum. ")
    searching.locator(f'.pagefind-ui__result-link[href="/{CLAIM_URL}"]').wait_for(timeout=10000)
    assert searching.evaluate("window.__marker") is None
    searching.close()


def test_an_open_page_reconnects_and_reloads_after_a_restart(archive, page):
    server = Server(archive)
    page.goto(server.url + CLAIM_URL)
    page.evaluate("window.__marker = 1")
    assert server.interrupt() == 0
    edit(archive / CLAIM, "summary:", f"summary: {NEW_SUMMARY}")  # while no server watches
    restarted = Server(archive, port=int(server.url.rsplit(":", 1)[1].rstrip("/")))
    try:
        page.wait_for_function(
            "(text) => window.__marker === undefined && document.body.innerText.includes(text)",
            arg=NEW_SUMMARY,
            timeout=20000,
        )
    finally:
        assert restarted.interrupt() == 0


# -- parts ---------------------------------------------------------------------


def test_live_reload_tag_goes_before_the_end_of_head():
    assert with_live_reload(b"<html><head><title>x</title></HEAD><body></body></html>", "ab-1") == (
        b'<html><head><title>x</title><script src="/__livereload.js" data-build="ab-1" defer></script>\n'
        b"</HEAD><body></body></html>"
    )
    assert with_live_reload(b"<p>bare</p>", "ab-1").endswith(b"defer></script>\n")


WATCHERS = [PollingWatcher, InotifyWatcher]


def test_the_preview_watches_with_inotify_here(tmp_path):
    """This machine is Linux: the kernel's events, not scans (a fallback here would hide a broken inotify)."""
    watcher = Watcher([str(tmp_path)])
    assert isinstance(watcher, InotifyWatcher)
    watcher.close()
    assert isinstance(Watcher([str(tmp_path)], poll=True), PollingWatcher)


@pytest.mark.parametrize("kind", WATCHERS)
def test_watcher_sees_added_changed_and_removed_files_but_not_hidden_ones(tmp_path, kind):
    (tmp_path / "claims").mkdir()
    kept, changed, removed = (tmp_path / "claims" / name for name in ("kept.yaml", "changed.yaml", "removed.yaml"))
    for path in (kept, changed, removed):
        path.write_text("a: 1\n")
    watcher = kind([str(tmp_path)])
    assert watcher.changes() == set()
    changed.write_text("a: 22\n")
    removed.unlink()
    added = tmp_path / "claims" / "added.yaml"
    added.write_text("a: 1\n")
    (tmp_path / "claims" / ".added.yaml.swp").write_text("x")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "index").write_text("x")
    assert watcher.changes() == {str(changed), str(removed), str(added)}
    assert watcher.changes() == set()
    stop = threading.Event()
    threading.Timer(0.3, lambda: os.utime(kept, ns=(1, 1))).start()
    assert watcher.wait_for_changes(stop) == {str(kept)}
    watcher.close()


@pytest.mark.parametrize("kind", WATCHERS)
def test_watcher_follows_folders_added_moved_and_removed_and_a_folder_that_appears(tmp_path, kind):
    content, later = tmp_path / "content", tmp_path / "templates"
    (content / "claims").mkdir(parents=True)
    old = content / "claims" / "old.yaml"
    old.write_text("a: 1\n")
    watcher = kind([str(content), str(later)])
    # A folder made and filled at once (an unpacked archive, a checkout): its files are changes, and so are later ones.
    (content / "sources" / "deep").mkdir(parents=True)
    deep = content / "sources" / "deep" / "one.yaml"
    deep.write_text("a: 1\n")
    assert watcher.changes() == {str(deep)}
    deep.write_text("a: 2\n")
    assert watcher.changes() == {str(deep)}
    # Moved away, a folder's files are gone; moved back under another name, they are new.
    aside = tmp_path / "aside"
    (content / "claims").rename(aside)
    assert watcher.changes() == {str(old)}
    (aside / "old.yaml").write_text("a: 3\n")  # no longer watched
    assert watcher.changes() == set()
    aside.rename(content / "people")
    assert watcher.changes() == {str(content / "people" / "old.yaml")}
    shutil.rmtree(content / "sources")
    assert watcher.changes() == {str(deep)}
    # The archive's own templates/ appears: creating it is a change.
    later.mkdir()
    (later / "base.html").write_text("x")
    assert watcher.changes() == {str(later / "base.html")}
    watcher.close()


def test_inotify_sees_a_file_saved_twice_in_one_clock_tick(tmp_path):
    """Same size, same modification time: polling cannot tell, the kernel's event can."""
    claim = tmp_path / "one.yaml"
    claim.write_text("a: 1\n")
    stat = claim.stat()
    watcher = InotifyWatcher([str(tmp_path)])
    claim.write_text("a: 2\n")
    os.utime(claim, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert watcher.changes() == {str(claim)}
    watcher.close()


def test_inotify_out_of_watches_falls_back_to_polling(tmp_path, monkeypatch):
    from site_builder import watcher as watching

    monkeypatch.setattr(watching, "_libc", lambda: (_ for _ in ()).throw(watching.NoInotify("no inotify")))
    assert isinstance(Watcher([str(tmp_path)]), PollingWatcher)


def test_an_overflowing_inotify_queue_is_caught_up_by_a_scan(tmp_path, monkeypatch):
    claim = tmp_path / "one.yaml"
    claim.write_text("a: 1\n")
    watcher = InotifyWatcher([str(tmp_path)])
    claim.write_text("a: 22\n")
    added = tmp_path / "two.yaml"
    added.write_text("b: 1\n")
    monkeypatch.setattr(watcher, "_events", lambda: iter([(-1, 0x4000, "")]))  # IN_Q_OVERFLOW, the rest lost
    assert watcher.changes() == {str(claim), str(added)}
    watcher.close()


def test_a_watcher_out_of_files_sees_no_change_rather_than_every_file_removed(tmp_path, monkeypatch):
    """Out of file descriptors, scandir fails with EMFILE: that is no reason to rebuild as if the archive were gone."""
    (tmp_path / "claims").mkdir()
    claim = tmp_path / "claims" / "one.yaml"
    claim.write_text("a: 1\n")
    watcher = PollingWatcher([str(tmp_path)])
    real_scandir = os.scandir

    def out_of_files(path):
        raise OSError(errno.EMFILE, "Too many open files", path)

    monkeypatch.setattr(os, "scandir", out_of_files)
    assert watcher.changes() == set()
    monkeypatch.setattr(os, "scandir", real_scandir)
    assert watcher.changes() == set()  # the baseline was kept
    claim.write_text("a: 22\n")
    assert watcher.changes() == {str(claim)}


def test_the_browser_is_sent_the_first_errors_and_how_many_there_are():
    live = LiveReload()
    errors = [f"content/claims/c{i}.yaml:1:1: error: wrong" for i in range(SHOWN_ERRORS + 10)]
    live.failed(errors)
    status = live.status()
    assert status["errors"] == errors[:SHOWN_ERRORS] and status["error_count"] == SHOWN_ERRORS + 10
    name, data = re.fullmatch(
        r"event: reload\ndata: \S+\n\nevent: (\w+)\ndata: (.*)\n\n", live.events().decode()
    ).groups()
    assert (name, json.loads(data)) == ("errors", {"total": SHOWN_ERRORS + 10, "errors": errors[:SHOWN_ERRORS]})
