#!/usr/bin/env python3
"""A loopback HTTP server that answers from a script and records what it was asked.

Tests drive it over HTTP:
  POST /_script    body: JSON list of responses, queued in order (replaces any left over).
                   Each response: {"status": 200, "headers": {"Name": "value"}, "body": "text",
                   "body_size": N (N bytes of "x" instead of body), "gzip": bool (compress
                   the body and send Content-Encoding: gzip), "chunked": bool (no
                   Content-Length), "delay": seconds to wait before answering}.
  GET  /_requests  JSON list of every other request: method, path, headers (names lowercased),
                   body (UTF-8 text) and body_length.
  POST /_reset     forgets the script and the recorded requests.
Once the script runs out every request gets 599 "script exhausted", a status no retry logic
treats as transient. Requests in absolute form (`GET http://host/path`) and CONNECT are
recorded like any other, so the server can stand in for a forward proxy.

Usage: scripted_http_server.py --port N   (prints READY once it is listening on 127.0.0.1)
"""

import argparse
import gzip
import json
import signal
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

EXHAUSTED = {"status": 599, "body": "script exhausted"}


class State:
    def __init__(self):
        self.lock = threading.Lock()
        self.script = []
        self.requests = []

    def next_response(self):
        with self.lock:
            return self.script.pop(0) if self.script else EXHAUSTED

    def record(self, entry):
        with self.lock:
            self.requests.append(entry)


STATE = State()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):
        pass

    def read_body(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            body = b""
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    # Trailer section ends with an empty line.
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return body
                body += self.rfile.read(size)
                self.rfile.readline()
        length = int(self.headers.get("Content-Length", "0") or "0")
        return self.rfile.read(length) if length > 0 else b""

    def send_bytes(self, status, headers, body, chunked=False):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        if chunked:
            self.send_header("Transfer-Encoding", "chunked")
        else:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command == "HEAD":
            return
        if chunked:
            step = 16384
            for offset in range(0, len(body), step):
                piece = body[offset:offset + step]
                self.wfile.write(b"%x\r\n" % len(piece) + piece + b"\r\n")
            self.wfile.write(b"0\r\n\r\n")
        else:
            self.wfile.write(body)

    def send_json(self, value):
        self.send_bytes(200, [("Content-Type", "application/json")], json.dumps(value).encode())

    def handle_any(self):
        body = self.read_body()
        if self.path == "/_script" and self.command == "POST":
            try:
                script = json.loads(body or b"[]")
                if not isinstance(script, list):
                    raise ValueError("the script must be a JSON list")
            except ValueError as error:
                self.send_bytes(400, [], str(error).encode())
                return
            with STATE.lock:
                STATE.script = list(script)
            self.send_json({"queued": len(script)})
            return
        if self.path == "/_requests" and self.command == "GET":
            with STATE.lock:
                recorded = list(STATE.requests)
            self.send_json(recorded)
            return
        if self.path == "/_reset" and self.command == "POST":
            with STATE.lock:
                STATE.script = []
                STATE.requests = []
            self.send_json({})
            return

        STATE.record({
            "method": self.command,
            "path": self.path,
            "headers": {name.lower(): value for name, value in self.headers.items()},
            "body": body.decode("utf-8", errors="replace"),
            "body_length": len(body),
        })
        answer = STATE.next_response()
        delay = float(answer.get("delay", 0))
        if delay > 0:
            time.sleep(delay)
        if "body_size" in answer:
            payload = b"x" * int(answer["body_size"])
        else:
            payload = str(answer.get("body", "")).encode()
        headers = list(answer.get("headers", {}).items())
        if answer.get("gzip"):
            payload = gzip.compress(payload)
            headers.append(("Content-Encoding", "gzip"))
        self.send_bytes(int(answer.get("status", 200)), headers, payload, bool(answer.get("chunked")))
        if self.command == "CONNECT":
            self.close_connection = True

    def handle_one_request(self):
        try:
            super().handle_one_request()
        except (BrokenPipeError, ConnectionResetError):
            # The client gave up (a timeout test); nothing to answer.
            self.close_connection = True

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = do_CONNECT = handle_any


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    # A test runner may start us with SIGTERM blocked (the mask is inherited across exec); without
    # this a polite stop would wait for its SIGKILL fallback.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    print("READY", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
