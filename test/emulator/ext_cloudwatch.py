"""CloudWatch metric alarms over Smithy RPC v2 CBOR.

aws-sdk-go-v2's cloudwatch client (>= v1.53) speaks rpcv2Cbor:
POST /service/GraniteServiceVersion20100801/operation/<Op> with a CBOR body. moto does not, so
this module owns the alarm state. Responses are shaped by botocore's CloudWatch model (numbers
typed as the model says -- an int where the SDK reads an integer, a float for a double -- and
timestamps as CBOR tag 1), then CBOR-encoded.

Errors: a CBOR map with "__type" (the error shape's id, e.g.
com.amazonaws.cloudwatch#ResourceNotFound) and "message", plus the x-amzn-query-error header
(CloudWatch is awsQueryCompatible, so the SDK takes the error code from it).
"""

from __future__ import annotations

import base64
import json
import math
import re
from datetime import datetime
from functools import lru_cache
from typing import Any

import cbor
import rules
import rules_catalog as R
from protocols import (ACCOUNT_ID, AWSError, Response, cbor_error, json_error, query_error, query_parse,
                       query_serialize, service_model)
from runtime import now, utc

SERVICE = "cloudwatch"
STATISTICS = ("SampleCount", "Average", "Sum", "Minimum", "Maximum")
OPERATORS = ("GreaterThanOrEqualToThreshold", "GreaterThanThreshold", "LessThanThreshold", "LessThanOrEqualToThreshold",
             "LessThanLowerOrGreaterThanUpperThreshold", "LessThanLowerThreshold", "GreaterThanUpperThreshold")
MISSING_DATA = ("breaching", "notBreaching", "ignore", "missing")
EXTENDED_STAT = re.compile(r"^(p|tm|tc|ts|wm|pr|tc)\d+(\.\d+)?$|^(TM|TC|TS|PR|WM)\(.+\)$")


@lru_cache(maxsize=None)
def _error_shapes() -> dict[str, str]:
    """Maps a query error code (and a shape name) to the shape name the SDK registers."""
    out = {}
    for shape in service_model(SERVICE).error_shapes:
        out[shape.name] = shape.name
        out[shape.metadata.get("error", {}).get("code", shape.name)] = shape.name
    return out


def error_response(err: AWSError, protocol: str = "cbor") -> Response:
    type_name = _error_shapes().get(err.code, err.code)
    if protocol == "query":
        return query_error(SERVICE, err)
    if protocol == "json":
        return json_error(err, "application/x-amz-json-1.0", type_name=f"com.amazonaws.cloudwatch#{type_name}", query_compatible=True)
    return cbor_error(err, type_name=type_name)


def invalid(message: str) -> AWSError:
    return AWSError("InvalidParameterValue", message, status=400)


# ------------------------------------------------------------------ model-driven shaping


def shaped(shape: Any, value: Any) -> Any:
    """Converts a Python value to what the SDK expects for a model shape (None = omit)."""
    if value is None:
        return None
    t = shape.type_name
    if t == "structure":
        out = {}
        for name, member in shape.members.items():
            if isinstance(value, dict) and name in value:
                v = shaped(member, value[name])
                if v is not None:
                    out[name] = v
        return out
    if t == "list":
        return [v for v in (shaped(shape.member, item) for item in value) if v is not None]
    if t == "map":
        return {str(k): shaped(shape.value, v) for k, v in value.items()}
    if t in ("integer", "long"):
        return int(value)
    if t in ("double", "float"):
        return float(value)
    if t == "boolean":
        return bool(value)
    if t == "timestamp":
        return value if isinstance(value, datetime) else utc(float(value))
    if t == "blob":
        return value if isinstance(value, bytes) else base64.b64decode(value)
    return str(value)


def _json_ready(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.timestamp()
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    if isinstance(value, dict):
        return {k: _json_ready(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_ready(v) for v in value]
    return value


def output(operation: str, result: dict | None, protocol: str = "cbor") -> Response:
    if protocol == "query":
        return query_serialize(SERVICE, operation, result or {})
    op = service_model(SERVICE).operation_model(operation)
    if protocol == "json":
        body = shaped(op.output_shape, result or {}) if op.output_shape is not None else {}
        return 200, {"Content-Type": "application/x-amz-json-1.0"}, json.dumps(_json_ready(body)).encode("utf-8")
    headers = {"Content-Type": "application/cbor", "Smithy-Protocol": "rpc-v2-cbor"}
    if op.output_shape is None:
        return 200, headers, b""
    return 200, headers, cbor.encode(shaped(op.output_shape, result or {}))


# ------------------------------------------------------------------ the service


class CloudWatch:
    def __init__(self) -> None:
        self.alarms: dict[str, dict[str, dict]] = {}  # region -> name -> alarm
        self.tags: dict[str, dict[str, str]] = {}  # alarm ARN -> tags

    def handles(self, operation: str) -> bool:
        return hasattr(self, "op_" + operation)

    def handle(self, region: str, operation: str, protocol: str, document: Any = None, form: Any = None) -> Response:
        """Serves an operation in any of CloudWatch's protocols: rpcv2Cbor (aws-sdk-go-v2),
        awsJson1_0 (current botocore) or awsQuery (older SDKs), all over the same alarms."""
        handler = getattr(self, "op_" + operation, None)
        try:
            if handler is None:
                raise AWSError("UnknownOperationException", f"The emulator does not implement CloudWatch {operation}.", status=400)
            if protocol == "query":
                document = query_parse(SERVICE, operation, form)
            if document is None:
                document = {}
            if not isinstance(document, dict):
                raise AWSError("SerializationException", "The request body is not a map.", status=400)
            result = handler(region, document)
        except AWSError as err:
            return error_response(err, protocol)
        return output(operation, result, protocol)

    def _region(self, region: str) -> dict[str, dict]:
        return self.alarms.setdefault(region, {})

    @staticmethod
    def alarm_arn(region: str, name: str) -> str:
        return f"arn:aws:cloudwatch:{region}:{ACCOUNT_ID}:alarm:{name}"

    # -- PutMetricAlarm ---------------------------------------------------------------------

    def _validate(self, d: dict) -> None:
        # Names, lengths, enums and required members are the model's (validation.py); what
        # follows are the rules the model's documentation states in words.
        dta = d.get("DatapointsToAlarm")
        if rules.active(R.CW_DATAPOINTS_OF_PERIODS) and dta is not None and not 1 <= dta <= d["EvaluationPeriods"]:
            raise invalid("DatapointsToAlarm must be between 1 and EvaluationPeriods.")
        if d.get("TreatMissingData") is not None and d["TreatMissingData"] not in MISSING_DATA:
            raise invalid(f"TreatMissingData must be one of {', '.join(MISSING_DATA)}.")
        metrics = d.get("Metrics")
        if metrics:
            if d.get("MetricName") or d.get("Namespace") or d.get("Statistic") or d.get("Dimensions"):
                raise AWSError("InvalidParameterCombination", "Metrics cannot be combined with MetricName, Namespace, Statistic or Dimensions.", status=400)
            return
        if not d.get("MetricName") or not d.get("Namespace"):
            raise AWSError("MissingParameter", "MetricName and Namespace are required when Metrics is not given.", status=400)
        stat, ext = d.get("Statistic"), d.get("ExtendedStatistic")
        if stat and ext:
            raise AWSError("InvalidParameterCombination", "Statistic and ExtendedStatistic cannot both be specified.", status=400)
        if not stat and not ext:
            raise AWSError("MissingParameter", "One of Statistic or ExtendedStatistic is required.", status=400)
        if stat and stat not in STATISTICS:
            raise invalid(f"Statistic must be one of {', '.join(STATISTICS)}.")
        if ext and not EXTENDED_STAT.match(ext):
            raise invalid(f"Invalid ExtendedStatistic: {ext}")
        period = d.get("Period")
        if period is None:
            raise AWSError("MissingParameter", "The parameter Period is required.", status=400)
        if rules.active(R.CW_PERIOD) and (not isinstance(period, int) or period < 10 or (period not in (10, 20, 30) and period % 60 != 0)):
            raise invalid("Period must be 10, 20, 30 or a multiple of 60.")
        if d.get("Threshold") is None and not d.get("ThresholdMetricId"):
            raise AWSError("MissingParameter", "The parameter Threshold is required.", status=400)
        threshold = d.get("Threshold")
        if threshold is not None and (isinstance(threshold, bool) or not isinstance(threshold, (int, float)) or math.isnan(threshold)):
            raise invalid("Threshold must be a number.")

    def op_PutMetricAlarm(self, region: str, d: dict) -> None:
        self._validate(d)
        alarms = self._region(region)
        name = d["AlarmName"]
        existing = alarms.get(name)
        if existing is None and len(alarms) >= 5000:
            raise AWSError("LimitExceeded", "The maximum number of alarms for this account has been reached.", status=400)
        t = now()
        alarm = {k: v for k, v in d.items() if k != "Tags" and v is not None}
        alarm.setdefault("ActionsEnabled", True)
        for key in ("OKActions", "AlarmActions", "InsufficientDataActions"):
            alarm.setdefault(key, [])
        alarm.setdefault("Dimensions", [])
        alarm["AlarmArn"] = self.alarm_arn(region, name)
        alarm["AlarmConfigurationUpdatedTimestamp"] = t
        if existing is None:
            alarm.update(StateValue="INSUFFICIENT_DATA", StateReason="Unchecked: Initial alarm creation",
                         StateUpdatedTimestamp=t, StateTransitionedTimestamp=t)
            # Tags are applied only when the alarm is created; on update AWS ignores them.
            tags = {}
            for tag in d.get("Tags") or []:
                tags[tag["Key"]] = tag.get("Value", "")
            if len(tags) > 50:
                raise invalid("At most 50 tags are allowed.")
            self.tags[alarm["AlarmArn"]] = tags
        else:
            for key in ("StateValue", "StateReason", "StateUpdatedTimestamp", "StateTransitionedTimestamp"):
                alarm[key] = existing[key]
        alarms[name] = alarm

    # -- DescribeAlarms ---------------------------------------------------------------------

    def op_DescribeAlarms(self, region: str, d: dict) -> dict:
        alarms = sorted(self._region(region).values(), key=lambda a: a["AlarmName"])
        names, prefix = d.get("AlarmNames"), d.get("AlarmNamePrefix")
        if names and prefix:
            raise AWSError("InvalidParameterCombination", "AlarmNames and AlarmNamePrefix cannot both be specified.", status=400)
        if names:
            if len(names) > 100:
                raise invalid("At most 100 alarm names are allowed.")
            alarms = [a for a in alarms if a["AlarmName"] in names]
        if prefix:
            alarms = [a for a in alarms if a["AlarmName"].startswith(prefix)]
        if d.get("StateValue"):
            alarms = [a for a in alarms if a["StateValue"] == d["StateValue"]]
        if d.get("ActionPrefix"):
            alarms = [a for a in alarms if any(x.startswith(d["ActionPrefix"]) for x in a["AlarmActions"] + a["OKActions"] + a["InsufficientDataActions"])]
        types = d.get("AlarmTypes") or ["MetricAlarm"]
        if "MetricAlarm" not in types:
            alarms = []
        max_records = d.get("MaxRecords")
        if max_records is not None and not 1 <= max_records <= 100:
            raise invalid("MaxRecords must be between 1 and 100.")
        size = max_records or 50
        start = 0
        token = d.get("NextToken")
        if token:
            m = re.match(r"^cw-(\d+)$", token)
            if not m:
                raise AWSError("InvalidNextToken", "The service received an invalid NextToken.", status=400)
            start = int(m.group(1))
        page = alarms[start : start + size]
        out: dict[str, Any] = {"MetricAlarms": [self._render(a) for a in page]}
        if "CompositeAlarm" in types:
            out["CompositeAlarms"] = []
        if start + size < len(alarms):
            out["NextToken"] = f"cw-{start + size}"
        return out

    @staticmethod
    def _render(alarm: dict) -> dict:
        out = dict(alarm)
        for key in ("AlarmConfigurationUpdatedTimestamp", "StateUpdatedTimestamp", "StateTransitionedTimestamp"):
            out[key] = utc(alarm[key])
        return out

    # -- DeleteAlarms -----------------------------------------------------------------------

    def op_DeleteAlarms(self, region: str, d: dict) -> None:
        names = d.get("AlarmNames") or []
        if not names:
            raise AWSError("MissingParameter", "The parameter AlarmNames is required.", status=400)
        if len(names) > 100:
            raise invalid("At most 100 alarm names are allowed.")
        alarms = self._region(region)
        missing = [n for n in names if n not in alarms]
        if missing:
            raise AWSError("ResourceNotFound", f"Alarm(s) not found: {', '.join(missing)}", status=404)
        for n in names:
            self.tags.pop(alarms[n]["AlarmArn"], None)
            del alarms[n]

    # -- tags -------------------------------------------------------------------------------

    def _alarm_for_arn(self, resource_arn: Any) -> str:
        m = re.match(r"^arn:aws[a-z-]*:cloudwatch:([a-z0-9-]+):(\d{12}):alarm:(.+)$", resource_arn or "")
        if not m:
            raise invalid(f"Invalid ARN: {resource_arn}")
        region, _, name = m.groups()
        if name not in self._region(region):
            err = AWSError("ResourceNotFoundException", f"Alarm {name} not found.", status=404)
            raise err
        return self.alarm_arn(region, name)

    def op_TagResource(self, region: str, d: dict) -> dict:
        key = self._alarm_for_arn(d.get("ResourceARN"))
        tags = dict(self.tags.get(key, {}))
        for tag in d.get("Tags") or []:
            if not tag.get("Key"):
                raise invalid("Tag keys must not be empty.")
            tags[tag["Key"]] = tag.get("Value", "")
        if len(tags) > 50:
            raise invalid("At most 50 tags are allowed.")
        self.tags[key] = tags
        return {}

    def op_UntagResource(self, region: str, d: dict) -> dict:
        key = self._alarm_for_arn(d.get("ResourceARN"))
        for k in d.get("TagKeys") or []:
            self.tags.get(key, {}).pop(k, None)
        return {}

    def op_ListTagsForResource(self, region: str, d: dict) -> dict:
        key = self._alarm_for_arn(d.get("ResourceARN"))
        return {"Tags": [{"Key": k, "Value": v} for k, v in self.tags.get(key, {}).items()]}

    # -- for /_emulator/resources -----------------------------------------------------------

    def resources(self) -> list[dict]:
        return [{"id": name, "status": a["StateValue"], "region": region}
                for region, alarms in self.alarms.items() for name, a in sorted(alarms.items())]
