#!/usr/bin/env python3
"""A forward HTTP proxy for nimbus_exporter's tests that counts what passes through it.

Usage: counting_proxy.py --port N        (binds 127.0.0.1, prints READY when listening)

Requests in absolute form (`POST http://127.0.0.1:5000/ HTTP/1.1`, as clients send them to an
http_proxy) are forwarded to their target, which must be a loopback address: anything else is
refused with 403 so a test can never reach outside the machine. `GET /_proxy/stats` (origin
form, addressed to the proxy itself) answers {"forwarded": N, "refused": M, "targets": {...}}.
CONNECT (HTTPS tunnelling) is refused: the tests use plain HTTP emulators.
"""
import argparse
import http.client
import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOCK = threading.Lock()
STATS = {"forwarded": 0, "refused": 0, "targets": {}}
HOP_BY_HOP = {"connection", "proxy-connection", "keep-alive", "transfer-encoding", "te", "trailer",
              "upgrade", "proxy-authorization", "proxy-authenticate"}


class Proxy(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def _answer(self, status, payload):
        body = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _handle(self):
        if self.path == "/_proxy/stats":
            with LOCK:
                return self._answer(200, STATS)
        target = urllib.parse.urlsplit(self.path)
        if target.scheme != "http" or target.hostname not in ("127.0.0.1", "localhost", "::1"):
            with LOCK:
                STATS["refused"] += 1
            return self._answer(403, {"error": "only loopback targets are forwarded"})
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
        connection = http.client.HTTPConnection(target.hostname, target.port or 80, timeout=30)
        path = target.path or "/"
        if target.query:
            path += "?" + target.query
        connection.request(self.command, path, body=body, headers=headers)
        response = connection.getresponse()
        payload = response.read()
        with LOCK:
            STATS["forwarded"] += 1
            key = f"{target.hostname}:{target.port}"
            STATS["targets"][key] = STATS["targets"].get(key, 0) + 1
        self.send_response(response.status)
        for name, value in response.getheaders():
            if name.lower() not in HOP_BY_HOP and name.lower() != "content-length":
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)
        connection.close()

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _handle

    def do_CONNECT(self):
        with LOCK:
            STATS["refused"] += 1
        self._answer(405, {"error": "CONNECT is not supported"})


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Proxy)
    server.daemon_threads = True
    print("READY", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
