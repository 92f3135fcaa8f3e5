#!/usr/bin/env python3
"""Regenerate the captured AWS response fixtures under Tests/Fixtures/aws/responses/.

Runs moto in-process (no network: moto intercepts botocore's HTTP layer), makes real
boto3 calls against EC2, CloudWatch and STS, and writes the raw response bodies that
botocore received, byte for byte, before it parsed them. The Swift decoders in
Sources/AWSCloud/Responses are tested against these files.

Usage:  python3 scripts/aws-response-fixtures.py [output-dir]
Needs:  boto3/botocore and moto (tested with botocore 1.43, moto 5.2.1).

Captured files are named `moto-*.xml` / `moto-*.json`; the hand-written edge cases
next to them (no `moto-` prefix) are not touched by this script.

CloudWatch's current botocore model defaults to the smithy-rpc-v2-cbor protocol; the
exporter speaks the query protocol, so this script loads a copy of the model with
`protocol` switched to `query` (and to `json` for the JSON-protocol error sample).
Volatile values (request ids, instance ids, keys, timestamps) differ between runs;
the tests only rely on values this script sets itself or on the shape.
"""

import atexit
import datetime
import gzip
import json
import os
import pathlib
import shutil
import sys
import tempfile

os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")

import boto3  # noqa: E402
import botocore  # noqa: E402
from botocore.exceptions import ClientError  # noqa: E402
from moto import mock_aws  # noqa: E402

REGION = "us-east-1"
ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "Tests/Fixtures/aws/responses"


def cloudwatch_model_dir(protocol: str) -> str:
    """A botocore data directory holding CloudWatch's model with `protocol` forced."""
    source = pathlib.Path(botocore.__file__).parent / "data/cloudwatch/2010-08-01"
    with gzip.open(source / "service-2.json.gz") as f:
        model = json.load(f)
    model["metadata"]["protocol"] = protocol
    model["metadata"]["protocols"] = [protocol]
    root = tempfile.mkdtemp(prefix=f"cw-{protocol}-")
    atexit.register(shutil.rmtree, root, ignore_errors=True)
    target = pathlib.Path(root) / "cloudwatch/2010-08-01"
    target.mkdir(parents=True)
    (target / "service-2.json").write_text(json.dumps(model))
    return root


def client(service: str, data_path: str | None = None):
    session = botocore.session.get_session()
    if data_path:
        loader = session.get_component("data_loader")
        loader.search_paths.insert(0, data_path)
    c = boto3.Session(botocore_session=session).client(service, region_name=REGION)
    captured = {}

    def keep_raw(http_response, **_):
        captured["body"] = http_response.content
        captured["headers"] = dict(http_response.headers)

    c.meta.events.register("after-call", keep_raw)
    # Errors skip after-call; needs-retry still sees the raw response.
    def keep_raw_error(response=None, **_):
        if response is not None and response[0] is not None:
            captured["body"] = response[0].content
            captured["headers"] = dict(response[0].headers)

    c.meta.events.register("needs-retry", keep_raw_error)
    return c, captured


def write(name: str, captured: dict) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / name).write_bytes(captured["body"])
    print(f"wrote {name} ({len(captured['body'])} bytes, "
          f"content-type {captured['headers'].get('Content-Type') or captured['headers'].get('content-type')})")


def capture_ec2() -> None:
    ec2, raw = client("ec2")
    image = ec2.describe_images()["Images"][0]["ImageId"]

    ec2.describe_instances()
    write("moto-describe-instances-empty.xml", raw)

    ec2.run_instances(
        ImageId=image, MinCount=1, MaxCount=1, InstanceType="t3.micro",
        Placement={"AvailabilityZone": "us-east-1a"},
        TagSpecifications=[{"ResourceType": "instance", "Tags": [
            {"Key": "Name", "Value": "web-1"},
            {"Key": "team", "Value": "payments & billing"},
            {"Key": "quote", "Value": 'say "hi" <now> \\ back\\slash'},
            {"Key": "multi", "Value": "line one\nline two"},
            {"Key": "unicode", "Value": "Zürich – 東京 😀"},
        ]}],
    )
    ec2.run_instances(ImageId=image, MinCount=2, MaxCount=2, InstanceType="m5.large",
                      Placement={"AvailabilityZone": "us-east-1b"})
    ec2.describe_instances()
    write("moto-describe-instances.xml", raw)

    # A stopped instance, and a page of one result that carries a nextToken.
    second = ec2.describe_instances(Filters=[{"Name": "instance-type", "Values": ["m5.large"]}])
    stop_id = second["Reservations"][0]["Instances"][0]["InstanceId"]
    ec2.stop_instances(InstanceIds=[stop_id])
    ec2.describe_instances(MaxResults=5, Filters=[{"Name": "instance-type", "Values": ["m5.large"]}])
    write("moto-describe-instances-stopped.xml", raw)
    # moto pages by reservation: two reservations, one per page.
    page = ec2.describe_instances(MaxResults=1)
    write("moto-describe-instances-page1.xml", raw)
    ec2.describe_instances(MaxResults=1, NextToken=page["NextToken"])
    write("moto-describe-instances-page2.xml", raw)

    try:
        ec2.describe_instances(InstanceIds=["i-0123456789abcdef0"])
    except ClientError:
        write("moto-ec2-error.xml", raw)


def capture_cloudwatch() -> None:
    cw, raw = client("cloudwatch", cloudwatch_model_dir("query"))
    now = datetime.datetime.now(datetime.timezone.utc).replace(second=0, microsecond=0)
    for minutes, value in [(3, 12.5), (2, 0.25), (1, 99.0)]:
        cw.put_metric_data(Namespace="AWS/EC2", MetricData=[{
            "MetricName": "CPUUtilization",
            "Dimensions": [{"Name": "InstanceId", "Value": "i-fixture"}],
            "Timestamp": now - datetime.timedelta(minutes=minutes),
            "Value": value, "Unit": "Percent",
        }])
    stat = {"Metric": {"Namespace": "AWS/EC2", "MetricName": "CPUUtilization",
                       "Dimensions": [{"Name": "InstanceId", "Value": "i-fixture"}]},
            "Period": 60, "Stat": "Average"}
    cw.get_metric_data(
        MetricDataQueries=[
            {"Id": "cpu", "Label": "CPU average", "MetricStat": stat},
            {"Id": "none", "MetricStat": {**stat, "Metric": {**stat["Metric"], "MetricName": "Absent"}}},
        ],
        StartTime=now - datetime.timedelta(minutes=10), EndTime=now + datetime.timedelta(minutes=1),
    )
    write("moto-get-metric-data.xml", raw)

    try:
        cw.get_metric_data(MetricDataQueries=[{"Id": "bad"}], StartTime=now, EndTime=now)
    except ClientError:
        write("moto-cloudwatch-error.xml", raw)

    cw_json, raw_json = client("cloudwatch", cloudwatch_model_dir("json"))
    try:
        cw_json.get_metric_data(MetricDataQueries=[{"Id": "bad"}], StartTime=now, EndTime=now)
    except ClientError:
        write("moto-cloudwatch-error.json", raw_json)


def capture_sts() -> None:
    sts, raw = client("sts")
    role = "arn:aws:iam::123456789012:role/nimbus-reader"
    sts.assume_role(RoleArn=role, RoleSessionName="nimbus", DurationSeconds=900)
    write("moto-assume-role.xml", raw)
    sts.assume_role_with_web_identity(RoleArn=role, RoleSessionName="nimbus-web",
                                      WebIdentityToken="fixture-token", DurationSeconds=900)
    write("moto-assume-role-with-web-identity.xml", raw)
    try:
        sts.assume_role(RoleArn=role, RoleSessionName="x" * 70)
    except ClientError:
        write("moto-sts-error.xml", raw)


def main() -> None:
    with mock_aws():
        capture_ec2()
        capture_cloudwatch()
        capture_sts()


if __name__ == "__main__":
    main()
