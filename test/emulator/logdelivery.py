"""Slow and engine log delivery of replication groups (LogDeliveryConfigurations).

Each configuration is kept per log type as AWS reports it (DestinationType, DestinationDetails,
LogFormat, Status active); a request with Enabled=false switches its log type off. The rules
below are AWS's, each named in rules_catalog.py with its source.
"""

from __future__ import annotations

from typing import Any

import rules
import rules_catalog as R
from protocols import AWSError

# The version floors of log delivery (slow log Redis OSS 6.0, engine log 6.2) are below every
# Redis OSS release the emulator offers (6.2+); the provider checks them at plan time.


def apply(current: dict[str, dict], requests: list[dict] | None, engine: str, version: str, *, modify: bool,
          apply_immediately: bool) -> dict[str, dict]:
    """Returns the deliveries after the requests; raises AWS's error for a refused one."""
    if not requests:
        return current
    if modify and rules.active(R.LOG_DELIVERY_APPLY_IMMEDIATELY) and not apply_immediately:
        raise AWSError("InvalidParameterValue", "To modify the log delivery configuration, set the apply-immediately parameter to true.")
    out = dict(current)
    for r in requests:
        log_type = r.get("LogType")
        if not log_type:
            raise AWSError("InvalidParameterValue", "LogType must be provided in each LogDeliveryConfiguration.")
        if r.get("Enabled") is False:
            out.pop(log_type, None)
            continue
        dest_type = r.get("DestinationType")
        details = r.get("DestinationDetails") or {}
        name = (details.get("CloudWatchLogsDetails") or {}).get("LogGroup") if dest_type == "cloudwatch-logs" else \
            (details.get("KinesisFirehoseDetails") or {}).get("DeliveryStream")
        if not dest_type or not r.get("LogFormat") or not name:
            raise AWSError("InvalidParameterValue", f"{log_type}: DestinationType, DestinationDetails and LogFormat are required.")
        out[log_type] = {"LogType": log_type, "DestinationType": dest_type, "DestinationDetails": details,
                         "LogFormat": r["LogFormat"], "Status": "active"}
    return out


def render(deliveries: dict[str, dict]) -> list[dict[str, Any]]:
    return [dict(d) for _, d in sorted(deliveries.items())]
