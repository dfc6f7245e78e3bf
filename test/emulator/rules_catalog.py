"""The catalog of AWS's semantic rules the emulator enforces (see rules.py for the mechanism).

Each entry names what AWS does, the error it answers, where that is written down, and the tests
that show the emulator rejecting and accepting. The rules a handler checks inline (they need state
the handler works out) are rows of rules_catalog.toml, a table, since they are data; each becomes
a constant of this module (`R.MULTI_AZ_NEEDS_FAILOVER`), the name the handler passes to
`rules.active`. `@rule` entries, below, run before the handler. RULES.md is rendered from both:
`python3 test/emulator/rules.py --markdown > test/emulator/RULES.md`.
"""

from __future__ import annotations

import json
import os
import tomllib
from pathlib import Path
from typing import Any

from protocols import AWSError
from rules import Context, declare, rule

# ---------------------------------------------------------------- every service: the model

_MODEL_SOURCE = ("botocore 1.43 service-2.json of the called service: the operation's input shape "
                 "({what}); AWS validates requests against the same Smithy model "
                 "(https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CommonErrors.html: "
                 "ValidationError / MissingParameter / InvalidParameterValue)")
_MODEL_ERROR = "InvalidParameterValue / MissingParameter / ValidationError / ValidationException (validation.py)"
_MODEL_TESTS = ("TestEmulatorModelValidation", "test_validation_rules")
for _name, _what, _aws in (
    ("model-required", "`required`", "A request without a required member is rejected."),
    ("model-enum", "`enum`", "A string outside the member's enum is rejected."),
    ("model-length", "`min` / `max` on strings, blobs, lists and maps",
     "Strings, lists and maps shorter or longer than the model allows are rejected."),
    ("model-range", "`min` / `max` on numbers", "Numbers outside the model's range are rejected."),
    ("model-pattern", "`pattern`, matched against the whole value", "Strings that do not match the member's pattern are rejected."),
    ("model-type", "member types", "A JSON / CBOR value of the wrong type is rejected."),
):
    declare(_name, service="*", operations=("*",), aws=_aws, error=_MODEL_ERROR,
            source=_MODEL_SOURCE.format(what=_what), tests=_MODEL_TESTS)

TABLE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "rules_catalog.toml")


def _field(value: Any) -> Any:
    """A table cell as declare takes it: lists as tuples, a text's line breaks as spaces."""
    if isinstance(value, list):
        return tuple(value)
    return " ".join(value.split()) if isinstance(value, str) else value


def _declare_table(path: str) -> dict[str, str]:
    """Registers every row of the table; returns the rule name of each row's key. A row with a
    missing or unknown field fails here (declare's keywords), when the emulator starts."""
    with open(path, "rb") as f:
        table = tomllib.load(f)
    return {key: declare(**{k: _field(v) for k, v in row.items()}) for key, row in table.items()}


# The table's keys become module constants: handlers write `rules.active(R.CW_PERIOD)`.
globals().update(_declare_table(TABLE))

# ---------------------------------------------------------------- log groups

LOGS = "logs"
LOG_RETENTION_DAYS = (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653)


@rule("logs-retention-days", service=LOGS, operations=("PutRetentionPolicy",),
      aws="A log group's retention is one of 1, 3, 5, 7, 14, 30, 60, 90, ... 3653 days.",
      error="InvalidParameterException",
      source="botocore logs 2014-03-28 service-2.json Days: \"Possible values are: 1, 3, 5, 7, 14, 30, 60, 90, 120, "
             "150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, and 3653.\"",
      tests=("TestEmulatorRulesLogsAndUsers",))
def _retention_days(ctx: Context) -> None:
    days = ctx.params.get("retentionInDays")
    if days is not None and days not in LOG_RETENTION_DAYS:
        raise AWSError("InvalidParameterException", f"1 validation error detected: Value '{days}' at 'retentionInDays' failed to satisfy constraint: Member must satisfy enum value set: {list(LOG_RETENTION_DAYS)}")

# ---------------------------------------------------------------- global datastores (ext_global.py)

EC = "elasticache"

# The rows are data (fixtures/global_rules.json): a table of what AWS does and its sources.
with open(Path(__file__).resolve().parent / "fixtures" / "global_rules.json", encoding="utf-8") as _f:
    _GLOBAL = json.load(_f)
GLOBAL_RULES = {row["const"]: declare(row["name"], service=EC, operations=tuple(row["operations"]), aws=row["aws"],
                                      error=row["error"], source=row["source"], tests=tuple(_GLOBAL["tests"]))
                for row in _GLOBAL["rules"]}
