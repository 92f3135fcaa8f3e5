#!/usr/bin/env python3
"""Regenerate Tests/Fixtures/aws/sigv4-vectors.json: AWS Signature Version 4 test vectors
computed by botocore's own signer (botocore.auth.SigV4Auth), which the Swift signer in
Sources/AWSCloud/Signing is checked against byte for byte (Tests/CloudTests/SigV4Tests.swift).

Usage:  python3 scripts/aws-sigv4-vectors.py [output-file]
Needs:  botocore (written against botocore 1.43). No network: nothing is sent anywhere.

How the vectors are made:
- The clock is pinned the way botocore's own tests do it, by patching
  `botocore.auth.get_current_datetime`; each vector carries its Unix timestamp.
- URLs are built the way botocore's serializers build them before signing: query strings
  with `percent_encode_sequence` (RFC 3986 unreserved characters kept, `%20` for spaces),
  path labels with `percent_encode(label, safe='/~')`. SigV4Auth then encodes the path a
  second time, as it does for every service except S3.
- Vectors that have a query string are signed twice, once with the query in the URL and
  once through `request.params`; the script stops if the two signatures differ.
- Each vector records botocore's canonical request and string to sign, the Authorization
  and X-Amz-Date values, and the full header list botocore would send (with the `host`
  header it signed, which botocore itself leaves to the HTTP client).

The credentials below are made up (AWS's documentation examples and variations on them).
"""

import datetime
import json
import pathlib
import sys
from unittest import mock

import botocore
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.compat import HTTPHeaders
from botocore.credentials import Credentials
from botocore.utils import percent_encode, percent_encode_sequence

DOC_KEY = ("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
TEMP_KEY = ("ASIAEXAMPLETEMPKEY01", "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY")
TOKEN = "IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQ+example/token=="
FORM = "application/x-www-form-urlencoded; charset=utf-8"


class RecordingSigV4Auth(SigV4Auth):
    """SigV4Auth that keeps the intermediate strings it computed."""

    def canonical_request(self, request):
        self.recorded_canonical_request = super().canonical_request(request)
        return self.recorded_canonical_request

    def string_to_sign(self, request, canonical_request):
        self.recorded_string_to_sign = super().string_to_sign(request, canonical_request)
        return self.recorded_string_to_sign


def utc(*fields):
    return datetime.datetime(*fields, tzinfo=datetime.timezone.utc)


def encoded_path(*segments, trailing_slash=False):
    path = "/" + "/".join(percent_encode(s, safe="/~") for s in segments)
    return path + "/" if trailing_slash else path


def vector(name, service, region, method, base_url, when, key=DOC_KEY, token=None,
           headers=(), body="", query=None):
    return {
        "name": name, "service": service, "region": region, "method": method,
        "base_url": base_url, "when": when, "key": key, "token": token,
        "headers": list(headers), "body": body, "query": query,
    }


VECTORS = [
    # AWS's documented IAM example; its published signature is
    # 5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7.
    vector("aws-doc-iam-list-users", "iam", "us-east-1", "GET", "https://iam.amazonaws.com/",
           utc(2015, 8, 30, 12, 36, 0), headers=[("Content-Type", FORM)],
           query=[("Action", "ListUsers"), ("Version", "2010-05-08")]),
    vector("ec2-describe-instances-form-post", "ec2", "us-east-1", "POST",
           "https://ec2.us-east-1.amazonaws.com/", utc(2024, 5, 17, 9, 30, 5),
           headers=[("Content-Type", FORM)],
           body="Action=DescribeInstances&Version=2016-11-15"),
    vector("ec2-filters-with-session-token", "ec2", "eu-west-1", "POST",
           "https://ec2.eu-west-1.amazonaws.com/", utc(2024, 2, 29, 23, 59, 59),
           key=TEMP_KEY, token=TOKEN, headers=[("Content-Type", FORM)],
           body=percent_encode_sequence([
               ("Action", "DescribeInstances"), ("Version", "2016-11-15"),
               ("Filter.1.Name", "tag:Name"), ("Filter.1.Value.1", "web server *"),
               ("MaxResults", "1000")])),
    vector("monitoring-get-query-escaping", "monitoring", "eu-central-1", "GET",
           "https://monitoring.eu-central-1.amazonaws.com/", utc(2023, 11, 5, 1, 2, 3),
           query=[("Action", "ListMetrics"), ("Version", "2010-08-01"),
                  ("Namespace", "AWS/EC2"), ("MetricName", "CPU Utilization"),
                  ("Dimensions.member.1.Name", "Name~Tag"),
                  ("Dimensions.member.1.Value", "caf\u00e9 \u2601 a+b=c&d"),
                  ("NextToken", "")]),
    vector("monitoring-repeated-keys-and-sort-order", "monitoring", "ap-southeast-2", "GET",
           "https://monitoring.ap-southeast-2.amazonaws.com/", utc(2038, 1, 19, 3, 14, 8),
           query=[("Tag", "b"), ("Tag", "a"), ("Tag", "B"), ("a.b", "1"), ("a-b", "2"),
                  ("a b", "3"), ("Z", "4"), ("_", "5"), ("~", "6"), ("Action", "ListMetrics")]),
    vector("monitoring-get-metric-data-form-post", "monitoring", "us-west-2", "POST",
           "https://monitoring.us-west-2.amazonaws.com", utc(2025, 1, 1, 0, 0, 0),
           key=TEMP_KEY, token=TOKEN, headers=[("Content-Type", FORM)],
           body=percent_encode_sequence([
               ("Action", "GetMetricData"), ("Version", "2010-08-01"),
               ("StartTime", "2025-01-01T00:00:00Z"), ("EndTime", "2025-01-01T00:05:00Z"),
               ("MetricDataQueries.member.1.Id", "q1"),
               ("MetricDataQueries.member.1.MetricStat.Metric.Namespace", "AWS/EC2"),
               ("MetricDataQueries.member.1.MetricStat.Metric.MetricName", "CPUUtilization"),
               ("MetricDataQueries.member.1.MetricStat.Period", "60"),
               ("MetricDataQueries.member.1.MetricStat.Stat", "Average")])),
    vector("cloudtrail-lookup-events-json", "cloudtrail", "us-west-2", "POST",
           "https://cloudtrail.us-west-2.amazonaws.com/", utc(2024, 7, 4, 18, 45, 30),
           key=TEMP_KEY, token=TOKEN,
           headers=[("Content-Type", "application/x-amz-json-1.1"),
                    ("X-Amz-Target",
                     "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents")],
           body=json.dumps({"LookupAttributes": [{"AttributeKey": "EventName",
                                                  "AttributeValue": "ConsoleLogin"}],
                            "MaxResults": 50, "StartTime": 1720000000,
                            "NextToken": "caf\u00e9/+=="}, ensure_ascii=False)),
    vector("sts-get-caller-identity-global", "sts", "us-east-1", "POST",
           "https://sts.amazonaws.com/", utc(2019, 12, 31, 23, 59, 59),
           key=TEMP_KEY, token=TOKEN, headers=[("Content-Type", FORM)],
           body="Action=GetCallerIdentity&Version=2011-06-15"),
    vector("sts-get-query-no-path", "sts", "ap-northeast-1", "GET",
           "https://sts.ap-northeast-1.amazonaws.com", utc(2000, 1, 1, 0, 0, 0),
           query=[("Action", "GetCallerIdentity"), ("Version", "2011-06-15")]),
    vector("moto-loopback-non-default-port", "ec2", "us-east-1", "POST",
           "http://127.0.0.1:5000/", utc(2024, 10, 10, 10, 10, 10),
           key=("testing", "testing"), token="testing", headers=[("Content-Type", FORM)],
           body="Action=DescribeRegions&Version=2016-11-15"),
    vector("default-ports-and-uppercase-host-dropped", "monitoring", "us-east-1", "GET",
           "https://MONITORING.us-east-1.amazonaws.com:443/", utc(2021, 6, 15, 12, 0, 0),
           query=[("Action", "ListDashboards")]),
    vector("http-default-port-dropped", "ec2", "us-gov-west-1", "GET",
           "http://ec2.us-gov-west-1.amazonaws.com:80/", utc(2021, 6, 15, 12, 0, 0),
           query=[("Action", "DescribeRegions"), ("Version", "2016-11-15")]),
    vector("https-custom-port-kept", "monitoring", "eu-north-1", "GET",
           "https://Vpce-Monitoring.example.internal:8443/", utc(2022, 3, 1, 8, 0, 0),
           query=[("Action", "ListMetrics")]),
    vector("ipv6-loopback-with-port", "sts", "us-east-1", "POST", "http://[::1]:4566/",
           utc(2022, 3, 1, 8, 0, 0), key=("testing", "testing"),
           headers=[("Content-Type", FORM)],
           body="Action=GetCallerIdentity&Version=2011-06-15"),
    vector("path-spaces-unicode-double-encoded", "monitoring", "eu-west-3", "GET",
           "https://monitoring.eu-west-3.amazonaws.com"
           + encoded_path("my dashboard", "caf\u00e9 \u2601", "a+b", trailing_slash=True),
           utc(2023, 1, 2, 3, 4, 5), query=[("x", "1")]),
    vector("path-dot-segments-and-double-slashes", "cloudtrail", "ca-central-1", "GET",
           "https://cloudtrail.ca-central-1.amazonaws.com/a/./b/../c//d/%7Ee/", utc(2023, 1, 2, 3, 4, 5)),
    vector("headers-extra-spaces-duplicates-unsigned", "cloudtrail", "sa-east-1", "POST",
           "https://cloudtrail.sa-east-1.amazonaws.com/", utc(2024, 12, 24, 20, 0, 1),
           headers=[("Content-Type", "  application/x-amz-json-1.1  "),
                    ("X-Amz-Target",
                     "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.DescribeTrails"),
                    ("X-Custom-Header", "  a   b \t c  "),
                    ("x-custom-header", "second   value"),
                    ("My-Header2", "\"a   b   c\""),
                    ("User-Agent", "nimbus_exporter/0.1"),
                    ("Expect", "100-continue"),
                    ("X-Amzn-Trace-Id", "Root=1-5759e988-bd862e3fe1be46a994272793")],
           body="{}"),
    vector("re-sign-replaces-stale-auth-headers", "ec2", "cn-north-1", "POST",
           "https://ec2.cn-north-1.amazonaws.com.cn/", utc(2024, 3, 3, 3, 3, 3),
           key=("AKIAI44QH8DHBEXAMPLE", "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY"),
           token=TOKEN,
           headers=[("Content-Type", FORM),
                    ("Authorization", "AWS4-HMAC-SHA256 Credential=stale"),
                    ("X-Amz-Date", "19990101T000000Z"),
                    ("X-Amz-Security-Token", "stale-token")],
           body="Action=DescribeInstances&Version=2016-11-15"),
    vector("caller-supplied-host-header", "sts", "eu-west-2", "POST", "http://127.0.0.1:9000/",
           utc(2024, 8, 8, 8, 8, 8), key=TEMP_KEY, token=TOKEN,
           headers=[("Host", "sts.eu-west-2.amazonaws.com"), ("Content-Type", FORM)],
           body="Action=GetCallerIdentity&Version=2011-06-15"),
    vector("empty-body-get-lowercase-method", "ec2", "us-east-2", "get",
           "https://ec2.us-east-2.amazonaws.com/", utc(1999, 12, 31, 23, 59, 59)),
]


def sign(spec, url, params=None):
    headers = HTTPHeaders()
    for name, value in spec["headers"]:
        headers[name] = value  # HTTPHeaders appends, so repeated names survive
    request = AWSRequest(method=spec["method"], url=url, data=spec["body"].encode("utf-8"),
                         params=params)
    request.headers = headers
    access_key, secret_key = spec["key"]
    signer = RecordingSigV4Auth(Credentials(access_key, secret_key, spec["token"]),
                                spec["service"], spec["region"])
    with mock.patch("botocore.auth.get_current_datetime", return_value=spec["when"].replace(tzinfo=None)):
        signer.add_auth(request)
    return request, signer


def build(spec):
    url = spec["base_url"]
    if spec["query"] is not None:
        url += "?" + percent_encode_sequence(spec["query"])
    request, signer = sign(spec, url)
    if spec["query"] is not None:
        via_params, _ = sign(spec, spec["base_url"], params=spec["query"])
        if via_params.headers["Authorization"] != request.headers["Authorization"]:
            sys.exit(f"{spec['name']}: signing via URL and via params disagree")
    sent = [{"name": n, "value": v} for n, v in request.headers.items()]
    if "host" not in request.headers:
        sent.append({"name": "host", "value": signer.headers_to_sign(request)["host"]})
    access_key, secret_key = spec["key"]
    return {
        "name": spec["name"],
        "service": spec["service"],
        "region": spec["region"],
        "method": spec["method"],
        "url": url,
        "headers": [{"name": n, "value": v} for n, v in spec["headers"]],
        "body": spec["body"],
        "credentials": {"accessKeyId": access_key, "secretAccessKey": secret_key,
                        "sessionToken": spec["token"]},
        "timestamp": int(spec["when"].timestamp()),
        "expected": {
            "amzDate": request.headers["X-Amz-Date"],
            "authorization": request.headers["Authorization"],
            "canonicalRequest": signer.recorded_canonical_request,
            "stringToSign": signer.recorded_string_to_sign,
            "headers": sent,
        },
    }


def main():
    root = pathlib.Path(__file__).resolve().parent.parent
    output = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else \
        root / "Tests/Fixtures/aws/sigv4-vectors.json"
    vectors = [build(spec) for spec in VECTORS]
    doc = vectors[0]["expected"]["authorization"]
    if not doc.endswith("5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7"):
        sys.exit("botocore no longer reproduces AWS's documented example signature")
    document = {
        "generator": "scripts/aws-sigv4-vectors.py",
        "botocore": botocore.__version__,
        "vectors": vectors,
    }
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {len(vectors)} vectors to {output}")


if __name__ == "__main__":
    main()
