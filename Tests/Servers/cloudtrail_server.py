#!/usr/bin/env python3
"""A local stand-in for AWS CloudTrail's LookupEvents, for the exporter's tests.

moto has no LookupEvents, so this server implements that one operation from the public
API reference (AWS CloudTrail API Reference, "LookupEvents"; shapes as in botocore's
data/cloudtrail/2013-11-01/service-2.json). It listens on 127.0.0.1 only.

Usage:
    python3 Tests/Servers/cloudtrail_server.py --port N [--events FILE.json]
        [--access-key test] [--secret-key test] [--session-token TOKEN]
        [--rate-limit 2] [--max-clock-skew 300] [--verbose]
    python3 Tests/Servers/cloudtrail_server.py --self-test

`--port 0` picks a free port. Either way the first line on stdout is
    listening on http://127.0.0.1:PORT
so a test can start the server and read its address.

The AWS side (POST /, protocol awsJson1.1):
  - `X-Amz-Target: com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents`,
    `Content-Type: application/x-amz-json-1.1`.
  - SigV4 is verified: the signature is recomputed with botocore over exactly the headers the
    request lists in SignedHeaders, with the request's own X-Amz-Date. Errors (HTTP 403):
    no Authorization header -> MissingAuthenticationTokenException; unknown access key, or a
    session token other than the configured one (when the key has one) ->
    UnrecognizedClientException; wrong signature, wrong service in the
    credential scope, a date out of the allowed skew or a body that does not match
    X-Amz-Content-SHA256 -> InvalidSignatureException.
  - Request members: StartTime/EndTime (epoch seconds, inclusive), LookupAttributes (at most
    one; keys EventId, EventName, ReadOnly, Username, ResourceType, ResourceName, EventSource,
    AccessKeyId), EventCategory ("insight" selects Insights events, otherwise management
    events), MaxResults (1..50, default 50), NextToken. Errors (HTTP 400):
    InvalidTimeRangeException, InvalidLookupAttributesException, InvalidMaxResultsException,
    InvalidNextTokenException (unknown, tampered, or issued for other parameters),
    InvalidEventCategoryException, SerializationException (body or member of the wrong type),
    UnknownOperationException.
  - Events come newest first (ties: the later added first). NextToken is opaque and signed;
    it marks the last event returned, so events added between pages do not shift the pages.
  - Rate limit: at most `--rate-limit` (default 2, the documented limit) LookupEvents calls
    in any one-second window per access key and region; beyond that HTTP 400
    {"__type":"ThrottlingException","message":"Rate exceeded"}. 0 switches it off.

Control endpoints for tests (not AWS; no signature needed):
  POST /_control/events   JSON list of events (or {"Events": [...]}) to add. Every member
                          is optional; defaults: EventId a new UUID, EventTime now (epoch
                          seconds), EventName DescribeInstances, EventSource
                          ec2.amazonaws.com, ReadOnly from the name (Describe/Get/List/Lookup
                          -> "true"), Username test-user, AccessKeyId AKIAIOSFODNN7EXAMPLE,
                          Resources [], EventCategory Management (or Insight). A member set to
                          null is left out of responses. CloudTrailEvent may be an object
                          (merged over a generated record) or a string (sent as is).
                          Answers {"added": N, "total": M}.
  GET  /_control/stats    {"requests", "served", "throttled", "authFailures", "clientErrors",
                          "faultsInjected", "events", "pendingFault", "lastRequest",
                          "recentRequests"}; a request entry holds target, accessKeyId,
                          region, params (the parsed body) and status.
  POST /_control/fault    {"mode": "http500"|"malformed"|"slow"|"throttle", "count": N,
                          "seconds": S}: the next N signed API requests fail that way
                          (malformed = HTTP 200 with a cut-off JSON body; slow = answer
                          normally after S seconds, default 2; throttle = ThrottlingException).
                          Replaces any pending fault; count 0 clears it.
  POST /_control/config   {"rateLimit": N} changes the rate limit.
  POST /_control/credentials {"accessKeyId", "secretAccessKey", "sessionToken"?} accepts one
                          more key pair (for example temporary credentials from moto's STS).
  POST /_control/reset    back to the start: the --events file's events only, counters zero,
                          no fault, rate limiter cleared, the command-line rate limit and keys.

Python 3 standard library plus botocore (for the signature), nothing else.
"""

import argparse
import base64
import collections
import datetime
import hashlib
import hmac
import http.server
import json
import os
import secrets
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest, HTTPHeaders
from botocore.credentials import Credentials

TARGET_PREFIX = "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101."
JSON_CONTENT_TYPE = "application/x-amz-json-1.1"
SERVICE = "cloudtrail"
LOOKUP_KEYS = {
    "EventId", "EventName", "ReadOnly", "Username",
    "ResourceType", "ResourceName", "EventSource", "AccessKeyId",
}
READ_ONLY_PREFIXES = ("Describe", "Get", "List", "Lookup")
RECENT_REQUESTS_KEPT = 100
MAX_BODY_BYTES = 1 << 20


class APIError(Exception):
    """An AWS-style error: HTTP status, `__type` and message."""

    def __init__(self, status, error_type, message):
        super().__init__(message)
        self.status = status
        self.error_type = error_type
        self.message = message


def client_error(error_type, message):
    return APIError(400, error_type, message)


def auth_error(error_type, message):
    return APIError(403, error_type, message)


# ---------------------------------------------------------------------------------------------
# Events


def is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def iso_time(epoch):
    moment = datetime.datetime.fromtimestamp(epoch, tz=datetime.timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def normalize_event(raw, now):
    """Fills an added event's defaults; raises ValueError naming what is wrong."""
    if not isinstance(raw, dict):
        raise ValueError("each event must be a JSON object")

    def text(name, default):
        value = raw.get(name, default)
        if value is not None and not isinstance(value, str):
            raise ValueError(f"{name} must be a string or null")
        return value

    event_time = raw.get("EventTime", now)
    if not is_number(event_time):
        raise ValueError("EventTime must be a number (epoch seconds)")
    name = text("EventName", "DescribeInstances")
    read_only = raw.get("ReadOnly")
    if read_only is None and "ReadOnly" not in raw:
        read_only = "true" if (name or "").startswith(READ_ONLY_PREFIXES) else "false"
    elif isinstance(read_only, bool):
        read_only = "true" if read_only else "false"
    elif read_only is not None and not isinstance(read_only, str):
        raise ValueError("ReadOnly must be a string, a boolean or null")
    resources = raw.get("Resources", [])
    if not isinstance(resources, list) or not all(isinstance(r, dict) for r in resources):
        raise ValueError("Resources must be a list of objects")
    category = raw.get("EventCategory", "Management")
    if category not in ("Management", "Insight"):
        raise ValueError('EventCategory must be "Management" or "Insight"')

    event = {
        "EventId": text("EventId", str(uuid.uuid4())),
        "EventName": name,
        "ReadOnly": read_only,
        "AccessKeyId": text("AccessKeyId", "AKIAIOSFODNN7EXAMPLE"),
        "EventTime": event_time,
        "EventSource": text("EventSource", "ec2.amazonaws.com"),
        "Username": text("Username", "test-user"),
        "Resources": [
            {k: v for k, v in r.items() if k in ("ResourceType", "ResourceName")}
            for r in resources
        ],
    }
    detail = raw.get("CloudTrailEvent")
    if isinstance(detail, str):
        event["CloudTrailEvent"] = detail
    elif detail is None or isinstance(detail, dict):
        record = generated_record(event, category)
        record.update(detail or {})
        event["CloudTrailEvent"] = json.dumps(record, separators=(",", ":"))
    else:
        raise ValueError("CloudTrailEvent must be an object or a string")
    return event, category


def generated_record(event, category):
    """A plausible CloudTrail record (the log file format) for an event."""
    return {
        "eventVersion": "1.08",
        "userIdentity": {
            "type": "IAMUser",
            "principalId": "AIDAEXAMPLEPRINCIPAL",
            "arn": f"arn:aws:iam::123456789012:user/{event['Username'] or 'unknown'}",
            "accountId": "123456789012",
            "accessKeyId": event["AccessKeyId"],
            "userName": event["Username"],
        },
        "eventTime": iso_time(event["EventTime"]),
        "eventSource": event["EventSource"],
        "eventName": event["EventName"],
        "awsRegion": "us-east-1",
        "sourceIPAddress": "192.0.2.10",
        "userAgent": "cloudtrail_server",
        "requestParameters": None,
        "responseElements": None,
        "requestID": str(uuid.uuid4()),
        "eventID": event["EventId"],
        "readOnly": event["ReadOnly"] == "true",
        "eventType": "AwsApiCall" if category == "Management" else "AwsCloudTrailInsight",
        "managementEvent": category == "Management",
        "recipientAccountId": "123456789012",
        "eventCategory": category,
    }


def attribute_matches(event, key, value):
    if key in ("ResourceType", "ResourceName"):
        return any(r.get(key) == value for r in event["Resources"])
    return event.get(key) == value


def wire_event(event):
    """The event as LookupEvents returns it: null members left out."""
    return {k: v for k, v in event.items() if v is not None}


class EventStore:
    """Events with an insertion number each, so equal times still have one order."""

    def __init__(self):
        self._lock = threading.Lock()
        self._events = []  # (sequence, category, event)
        self._next_sequence = 0

    def clear(self):
        with self._lock:
            self._events = []

    def add(self, raw_events):
        now = time.time()
        normalized = [normalize_event(raw, now) for raw in raw_events]  # all or nothing
        with self._lock:
            for event, category in normalized:
                self._events.append((self._next_sequence, category, event))
                self._next_sequence += 1
            return len(self._events)

    def count(self):
        with self._lock:
            return len(self._events)

    def lookup(self, query, after_cursor, limit):
        """Matching events newest first, starting after `after_cursor` (time, sequence)."""
        with self._lock:
            rows = [row for row in self._events if query.matches(row[1], row[2])]
        rows.sort(key=lambda row: (row[2]["EventTime"], row[0]), reverse=True)
        if after_cursor is not None:
            rows = [row for row in rows if (row[2]["EventTime"], row[0]) < after_cursor]
        page = rows[:limit]
        last = (page[-1][2]["EventTime"], page[-1][0]) if page else None
        return [row[2] for row in page], last, len(rows) > limit


# ---------------------------------------------------------------------------------------------
# LookupEvents request


class LookupQuery:
    """A validated LookupEvents request."""

    def __init__(self, params):
        if not isinstance(params, dict):
            raise client_error("SerializationException", "The request body must be a JSON object")
        self.start = self._time(params, "StartTime")
        self.end = self._time(params, "EndTime")
        if self.start is not None and self.end is not None and self.start > self.end:
            raise client_error("InvalidTimeRangeException",
                               "Start time must be before or equal to end time.")

        attributes = params.get("LookupAttributes")
        self.attribute = None
        if attributes is not None:
            if not isinstance(attributes, list):
                raise client_error("SerializationException", "LookupAttributes must be a list")
            if len(attributes) > 1:
                raise client_error("InvalidLookupAttributesException",
                                   "You cannot specify more than one lookup attribute.")
            if attributes:
                self.attribute = self._attribute(attributes[0])

        category = params.get("EventCategory")
        if category is not None and category != "insight":
            raise client_error("InvalidEventCategoryException",
                               f"The event category {category!r} is not valid.")
        self.category = "Insight" if category == "insight" else "Management"

        max_results = params.get("MaxResults", 50)
        if not isinstance(max_results, int) or isinstance(max_results, bool):
            raise client_error("SerializationException", "MaxResults must be an integer")
        if not 1 <= max_results <= 50:
            raise client_error("InvalidMaxResultsException",
                               f"MaxResults {max_results} is not within 1 to 50.")
        self.max_results = max_results

        token = params.get("NextToken")
        if token is not None and not isinstance(token, str):
            raise client_error("SerializationException", "NextToken must be a string")
        self.next_token = token

    @staticmethod
    def _time(params, name):
        value = params.get(name)
        if value is not None and not is_number(value):
            raise client_error("SerializationException",
                               f"{name} must be a timestamp in epoch seconds")
        return value

    @staticmethod
    def _attribute(attribute):
        if not isinstance(attribute, dict):
            raise client_error("SerializationException", "A lookup attribute must be an object")
        key = attribute.get("AttributeKey")
        value = attribute.get("AttributeValue")
        if key not in LOOKUP_KEYS:
            raise client_error("InvalidLookupAttributesException",
                               f"The attribute key {key!r} is not valid.")
        if not isinstance(value, str) or not 1 <= len(value) <= 2000:
            raise client_error("InvalidLookupAttributesException",
                               "AttributeValue must be a string of 1 to 2000 characters.")
        return key, value

    def matches(self, category, event):
        if category != self.category:
            return False
        if self.start is not None and event["EventTime"] < self.start:
            return False
        if self.end is not None and event["EventTime"] > self.end:
            return False
        return self.attribute is None or attribute_matches(event, *self.attribute)

    def fingerprint(self):
        """What a NextToken is bound to (MaxResults may change between pages)."""
        shape = [self.start, self.end, self.attribute and list(self.attribute), self.category]
        return hashlib.sha256(json.dumps(shape).encode()).hexdigest()[:16]


class TokenCodec:
    """Opaque NextTokens: a cursor and the query's fingerprint, signed with a process key."""

    def __init__(self):
        self._key = secrets.token_bytes(32)

    def _mac(self, payload):
        return hmac.new(self._key, payload, hashlib.sha256).hexdigest()[:32]

    def encode(self, cursor, fingerprint):
        payload = json.dumps({"t": cursor[0], "s": cursor[1], "q": fingerprint}).encode()
        return base64.urlsafe_b64encode(payload).decode() + "." + self._mac(payload)

    def decode(self, token, fingerprint):
        invalid = client_error("InvalidNextTokenException", "Invalid NextToken.")
        encoded, _, mac = token.partition(".")
        try:
            payload = base64.urlsafe_b64decode(encoded.encode())
        except (ValueError, TypeError):
            raise invalid from None
        if not hmac.compare_digest(mac, self._mac(payload)):
            raise invalid
        cursor = json.loads(payload)
        if cursor["q"] != fingerprint:
            raise client_error("InvalidNextTokenException",
                               "NextToken was issued for different request parameters.")
        return cursor["t"], cursor["s"]


# ---------------------------------------------------------------------------------------------
# Signature V4


class SignatureVerifier:
    """Checks SigV4 by recomputing the signature with botocore's signer pieces."""

    def __init__(self, max_clock_skew):
        self._lock = threading.Lock()
        self._keys = {}  # access key id -> (secret, session token or None)
        self.max_clock_skew = max_clock_skew

    def set_keys(self, keys):
        with self._lock:
            self._keys = dict(keys)

    def add_key(self, access_key, secret_key, token):
        with self._lock:
            self._keys[access_key] = (secret_key, token)

    def verify(self, method, path, headers, body):
        """Returns (access key, region) or raises APIError."""
        authorization = headers.get("Authorization")
        if not authorization:
            raise auth_error("MissingAuthenticationTokenException", "Missing Authentication Token")
        fields = self._parse_authorization(authorization)
        scope = fields["Credential"].split("/")
        if len(scope) != 5 or scope[4] != "aws4_request":
            raise auth_error("IncompleteSignatureException",
                             "Credential must have the form KEY/DATE/REGION/SERVICE/aws4_request.")
        access_key, scope_date, region, service, _ = scope
        with self._lock:
            known = self._keys.get(access_key)
        if known is None:
            raise auth_error("UnrecognizedClientException",
                             "The security token included in the request is invalid.")
        secret_key, expected_token = known
        if expected_token is not None and headers.get("X-Amz-Security-Token") != expected_token:
            raise auth_error("UnrecognizedClientException",
                             "The security token included in the request is invalid.")
        if service != SERVICE:
            raise auth_error("InvalidSignatureException",
                             f"Credential should be scoped to correct service: '{SERVICE}'.")

        amz_date = headers.get("X-Amz-Date", "")
        try:
            signed_at = datetime.datetime.strptime(amz_date, "%Y%m%dT%H%M%SZ").replace(
                tzinfo=datetime.timezone.utc)
        except ValueError:
            raise auth_error("IncompleteSignatureException",
                             "X-Amz-Date must be present as YYYYMMDDTHHMMSSZ.") from None
        if scope_date != amz_date[:8]:
            raise auth_error("InvalidSignatureException",
                             "Credential should be scoped to a valid date matching X-Amz-Date.")
        skew = abs(time.time() - signed_at.timestamp())
        if self.max_clock_skew > 0 and skew > self.max_clock_skew:
            raise auth_error("InvalidSignatureException",
                             f"Signature expired: {amz_date} is more than "
                             f"{self.max_clock_skew} seconds from the server time.")

        signed_names = [n for n in fields["SignedHeaders"].split(";") if n]
        if "host" not in signed_names:
            raise auth_error("InvalidSignatureException", "The host header must be signed.")
        content_sha = headers.get("X-Amz-Content-SHA256")
        if content_sha is not None and content_sha != "UNSIGNED-PAYLOAD" \
                and content_sha != hashlib.sha256(body).hexdigest():
            raise auth_error("InvalidSignatureException",
                             "X-Amz-Content-SHA256 does not match the request body.")

        expected = self._signature(method, path, headers, body, signed_names,
                                   Credentials(access_key, secret_key), region, amz_date)
        if not hmac.compare_digest(expected, fields["Signature"]):
            raise auth_error("InvalidSignatureException",
                             "The request signature we calculated does not match the signature "
                             "you provided. Check your AWS Secret Access Key and signing method.")
        return access_key, region

    @staticmethod
    def _parse_authorization(value):
        algorithm, _, rest = value.strip().partition(" ")
        if algorithm != "AWS4-HMAC-SHA256":
            raise auth_error("IncompleteSignatureException",
                             "Only AWS4-HMAC-SHA256 signatures are supported.")
        fields = {}
        for part in rest.split(","):
            name, _, field_value = part.strip().partition("=")
            fields[name] = field_value
        for required in ("Credential", "SignedHeaders", "Signature"):
            if not fields.get(required):
                raise auth_error("IncompleteSignatureException",
                                 f"Authorization header requires '{required}' parameter.")
        return fields

    @staticmethod
    def _signature(method, path, headers, body, signed_names, credentials, region, amz_date):
        signer = SigV4Auth(credentials, SERVICE, region)
        request = AWSRequest(method=method, url="http://" + headers.get("Host", "") + path,
                             data=body)
        request.context["timestamp"] = amz_date
        # Exactly the headers the client signed, whatever botocore itself would have chosen.
        signed = HTTPHeaders()
        for name in signed_names:
            values = headers.get_all(name) or []
            for value in values:
                signed[name] = value
            if not values:
                signed[name] = ""
        path_part, _, _ = path.partition("?")
        content_sha = headers.get("X-Amz-Content-SHA256")
        canonical = "\n".join([
            method.upper(),
            signer._normalize_url_path(path_part),
            signer.canonical_query_string(request),
            signer.canonical_headers(signed) + "\n",
            signer.signed_headers(signed),
            content_sha if content_sha is not None else signer.payload(request),
        ])
        return signer.signature(signer.string_to_sign(request, canonical), request)


# ---------------------------------------------------------------------------------------------
# Rate limit, faults, statistics


class RateLimiter:
    """At most `limit` calls in any one-second window per (access key, region)."""

    def __init__(self, limit):
        self._lock = threading.Lock()
        self.limit = limit
        self._calls = collections.defaultdict(collections.deque)

    def clear(self):
        with self._lock:
            self._calls.clear()

    def allow(self, key):
        if self.limit <= 0:
            return True
        now = time.monotonic()
        with self._lock:
            calls = self._calls[key]
            while calls and now - calls[0] >= 1.0:
                calls.popleft()
            if len(calls) >= self.limit:
                return False
            calls.append(now)
            return True


class FaultPlan:
    FAULT_MODES = ("http500", "malformed", "slow", "throttle")

    def __init__(self):
        self._lock = threading.Lock()
        self._pending = None

    def set(self, spec):
        if not isinstance(spec, dict) or spec.get("mode") not in self.FAULT_MODES:
            raise ValueError(f"mode must be one of {', '.join(self.FAULT_MODES)}")
        count = spec.get("count", 1)
        seconds = spec.get("seconds", 2)
        if not isinstance(count, int) or isinstance(count, bool) or count < 0:
            raise ValueError("count must be a non-negative integer")
        if not is_number(seconds) or seconds < 0:
            raise ValueError("seconds must be a non-negative number")
        with self._lock:
            self._pending = {"mode": spec["mode"], "count": count, "seconds": seconds} \
                if count > 0 else None

    def clear(self):
        with self._lock:
            self._pending = None

    def take(self):
        """The fault for this request, if one is pending."""
        with self._lock:
            if self._pending is None:
                return None
            fault = dict(self._pending)
            self._pending["count"] -= 1
            if self._pending["count"] == 0:
                self._pending = None
            return fault

    def describe(self):
        with self._lock:
            return dict(self._pending) if self._pending else None


class Stats:
    COUNTERS = ("requests", "served", "throttled", "authFailures", "clientErrors",
                "faultsInjected")

    def __init__(self):
        self._lock = threading.Lock()
        self.clear()

    def clear(self):
        with self._lock:
            self._counters = dict.fromkeys(self.COUNTERS, 0)
            self._recent = collections.deque(maxlen=RECENT_REQUESTS_KEPT)

    def count(self, name):
        with self._lock:
            self._counters[name] += 1

    def record(self, entry):
        with self._lock:
            self._recent.append(entry)

    def snapshot(self):
        with self._lock:
            recent = list(self._recent)
            return dict(self._counters, lastRequest=recent[-1] if recent else None,
                        recentRequests=recent)


# ---------------------------------------------------------------------------------------------
# HTTP


class CloudTrailState:
    def __init__(self, options):
        self.options = options
        self.events = EventStore()
        self.tokens = TokenCodec()
        self.verifier = SignatureVerifier(options.max_clock_skew)
        self.limiter = RateLimiter(options.rate_limit)
        self.faults = FaultPlan()
        self.stats = Stats()
        self.reset()

    def reset(self):
        self.events.clear()
        if self.options.events:
            self.events.add(load_events_file(self.options.events))
        self.verifier.set_keys({
            self.options.access_key: (self.options.secret_key, self.options.session_token),
        })
        self.limiter.limit = self.options.rate_limit
        self.limiter.clear()
        self.faults.clear()
        self.stats.clear()


def load_events_file(path):
    with open(path, encoding="utf-8") as file:
        document = json.load(file)
    return events_from_document(document)


def events_from_document(document):
    if isinstance(document, dict) and isinstance(document.get("Events"), list):
        return document["Events"]
    if isinstance(document, list):
        return document
    raise ValueError('expected a JSON list of events or {"Events": [...]}')


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as AWS SDKs expect
    server_version = "cloudtrail_server"
    state = None  # set by make_server

    def log_message(self, format, *args):
        if self.state.options.verbose:
            super().log_message(format, *args)

    # -- plumbing --

    def _read_body(self):
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            body = b""
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return body
                body += self.rfile.read(size)
                self.rfile.readline()
                if len(body) > MAX_BODY_BYTES:
                    raise client_error("SerializationException", "Request body too large")
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY_BYTES:
            raise client_error("SerializationException", "Request body too large")
        return self.rfile.read(length) if length > 0 else b""

    def _send(self, status, body, content_type, extra_headers=()):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("x-amzn-RequestId", str(uuid.uuid4()))
        for name, value in extra_headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _send_json(self, status, document, content_type=JSON_CONTENT_TYPE):
        self._send(status, json.dumps(document).encode(), content_type)

    def _send_error(self, error):
        self._send(error.status,
                   json.dumps({"__type": error.error_type, "message": error.message}).encode(),
                   JSON_CONTENT_TYPE, [("x-amzn-ErrorType", error.error_type)])

    # -- routing --

    def do_GET(self):
        if self.path == "/_control/stats":
            snapshot = self.state.stats.snapshot()
            snapshot["events"] = self.state.events.count()
            snapshot["pendingFault"] = self.state.faults.describe()
            snapshot["rateLimit"] = self.state.limiter.limit
            self._send_json(200, snapshot, "application/json")
        else:
            self._send_json(404, {"message": f"no such resource: {self.path}"}, "application/json")

    def do_POST(self):
        try:
            body = self._read_body()
        except (APIError, ValueError) as error:
            self.close_connection = True
            self._send_error(error if isinstance(error, APIError)
                             else client_error("SerializationException", str(error)))
            return
        if self.path.startswith("/_control/"):
            self._control(self.path, body)
        else:
            self._api(body)

    def _control(self, path, body):
        try:
            document = json.loads(body) if body.strip() else None
            if path == "/_control/events":
                total = self.state.events.add(events_from_document(document))
                self._send_json(200, {"added": len(events_from_document(document)),
                                      "total": total}, "application/json")
            elif path == "/_control/fault":
                self.state.faults.set(document)
                self._send_json(200, {"pendingFault": self.state.faults.describe()},
                                "application/json")
            elif path == "/_control/config":
                limit = (document or {}).get("rateLimit")
                if not isinstance(limit, int) or isinstance(limit, bool) or limit < 0:
                    raise ValueError("rateLimit must be a non-negative integer")
                self.state.limiter.limit = limit
                self.state.limiter.clear()
                self._send_json(200, {"rateLimit": limit}, "application/json")
            elif path == "/_control/credentials":
                document = document or {}
                key, secret = document.get("accessKeyId"), document.get("secretAccessKey")
                if not isinstance(key, str) or not isinstance(secret, str) or not key:
                    raise ValueError("accessKeyId and secretAccessKey must be strings")
                self.state.verifier.add_key(key, secret, document.get("sessionToken"))
                self._send_json(200, {"accessKeyId": key}, "application/json")
            elif path == "/_control/reset":
                self.state.reset()
                self._send_json(200, {"events": self.state.events.count()}, "application/json")
            else:
                self._send_json(404, {"message": f"no such control endpoint: {path}"},
                                "application/json")
        except (ValueError, TypeError, AttributeError) as error:
            self._send_json(400, {"message": str(error)}, "application/json")

    def _api(self, body):
        stats = self.state.stats
        stats.count("requests")
        entry = {"target": self.headers.get("X-Amz-Target"), "accessKeyId": None,
                 "region": None, "params": None, "status": None}
        try:
            try:
                entry["params"] = json.loads(body) if body else {}
            except ValueError:
                entry["params"] = None
            access_key, region = self.state.verifier.verify("POST", self.path, self.headers, body)
            entry["accessKeyId"], entry["region"] = access_key, region
            self._check_operation(entry["params"])

            fault = self.state.faults.take()
            if fault is not None:
                stats.count("faultsInjected")
                if fault["mode"] == "slow":
                    time.sleep(fault["seconds"])
                elif fault["mode"] == "http500":
                    raise APIError(500, "InternalFailure", "Injected fault: internal failure.")
                elif fault["mode"] == "throttle":
                    stats.count("throttled")
                    raise client_error("ThrottlingException", "Rate exceeded")
                elif fault["mode"] == "malformed":
                    entry["status"] = 200
                    self._send(200, b'{"Events": [{"EventId": "trunc', JSON_CONTENT_TYPE)
                    return

            if not self.state.limiter.allow((access_key, region)):
                stats.count("throttled")
                raise client_error("ThrottlingException", "Rate exceeded")

            response = self._lookup(entry["params"])
            entry["status"] = 200
            stats.count("served")
            self._send_json(200, response)
        except APIError as error:
            entry["status"] = error.status
            if error.status == 403:
                stats.count("authFailures")
            elif error.status == 400 and error.error_type != "ThrottlingException":
                stats.count("clientErrors")
            self._send_error(error)
        finally:
            stats.record(entry)

    def _check_operation(self, params):
        content_type = self.headers.get("Content-Type", "").split(";")[0].strip()
        if content_type != JSON_CONTENT_TYPE:
            raise client_error("SerializationException",
                               f"Content-Type must be {JSON_CONTENT_TYPE}, not {content_type!r}.")
        target = self.headers.get("X-Amz-Target", "")
        if target != TARGET_PREFIX + "LookupEvents":
            raise client_error("UnknownOperationException",
                               f"Unknown or unsupported operation: {target!r}.")
        if params is None:
            raise client_error("SerializationException", "The request body is not valid JSON.")

    def _lookup(self, params):
        query = LookupQuery(params)
        fingerprint = query.fingerprint()
        cursor = None
        if query.next_token is not None:
            cursor = self.state.tokens.decode(query.next_token, fingerprint)
        events, last, more = self.state.events.lookup(query, cursor, query.max_results)
        response = {"Events": [wire_event(event) for event in events]}
        if more:
            response["NextToken"] = self.state.tokens.encode(last, fingerprint)
        return response


def make_server(options):
    state = CloudTrailState(options)
    handler = type("BoundHandler", (Handler,), {"state": state})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", options.port), handler)
    server.daemon_threads = True
    return server


# ---------------------------------------------------------------------------------------------
# Self-test


def self_test():
    """Starts the server as a child process and checks it with boto3. Returns the exit code."""
    import boto3
    from botocore.config import Config
    from botocore.exceptions import ClientError

    child = subprocess.Popen([sys.executable, os.path.abspath(__file__), "--port", "0"],
                             stdout=subprocess.PIPE, text=True)
    failures = []
    try:
        line = child.stdout.readline().strip()
        if not line.startswith("listening on http://127.0.0.1:"):
            print(f"FAIL: server did not start: {line!r}")
            return 1
        base = line.split(" ")[-1]

        def control(path, document=None, method="POST"):
            data = None if method == "GET" else json.dumps(document).encode()
            request = urllib.request.Request(base + path, data=data, method=method)
            with urllib.request.urlopen(request, timeout=10) as response:
                return json.loads(response.read())

        def client(secret="test", **config):
            return boto3.client(
                "cloudtrail", endpoint_url=base, region_name="us-east-1",
                aws_access_key_id="test", aws_secret_access_key=secret,
                config=Config(retries={"total_max_attempts": 1}, **config))

        def check(name, condition, detail=""):
            print(("ok   " if condition else "FAIL ") + name + (f": {detail}" if detail else ""))
            if not condition:
                failures.append(name)

        def error_code(call):
            try:
                call()
            except ClientError as error:
                return error.response["Error"]["Code"], \
                    error.response["ResponseMetadata"]["HTTPStatusCode"]
            return None, 200

        ct = client()
        control("/_control/config", {"rateLimit": 0})
        base_time = 1_700_000_000
        control("/_control/events", [
            {"EventName": "RunInstances" if i % 10 == 0 else "DescribeInstances",
             "EventTime": base_time + i, "Username": f"user{i % 3}", "EventId": f"id-{i:03}",
             "Resources": [{"ResourceType": "AWS::EC2::Instance",
                            "ResourceName": f"i-{i:04}"}]}
            for i in range(120)
        ])

        pages = list(ct.get_paginator("lookup_events").paginate())
        ids = [e["EventId"] for page in pages for e in page["Events"]]
        times = [e["EventTime"].timestamp() for page in pages for e in page["Events"]]
        check("pagination returns every event once", sorted(ids) == sorted(
            f"id-{i:03}" for i in range(120)), f"{len(ids)} ids in {len(pages)} pages")
        check("pages hold at most 50 events", [len(p["Events"]) for p in pages] == [50, 50, 20])
        check("newest first", times == sorted(times, reverse=True) and times[0] == base_time + 119)
        first = pages[0]["Events"][0]
        detail = json.loads(first["CloudTrailEvent"])
        check("event members and CloudTrailEvent filled", first["ReadOnly"] == "true"
              and first["EventSource"] == "ec2.amazonaws.com" and detail["eventID"] == "id-119")

        small = ct.lookup_events(MaxResults=7)
        check("MaxResults honoured", len(small["Events"]) == 7 and "NextToken" in small)

        writes = ct.lookup_events(LookupAttributes=[
            {"AttributeKey": "EventName", "AttributeValue": "RunInstances"}])
        check("EventName filter", len(writes["Events"]) == 12 and all(
            e["EventName"] == "RunInstances" and e["ReadOnly"] == "false"
            for e in writes["Events"]))
        by_resource = ct.lookup_events(LookupAttributes=[
            {"AttributeKey": "ResourceName", "AttributeValue": "i-0042"}])
        check("ResourceName filter", [e["EventId"] for e in by_resource["Events"]] == ["id-042"])
        by_user = ct.lookup_events(LookupAttributes=[
            {"AttributeKey": "Username", "AttributeValue": "user1"}])
        check("Username filter", len(by_user["Events"]) == 40)

        window = ct.lookup_events(StartTime=base_time + 10, EndTime=base_time + 19)
        window_ids = [e["EventId"] for e in window["Events"]]
        check("time window is inclusive", window_ids == [f"id-{i:03}" for i in range(19, 9, -1)],
              str(window_ids))
        check("start after end rejected", error_code(lambda: ct.lookup_events(
            StartTime=base_time + 5, EndTime=base_time))[0] == "InvalidTimeRangeException")

        unchecked = client(parameter_validation=False)
        check("MaxResults 51 rejected", error_code(lambda: unchecked.lookup_events(
            MaxResults=51))[0] == "InvalidMaxResultsException")
        check("MaxResults 0 rejected", error_code(lambda: unchecked.lookup_events(
            MaxResults=0))[0] == "InvalidMaxResultsException")
        check("two lookup attributes rejected", error_code(lambda: ct.lookup_events(
            LookupAttributes=[{"AttributeKey": "EventName", "AttributeValue": "A"},
                              {"AttributeKey": "Username", "AttributeValue": "B"}]))[0]
              == "InvalidLookupAttributesException")
        check("made-up NextToken rejected", error_code(lambda: ct.lookup_events(
            NextToken="bm90LWEtdG9rZW4.0000"))[0] == "InvalidNextTokenException")
        check("NextToken with other parameters rejected", error_code(lambda: ct.lookup_events(
            NextToken=small["NextToken"], StartTime=base_time))[0]
              == "InvalidNextTokenException")
        following = ct.lookup_events(MaxResults=7, NextToken=small["NextToken"])
        check("NextToken continues after the page", following["Events"][0]["EventId"] == "id-112")

        check("wrong secret rejected", error_code(lambda: client("wrong").lookup_events())
              == ("InvalidSignatureException", 403))
        unsigned = urllib.request.Request(base + "/", data=b"{}", method="POST", headers={
            "Content-Type": JSON_CONTENT_TYPE, "X-Amz-Target": TARGET_PREFIX + "LookupEvents"})
        try:
            urllib.request.urlopen(unsigned, timeout=10)
            missing = None
        except urllib.error.HTTPError as error:
            missing = json.loads(error.read()).get("__type")
        check("unsigned request rejected", missing == "MissingAuthenticationTokenException")

        control("/_control/fault", {"mode": "http500", "count": 1})
        check("http500 fault", error_code(lambda: ct.lookup_events(MaxResults=1))[1] == 500)
        check("fault used up", error_code(lambda: ct.lookup_events(MaxResults=1))[1] == 200)
        control("/_control/fault", {"mode": "malformed", "count": 1})
        try:
            # botocore turns a body it cannot parse into {"message": body}; no Events either way
            malformed_failed = "Events" not in ct.lookup_events(MaxResults=1)
        except Exception:  # botocore's parser error type varies between versions
            malformed_failed = True
        check("malformed fault", malformed_failed)

        control("/_control/config", {"rateLimit": 2})
        codes = [error_code(lambda: ct.lookup_events(MaxResults=1)) for _ in range(6)]
        check("burst beyond 2/s throttled", codes[:2] == [(None, 200)] * 2 and
              ("ThrottlingException", 400) in codes[2:], str(codes))
        deadline = time.monotonic() + 5
        recovered = False
        while time.monotonic() < deadline and not recovered:
            time.sleep(0.2)
            recovered = error_code(lambda: ct.lookup_events(MaxResults=1)) == (None, 200)
        check("calls pass again after the window", recovered)

        stats = control("/_control/stats", method="GET")
        check("stats count", stats["throttled"] >= 1 and stats["authFailures"] >= 2
              and stats["served"] >= 10 and stats["lastRequest"]["params"] == {"MaxResults": 1},
              json.dumps({k: stats[k] for k in Stats.COUNTERS}))
        control("/_control/reset")
        after = control("/_control/stats", method="GET")
        check("reset", after["events"] == 0 and after["requests"] == 0 and after["rateLimit"] == 2)
    except Exception as error:  # any surprise is a failure, with its reason
        failures.append(repr(error))
        print(f"FAIL unexpected error: {error!r}")
    finally:
        child.terminate()
        child.wait(timeout=10)
    print(f"{len(failures)} failure(s)" if failures else "self-test passed")
    return 1 if failures else 0


# ---------------------------------------------------------------------------------------------


def parse_options(argv):
    parser = argparse.ArgumentParser(description="Local CloudTrail LookupEvents server.")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--events", help="JSON file: a list of events or {\"Events\": [...]}")
    parser.add_argument("--access-key", default="test")
    parser.add_argument("--secret-key", default="test")
    parser.add_argument("--session-token", default=None)
    parser.add_argument("--rate-limit", type=int, default=2,
                        help="LookupEvents calls per second per key and region (0: no limit)")
    parser.add_argument("--max-clock-skew", type=int, default=300,
                        help="seconds X-Amz-Date may differ from now (0: no check)")
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--self-test", action="store_true")
    return parser.parse_args(argv)


def main(argv):
    options = parse_options(argv)
    if options.self_test:
        return self_test()
    try:
        server = make_server(options)
    except (OSError, ValueError) as error:
        print(f"cloudtrail_server: cannot start: {error}", file=sys.stderr)
        return 2
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
    print(f"listening on http://127.0.0.1:{server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
