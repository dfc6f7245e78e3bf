"""In-process tests of the dispatcher (python3 -m unittest discover -s test/emulator/tests).

The Go tests in internal/acctest drive the emulator through aws-sdk-go-v2; these cover what the
Go SDK does not send: CloudWatch over awsJson1_0 (current botocore) and awsQuery, fault-rule
counting, and moto's unimplemented operations.
"""

import json
import os
import random
import sys
import unittest
import warnings

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
warnings.filterwarnings("ignore")

from werkzeug.test import Client  # noqa: E402

import cbor  # noqa: E402
from dispatcher import Call, Emulator, FaultRule  # noqa: E402
from runtime import Config  # noqa: E402


def auth(service: str, key: str = "test") -> str:
    return f"AWS4-HMAC-SHA256 Credential={key}/20250101/us-east-1/{service}/aws4_request, SignedHeaders=host, Signature=0"


class DispatcherTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls) -> None:
        cls.app = Emulator(Config())
        cls.client = Client(cls.app)

    def cw_json(self, op: str, body: dict):
        return self.client.post("/", data=json.dumps(body), headers={
            "Authorization": auth("monitoring"), "Content-Type": "application/x-amz-json-1.0",
            "X-Amz-Target": f"GraniteServiceVersion20100801.{op}"})

    def test_cloudwatch_json_and_query_share_alarms_with_cbor(self):
        r = self.cw_json("PutMetricAlarm", {"AlarmName": "json-1", "Namespace": "AWS/ElastiCache", "MetricName": "CPUUtilization",
                                            "Statistic": "Average", "Period": 60, "EvaluationPeriods": 2, "Threshold": 75,
                                            "ComparisonOperator": "GreaterThanThreshold"})
        self.assertEqual(r.status_code, 200, r.get_data())
        r = self.client.post("/", data="Action=DescribeAlarms&Version=2010-08-01&AlarmNames.member.1=json-1",
                             headers={"Authorization": auth("monitoring"), "Content-Type": "application/x-www-form-urlencoded"})
        self.assertEqual(r.status_code, 200)
        self.assertIn(b"<Threshold>75.0</Threshold>", r.get_data())
        r = self.client.post("/service/GraniteServiceVersion20100801/operation/DescribeAlarms",
                             data=cbor.encode({"AlarmNames": ["json-1"]}),
                             headers={"Authorization": auth("monitoring"), "Content-Type": "application/cbor", "Smithy-Protocol": "rpc-v2-cbor"})
        alarm = cbor.decode(r.get_data())["MetricAlarms"][0]
        self.assertEqual(alarm["Threshold"], 75.0)
        self.assertIsInstance(alarm["Threshold"], float)
        self.assertIsInstance(alarm["Period"], int)

    def test_cloudwatch_json_errors_are_query_compatible(self):
        r = self.cw_json("DeleteAlarms", {"AlarmNames": ["missing"]})
        self.assertEqual(r.status_code, 404)
        self.assertEqual(r.headers["x-amzn-query-error"], "ResourceNotFound;Sender")
        self.assertEqual(json.loads(r.get_data())["__type"], "com.amazonaws.cloudwatch#ResourceNotFound")

    def test_cbor_errors(self):
        r = self.client.post("/service/GraniteServiceVersion20100801/operation/PutMetricAlarm",
                             data=cbor.encode({"AlarmName": "x", "EvaluationPeriods": 1, "ComparisonOperator": "GreaterThanThreshold",
                                               "Namespace": "n", "MetricName": "m", "Statistic": "Sum", "Period": 45, "Threshold": 1.0}),
                             headers={"Authorization": auth("monitoring"), "Content-Type": "application/cbor"})
        self.assertEqual(r.status_code, 400)
        self.assertEqual(cbor.decode(r.get_data())["__type"], "com.amazonaws.cloudwatch#InvalidParameterValueException")
        self.assertEqual(r.headers["x-amzn-query-error"], "InvalidParameterValue;Sender")
        r = self.client.post("/service/GraniteServiceVersion20100801/operation/GetDashboard", data=cbor.encode({"DashboardName": "d"}),
                             headers={"Authorization": auth("monitoring"), "Content-Type": "application/cbor"})
        self.assertEqual(cbor.decode(r.get_data())["__type"], "com.amazonaws.cloudwatch#UnknownOperationException")

    def test_unimplemented_moto_operation_is_a_clean_400(self):
        r = self.client.post("/", data="Action=TestMigration&Version=2015-02-02&ReplicationGroupId=x&CustomerNodeEndpointList.member.1.Address=10.0.0.1&CustomerNodeEndpointList.member.1.Port=6379",
                             headers={"Authorization": auth("elasticache"), "Content-Type": "application/x-www-form-urlencoded"})
        self.assertEqual(r.status_code, 400)
        self.assertIn(b"<Code>InvalidAction</Code>", r.get_data())

    def test_rejected_key_in_query_format(self):
        r = self.client.post("/", data="Action=GetCallerIdentity&Version=2011-06-15",
                             headers={"Authorization": auth("sts", "AKIAREJECTED00000000"), "Content-Type": "application/x-www-form-urlencoded"})
        self.assertEqual(r.status_code, 403)
        self.assertIn(b"<Code>InvalidClientTokenId</Code>", r.get_data())
        self.assertIn(b"The security token included in the request is invalid.", r.get_data())

    def test_unsigned_web_identity_is_logged_as_sts(self):
        # Clients send AssumeRoleWithWebIdentity unsigned: no credential scope names the service.
        self.client.delete("/_emulator/requests")
        r = self.client.post("/", data="Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn=arn:aws:iam::123456789012:role/ci"
                             "&RoleSessionName=ci&WebIdentityToken=token",
                             headers={"Content-Type": "application/x-www-form-urlencoded"})
        self.assertEqual(r.status_code, 200, r.get_data())
        self.assertIn(b"<AccessKeyId>", r.get_data())
        entries = [e for e in self.client.get("/_emulator/requests").json if e["operation"] == "AssumeRoleWithWebIdentity"]
        self.assertEqual([e["service"] for e in entries], ["sts"])

    def test_control_endpoints(self):
        self.assertEqual(self.client.get("/_emulator/health").json, {"status": "ok", "moto": "5.2.1"})
        r = self.client.post("/_emulator/config", json={"create_delay": 1.5})
        self.assertEqual(r.json["create_delay"], 1.5)
        self.client.post("/_emulator/config", json={"create_delay": 0})
        self.assertEqual(self.client.post("/_emulator/config", json={"modify_delay": -1}).status_code, 400)
        self.assertEqual(self.client.post("/_emulator/faults", json=[{"operation": "x"}]).status_code, 400)


class FaultRuleTest(unittest.TestCase):
    def call(self) -> Call:
        return Call(method="POST", path="/", headers={}, body=b"", service="elasticache", operation="CreateReplicationGroup")

    def fires(self, rule: FaultRule, n: int) -> list[bool]:
        rng = random.Random(1)
        return [rule.matches(self.call()) and rule.should_fire(rng) for _ in range(n)]

    def test_next_count_calls(self):
        self.assertEqual(self.fires(FaultRule("elasticache", "*", count=2), 4), [True, True, False, False])

    def test_nth(self):
        self.assertEqual(self.fires(FaultRule("elasticache", "CreateReplicationGroup", nth=3), 5), [False, False, True, False, False])
        self.assertEqual(self.fires(FaultRule("*", "*", nth=2, count=2), 5), [False, True, True, False, False])

    def test_no_match(self):
        self.assertEqual(self.fires(FaultRule("ec2", "*"), 2), [False, False])
        self.assertEqual(self.fires(FaultRule("elasticache", "DeleteReplicationGroup"), 2), [False, False])

    def test_probability(self):
        self.assertEqual(self.fires(FaultRule("elasticache", probability=0.0, count=3), 5), [False] * 5)
        self.assertEqual(self.fires(FaultRule("elasticache", probability=1.0, count=3), 5), [True, True, True, False, False])


if __name__ == "__main__":
    unittest.main()
