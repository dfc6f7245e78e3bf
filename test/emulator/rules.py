#!/usr/bin/env python3
"""AWS's semantic rules, each named, sourced and switchable.

The botocore model (validation.py) says which shapes a request may have; it cannot say that
Multi-AZ needs automatic failover, or that a parameter group's family is fixed. Those rules live
here, one `Rule` per behaviour, with the error code AWS answers, where we learnt it (a botocore
documentation quote, an AWS documentation URL, or the hashicorp/terraform-provider-aws code path
or issue that records it) and the tests that show the emulator rejecting and accepting.

Adding a rule:

    @rule("rg-multi-az-needs-failover", service="elasticache",
          operations=("CreateReplicationGroup", "ModifyReplicationGroup"),
          aws="Multi-AZ needs automatic failover.", error="InvalidParameterCombination",
          source='botocore elasticache CreateReplicationGroup.MultiAZEnabled: "..."',
          tests=("TestEmulatorX", "test_y"))
    def _multi_az(ctx: Context) -> None:
        if ...:
            raise AWSError("InvalidParameterCombination", "...")

`check` runs before the operation's handler (after model validation), with the parsed input and
the service's state. A rule that needs what the handler works out half-way is `declare`d instead
(a row of rules_catalog.toml, which rules_catalog.py declares) and tested inline with
`if rules.active(R.<KEY>) and ...`. Either way it can be switched off by
name (`--disable-rule NAME`, `EMULATOR_DISABLE_RULES=a,b`, `POST /_emulator/rules`) for
debugging; strict is the default and the acceptance suite never switches one off.

RULES.md is generated from this registry: `python3 test/emulator/rules.py --markdown >
test/emulator/RULES.md`; test_rules.py fails when it is out of date or a named test is missing.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from typing import Any, Callable


@dataclass
class Context:
    """What a rule's check sees: the region, the parsed request and the emulator."""

    service: str
    operation: str
    region: str
    params: dict[str, Any]
    emulator: Any = None

    def elasticache(self) -> Any:
        """The ElastiCache state of the request's region, with due transitions applied."""
        ec = self.emulator.elasticache
        reg = ec.region(self.region)
        ec.refresh(reg)
        return reg


@dataclass(frozen=True)
class Rule:
    name: str
    service: str
    operations: tuple[str, ...]
    aws: str  # what AWS does, one or two sentences
    error: str  # the error code AWS answers
    source: str  # botocore doc quote, AWS doc URL, or hashicorp/aws code path / issue
    tests: tuple[str, ...]  # Go or Python test names showing reject and accept
    check: Callable[[Context], None] | None = field(default=None, compare=False)


REGISTRY: dict[str, Rule] = {}
_disabled: set[str] = set()


def register(r: Rule) -> Rule:
    if r.name in REGISTRY:
        raise ValueError(f"rule {r.name!r} registered twice")
    if not r.tests:
        raise ValueError(f"rule {r.name!r} names no test")
    REGISTRY[r.name] = r
    return r


def rule(name: str, *, service: str, operations: tuple[str, ...], aws: str, error: str, source: str,
         tests: tuple[str, ...]) -> Callable[[Callable[[Context], None]], Callable[[Context], None]]:
    """Registers a check that runs before the handler of each of `operations`."""

    def deco(fn: Callable[[Context], None]) -> Callable[[Context], None]:
        register(Rule(name, service, tuple(operations), aws, error, source, tuple(tests), fn))
        return fn

    return deco


def declare(name: str, *, service: str, operations: tuple[str, ...], aws: str, error: str, source: str,
            tests: tuple[str, ...]) -> str:
    """Registers a rule implemented inline in a handler (`if rules.active(name) and ...`)."""
    register(Rule(name, service, tuple(operations), aws, error, source, tuple(tests)))
    return name


def active(name: str) -> bool:
    """Whether rule `name` is enforced. An unknown name is a bug, not a silent pass."""
    if name not in REGISTRY:
        raise KeyError(f"unknown emulator rule {name!r}")
    return name not in _disabled


def disabled() -> list[str]:
    return sorted(_disabled)


def set_disabled(names: list[str] | set[str]) -> None:
    """Replaces the set of switched-off rules; every name must be registered."""
    unknown = sorted(n for n in names if n not in REGISTRY)
    if unknown:
        raise ValueError(f"unknown rule(s) {', '.join(unknown)}; known: {', '.join(sorted(REGISTRY))}")
    _disabled.clear()
    _disabled.update(names)


def parse_names(raw: str | None) -> list[str]:
    return [n.strip() for n in (raw or "").split(",") if n.strip()]


def enforce(ctx: Context) -> None:
    """Runs every active check registered for ctx's operation; the first violation raises."""
    for r in REGISTRY.values():
        if r.check and r.service == ctx.service and ctx.operation in r.operations and r.name not in _disabled:
            r.check(ctx)


def load_all() -> None:
    """Imports the modules that register rules, so the registry is complete."""
    import rules_catalog  # noqa: F401


# ------------------------------------------------------------------------------ RULES.md


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def markdown() -> str:
    load_all()
    lines = [
        "# Emulator rules",
        "",
        "<!-- Generated by `python3 test/emulator/rules.py --markdown > test/emulator/RULES.md`; do not edit. -->",
        "",
        "AWS behaviour the emulator enforces beyond the botocore model's shapes. Each row is a named",
        "rule in `rules_catalog.py` (or a handler that checks `rules.active(name)`); switch one off",
        "for debugging with `--disable-rule NAME`, `EMULATOR_DISABLE_RULES=a,b` or",
        "`POST /_emulator/rules {\"disabled\": [...]}`. Strict is the default.",
        "",
        f"{len(REGISTRY)} rules.",
        "",
        "| rule | service: operations | what AWS does | error | source | tests (reject and accept) |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for r in sorted(REGISTRY.values(), key=lambda r: (r.service, r.name)):
        ops = ", ".join(r.operations)
        tests = ", ".join(f"`{t}`" for t in r.tests)
        lines.append(f"| `{r.name}` | {r.service}: {_cell(ops)} | {_cell(r.aws)} | `{r.error}` | {_cell(r.source)} | {tests} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import rules as _registry  # the module rules_catalog registers into, not __main__

    if sys.argv[1:] == ["--markdown"]:
        sys.stdout.write(_registry.markdown())
    else:
        sys.exit("usage: rules.py --markdown")
