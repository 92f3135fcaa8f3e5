#!/usr/bin/env python3
"""A local stand-in for Microsoft Entra ID's v2 token endpoint, Azure Resource Manager's
`Resources - List` and `Metrics - List`, and the Azure Monitor metrics data plane's
`metrics:getBatch`, for the exporter's tests. Written from the public REST API references.
Python standard library only; listens on 127.0.0.1 only.

Usage:
    python3 Tests/Servers/azure_server.py --port N [--tenant T] [--client-id C]
        [--client-secret S] [--federated-token JWT] [--token-lifetime 3600]
        [--page-size 100] [--remaining-reads 11999]

Entra ID:
  POST /{tenant}/oauth2/v2.0/token  form: grant_type=client_credentials, client_id, scope, and
      either client_secret (checked against --client-secret) or
      client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer with
      client_assertion (checked against --federated-token, changeable through /_control/identity).
      Answers {"token_type": "Bearer", "expires_in": N, "access_token": "..."}; otherwise
      HTTP 400/401 {"error": "invalid_client" | "invalid_request" | ..., "error_description": "AADSTS..."}.
      The token remembers its scope: ARM wants https://management.azure.com/.default, the
      metrics data plane https://metrics.monitor.azure.com/.default.
ARM (Authorization: Bearer required, else 401 {"error": {"code": "InvalidAuthenticationToken"}}):
  GET /subscriptions/{sub}/resources?api-version=2021-04-01&$filter=resourceType eq 'T'
  GET /subscriptions/{sub}/resourceGroups/{rg}/resources?...
      {"value": [...], "nextLink": "<absolute URL>"} pages of --page-size resources.
  GET {resourceId}/providers/Microsoft.Insights/metrics?api-version=2018-01-01&metricnames=..
      &aggregation=..&interval=PT1M&timespan=start/end[&metricnamespace=..]
      {"cost", "timespan", "interval", "namespace", "resourceregion", "value": [metric]}; only
      data points inside the timespan, only the asked-for aggregations.
  Every ARM answer carries x-ms-ratelimit-remaining-subscription-reads (decremented per ARM
  call) and x-ms-ratelimit-remaining-subscription-resource-requests.
Metrics data plane:
  POST [/regional/{region}]/subscriptions/{sub}/metrics:getBatch?api-version=2023-10-01
      &metricnamespace=..&metricnames=..&aggregation=..&interval=..&starttime=..&endtime=..
      body {"resourceids": [...]}: at most 50 ids (else 400), all of that subscription.
      {"values": [{"starttime", "endtime", "interval", "namespace", "resourceregion",
      "resourceid", "value": [metric]}]}.

Control endpoints (no auth):
  POST /_control/resources  {"subscription": S, "resources": [{id, name, type, location, tags}]}
                            replaces that subscription's resources.
  POST /_control/metrics    {"resourceId": ID, "metrics": [{"name", "unit", "timeseries":
                            [{"metadatavalues": [...], "data": [{"secondsAgo": N | "timeStamp": T,
                            "average": ..}]}]}]}; secondsAgo is turned into a timestamp now.
  POST /_control/identity   {"federatedToken": JWT, "clientSecret": S} changes what is accepted.
  POST /_control/ratelimit  {"remainingReads": N}.
  POST /_control/fault      {"mode": "429" | "500" | "malformed", "count": N, "retryAfter": S,
                            "target": "resources" | "metrics" | "batch" | "token"}.
  POST /_control/revoke     forgets every issued token.
  GET  /_control/stats      {"requests", "tokenRequests", "resourceRequests", "metricsRequests",
                            "batchRequests", "batchSizes", "authFailures", "faultsInjected",
                            "tokensIssued", "tokenGrants" (each grant: grant_type, scope,
                            client_assertion_type, client_id), "queries"}.
"""

import argparse
import json
import re
import secrets
import threading
import time
import urllib.parse
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
MANAGEMENT_SCOPE = "https://management.azure.com/.default"
METRICS_SCOPE = "https://metrics.monitor.azure.com/.default"
AGGREGATIONS = ["average", "minimum", "maximum", "total", "count"]
TOKEN_PATH = re.compile(r"^/([^/]+)/oauth2/v2\.0/token$")
LIST_PATH = re.compile(r"^/subscriptions/([^/]+)(?:/resourceGroups/([^/]+))?/resources$", re.I)
METRICS_PATH = re.compile(r"^(/subscriptions/.+)/providers/Microsoft\.Insights/metrics$", re.I)
BATCH_PATH = re.compile(r"^(?:/regional/([^/]+))?/subscriptions/([^/]+)/metrics:getBatch$", re.I)


def iso(seconds):
    return datetime.fromtimestamp(seconds, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_iso(text):
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc).timestamp()


class State:
    def __init__(self, options):
        self.options = options
        self.lock = threading.Lock()
        self.tokens = {}  # token -> (expiry, scope)
        self.resources = {}  # subscription -> list
        self.metrics = {}  # lower-cased resource id -> list of metrics
        self.secret = options.client_secret
        self.federated = options.federated_token
        self.remaining_reads = options.remaining_reads
        self.fault = None
        self.stats = {"requests": 0, "tokenRequests": 0, "resourceRequests": 0, "metricsRequests": 0,
                      "batchRequests": 0, "batchSizes": [], "authFailures": 0, "faultsInjected": 0,
                      "tokensIssued": 0, "tokenGrants": [], "queries": []}

    def count(self, name):
        with self.lock:
            self.stats[name] += 1

    def take_fault(self, target):
        with self.lock:
            fault = self.fault
            if not fault or fault.get("target", "resources") != target or fault.get("count", 0) <= 0:
                return None
            fault["count"] -= 1
            self.stats["faultsInjected"] += 1
            return dict(fault)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    state = None

    def log_message(self, *args):
        pass

    def body(self):
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def send(self, status, payload, headers=None, raw=None):
        data = raw if raw is not None else json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def arm_error(self, status, code, message, headers=None):
        self.send(status, {"error": {"code": code, "message": message}}, headers)

    def fault(self, target, headers=None):
        """Answers with an injected fault and returns True, or returns False."""
        fault = self.state.take_fault(target)
        if not fault:
            return False
        headers = dict(headers or {})
        if fault["mode"] == "429":
            if fault.get("retryAfter") is not None:
                headers["Retry-After"] = str(fault["retryAfter"])
            self.arm_error(429, "TooManyRequests", "Rate limit exceeded", headers)
        elif fault["mode"] == "500":
            self.arm_error(500, "InternalServerError", "Injected failure", headers)
        else:
            self.send(200, None, headers, raw=b'{"value": [{"id": "/subscriptions/x", "name": ')
        return True

    def bearer_scope(self):
        """The scope of a valid bearer token, or None after answering 401."""
        header = self.headers.get("Authorization", "")
        token = header[7:] if header.startswith("Bearer ") else None
        with self.state.lock:
            entry = self.state.tokens.get(token) if token else None
        if not entry or entry[0] <= time.time():
            self.state.count("authFailures")
            self.arm_error(401, "InvalidAuthenticationToken", "The access token is missing, invalid or expired.")
            return None
        return entry[1]

    def ratelimit_headers(self):
        with self.state.lock:
            self.state.remaining_reads = max(0, self.state.remaining_reads - 1)
            reads = self.state.remaining_reads
        return {"x-ms-ratelimit-remaining-subscription-reads": str(reads),
                "x-ms-ratelimit-remaining-subscription-resource-requests": "249"}

    # --- routing -------------------------------------------------------------------------

    def do_GET(self):
        self.state.count("requests")
        url = urllib.parse.urlsplit(self.path)
        query = urllib.parse.parse_qs(url.query, keep_blank_values=True)
        if url.path == "/_control/stats":
            with self.state.lock:
                return self.send(200, self.state.stats)
        if LIST_PATH.match(url.path):
            return self.list_resources(url, query)
        match = METRICS_PATH.match(url.path)
        if match:
            return self.resource_metrics(urllib.parse.unquote(match.group(1)), query)
        self.arm_error(404, "NotFound", "no such path")

    def do_POST(self):
        self.state.count("requests")
        url = urllib.parse.urlsplit(self.path)
        query = urllib.parse.parse_qs(url.query, keep_blank_values=True)
        body = self.body()
        if url.path.startswith("/_control/"):
            return self.control(url.path, body)
        match = TOKEN_PATH.match(url.path)
        if match:
            return self.token(match.group(1), body)
        match = BATCH_PATH.match(url.path)
        if match:
            return self.batch(match.group(2), query, body)
        self.arm_error(404, "NotFound", "no such path")

    # --- Entra ID --------------------------------------------------------------------------

    def token(self, tenant, body):
        self.state.count("tokenRequests")
        if self.fault("token"):
            return
        form = {k: v[0] for k, v in urllib.parse.parse_qs(body.decode(errors="replace")).items()}
        with self.state.lock:
            self.state.stats["tokenGrants"].append({
                "tenant": tenant, "grant_type": form.get("grant_type"), "scope": form.get("scope"),
                "client_id": form.get("client_id"), "client_assertion_type": form.get("client_assertion_type"),
                "content_type": self.headers.get("Content-Type")})
        options = self.state.options
        if form.get("grant_type") != "client_credentials":
            return self.send(400, {"error": "unsupported_grant_type", "error_description": "AADSTS70003: unsupported grant"})
        if options.tenant and tenant != options.tenant:
            return self.send(400, {"error": "invalid_request", "error_description": "AADSTS90002: Tenant not found."})
        if options.client_id and form.get("client_id") != options.client_id:
            return self.send(400, {"error": "unauthorized_client", "error_description": "AADSTS700016: Application not found."})
        scope = form.get("scope")
        if scope not in (MANAGEMENT_SCOPE, METRICS_SCOPE):
            return self.send(400, {"error": "invalid_scope", "error_description": "AADSTS70011: invalid scope."})
        if "client_assertion" in form:
            if form.get("client_assertion_type") != ASSERTION_TYPE:
                return self.send(400, {"error": "invalid_request", "error_description": "AADSTS50027: invalid assertion type."})
            if self.state.federated is None or form["client_assertion"] != self.state.federated:
                return self.send(401, {"error": "invalid_client", "error_description": "AADSTS700211: No matching federated identity record found."})
        elif "client_secret" in form:
            if self.state.secret is None or form["client_secret"] != self.state.secret:
                return self.send(401, {"error": "invalid_client", "error_description": "AADSTS7000215: Invalid client secret provided."})
        else:
            return self.send(400, {"error": "invalid_request", "error_description": "AADSTS7000218: client_assertion or client_secret required."})
        token = "eyJ0eXAi." + secrets.token_urlsafe(32)
        lifetime = options.token_lifetime
        with self.state.lock:
            self.state.tokens[token] = (time.time() + lifetime, scope)
            self.state.stats["tokensIssued"] += 1
        self.send(200, {"token_type": "Bearer", "expires_in": lifetime, "ext_expires_in": lifetime, "access_token": token})

    # --- ARM -----------------------------------------------------------------------------

    def list_resources(self, url, query):
        self.state.count("resourceRequests")
        scope = self.bearer_scope()
        if scope is None:
            return
        headers = self.ratelimit_headers()
        if scope != MANAGEMENT_SCOPE:
            return self.arm_error(401, "InvalidAuthenticationToken", "wrong audience", headers)
        if self.fault("resources", headers):
            return
        if query.get("api-version", [""])[0] != "2021-04-01":
            return self.arm_error(400, "InvalidApiVersionParameter", "unsupported api-version", headers)
        match = LIST_PATH.match(url.path)
        subscription, group = match.group(1), match.group(2)
        items = list(self.state.resources.get(subscription, []))
        if group:
            items = [r for r in items if f"/resourcegroups/{group.lower()}/" in r["id"].lower()]
        type_filter = query.get("$filter", [""])[0]
        if type_filter:
            found = re.fullmatch(r"resourceType eq '([^']+)'", type_filter)
            if not found:
                return self.arm_error(400, "InvalidFilterInQueryString", "unsupported $filter", headers)
            items = [r for r in items if r.get("type", "").lower() == found.group(1).lower()]
        skip = int(query.get("$skiptoken", ["0"])[0] or 0)
        size = self.state.options.page_size
        page = {"value": items[skip:skip + size]}
        if skip + size < len(items):
            params = {"api-version": "2021-04-01", "$skiptoken": str(skip + size)}
            if type_filter:
                params["$filter"] = type_filter
            host = self.headers.get("Host")
            page["nextLink"] = f"http://{host}{url.path}?" + urllib.parse.urlencode(params, quote_via=urllib.parse.quote)
        with self.state.lock:
            self.state.stats["queries"].append({"api": "resources", "path": url.path, "query": query})
        self.send(200, page, headers)

    def select(self, metrics, names, aggregations, start, end):
        """The seeded metrics asked for, with only the points and aggregations asked for."""
        wanted = [name.lower() for name in names]
        chosen = []
        for metric in metrics:
            if metric["name"].lower() not in wanted:
                continue
            series = []
            for entry in metric.get("timeseries", []):
                data = []
                for point in entry.get("data", []):
                    stamp = parse_iso(point["timeStamp"])
                    if start <= stamp <= end:
                        data.append({"timeStamp": point["timeStamp"],
                                     **{k: v for k, v in point.items() if k in aggregations}})
                series.append({"metadatavalues": entry.get("metadatavalues", []), "data": data})
            chosen.append({"id": metric.get("id", ""), "type": "Microsoft.Insights/metrics",
                           "name": {"value": metric["name"], "localizedValue": metric["name"]},
                           "unit": metric.get("unit", "Count"), "timeseries": series, "errorCode": "Success"})
        return chosen

    def metric_query(self, query, api):
        names = [n for n in query.get("metricnames", [""])[0].split(",") if n]
        aggregations = [a.lower() for a in query.get("aggregation", ["average"])[0].split(",") if a]
        if not names or any(a not in AGGREGATIONS for a in aggregations):
            raise ValueError("metricnames and aggregation are required")
        if query.get("interval", ["PT1M"])[0] not in ("PT1M", "PT5M", "PT15M", "PT30M", "PT1H", "PT6H", "PT12H", "P1D"):
            raise ValueError("unsupported interval")
        with self.state.lock:
            self.state.stats["queries"].append({"api": api, "query": query})
        return names, aggregations

    def resource_metrics(self, resource_id, query):
        self.state.count("metricsRequests")
        scope = self.bearer_scope()
        if scope is None:
            return
        headers = self.ratelimit_headers()
        if self.fault("metrics", headers):
            return
        if query.get("api-version", [""])[0] != "2018-01-01":
            return self.arm_error(400, "InvalidApiVersionParameter", "unsupported api-version", headers)
        try:
            names, aggregations = self.metric_query(query, "metrics")
            start_text, end_text = query["timespan"][0].split("/")
            start, end = parse_iso(start_text), parse_iso(end_text)
        except (KeyError, ValueError) as problem:
            return self.arm_error(400, "BadRequest", str(problem), headers)
        metrics = self.state.metrics.get(resource_id.lower(), [])
        self.send(200, {"cost": 0, "timespan": query["timespan"][0], "interval": query.get("interval", ["PT1M"])[0],
                        "namespace": query.get("metricnamespace", [""])[0], "resourceregion": "westeurope",
                        "value": self.select(metrics, names, aggregations, start, end)}, headers)

    # --- metrics data plane ------------------------------------------------------------------

    def batch(self, subscription, query, body):
        self.state.count("batchRequests")
        scope = self.bearer_scope()
        if scope is None:
            return
        if scope != METRICS_SCOPE:
            return self.arm_error(401, "InvalidAuthenticationToken", "the token's audience is not the metrics data plane")
        if self.fault("batch"):
            return
        try:
            ids = json.loads(body or b"{}")["resourceids"]
            names, aggregations = self.metric_query(query, "batch")
            start, end = parse_iso(query["starttime"][0]), parse_iso(query["endtime"][0])
            if query.get("api-version", [""])[0] != "2023-10-01" or not query.get("metricnamespace", [""])[0]:
                raise ValueError("api-version 2023-10-01 and metricnamespace are required")
        except (KeyError, ValueError, TypeError) as problem:
            return self.arm_error(400, "BadRequest", str(problem))
        with self.state.lock:
            self.state.stats["batchSizes"].append(len(ids))
        if not ids or len(ids) > 50:
            return self.arm_error(400, "BadRequest", "between 1 and 50 resource ids are allowed per call")
        if any(not i.lower().startswith(f"/subscriptions/{subscription.lower()}/") for i in ids):
            return self.arm_error(400, "BadRequest", "every resource must be in the subscription of the call")
        values = []
        for resource_id in ids:
            values.append({"starttime": query["starttime"][0], "endtime": query["endtime"][0],
                           "interval": query.get("interval", ["PT1M"])[0],
                           "namespace": query["metricnamespace"][0], "resourceregion": "westeurope",
                           # The service answers with lower-cased ids.
                           "resourceid": resource_id.lower(),
                           "value": self.select(self.state.metrics.get(resource_id.lower(), []), names,
                                                aggregations, start, end)})
        self.send(200, {"values": values})

    # --- control ---------------------------------------------------------------------------

    def control(self, path, body):
        payload = json.loads(body or b"null")
        state = self.state
        with state.lock:
            if path == "/_control/resources":
                state.resources[payload["subscription"]] = payload["resources"]
                return self.send(200, {"resources": len(payload["resources"])})
            if path == "/_control/metrics":
                now = time.time()
                metrics = payload["metrics"]
                for metric in metrics:
                    for entry in metric.get("timeseries", []):
                        for point in entry.get("data", []):
                            if "secondsAgo" in point:
                                point["timeStamp"] = iso(now - point.pop("secondsAgo"))
                state.metrics[payload["resourceId"].lower()] = metrics
                return self.send(200, {"metrics": len(metrics)})
            if path == "/_control/identity":
                state.federated = payload.get("federatedToken", state.federated)
                state.secret = payload.get("clientSecret", state.secret)
                return self.send(200, {})
            if path == "/_control/ratelimit":
                state.remaining_reads = int(payload["remainingReads"])
                return self.send(200, {})
            if path == "/_control/fault":
                state.fault = payload
                return self.send(200, {})
            if path == "/_control/revoke":
                state.tokens.clear()
                return self.send(200, {})
        self.send(404, {"error": "no such control endpoint"})


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--tenant")
    parser.add_argument("--client-id")
    parser.add_argument("--client-secret")
    parser.add_argument("--federated-token")
    parser.add_argument("--token-lifetime", type=int, default=3599)
    parser.add_argument("--page-size", type=int, default=100)
    parser.add_argument("--remaining-reads", type=int, default=11999)
    options = parser.parse_args()
    Handler.state = State(options)
    server = ThreadingHTTPServer(("127.0.0.1", options.port), Handler)
    print(f"listening on http://127.0.0.1:{options.port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
