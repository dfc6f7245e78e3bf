"""Print terraform.tfvars JSON for examples/quickstart against an AWS-compatible endpoint:
the default VPC's subnets and an application security group (created if missing)."""
import json
import sys

import boto3

url = sys.argv[1]
ec2 = boto3.client("ec2", endpoint_url=url, region_name="us-east-1",
                   aws_access_key_id="test", aws_secret_access_key="test")
vpc = ec2.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])["Vpcs"][0]["VpcId"]
subnets = ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["Subnets"]
subnets = sorted(subnets, key=lambda s: s["AvailabilityZone"])[:3]
found = ec2.describe_security_groups(Filters=[{"Name": "group-name", "Values": ["demo-app"]}])["SecurityGroups"]
app = found[0]["GroupId"] if found else ec2.create_security_group(
    GroupName="demo-app", Description="demo application", VpcId=vpc)["GroupId"]
print(json.dumps({"subnet_ids": [s["SubnetId"] for s in subnets], "allowed_security_group_ids": [app]}))
