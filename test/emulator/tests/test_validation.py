"""The model-driven validator (validation.py), in process and through the dispatcher."""

import json
import os
import sys
import unittest
import warnings

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
warnings.filterwarnings("ignore")

from werkzeug.test import Client  # noqa: E402

import cbor  # noqa: E402
import rules  # noqa: E402
import validation  # noqa: E402
from dispatcher import Emulator  # noqa: E402
from runtime import Config  # noqa: E402


def auth(service: str) -> str:
    return f"AWS4-HMAC-SHA256 Credential=test/20250101/us-east-1/{service}/aws4_request, SignedHeaders=host, Signature=0"


def form(service: str, body: str):
    return {"data": body, "headers": {"Authorization": auth(service), "Content-Type": "application/x-www-form-urlencoded"}}


class ValidationTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls) -> None:
        cls.client = Client(Emulator(Config()))

    def kinds(self, service, operation, params):
        return sorted({v.rule for v in validation.violations(service, operation, params)})

    def test_validation_rules(self):
        """Each generic check, by its rule name, on the model of the service."""
        alarm = {"AlarmName": "a", "EvaluationPeriods": 1, "ComparisonOperator": "GreaterThanThreshold"}
        self.assertEqual(self.kinds("cloudwatch", "PutMetricAlarm", alarm), [])
        self.assertEqual(self.kinds("cloudwatch", "PutMetricAlarm", {"EvaluationPeriods": 1}), ["model-required"])
        self.assertEqual(self.kinds("cloudwatch", "PutMetricAlarm", {**alarm, "Statistic": "Median"}), ["model-enum"])
        self.assertEqual(self.kinds("cloudwatch", "PutMetricAlarm", {**alarm, "AlarmName": "x" * 256}), ["model-length"])
        self.assertEqual(self.kinds("cloudwatch", "PutMetricAlarm", {**alarm, "EvaluationPeriods": 0}), ["model-range"])
        self.assertEqual(self.kinds("cloudwatch", "PutMetricAlarm", {**alarm, "EvaluationPeriods": "1"}), ["model-type"])
        # Patterns match the whole value, as AWS's (Java) validation does: "0001x" is not \d+.
        self.assertEqual(self.kinds("elasticache", "TestFailover", {"ReplicationGroupId": "r", "NodeGroupId": "01x"}), ["model-pattern"])
        self.assertEqual(self.kinds("elasticache", "TestFailover", {"ReplicationGroupId": "r", "NodeGroupId": "0001"}), [])

    def test_nested_members_and_aws_paths(self):
        found = validation.violations("cloudwatch", "PutMetricAlarm", {
            "AlarmName": "a", "EvaluationPeriods": 1, "ComparisonOperator": "GreaterThanThreshold",
            "Metrics": [{"Id": "m1", "Expression": "x"}, {"Expression": "y"}]})
        self.assertEqual([(v.rule, v.path) for v in found], [("model-required", "metrics.member.2.id")])

    def test_switched_off_check_lets_the_request_through(self):
        try:
            rules.set_disabled(["model-enum"])
            self.assertEqual(self.kinds("cloudwatch", "PutMetricAlarm", {
                "AlarmName": "a", "EvaluationPeriods": 1, "ComparisonOperator": "Sideways"}), [])
        finally:
            rules.set_disabled([])

    def test_elasticache_missing_member_as_aws_words_it(self):
        r = self.client.post("/", **form("elasticache", "Action=CreateReplicationGroup&Version=2015-02-02&ReplicationGroupId=rg"))
        self.assertEqual(r.status_code, 400)
        self.assertIn(b"<Code>InvalidParameterValue</Code>", r.get_data())
        self.assertIn(b"The parameter ReplicationGroupDescription must be provided and must not be blank.", r.get_data())

    def test_ec2_missing_parameter(self):
        r = self.client.post("/", **form("ec2", "Action=CreateSecurityGroup&Version=2016-11-15&GroupName=g"))
        self.assertEqual(r.status_code, 400)
        self.assertIn(b"<Code>MissingParameter</Code>", r.get_data())
        self.assertIn(b"The request must contain the parameter GroupDescription", r.get_data())

    def test_cloudwatch_json_and_cbor_validation_errors(self):
        body = {"AlarmName": "a", "EvaluationPeriods": 1, "ComparisonOperator": "Sideways"}
        r = self.client.post("/", data=json.dumps(body), headers={
            "Authorization": auth("monitoring"), "Content-Type": "application/x-amz-json-1.0",
            "X-Amz-Target": "GraniteServiceVersion20100801.PutMetricAlarm"})
        self.assertEqual(r.status_code, 400)
        self.assertEqual(r.headers["x-amzn-query-error"], "ValidationError;Sender")
        self.assertIn("comparisonOperator", json.loads(r.get_data())["message"])
        r = self.client.post("/service/GraniteServiceVersion20100801/operation/PutMetricAlarm", data=cbor.encode(body),
                             headers={"Authorization": auth("monitoring"), "Content-Type": "application/cbor"})
        self.assertEqual(r.status_code, 400)
        self.assertEqual(r.headers["x-amzn-query-error"], "ValidationError;Sender")
        self.assertTrue(cbor.decode(r.get_data())["message"].startswith("1 validation error detected: Value 'Sideways' at 'comparisonOperator'"))

    def test_pricing_json_validation_exception(self):
        r = self.client.post("/", data=json.dumps({"ServiceCode": "AmazonElastiCache", "MaxResults": 0}), headers={
            "Authorization": auth("pricing"), "Content-Type": "application/x-amz-json-1.1",
            "X-Amz-Target": "AWSPriceListService.GetProducts"})
        self.assertEqual(r.status_code, 400)
        self.assertEqual(json.loads(r.get_data())["__type"], "ValidationException")

    def test_sts_validation_error(self):
        r = self.client.post("/", **form("sts", "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fr&RoleSessionName=has%20space"))
        self.assertEqual(r.status_code, 400)
        self.assertIn(b"<Code>ValidationError</Code>", r.get_data())
        self.assertIn(b"roleSessionName", r.get_data())


if __name__ == "__main__":
    unittest.main()
