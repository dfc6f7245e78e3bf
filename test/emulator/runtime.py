"""Settings and clock shared by the dispatcher and the extensions.

Statuses are computed lazily from timestamps: a resource records the status it is in, the time
it leaves it and the status it goes to. Nothing runs in the background.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime, timezone


@dataclass
class Config:
    create_delay: float = 0.0
    modify_delay: float = 0.0
    delete_delay: float = 0.0

    def update(self, values: dict[str, object]) -> None:
        for key in ("create_delay", "modify_delay", "delete_delay"):
            if key in values and values[key] is not None:
                value = float(values[key])  # type: ignore[arg-type]
                if value < 0:
                    raise ValueError(f"{key} must be >= 0")
                setattr(self, key, value)

    def as_dict(self) -> dict[str, float]:
        return {"create_delay": self.create_delay, "modify_delay": self.modify_delay, "delete_delay": self.delete_delay}


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
