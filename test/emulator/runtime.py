"""Settings and clock shared by the dispatcher and the extensions.

Statuses are computed lazily from timestamps: a resource records the status it is in, the time
it leaves it and the status it goes to. Nothing runs in the background.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime, timezone


# AWS's non-determinism, as switches (README "Non-determinism"). All off by default; the
# acceptance suite's second pass (EMULATOR_NONDETERMINISM=1, make test-nondeterministic) turns
# on NONDETERMINISM_ON.
NONDETERMINISM_ON: dict[str, object] = {
    "not_found_after_create": 2,
    "failover_after_create": True,
    "random_replica_removal": True,
    "member_lag": 1.0,
    "tag_modifying": 0.5,
    "parameter_apply_lag": 0.5,
    "failover_probability": 0.0,
}

_FLOATS = ("create_delay", "modify_delay", "delete_delay", "member_lag", "tag_modifying", "parameter_apply_lag",
           "failover_probability")
_INTS = ("not_found_after_create",)
_BOOLS = ("failover_after_create", "random_replica_removal")


@dataclass
class Config:
    create_delay: float = 0.0
    modify_delay: float = 0.0
    delete_delay: float = 0.0
    # Describe-by-id (replication group, cache cluster, serverless cache, EC2 security group, and
    # AuthorizeSecurityGroupIngress/Egress) answers NotFound this many times right after a create.
    not_found_after_create: int = 0
    # A group created with replicas (cluster mode disabled) has failed over once it is available:
    # its primary is another member than -001.
    failover_after_create: bool = False
    # DecreaseReplicaCount without ReplicasToRemove removes replicas AWS picks at random (never
    # the primary) instead of the highest-numbered ones.
    random_replica_removal: bool = False
    # Seconds member clusters still report 'modifying' after their group is 'available' again.
    member_lag: float = 0.0
    # Seconds a replication group reports 'modifying' after AddTagsToResource / RemoveTagsFromResource.
    tag_modifying: float = 0.0
    # Seconds a replication group / cluster using a modified parameter group reports 'modifying'
    # with ParameterApplyStatus 'applying'.
    parameter_apply_lag: float = 0.0
    # Chance (0-1) that a DescribeReplicationGroups by id finds an available group with replicas
    # failed over to another member (seeded by --seed).
    failover_probability: float = 0.0

    def update(self, values: dict[str, object]) -> None:
        for key, value in values.items():
            if value is None:
                continue
            if key in _FLOATS:
                value = float(value)  # type: ignore[arg-type]
                if value < 0 or (key == "failover_probability" and value > 1):
                    raise ValueError(f"{key} must be >= 0" + (" and <= 1" if key == "failover_probability" else ""))
            elif key in _INTS:
                value = int(value)  # type: ignore[arg-type]
                if value < 0:
                    raise ValueError(f"{key} must be >= 0")
            elif key in _BOOLS:
                if not isinstance(value, bool):
                    raise ValueError(f"{key} must be true or false")
            else:
                raise ValueError(f"unknown setting {key!r}")
            setattr(self, key, value)

    def as_dict(self) -> dict[str, object]:
        return {k: getattr(self, k) for k in (*_FLOATS[:3], *_INTS, *_BOOLS, *_FLOATS[3:])}


def now() -> float:
    return time.time()


def utc(ts: float) -> datetime:
    return datetime.fromtimestamp(ts, tz=timezone.utc)


GONE = "__gone__"


@dataclass
class Lifecycle:
    """A status with an optional timed transition to the next one (GONE = deleted)."""

    status: str
    until: float | None = None
    then: str | None = None
    on_done: list = field(default_factory=list)  # callables run when the transition happens

    def move(self, status: str, delay: float, then: str, on_done=None) -> None:
        self.status = status
        self.until = now() + delay
        self.then = then
        self.on_done = [on_done] if on_done else []

    def tick(self) -> bool:
        """Applies a due transition. Returns True when the resource is now gone."""
        if self.until is not None and now() >= self.until:
            callbacks, self.on_done = self.on_done, []
            self.status, self.until, self.then = self.then or self.status, None, None
            for cb in callbacks:
                cb()
        return self.status == GONE

    @property
    def busy(self) -> bool:
        return self.until is not None
