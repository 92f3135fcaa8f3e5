#!/usr/bin/env python3
"""Seeds a running moto server (python3 -m moto.server) for nimbus_exporter's AWS tests.

Usage: seed_moto.py --endpoint http://127.0.0.1:PORT --out seeded.json

The server must run with INITIAL_NO_AUTH_ACTION_COUNT=3: the first three calls (create an IAM
user, give it an allow-all policy, create its access key) go unauthenticated; every call after
that, the exporter's included, must carry a valid SigV4 signature of that key. The script then
creates, with the new key:
  - a role the exporter can AssumeRole into;
  - EC2 instances in us-east-1 with tags whose values hold quotes, backslashes, newlines and
    non-ASCII text, one of them stopped;
  - CPUUtilization datapoints for each instance, two and three minutes ago.
It writes what it created (keys, ids, expected values) as JSON to --out.
"""
import argparse
import datetime
import json

import boto3

ALLOW_ALL = json.dumps({"Version": "2012-10-17",
                        "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]})
TRUST_ALL = json.dumps({"Version": "2012-10-17",
                        "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"},
                                       "Action": ["sts:AssumeRole", "sts:AssumeRoleWithWebIdentity"]}]})

INSTANCES = [
    {"Name": 'web "front" 1', "team": "edge\\ops", "cpu": 11.5},
    {"Name": "batch\nworker", "team": "données-équipe", "cpu": 42.25},
    {"Name": "db-primary", "team": "storage", "cpu": 87.0},
]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--endpoint", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--region", default="us-east-1")
    args = parser.parse_args()

    bootstrap = dict(endpoint_url=args.endpoint, region_name=args.region,
                     aws_access_key_id="bootstrap", aws_secret_access_key="bootstrap")
    iam = boto3.client("iam", **bootstrap)
    iam.create_user(UserName="nimbus")
    iam.put_user_policy(UserName="nimbus", PolicyName="all", PolicyDocument=ALLOW_ALL)
    key = iam.create_access_key(UserName="nimbus")["AccessKey"]

    signed = dict(endpoint_url=args.endpoint, region_name=args.region,
                  aws_access_key_id=key["AccessKeyId"], aws_secret_access_key=key["SecretAccessKey"])
    iam = boto3.client("iam", **signed)
    role = iam.create_role(RoleName="nimbus-reader", AssumeRolePolicyDocument=TRUST_ALL)["Role"]
    iam.put_role_policy(RoleName="nimbus-reader", PolicyName="all", PolicyDocument=ALLOW_ALL)

    ec2 = boto3.client("ec2", **signed)
    cloudwatch = boto3.client("cloudwatch", **signed)
    now = datetime.datetime.now(datetime.timezone.utc)
    created = []
    for spec in INSTANCES:
        reservation = ec2.run_instances(
            ImageId="ami-12c6146b", MinCount=1, MaxCount=1, InstanceType="t3.micro",
            TagSpecifications=[{"ResourceType": "instance", "Tags": [
                {"Key": "Name", "Value": spec["Name"]}, {"Key": "team", "Value": spec["team"]}]}])
        instance = reservation["Instances"][0]
        created.append({"id": instance["InstanceId"], "name": spec["Name"], "team": spec["team"],
                        "cpu": spec["cpu"], "az": instance["Placement"]["AvailabilityZone"],
                        "owner": reservation["OwnerId"], "state": "running"})
        cloudwatch.put_metric_data(Namespace="AWS/EC2", MetricData=[
            {"MetricName": "CPUUtilization", "Dimensions": [{"Name": "InstanceId", "Value": instance["InstanceId"]}],
             "Timestamp": now - datetime.timedelta(seconds=seconds), "Value": spec["cpu"], "Unit": "Percent"}
            for seconds in (120, 180)])
    ec2.stop_instances(InstanceIds=[created[2]["id"]])
    created[2]["state"] = "stopped"

    with open(args.out, "w") as out:
        json.dump({"access_key_id": key["AccessKeyId"], "secret_access_key": key["SecretAccessKey"],
                   "role_arn": role["Arn"], "region": args.region, "instances": created}, out)


if __name__ == "__main__":
    main()
