"""`build.py serve`: a local preview that rebuilds on every save and reloads the browser.

The main thread watches and rebuilds (so Ctrl-C lands there); the HTTP server
answers from its own threads. The output folder only ever changes by
whole-file renames and folder swaps (writer.py, pipeline.py), so a request
never sees half a file. The open page reloads as soon as the pages are
written; the search index is refreshed after: after an edit, only the
shards that hold its record pages, indexed while the site-wide pages are
written (pipeline.BuiltSite's live_search). An open search page is left as it
is by the first reload and reloaded once the index has the edit (its query
is in its address), since its Pagefind would answer from the old index.

The live-reload script is added to HTML pages as they are sent, never written
into the output: the preview folder holds what `build` would make for the
preview's base URL.
"""

from __future__ import annotations

import errno
import http.server
import io
import ipaddress
import json
import mimetypes
import os
import re
import resource
import secrets
import signal
import socket
import sys
import threading
import time
import urllib.parse

from . import files, model, progress
from .error_formats import format_errors
from .errors import BuildFailed
from .pipeline import BuildOptions, BuildReport, BuiltSite
from .render import BUILTIN_TEMPLATES
from .search import PREVIEW_SHARD_PAGES, SearchIndexFailed
from .watcher import NoInotify, PollingWatcher, Watcher
from .writer import OutputError

SHOWN_ERRORS = 50  # the overlay lists the first ones; the terminal has them all
KEEPALIVE_SECONDS = 15  # a comment on the event stream, so a closed tab frees its thread
# A client has this long from connecting to the end of its request's headers,
# however it trickles them in; then this long for each write of the answer.
REQUEST_SECONDS = 10
SEND_SECONDS = 30
LISTEN_BACKLOG = (
    1024  # connections the system holds until they are accepted (the library's default is 5; the system may cap it)
)
MAX_CONNECTIONS = 256  # at most, open at once; fewer when the process may open few files
FD_RESERVE = 64  # files kept free for rebuilds, the watcher and the pages being sent
LOCAL_HOSTS = ("localhost", "127.0.0.1", "[::1]")

LIVE_EVENTS, LIVE_SCRIPT, STATUS = "/__livereload", "/__livereload.js", "/__status"
SEARCH_PAGE = "/search/"  # its address in the preview (pages/site.py writes search/index.html)
# Beside the code, not among the templates' assets: a published site must not ship it.
LIVE_RELOAD_JS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "live-reload.js")

# Served when there is no 404.html yet: the first build failed. The script's
# overlay then shows why.
_NOTHING_BUILT = b"""<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Not built yet</title></head>
<body><h1>Not built yet</h1><p>The content has errors; they are listed in the terminal.</p></body>
</html>
"""

_CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".xml": "application/xml",
    ".txt": "text/plain; charset=utf-8",
    ".svg": "image/svg+xml",
    ".wasm": "application/wasm",
    # Pagefind's index and WebAssembly are compressed; its script inflates them.
    ".pagefind": "application/octet-stream",
}


class PortUnavailable(Exception):
    """The address could not be listened on: the port is taken, or not ours to use."""


def serve(
    content_dir: str, out_dir: str, host: str, port: int, force: bool = False, now=None, poll: bool = False
) -> int:
    """Build, serve and rebuild on every save until Ctrl-C; the exit code."""
    # A shell that starts us in the background hands down SIGINT ignored, and
    # Python then never raises KeyboardInterrupt: Ctrl-C (or a test's SIGINT)
    # must stop the server whatever we inherited.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    preview = Preview(content_dir, out_dir, host, port, force=force, now=now, poll=poll)
    if not is_loopback(host):
        print(
            f"build.py: warning: serving on {host}: every machine that can reach this one can read the preview, "
            "drafts included, and its status page with the content's file paths; "
            "leave out --host (127.0.0.1) to keep it on this machine",
            file=sys.stderr,
            flush=True,
        )
    try:
        preview.run()
    except KeyboardInterrupt:
        progress.clear()
        print("stopped", flush=True)
    finally:
        preview.close()
    return 0


class Preview:
    """A preview of one archive: its project, its HTTP server and its file watcher."""

    def __init__(
        self,
        content_dir: str,
        out_dir: str,
        host: str = "127.0.0.1",
        port: int = 0,
        force: bool = False,
        now=None,
        poll: bool = False,
    ) -> None:
        self.httpd = _PreviewServer(host, port, out_dir)
        bound_port = self.httpd.server_address[1]
        self.url = f"http://{f'[{host}]' if ':' in host else host}:{bound_port}/"
        self.content_dir, self.out_dir = content_dir, out_dir
        self.options = BuildOptions(
            content_dir=content_dir,
            out_dir=out_dir,
            base_url=self.url,
            search=False,
            search_shard_pages=PREVIEW_SHARD_PAGES,
            force=force,
            drafts=True,
            now=now,
        )  # the preview shows drafts and embargoed claims, with their banners
        self.live = self.httpd.live
        self.project = self._new_project()
        # The archive's own templates/ and static/ too, even before they exist: creating one is a change.
        self.watcher = Watcher(
            [
                content_dir,
                BUILTIN_TEMPLATES,
                os.path.join(self.options.site_root, "templates"),
                self.options.static_dir(),
                os.path.join(self.options.site_root, "locales"),
            ],
            poll=poll,
        )
        self.stopping = threading.Event()
        self._serving: threading.Thread | None = None

    def _new_project(self) -> BuiltSite:
        project = BuiltSite(self.options, live_search=True)
        project.index_swapped = self.live.search_refreshed
        return project

    def run(self) -> None:
        """The first build, then serve and rebuild until `stop()`."""
        self._first_build()
        self._serving = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.1}, name="preview server", daemon=True
        )
        self._serving.start()
        print(
            f"serving {self.url} from {self.out_dir}; watching {self.content_dir} and the templates (Ctrl-C stops)",
            flush=True,
        )
        while not self.stopping.is_set():
            try:
                changed = self.watcher.wait_for_changes(self.stopping)
            except NoInotify as exc:
                # Out of inotify watches (a folder was added): scan from now on, beginning with everything.
                print(f"build.py: note: {exc}; watching by scanning the folders instead", file=sys.stderr, flush=True)
                folders = self.watcher.folders
                self.watcher.close()
                self.watcher = PollingWatcher(folders)
                changed = set(self.watcher.files)
            if changed:
                self.rebuild(changed)

    def stop(self) -> None:
        self.stopping.set()

    def close(self) -> None:
        self.stop()
        if self._serving is not None:
            self.httpd.shutdown()
            self._serving.join(timeout=5)
        self.live.close()
        self.httpd.server_close()
        self.watcher.close()

    def _first_build(self) -> None:
        """Content errors are shown, not fatal: the editor fixes them while the server runs.

        An output error (the folder is not writable, another build holds it)
        ends the command, as it does for `build`.
        """
        try:
            report = self.project.build()
            self._index(report)
        except BuildFailed as failed:
            self._failed(failed.errors)
            return
        finally:
            progress.clear()
            self.watcher.watch_also(self._archived_text_folders())
        print(
            f"built {report.pages} pages from {report.records} records into {self.out_dir} "
            f"in {report.seconds:.2f} s{_indexed(report)}",
            flush=True,
        )
        self.live.succeeded(report)

    def rebuild(self, changed: set[str]) -> None:
        """Bring the preview up to date with `changed` files: pages, reload, then the search index.

        Every failure is reported; none ends the server.
        """
        shown_after: list[int] = []

        def shown(report: BuildReport) -> None:
            shown_after.append(report.written)
            self.live.succeeded(report, search_follows=not report.full)

        try:
            # The browser reloads as soon as the edited pages are written; the site-wide pages follow.
            report = self.project.rebuild(touched=changed | self._sources_reading(changed), shown=shown, complete=True)
            if report.full:  # a partial rebuild refreshed the index's shards itself, while it wrote the rest
                self._index(report)
            elif shown_after and report.changed[shown_after[0] :]:
                self.live.followed_by(report, _url_paths(report.changed[shown_after[0] :]))
        except BuildFailed as failed:
            self._failed(failed.errors)
            return
        except (OutputError, SearchIndexFailed) as exc:
            self._failed_without_position(str(exc))
            return
        except Exception as exc:  # noqa: BLE001 (a bug must not end the preview; the next save builds afresh)
            self.project = self._new_project()
            self._failed_without_position(
                f"internal error: {type(exc).__name__}: {exc} (a bug in the site "
                "builder, not in your content: please report it)"
            )
            return
        finally:
            progress.clear()
            self.watcher.watch_also(self._archived_text_folders())
        if report.full:
            print(f"rebuilt all {report.pages} pages in {report.seconds:.2f} s{_indexed(report)}", flush=True)
        else:
            print(
                f"rebuilt {report.pages} pages ({report.written} files changed) in {report.seconds:.2f} s"
                f"{_indexed(report)}",
                flush=True,
            )

    def _index(self, report: BuildReport) -> None:
        """Refresh the search index of the live preview, after the reload."""
        self.project.refresh_search(report)

    def _failed(self, errors) -> None:
        print(format_errors(errors, "text"), end="", file=sys.stderr)
        print(
            f"{len(errors)} error{'s' if len(errors) != 1 else ''}; the preview shows the last good build",
            file=sys.stderr,
            flush=True,
        )
        self.live.failed([str(error) for error in errors])

    def _failed_without_position(self, message: str) -> None:
        print(f"build.py: error: {message}", file=sys.stderr, flush=True)
        self.live.failed([f"error: {message}"])

    def _archived_texts(self) -> dict[str, str]:
        """Archived text path -> the source file that reads it, from the last read of the content."""
        if self.project.content is None:
            return {}
        site_root = files.site_root(self.content_dir)
        return {
            os.path.realpath(os.path.join(site_root, result.record.text.path)): path
            for path, result in self.project.content.files.items()
            if isinstance(result.record, model.Source) and result.record.text is not None
        }

    def _archived_text_folders(self) -> set[str]:
        return {os.path.dirname(text) for text in self._archived_texts()}

    def _sources_reading(self, changed: set[str]) -> set[str]:
        """Source files to read again because an archived text changed.

        A source is only re-read when its own file changes, but its quotes are
        checked against its archived text; a source that failed may have
        failed for want of that text, so those are read again too.
        """
        content = self.project.content
        # Whatever the watcher saw outside content and templates is in an archived text's folder.
        changed_texts = {
            os.path.realpath(path)
            for path in changed
            if not _inside(path, self.content_dir) and not _inside(path, BUILTIN_TEMPLATES)
        }
        if content is None or not changed_texts:
            return set()
        texts = self._archived_texts()
        sources = {texts[text] for text in changed_texts if text in texts}
        sources |= {
            path
            for path, result in content.files.items()
            if result.record is None and os.path.basename(os.path.dirname(path)) == "sources"
        }
        return sources


def _inside(path: str, folder: str) -> bool:
    folder = os.path.abspath(folder)
    return os.path.commonpath([os.path.abspath(path), folder]) == folder


def _url_paths(relpaths: list[str]) -> list[str]:
    """The addresses of the pages among output paths, as a browser's location.pathname has them."""
    return [
        "/" + (relpath[: -len("index.html")] if relpath.endswith("index.html") else relpath)
        for relpath in relpaths
        if relpath.endswith(".html")
    ]


def _indexed(report: BuildReport) -> str:
    return f"; search index in {report.stages['index']:.2f} s" if "index" in report.stages else ""


class LiveReload:
    """What open pages are told: the build they should show, or the errors holding it back."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        # A new server gets new build ids, so pages reload after a restart.
        self._server_id = secrets.token_hex(4)
        self.builds = 0
        self.errors: list[str] = []
        self.report: BuildReport | None = None
        # After a rebuild's second part (its site-wide pages, written after the reload): the build it
        # follows and the pages it changed; a page showing that build and not among them is current.
        # One a later part (the search index refreshed, then the site-wide pages), oldest first: a
        # stream may send only the last state, so a page follows the chain from the build it shows.
        self.followed: list[dict] = []
        self.version = 0  # counts every change above
        self.closed = False

    @property
    def build_id(self) -> str:
        return f"{self._server_id}-{self.builds}"

    def succeeded(self, report: BuildReport, search_follows: bool = False) -> None:
        """A build to show. `search_follows`: its search index is being refreshed, and search_refreshed()
        will reload the search page: it stays as it is until then (its HTML is the same, and reloading
        it meanwhile asks the old index again while the edited page reloads)."""
        with self._changed:
            since = self.build_id
            keep_search = search_follows and not self.errors  # an error overlay goes with a reload
            self.builds += 1
            self.errors, self.report = [], report
            self.followed = (
                [{"build": self.build_id, "since": since, "unchanged": [SEARCH_PAGE]}] if keep_search else []
            )
            self._announce()

    def followed_by(self, report: BuildReport, paths: list[str]) -> None:
        """The rest of a rebuild, written after `succeeded`: only the open pages at `paths` (URL paths) reload."""
        with self._changed:
            since = self.build_id
            self.builds += 1
            self.report = report
            self.followed = [*self.followed, {"build": self.build_id, "since": since, "changed": sorted(paths)}]
            self._announce()

    def search_refreshed(self) -> None:
        """The search index answers with the pages as written: an open search page asks its query again.

        It reloaded with the rest once the edited pages were written, and
        Pagefind, already loaded, would answer from the old index for good.
        """
        with self._changed:
            if self.report is None:  # the first build's index, before anything was served
                return
            since = self.build_id
            self.builds += 1
            self.followed = [*self.followed, {"build": self.build_id, "since": since, "changed": [SEARCH_PAGE]}]
            self._announce()

    def failed(self, errors: list[str]) -> None:
        with self._changed:
            self.errors = errors
            self._announce()

    def close(self) -> None:
        with self._changed:
            self.closed = True
            self._announce()

    def wait(self, seen: int, timeout: float) -> int | None:
        """The version after `seen` once there is one (or `seen` at the timeout); None once closed."""
        with self._changed:
            self._changed.wait_for(lambda: self.closed or self.version != seen, timeout)
            return None if self.closed else self.version

    def events(self) -> bytes:
        """The current state as Server-Sent Events: the build to show, then any errors."""
        with self._changed:
            message = ""
            if self.followed:
                message += f"event: followed\ndata: {json.dumps(self.followed, ensure_ascii=False)}\n\n"
            message += f"event: reload\ndata: {self.build_id}\n\n"
            if self.errors:
                shown = {"total": len(self.errors), "errors": self.errors[:SHOWN_ERRORS]}
                message += f"event: errors\ndata: {json.dumps(shown, ensure_ascii=False)}\n\n"
        return message.encode("utf-8")

    def status(self) -> dict:
        with self._changed:
            report = self.report
            return {
                "build": self.build_id,
                "builds": self.builds,
                "error_count": len(self.errors),
                "errors": self.errors[:SHOWN_ERRORS],
                "last_build": None
                if report is None
                else {
                    "full": report.full,
                    "pages": report.pages,
                    "written": report.written,
                    "seconds": round(report.seconds, 3),
                    "stages": {stage: round(seconds, 3) for stage, seconds in report.stages.items()},
                },
            }

    def _announce(self) -> None:
        self.version += 1
        self._changed.notify_all()


def is_loopback(host: str) -> bool:
    """Whether only this machine can reach `host`."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a name: whatever it resolves to may be reachable from elsewhere


def connection_bound() -> int:
    """How many connections may be open at once: each takes a file, and a build needs files too."""
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY:
        return MAX_CONNECTIONS
    # Two files per connection at most: its socket and the file it sends.
    return max(4, min(MAX_CONNECTIONS, (soft - FD_RESERVE) // 2))


class _PreviewServer(http.server.ThreadingHTTPServer):
    daemon_threads = True  # an open event stream must not keep the process alive
    request_queue_size = LISTEN_BACKLOG

    def __init__(self, host: str, port: int, out_dir: str) -> None:
        try:
            self.address_family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
        except OSError:
            raise PortUnavailable(f"cannot listen on '{host}': not an address of this machine") from None
        self.out_dir = out_dir
        self.live = LiveReload()
        self.host = host
        self.max_connections = connection_bound()
        # Open connections -> when each began waiting for its request, or None while it is answered.
        self._connections: dict[socket.socket, float | None] = {}
        self._connections_lock = threading.Lock()
        try:
            super().__init__((host, port), _Handler)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise PortUnavailable(
                    f"port {port} on {host} is in use (is another preview running?): "
                    "pass --port N, or --port 0 for any free port"
                ) from None
            if exc.errno == errno.EACCES:
                raise PortUnavailable(
                    f"port {port} needs administrator rights: pick one above 1023 with --port N"
                ) from None
            raise PortUnavailable(f"cannot listen on {host}:{port}: {exc.strerror}") from None

    def handle_error(self, request, client_address) -> None:
        error = sys.exc_info()[1]
        if not isinstance(error, ConnectionError):  # a closed tab is no error
            print(f"build.py: preview server: {type(error).__name__}: {error}", file=sys.stderr, flush=True)

    def allowed_host(self, header: str | None) -> bool:
        """Whether a request's Host names this server as only a local browser would.

        A page on evil.example whose name is made to resolve to 127.0.0.1 (DNS
        rebinding) reaches the preview with `Host: evil.example`; refusing any
        other name keeps drafts and /__status from it. An address written as
        such cannot be rebound, so a preview opened to the network (0.0.0.0)
        answers the machine's addresses too.
        """
        split = _split_host(header or "")
        if split is None:
            return False
        name, given_port = split
        port = self.server_address[1]
        if given_port != str(port) and not (given_port is None and port == 80):
            return False
        started = f"[{self.host}]" if ":" in self.host else self.host
        if name in LOCAL_HOSTS or name == started.lower():
            return True
        if self.host in ("0.0.0.0", "::", ""):
            try:
                ipaddress.ip_address(name[1:-1] if name.startswith("[") else name)
                return True
            except ValueError:
                return False
        return False

    # -- a bounded number of connections, none waited on for ever ------------

    def get_request(self):
        try:
            return super().get_request()
        except OSError as exc:
            if exc.errno in (errno.EMFILE, errno.ENFILE):
                # Out of files: free the longest-waiting connection, and let the
                # loop come back rather than spin on a socket it cannot accept.
                self._drop_longest_waiting()
                time.sleep(0.05)
            raise

    def process_request(self, request, client_address) -> None:
        with self._connections_lock:
            full = len(self._connections) >= self.max_connections
        if full and not self._drop_longest_waiting():
            # Every connection is being answered (event streams, large files): say so at once.
            try:
                request.settimeout(1)
                request.sendall(
                    b"HTTP/1.0 503 Service Unavailable\r\nContent-Type: text/plain\r\nRetry-After: 1\r\n"
                    b"Connection: close\r\n\r\nThe preview has too many open connections: try again.\n"
                )
            except OSError:
                pass
            self.shutdown_request(request)
            return
        self.waiting(request)
        super().process_request(request, client_address)

    def waiting(self, connection: socket.socket) -> None:
        with self._connections_lock:
            self._connections[connection] = time.monotonic()

    def answering(self, connection: socket.socket) -> None:
        with self._connections_lock:
            if connection in self._connections:
                self._connections[connection] = None

    def shutdown_request(self, request) -> None:
        with self._connections_lock:
            self._connections.pop(request, None)
        super().shutdown_request(request)

    def _drop_longest_waiting(self) -> bool:
        """Close the connection that has waited longest without a request (as a web server reuses idle ones)."""
        with self._connections_lock:
            waiting = [(since, id(c), c) for c, since in self._connections.items() if since is not None]
            if not waiting:
                return False
            _, _, connection = min(waiting)
            del self._connections[connection]
        try:
            connection.shutdown(socket.SHUT_RDWR)  # its thread's read returns, and the thread closes it
        except OSError:
            pass
        return True


def _split_host(header: str) -> tuple[str, str | None] | None:
    """`Host: name[:port]` as (lower-case name, port or None); None if it is no such thing."""
    if header.startswith("["):
        end = header.find("]")
        name, rest = header[: end + 1], header[end + 1 :]
        if end < 0 or rest and not rest.startswith(":"):
            return None
        port = rest[1:] if rest else None
    else:
        name, colon, port = header.partition(":")
        port = port if colon else None
    if not name or port is not None and not port.isdigit():
        return None
    return name.lower(), port


class _DeadlineReader(io.RawIOBase):
    """A connection's reads, each given what is left of the handler's deadline (none: SEND_SECONDS)."""

    def __init__(self, connection: socket.socket, handler: _Handler) -> None:
        self.connection, self.handler = connection, handler

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        deadline = self.handler.deadline
        if deadline is None:
            self.connection.settimeout(SEND_SECONDS)
        else:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("the request took too long to arrive")
            self.connection.settimeout(left)
        return self.connection.recv_into(buffer)


class _Handler(http.server.BaseHTTPRequestHandler):
    server: _PreviewServer
    server_version = "build.py-serve"
    deadline: float | None = None

    def setup(self) -> None:
        super().setup()
        self.rfile.close()
        self.rfile = io.BufferedReader(_DeadlineReader(self.connection, self))

    def handle_one_request(self) -> None:
        self.deadline = time.monotonic() + REQUEST_SECONDS
        self.server.waiting(self.connection)
        super().handle_one_request()

    def parse_request(self) -> bool:
        if not super().parse_request():
            return False
        self.deadline = None
        self.connection.settimeout(SEND_SECONDS)
        self.server.answering(self.connection)
        hosts = self.headers.get_all("Host") or []
        if len(hosts) != 1 or not self.server.allowed_host(hosts[0].strip()):
            self.close_connection = True
            body = (
                b"421 Misdirected Request: this preview answers only http://localhost, 127.0.0.1 or [::1] "
                b"at its own port (and the host given with --host)\n"
            )
            self._send_plain(421, body)
            return False
        return True

    def _send_plain(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_GET(self) -> None:
        self._answer(send_body=True)

    def do_HEAD(self) -> None:
        self._answer(send_body=False)

    def log_message(self, format: str, *args) -> None:
        pass  # one line per request would bury the rebuild lines

    def _answer(self, send_body: bool) -> None:
        url_path = urllib.parse.urlsplit(self.path).path
        if url_path == LIVE_EVENTS and send_body:
            return self._event_stream()
        if url_path == LIVE_SCRIPT:
            with open(LIVE_RELOAD_JS, "rb") as f:
                return self._send(200, f.read(), _CONTENT_TYPES[".js"], send_body)
        if url_path == STATUS:
            body = json.dumps(self.server.live.status(), ensure_ascii=False).encode("utf-8")
            return self._send(200, body, _CONTENT_TYPES[".json"], send_body)
        found = _output_file(self.server.out_dir, url_path)
        if isinstance(found, _Redirect):
            query = urllib.parse.urlsplit(self.path).query
            return self._send(
                301, b"", "text/plain", send_body, location=found.location + (f"?{query}" if query else "")
            )
        read = _read_tagged(found) if found else None
        if read is None:
            return self._send(404, self._not_found_page(), _CONTENT_TYPES[".html"], send_body)
        data, tag = read
        mime = content_type(found)
        if mime.startswith("text/html"):  # sent with the live-reload tag of the current build: never kept
            return self._send(200, data, mime, send_body)
        # Anything else is kept and asked again each time: the search index's unchanged shards
        # (their page lists, chunks and fragments) are then not sent again after an edit.
        if tag in _etags(self.headers.get("If-None-Match")):
            self.send_response(304)
            self.send_header("ETag", tag)
            self.send_header("Cache-Control", "no-cache")
            self.end_headers()
            return None
        self._send(200, data, mime, send_body, etag=tag)

    def _not_found_page(self) -> bytes:
        return _read(os.path.join(self.server.out_dir, "404.html")) or _NOTHING_BUILT

    def _send(
        self, status: int, body: bytes, mime: str, send_body: bool, location: str | None = None, etag: str = ""
    ) -> None:
        if mime.startswith("text/html"):
            body = with_live_reload(body, self.server.live.build_id)
        self.send_response(status)
        self.send_header("Content-Type", mime)
        self.send_header("Content-Length", str(len(body)))
        if etag:  # kept, but checked before each use: a file a rebuild replaced has another tag
            self.send_header("ETag", etag)
            self.send_header("Cache-Control", "no-cache")
        else:
            self.send_header("Cache-Control", "no-store")  # a reload must show the files just rebuilt
        if location:
            self.send_header("Location", location)
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    def _event_stream(self) -> None:
        live = self.server.live
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        try:
            self.wfile.write(b"retry: 500\n\n")  # reconnect soon after a restart
            seen = live.version
            self.wfile.write(live.events())
            self.wfile.flush()
            while True:
                version = live.wait(seen, KEEPALIVE_SECONDS)
                if version is None:
                    return
                self.wfile.write(live.events() if version != seen else b": still here\n\n")
                self.wfile.flush()
                seen = version
        except (BrokenPipeError, ConnectionResetError):
            return


class _Redirect:
    def __init__(self, location: str) -> None:
        self.location = location


def _output_file(out_dir: str, url_path: str) -> str | _Redirect | None:
    """The file a URL path names in the output, as a static host would find it."""
    parts = [part for part in urllib.parse.unquote(url_path).split("/") if part]
    # Hidden names cover '.', '..' and the index folder being swapped in.
    if any(part.startswith(".") or "\\" in part or "\0" in part for part in parts):
        return None
    path = os.path.join(out_dir, *parts)
    if os.path.isdir(path):
        if not url_path.endswith("/"):
            return _Redirect(url_path + "/")
        path = os.path.join(path, "index.html")
    return path if os.path.isfile(path) else None


def _read_tagged(path: str) -> tuple[bytes, str] | None:
    """The file's bytes and an entity tag of this very file.

    The output changes only by whole files renamed into place (and an unchanged
    file is not written again), so its inode, time and size name its content.
    """
    try:
        with open(path, "rb") as f:
            stat = os.fstat(f.fileno())
            return f.read(), f'"{stat.st_ino:x}-{stat.st_mtime_ns:x}-{stat.st_size:x}"'
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError):  # replaced while we looked
        return None


def _etags(header: str | None) -> set[str]:
    """The tags of an If-None-Match header (weak ones compared as strong: the same file, whole)."""
    return {tag.strip().removeprefix("W/") for tag in (header or "").split(",") if tag.strip()}


def _read(path: str) -> bytes | None:
    try:
        with open(path, "rb") as f:
            return f.read()
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError):  # replaced while we looked
        return None


def content_type(path: str) -> str:
    ext = os.path.splitext(path)[1].lower()
    if ext.startswith(".pf_"):
        return "application/octet-stream"
    return _CONTENT_TYPES.get(ext) or mimetypes.guess_type(path)[0] or "application/octet-stream"


_HEAD_END = re.compile(rb"</head\s*>", re.IGNORECASE)
_BODY_END = re.compile(rb"</body\s*>", re.IGNORECASE)


def with_live_reload(html: bytes, build_id: str) -> bytes:
    """The page with the live-reload script added: a same-origin file, as the pages' CSP allows."""
    tag = f'<script src="{LIVE_SCRIPT}" data-build="{build_id}" defer></script>\n'.encode("ascii")
    for end in (_HEAD_END, _BODY_END):
        match = end.search(html)
        if match:
            return html[: match.start()] + tag + html[match.start() :]
    return html + tag
