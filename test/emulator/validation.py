"""One validator for every request, driven by the botocore service model moto installs.

The dispatcher parses each request into its operation's input shape (protocols.parse_input) and
calls `validate` before any handler or moto sees it. Checked, as AWS's request validation does:
required members, enums, string and blob lengths, numeric ranges, patterns (whole-value
matches, as AWS's Java-regex validation does) and list / map lengths, at every depth. The error is
the one the service answers, in its protocol (the dispatcher renders the AWSError):

| service | missing member | other violations | source |
| --- | --- | --- | --- |
| elasticache | `InvalidParameterValue` "The parameter X must be provided and must not be blank." | `InvalidParameterValue` | every ElastiCache operation models `InvalidParameterValueException` ("The value for a parameter is invalid"); message as AWS words it |
| ec2 | `MissingParameter` "The request must contain the parameter X" | `InvalidParameterValue` | https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html |
| logs | `InvalidParameterException` | `InvalidParameterException` | botocore logs: every operation models InvalidParameterException |
| other awsQuery (cloudwatch, sts, sns, ...) | `ValidationError` | `ValidationError` | https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CommonErrors.html |
| other JSON / CBOR (pricing, application-autoscaling, ...) | `ValidationException` | `ValidationException` | same page, JSON protocols |

Messages follow AWS's "1 validation error detected: Value 'x' at 'alarmName' failed to satisfy
constraint: Member must have length less than or equal to 255" form. Each kind of check is a named
rule (rules_catalog.py), so e.g. pattern checks can be switched off alone for debugging.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

import rules
from protocols import AWSError, service_model

# The rule names of the generic checks (registered in rules_catalog.py).
REQUIRED, ENUM, LENGTH, RANGE, PATTERN, TYPE = (
    "model-required", "model-enum", "model-length", "model-range", "model-pattern", "model-type")


@dataclass
class Violation:
    rule: str
    path: str  # AWS style: alarmName, metrics.1.member.id
    member: str  # the member's own name as the model spells it (ReplicationGroupId)
    value: Any
    constraint: str


def _aws_path(parts: list[str]) -> str:
    out = []
    for p in parts:
        out.append(p if p.isdigit() or p == "member" else p[:1].lower() + p[1:])
    return ".".join(out)


@lru_cache(maxsize=4096)
def _regex(pattern: str) -> re.Pattern | None:
    try:
        return re.compile(pattern, re.DOTALL)
    except re.error:  # a Java-only construct: no check rather than a wrong one
        return None


def _check_scalar(shape: Any, value: Any, parts: list[str], out: list[Violation]) -> None:
    meta, kind = shape.metadata, shape.type_name
    path, member = _aws_path(parts), parts[-1] if parts else ""

    def add(rule: str, constraint: str) -> None:
        out.append(Violation(rule, path, member, value, constraint))

    if kind == "string":
        if not isinstance(value, str):
            return add(TYPE, "Member must be a string")
        if "min" in meta and len(value) < meta["min"]:
            add(LENGTH, f"Member must have length greater than or equal to {meta['min']}")
        if "max" in meta and len(value) > meta["max"]:
            add(LENGTH, f"Member must have length less than or equal to {meta['max']}")
        if getattr(shape, "enum", None) and value not in shape.enum:
            add(ENUM, f"Member must satisfy enum value set: [{', '.join(shape.enum)}]")
        rx = _regex(meta["pattern"]) if "pattern" in meta else None
        if rx is not None and not rx.fullmatch(value):
            add(PATTERN, f"Member must satisfy regular expression pattern: {meta['pattern']}")
    elif kind in ("integer", "long", "double", "float"):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return add(TYPE, f"Member must be a number ({kind})")
        if kind in ("integer", "long") and isinstance(value, float) and not value.is_integer():
            return add(TYPE, f"Member must be an integer ({kind})")
        if "min" in meta and value < meta["min"]:
            add(RANGE, f"Member must have value greater than or equal to {meta['min']}")
        if "max" in meta and value > meta["max"]:
            add(RANGE, f"Member must have value less than or equal to {meta['max']}")
    elif kind == "boolean":
        if not isinstance(value, bool):
            add(TYPE, "Member must be a boolean")
    elif kind == "blob":
        if not isinstance(value, (bytes, bytearray, str)):
            return add(TYPE, "Member must be a blob")
        if "min" in meta and len(value) < meta["min"]:
            add(LENGTH, f"Member must have length greater than or equal to {meta['min']}")
        if "max" in meta and len(value) > meta["max"]:
            add(LENGTH, f"Member must have length less than or equal to {meta['max']}")
    elif kind == "timestamp":
        if not isinstance(value, (datetime, int, float, str)) or isinstance(value, bool):
            add(TYPE, "Member must be a timestamp")


def _wire_name(name: str, member: Any) -> str:
    """The member's name on the wire (EC2's GroupDescription for the model's Description)."""
    ser = member.serialization
    return ser.get("queryName") or ser.get("name") or name


def _check(shape: Any, value: Any, parts: list[str], out: list[Violation]) -> None:
    if value is None:
        return
    kind = shape.type_name
    if kind == "structure":
        if not isinstance(value, dict):
            out.append(Violation(TYPE, _aws_path(parts), parts[-1] if parts else "", value, "Member must be a structure"))
            return
        for name in shape.required_members:
            if value.get(name) is None:
                wire = _wire_name(name, shape.members[name])
                out.append(Violation(REQUIRED, _aws_path(parts + [wire]), wire, None, "Member must not be null"))
        for name, member in shape.members.items():
            if name in value:
                _check(member, value[name], parts + [_wire_name(name, member)], out)
    elif kind == "list":
        _check_collection(shape, value, list, parts, out)
        if isinstance(value, list):
            for i, item in enumerate(value, 1):
                _check(shape.member, item, parts + ["member", str(i)], out)
    elif kind == "map":
        _check_collection(shape, value, dict, parts, out)
        if isinstance(value, dict):
            for k, v in value.items():
                _check(shape.key, k, parts + ["key"], out)
                _check(shape.value, v, parts + [str(k)], out)
    else:
        _check_scalar(shape, value, parts, out)


def _check_collection(shape: Any, value: Any, kind: type, parts: list[str], out: list[Violation]) -> None:
    path, member = _aws_path(parts), parts[-1] if parts else ""
    if not isinstance(value, kind):
        out.append(Violation(TYPE, path, member, value, f"Member must be a {shape.type_name}"))
        return
    meta = shape.metadata
    if "min" in meta and len(value) < meta["min"]:
        out.append(Violation(LENGTH, path, member, value, f"Member must have length greater than or equal to {meta['min']}"))
    if "max" in meta and len(value) > meta["max"]:
        out.append(Violation(LENGTH, path, member, value, f"Member must have length less than or equal to {meta['max']}"))


def violations(service: str, operation: str, params: dict[str, Any]) -> list[Violation]:
    """Every way params breaks the operation's input shape (only the active rules)."""
    shape = service_model(service).operation_model(operation).input_shape
    out: list[Violation] = []
    if shape is not None:
        _check(shape, params, [], out)
    return [v for v in out if rules.active(v.rule)]


def _shown(value: Any) -> str:
    if value is None:
        return "null"
    text = str(value)
    return text if len(text) <= 100 else text[:97] + "..."


def error_for_violations(service: str, protocol: str, found: list[Violation]) -> AWSError:
    """The error the service answers for found (non-empty), worded as AWS words it."""
    first = found[0]
    coral = "; ".join(f"Value '{_shown(v.value)}' at '{v.path}' failed to satisfy constraint: {v.constraint}"
                      if v.value is not None else f"Value null at '{v.path}' failed to satisfy constraint: {v.constraint}"
                      for v in found)
    n = len(found)
    coral = f"{n} validation error{'s' if n > 1 else ''} detected: {coral}"
    if service == "elasticache":
        if first.rule == REQUIRED:
            return AWSError("InvalidParameterValue", f"The parameter {first.member} must be provided and must not be blank.", status=400)
        return AWSError("InvalidParameterValue", coral, status=400)
    if service == "ec2":
        if first.rule == REQUIRED:
            return AWSError("MissingParameter", f"The request must contain the parameter {first.member}", status=400)
        return AWSError("InvalidParameterValue", coral, status=400)
    if service == "logs":
        return AWSError("InvalidParameterException", coral, status=400)
    # A service that moved from awsQuery to JSON / CBOR (CloudWatch) keeps its query codes.
    if protocol in ("query", "ec2") or "awsQueryCompatible" in service_model(service).metadata:
        return AWSError("ValidationError", coral, status=400)
    return AWSError("ValidationException", coral, status=400)


def validate(service: str, operation: str, protocol: str, params: dict[str, Any]) -> None:
    """Raises the service's validation error when params breaks the model."""
    found = violations(service, operation, params)
    if found:
        raise error_for_violations(service, protocol, found)
