#!/usr/bin/env python3
"""A local stand-in for Google's OAuth token endpoint, the GCE metadata server and Cloud
Monitoring v3 `projects.timeSeries.list`, for the exporter's tests. Written from the public
references ("Using OAuth 2.0 for Server to Server Applications", the Compute Engine metadata
server docs, and the Cloud Monitoring API v3 REST reference). Python standard library only;
JWT signatures are checked with `openssl dgst -sha256 -verify`. Listens on 127.0.0.1 only.

Usage:
    python3 Tests/Servers/gcp_server.py --port N --public-key PUB.pem
        [--audience URL] [--client-email EMAIL] [--token-lifetime 3600]

The first line on stdout is `listening on http://127.0.0.1:PORT`.

Google's side:
  POST /token  form: grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&assertion=JWT.
      The JWT must be RS256, signed by the key matching --public-key, with iss (equal to
      --client-email when given), scope, aud (equal to --audience, default this server's
      /token URL), iat not in the future (60 s leeway) and exp after now, at most an hour after
      iat. Answers {"access_token": "ya29.<random>", "expires_in": N, "token_type": "Bearer"};
      otherwise HTTP 400 {"error": "invalid_grant" | "unsupported_grant_type" |
      "invalid_request", "error_description": "..."}.
  GET /computeMetadata/v1/instance/service-accounts/default/token
      Needs `Metadata-Flavor: Google` (HTTP 403 otherwise, and for requests carrying
      X-Forwarded-For); answers the same token JSON.
  GET /v3/projects/{project}/timeSeries
      Needs `Authorization: Bearer <token issued here and not expired>` (HTTP 401
      UNAUTHENTICATED otherwise). Parameters: filter (required), interval.startTime,
      interval.endTime (required, RFC 3339), aggregation.alignmentPeriod ("60s"),
      aggregation.perSeriesAligner (ALIGN_*), pageSize, pageToken. The filter understands
      `metric.type = "T"`, `metric.type = starts_with("P")`, `resource.type = "T"`,
      `metric.labels.K = "V"` and `resource.labels.K = "V"` joined by AND. Only points whose
      endTime lies in [startTime, endTime] are returned; series left without points are left
      out. Aggregation parameters are validated and recorded, not applied. Errors use
      Google's shape {"error": {"code", "message", "status"}}.
  GET /compute/v1/projects/{project}/aggregated/instances
      Compute Engine `instances.aggregatedList`: the same bearer token rule; maxResults
      (default 500, or the seeded pageSize when smaller) and pageToken. Answers
      {"items": {"zones/Z": {"instances": [...]}, "zones/empty-zone": {"warning": {...}}},
      "nextPageToken"?}, instances grouped by the last segment of their `zone` URL.

Control endpoints (no auth):
  POST /_control/instances {"instances": [...], "project": "p", "pageSize": N}: replaces that
                         project's Compute Engine instances (the API's own shape: id, name,
                         zone and machineType URLs, status, labels).
  POST /_control/series  JSON list of TimeSeries (the API's own shape) or
                         {"timeSeries": [...], "project": "p", "replace": true}; default
                         project "test-project". Answers {"series": total}.
  POST /_control/fault   {"mode": "429" | "500" | "malformed", "count": N, "retryAfter": S,
                         "target": "timeSeries" | "token" | "metadata" | "instances"}: the next N requests to
                         that endpoint (default timeSeries) fail that way (429 with
                         `Retry-After: S` when given; malformed = HTTP 200 with cut-off JSON).
  POST /_control/revoke  forgets every issued token.
  GET  /_control/stats   {"requests", "tokenRequests", "metadataRequests",
                         "timeSeriesRequests", "computeRequests", "authFailures", "faultsInjected",
                         "tokensIssued", "lastTokenRequest" (content type, grant_type, the JWT's
                         header and claims), "queries" (each timeSeries request's parameters)}.
"""

import argparse
import base64
import json
import os
import re
import secrets
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

GRANT_TYPE = "urn:ietf:params:oauth:grant-type:jwt-bearer"
METADATA_TOKEN_PATH = "/computeMetadata/v1/instance/service-accounts/default/token"
TIME_SERIES_PATH = re.compile(r"^/v3/projects/([^/]+)/timeSeries$")
INSTANCES_PATH = re.compile(r"^/compute/v1/projects/([^/]+)/aggregated/instances$")


class State:
    def __init__(self, options):
        self.options = options
        self.lock = threading.Lock()
        self.tokens = {}  # token -> expiry (epoch seconds)
        self.series = {}  # project -> list of series
        self.instances = {}  # project -> (list of instances, page size)
        self.fault = None
        self.stats = {
            "requests": 0, "tokenRequests": 0, "metadataRequests": 0, "timeSeriesRequests": 0, "computeRequests": 0,
            "authFailures": 0, "faultsInjected": 0, "tokensIssued": 0,
            "lastTokenRequest": None, "queries": [],
        }

    def count(self, name):
        with self.lock:
            self.stats[name] += 1

    def issue_token(self):
        token = "ya29." + secrets.token_urlsafe(32)
        with self.lock:
            self.tokens[token] = time.time() + self.options.token_lifetime
            self.stats["tokensIssued"] += 1
        return {"access_token": token, "expires_in": self.options.token_lifetime, "token_type": "Bearer"}

    def token_valid(self, token):
        with self.lock:
            expiry = self.tokens.get(token)
        return expiry is not None and expiry > time.time()

    def take_fault(self, target):
        with self.lock:
            fault = self.fault
            if not fault or fault.get("target", "timeSeries") != target or fault.get("count", 0) <= 0:
                return None
            fault["count"] -= 1
            self.stats["faultsInjected"] += 1
            return dict(fault)


def b64url_decode(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def verify_rs256(public_key, signing_input, signature):
    """True when openssl accepts the signature over signing_input."""
    with tempfile.NamedTemporaryFile(delete=False) as handle:
        handle.write(signature)
        signature_path = handle.name
    try:
        result = subprocess.run(
            ["openssl", "dgst", "-sha256", "-verify", public_key, "-signature", signature_path],
            input=signing_input, capture_output=True, timeout=20)
        return result.returncode == 0
    finally:
        os.unlink(signature_path)


def parse_rfc3339(text):
    if text is None:
        return None
    match = re.fullmatch(r"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})", text)
    if not match:
        raise ValueError(text)
    base = datetime.strptime(match.group(1), "%Y-%m-%dT%H:%M:%S")
    zone = match.group(3)
    offset = 0
    if zone != "Z":
        sign = 1 if zone[0] == "+" else -1
        offset = sign * (int(zone[1:3]) * 3600 + int(zone[4:6]) * 60)
    seconds = base.replace(tzinfo=timezone.utc).timestamp() - offset
    return seconds + (float(match.group(2)) if match.group(2) else 0.0)


FILTER_TERM = re.compile(
    r'\s*(metric\.type|resource\.type|metric\.labels\.[A-Za-z0-9_.]+|resource\.labels\.[A-Za-z0-9_.]+)'
    r'\s*=\s*(?:"([^"]*)"|starts_with\(\s*"([^"]*)"\s*\))\s*')


def parse_filter(text):
    """A list of (field, value, is_prefix); raises ValueError for what it does not understand."""
    terms = []
    for part in re.split(r"\s+AND\s+", text.strip()):
        match = FILTER_TERM.fullmatch(part)
        if not match:
            raise ValueError(part)
        prefix = match.group(3) is not None
        terms.append((match.group(1), match.group(3) if prefix else match.group(2), prefix))
    return terms


def field_value(series, field):
    if field == "metric.type":
        return series.get("metric", {}).get("type")
    if field == "resource.type":
        return series.get("resource", {}).get("type")
    scope, _, label = field.split(".", 2)
    return series.get(scope, {}).get("labels", {}).get(label)


def matches(series, terms):
    for field, value, prefix in terms:
        actual = field_value(series, field)
        if actual is None or (not actual.startswith(value) if prefix else actual != value):
            return False
    return True


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    state = None

    def log_message(self, *args):
        pass

    # --- plumbing -------------------------------------------------------------------------

    def body(self):
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def send(self, status, payload, headers=None, raw=None):
        data = raw if raw is not None else json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=UTF-8")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def google_error(self, code, status, message, headers=None):
        self.send(code, {"error": {"code": code, "message": message, "status": status}}, headers)

    def oauth_error(self, error, description):
        self.send(400, {"error": error, "error_description": description})

    def apply_fault(self, target):
        fault = self.state.take_fault(target)
        if not fault:
            return False
        mode = str(fault.get("mode"))
        if mode == "429":
            headers = {}
            if fault.get("retryAfter") is not None:
                headers["Retry-After"] = str(fault["retryAfter"])
            self.google_error(429, "RESOURCE_EXHAUSTED", "Quota exceeded (injected).", headers)
        elif mode == "500":
            self.google_error(500, "INTERNAL", "Internal error (injected).")
        else:
            self.send(200, None, raw=b'{"timeSeries": [{"metric": {"type": "cut')
        return True

    # --- routing --------------------------------------------------------------------------

    def do_GET(self):
        self.state.count("requests")
        url = urllib.parse.urlsplit(self.path)
        if url.path == "/_control/stats":
            with self.state.lock:
                return self.send(200, self.state.stats)
        if url.path == METADATA_TOKEN_PATH:
            return self.metadata_token()
        match = TIME_SERIES_PATH.match(url.path)
        if match:
            return self.time_series(urllib.parse.unquote(match.group(1)), url.query)
        match = INSTANCES_PATH.match(url.path)
        if match:
            return self.aggregated_instances(urllib.parse.unquote(match.group(1)), url.query)
        self.google_error(404, "NOT_FOUND", "no such path")

    def do_POST(self):
        self.state.count("requests")
        url = urllib.parse.urlsplit(self.path)
        body = self.body()
        if url.path == "/token":
            return self.token(body)
        if url.path.startswith("/_control/"):
            return self.control(url.path, body)
        self.google_error(404, "NOT_FOUND", "no such path")

    # --- OAuth ----------------------------------------------------------------------------

    def token(self, body):
        self.state.count("tokenRequests")
        content_type = self.headers.get("Content-Type", "")
        form = urllib.parse.parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
        record = {"contentType": content_type, "grant_type": form.get("grant_type", [None])[0],
                  "jwtHeader": None, "jwtClaims": None}
        with self.state.lock:
            self.state.stats["lastTokenRequest"] = record
        if self.apply_fault("token"):
            return
        if not content_type.startswith("application/x-www-form-urlencoded"):
            return self.oauth_error("invalid_request", "expected a form-encoded body")
        if record["grant_type"] != GRANT_TYPE:
            return self.oauth_error("unsupported_grant_type", "Invalid grant_type.")
        assertion = form.get("assertion", [""])[0]
        parts = assertion.split(".")
        if len(parts) != 3:
            return self.oauth_error("invalid_grant", "Invalid JWT: not three parts.")
        try:
            header = json.loads(b64url_decode(parts[0]))
            claims = json.loads(b64url_decode(parts[1]))
            signature = b64url_decode(parts[2])
        except ValueError:
            return self.oauth_error("invalid_grant", "Invalid JWT: undecodable.")
        record["jwtHeader"], record["jwtClaims"] = header, claims
        if header.get("alg") != "RS256" or header.get("typ", "JWT") != "JWT":
            return self.oauth_error("invalid_grant", "Invalid JWT: alg must be RS256.")
        if not verify_rs256(self.state.options.public_key, (parts[0] + "." + parts[1]).encode(), signature):
            return self.oauth_error("invalid_grant", "Invalid JWT Signature.")
        options = self.state.options
        audience = options.audience or f"http://127.0.0.1:{self.server.server_address[1]}/token"
        now = time.time()
        if not isinstance(claims.get("iss"), str) or (options.client_email and claims["iss"] != options.client_email):
            return self.oauth_error("invalid_grant", "Invalid JWT: iss.")
        if claims.get("aud") != audience:
            return self.oauth_error("invalid_grant", "Invalid JWT: Token must be a short-lived token and in a reasonable timeframe (aud).")
        if not isinstance(claims.get("scope"), str) or not claims["scope"]:
            return self.oauth_error("invalid_scope", "Invalid JWT: no scope.")
        iat, exp = claims.get("iat"), claims.get("exp")
        if not isinstance(iat, int) or not isinstance(exp, int) or iat > now + 60 or exp <= now or exp - iat > 3600:
            return self.oauth_error("invalid_grant", "Invalid JWT: Token must be a short-lived token and in a reasonable timeframe.")
        self.send(200, self.state.issue_token())

    def metadata_token(self):
        self.state.count("metadataRequests")
        if self.headers.get("Metadata-Flavor") != "Google" or self.headers.get("X-Forwarded-For"):
            return self.send(403, None, raw=b"Missing Metadata-Flavor:Google header.")
        if self.apply_fault("metadata"):
            return
        self.send(200, self.state.issue_token(), {"Metadata-Flavor": "Google"})

    # --- Cloud Monitoring -----------------------------------------------------------------

    def time_series(self, project, query):
        self.state.count("timeSeriesRequests")
        params = {key: values[-1] for key, values in urllib.parse.parse_qs(query, keep_blank_values=True).items()}
        with self.state.lock:
            self.state.stats["queries"].append(dict(params, project=project))
        authorization = self.headers.get("Authorization", "")
        if not authorization.startswith("Bearer ") or not self.state.token_valid(authorization[7:]):
            self.state.count("authFailures")
            return self.google_error(401, "UNAUTHENTICATED", "Request had invalid authentication credentials.",
                                     {"WWW-Authenticate": 'Bearer realm="https://accounts.google.com/"'})
        if self.apply_fault("timeSeries"):
            return
        if "filter" not in params:
            return self.google_error(400, "INVALID_ARGUMENT", "Field filter had an invalid value: must be set.")
        try:
            terms = parse_filter(params["filter"])
        except ValueError as error:
            return self.google_error(400, "INVALID_ARGUMENT", f"Could not parse filter near {error}.")
        try:
            end = parse_rfc3339(params.get("interval.endTime"))
            start = parse_rfc3339(params.get("interval.startTime")) if "interval.startTime" in params else end
        except ValueError as error:
            return self.google_error(400, "INVALID_ARGUMENT", f"Invalid interval time: {error}.")
        if end is None:
            return self.google_error(400, "INVALID_ARGUMENT", "Field interval.endTime had an invalid value: must be set.")
        if start > end:
            return self.google_error(400, "INVALID_ARGUMENT", "The start time must be before the end time.")
        period = params.get("aggregation.alignmentPeriod")
        if period is not None and not re.fullmatch(r"\d+(\.\d+)?s", period):
            return self.google_error(400, "INVALID_ARGUMENT", "Invalid aggregation.alignmentPeriod.")
        aligner = params.get("aggregation.perSeriesAligner")
        if aligner is not None and not aligner.startswith("ALIGN_"):
            return self.google_error(400, "INVALID_ARGUMENT", "Invalid aggregation.perSeriesAligner.")
        try:
            page_size = int(params.get("pageSize") or 100000)
        except ValueError:
            return self.google_error(400, "INVALID_ARGUMENT", "Invalid pageSize.")
        if page_size <= 0:
            page_size = 100000
        offset = 0
        if params.get("pageToken"):
            try:
                offset = int(b64url_decode(params["pageToken"]).decode().removeprefix("offset:"))
            except ValueError:
                return self.google_error(400, "INVALID_ARGUMENT", "Invalid page token.")
        selected = []
        with self.state.lock:
            candidates = list(self.state.series.get(project, []))
        for series in candidates:
            if not matches(series, terms):
                continue
            points = []
            for point in series.get("points", []):
                point_end = parse_rfc3339(point.get("interval", {}).get("endTime"))
                if point_end is not None and start <= point_end <= end:
                    points.append(point)
            if points:
                selected.append(dict(series, points=points))
        page = selected[offset:offset + page_size]
        answer = {"timeSeries": page} if page else {}
        if offset + page_size < len(selected):
            answer["nextPageToken"] = base64.urlsafe_b64encode(f"offset:{offset + page_size}".encode()).decode().rstrip("=")
        self.send(200, answer)

    # --- Compute Engine -------------------------------------------------------------------

    def aggregated_instances(self, project, query):
        self.state.count("computeRequests")
        params = {key: values[-1] for key, values in urllib.parse.parse_qs(query, keep_blank_values=True).items()}
        authorization = self.headers.get("Authorization", "")
        if not authorization.startswith("Bearer ") or not self.state.token_valid(authorization[7:]):
            self.state.count("authFailures")
            return self.google_error(401, "UNAUTHENTICATED", "Request had invalid authentication credentials.")
        if self.apply_fault("instances"):
            return
        with self.state.lock:
            instances, seeded_size = self.state.instances.get(project, ([], 500))
        try:
            page_size = min(int(params.get("maxResults") or 500), seeded_size)
            offset = int(b64url_decode(params["pageToken"]).decode().removeprefix("instances:")) if params.get("pageToken") else 0
        except ValueError:
            return self.google_error(400, "INVALID_ARGUMENT", "Invalid maxResults or pageToken.")
        items = {"zones/empty-zone": {"warning": {"code": "NO_RESULTS_ON_PAGE", "message": "There are no results for scope 'zones/empty-zone' on this page."}}}
        for instance in instances[offset:offset + page_size]:
            zone = str(instance.get("zone", "")).rsplit("/", 1)[-1]
            items.setdefault("zones/" + zone, {"instances": []})["instances"].append(instance)
        answer = {"kind": "compute#instanceAggregatedList", "items": items}
        if offset + page_size < len(instances):
            answer["nextPageToken"] = base64.urlsafe_b64encode(f"instances:{offset + page_size}".encode()).decode().rstrip("=")
        self.send(200, answer)

    # --- control --------------------------------------------------------------------------

    def control(self, path, body):
        try:
            payload = json.loads(body or b"null")
        except ValueError:
            return self.send(400, {"error": "control body is not JSON"})
        if path == "/_control/series":
            if isinstance(payload, list):
                payload = {"timeSeries": payload}
            project = payload.get("project", "test-project")
            with self.state.lock:
                if payload.get("replace"):
                    self.state.series[project] = []
                self.state.series.setdefault(project, []).extend(payload.get("timeSeries", []))
                total = len(self.state.series[project])
            return self.send(200, {"series": total})
        if path == "/_control/instances":
            project = payload.get("project", "test-project")
            with self.state.lock:
                self.state.instances[project] = (list(payload.get("instances", [])), int(payload.get("pageSize") or 500))
            return self.send(200, {"instances": len(payload.get("instances", []))})
        if path == "/_control/fault":
            with self.state.lock:
                self.state.fault = dict(payload or {})
            return self.send(200, {"ok": True})
        if path == "/_control/revoke":
            with self.state.lock:
                self.state.tokens.clear()
            return self.send(200, {"ok": True})
        self.send(404, {"error": "no such control path"})


def main(argv):
    parser = argparse.ArgumentParser(description="Local Google OAuth, metadata and Cloud Monitoring server.")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--public-key", required=True, help="PEM public key the JWTs must verify against")
    parser.add_argument("--audience", help="expected aud claim (default: this server's /token URL)")
    parser.add_argument("--client-email", help="expected iss claim")
    parser.add_argument("--token-lifetime", type=int, default=3600)
    options = parser.parse_args(argv)
    Handler.state = State(options)
    server = ThreadingHTTPServer(("127.0.0.1", options.port), Handler)
    server.daemon_threads = True
    print(f"listening on http://127.0.0.1:{server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main(sys.argv[1:])
