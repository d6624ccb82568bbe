"""A small HTTP server on 127.0.0.1 for the download tests (imported by name, not a fixture file).

It serves byte strings under paths, honours ``Range: bytes=N-``, records the Range header of each
request, and can misbehave on purpose: drop the connection after N bytes, or answer with a page.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Behaviour:
    files: dict[str, bytes] = field(default_factory=dict)
    pages: dict[str, bytes] = field(default_factory=dict)  # served as text/html
    drop_after: int | None = None  # the next full response stops after this many bytes
    ranges: list[str | None] = field(default_factory=list)  # Range header of every request
    paths: list[str] = field(default_factory=list)


class _Handler(BaseHTTPRequestHandler):
    behaviour: Behaviour

    def log_message(self, *args: object) -> None:  # keep the test output clean
        pass

    def do_GET(self) -> None:
        b = self.behaviour
        path = self.path.split("://", 1)[-1]  # a proxy request carries the absolute URL
        path = "/" + path.split("/", 1)[1] if "://" in self.path else path
        b.paths.append(self.path)
        b.ranges.append(self.headers.get("Range"))
        if path in b.pages:
            self._send(200, b.pages[path], "text/html; charset=utf-8")
            return
        data = b.files.get(path)
        if data is None:
            self._send(404, b"<html>not found</html>", "text/html")
            return
        start = 0
        header = self.headers.get("Range")
        if header and header.startswith("bytes=") and header.endswith("-"):
            start = int(header[6:-1])
        if start >= len(data) and start:
            self.send_response(416)
            self.send_header("Content-Range", f"bytes */{len(data)}")
            self.end_headers()
            return
        body = data[start:]
        self.send_response(206 if start else 200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("ETag", '"v1"')
        if start:
            self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
        self.end_headers()
        if b.drop_after is not None:
            cut, b.drop_after = b.drop_after, None
            self.wfile.write(body[:cut])
            self.wfile.flush()
            self.close_connection = True
            return
        self.wfile.write(body)

    def _send(self, code: int, body: bytes, kind: str) -> None:
        self.send_response(code)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class ModelServer:
    def __init__(self) -> None:
        self.behaviour = Behaviour()
        handler = type("Handler", (_Handler,), {"behaviour": self.behaviour})
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def __enter__(self) -> ModelServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
