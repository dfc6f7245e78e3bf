"""The emulator's data plane: real engines behind every emulated cache (see README "Data plane").

ext_elasticache owns the API state; after every state refresh it calls DataPlane.sync, which
makes the engines match that state (reconciliation, so create, modify, replica and shard changes,
failover, parameter changes, AUTH rotation and delete all go through one path):

- replication group (cluster mode off): one redis-server per member, replicas REPLICAOF the
  primary (members[0] of the node group); primary and reader endpoints are relays that follow
  the roles, as AWS's DNS names do;
- cluster mode: a real Redis Cluster, one engine per member, the shards' slot ranges as the API
  reports them (`Slots`), resharding migrates slots (and their keys); the configuration endpoint
  is a relay to a live primary;
- serverless Valkey/Redis: one cluster-mode primary owning every slot on the endpoint's port and
  a cluster replica on the reader port (AWS's serverless endpoints speak the cluster protocol,
  and the reader endpoint is port + 1 on the same host);
- Memcached (node-based): one memcached per node; the configuration endpoint answers
  ElastiCache's auto-discovery command `config get cluster` itself and relays anything else;
  serverless Memcached: one memcached with TLS.

Every engine gets its own loopback address and keeps the cache's configured port, because the
provider reads the port back from the endpoints (`network.port`; changing it forces a
replacement), exactly as AWS keeps one port across all of a cache's host names.

Secrets: AUTH tokens and user passwords reach this module only as SHA-256 hashes (Redis ACL
`#<hash>` passwords); the engines never see a clear-text secret either.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

from engines import Addresses, Authority, EngineError, Memcached, Redis, Relay, Spawner, binaries, info, wait_until
from protocols import AWSError

DEFAULT_MAX_ENGINES = 32
SLOTS = 16384
INSTALL_HINT = "sudo apt-get install -y redis-server memcached"

# Parameters that exist in ElastiCache's parameter groups but not in redis.conf, or that cannot
# change on a running engine, or that the host limits (maxclients 65000 needs more file
# descriptors than a test machine gives): the emulator shows them in the API only.
NOT_ENGINE_PARAMETERS = {"cluster-enabled", "reserved-memory-percent", "close-on-replica-write", "databases",
                         "activedefrag", "active-defrag-cycle-min", "active-defrag-cycle-max", "maxclients",
                         "client-output-buffer-limit-normal-hard-limit", "client-output-buffer-limit-pubsub-hard-limit"}


def sha256(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def node_memory_gib(node_type: str) -> float:
    prices = json.loads((Path(__file__).resolve().parent / "fixtures" / "prices.json").read_text())
    raw = prices["node_types"].get(node_type, {}).get("memory", "1 GiB")
    return float(raw.split()[0])


def memory_budget(node_type: str, reserved_percent: float = 25.0) -> int:
    """maxmemory in bytes: the node's memory scaled 1:256 (one MiB per 256 MiB of node memory),
    between 8 and 64 MiB, less ElastiCache's reserved-memory-percent (25 % by default) — small
    enough that a test fills it in well under a second, in proportion to the node type."""
    mib = min(max(node_memory_gib(node_type) * 1024 / 256, 8), 64)
    return int(mib * (100 - reserved_percent) / 100 * 1024 * 1024)


class DataPlane:
    """All engines of one emulator. Off (no engines, hostnames in endpoints) unless enabled."""

    def __init__(self, mode: str = "off", max_engines: int = DEFAULT_MAX_ENGINES, seed: int | None = None) -> None:
        self.mode, self.max_engines = mode, max_engines
        self.enabled, self.reason = False, "off (--data-plane off)"
        self.deployments: dict[str, Any] = {}
        self.errors: dict[str, str] = {}
        self.failed: dict[str, dict] = {}
        self.versions: dict[str, str | None] = {}
        self.lock = threading.RLock()
        if mode == "off":
            return
        self.versions = binaries()
        missing = [name for name in ("redis-server", "memcached") if self.versions.get(name) is None]
        if missing:
            self.reason = f"off: {' and '.join(missing)} not found (install: {INSTALL_HINT})"
            if mode == "on":
                raise SystemExit(f"emulator: --data-plane on, but {self.reason}")
            return
        self.dir = Path(tempfile.mkdtemp(prefix="emulator-dataplane-"))
        self.authority = Authority(self.dir)
        self.spawner = Spawner()
        self.addresses = Addresses(seed)
        self.secret = secrets.token_hex(16)
        self.enabled, self.reason = True, "on"

    # ------------------------------------------------------------------ facts for tests

    @property
    def ca_file(self) -> str:
        return str(self.authority.ca_file) if self.enabled else ""

    def banner(self) -> str:
        if not self.enabled:
            return f"emulator: data plane {self.reason}; the control plane works, endpoints lead nowhere"
        return (f"emulator: data plane on ({self.versions['redis-server']}; {self.versions['memcached']}); "
                f"at most {self.max_engines} engines; TLS CA {self.ca_file}")

    def describe(self) -> dict:
        with self.lock:
            return {"enabled": self.enabled, "reason": self.reason, "ca_file": self.ca_file, "max_engines": self.max_engines,
                    "engines": [e for d in self.deployments.values() for e in d.describe()],
                    "errors": dict(self.errors)}

    def engine_count(self) -> int:
        return sum(d.engine_count() for d in self.deployments.values())

    # ------------------------------------------------------------------ hooks for ext_elasticache

    def admit(self, svc: Any, extra: int) -> None:
        """Refuses a create or scale-out that would pass the engine cap, with the fault AWS
        gives when it has no capacity (InsufficientCacheClusterCapacity)."""
        if not self.enabled:
            return
        planned = sum(_engines_needed(obj) for reg in svc.regions.values() for obj in _caches(reg))
        if planned + extra > self.max_engines:
            raise AWSError("InsufficientCacheClusterCapacity",
                           f"The emulator's data plane runs at most {self.max_engines} engines (--max-engines / "
                           f"EMULATOR_MAX_ENGINES); {planned} are in use or planned and this needs {extra} more. "
                           "Delete caches, raise the cap, or run with --data-plane off.")

    def endpoint(self, region: str, kind: str, name: str, role: str) -> tuple[str, int] | None:
        """(address, port) of an endpoint when engines serve it, else None (hostnames then)."""
        dep = self.deployments.get(f"{region}/{kind}/{name}")
        return dep.endpoint(role) if dep is not None else None

    def sync(self, svc: Any, reg: Any) -> None:
        if not self.enabled:
            return
        with self.lock:
            wanted = {}
            for kind, obj in _caches(reg):
                if obj.life.status not in ("creating", "deleting"):
                    wanted[f"{reg.name}/{kind}/{_name(obj)}"] = (kind, obj)
            for key in [k for k in self.deployments if k.startswith(reg.name + "/") and k not in wanted]:
                self.deployments.pop(key).stop()
                self.errors.pop(key, None)
                self.failed.pop(key, None)
            for key, (kind, obj) in wanted.items():
                self._sync_one(svc, reg, key, kind, obj)

    def _sync_one(self, svc: Any, reg: Any, key: str, kind: str, obj: Any) -> None:
        spec = _spec(svc, reg, kind, obj)
        if self.failed.get(key) == spec or spec["type"] not in _DEPLOYMENTS:
            return  # a failed start is retried when the cache changes, not on every request
        try:
            dep = self.deployments.get(key)
            if dep is None:
                dep = self.deployments[key] = _DEPLOYMENTS[spec["type"]](self, key)
            dep.apply(spec)
            self.errors.pop(key, None)
            self.failed.pop(key, None)
        except Exception as exc:  # the data plane must never break the control plane's answers
            print(f"emulator: data plane {key}: {exc!r}", file=sys.stderr, flush=True)
            self.errors[key], self.failed[key] = str(exc), spec

    def promote(self, region: str, rg_id: str, member: str) -> None:
        """Makes `member` the primary of its shard now (failover). The API state must say the
        same (member first in its node group), or the next sync puts the old roles back."""
        dep = self.deployments.get(f"{region}/rg/{rg_id}")
        if dep is not None:
            with self.lock:
                dep.promote(member)

    def close(self) -> None:
        with self.lock:
            for dep in self.deployments.values():
                try:
                    dep.stop()
                except Exception:  # stopping everything matters more than one failure
                    pass
            self.deployments.clear()


# ---------------------------------------------------------------------------- desired state


def _caches(reg: Any) -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = [("rg", rg) for rg in reg.replication_groups.values()]
    out += [("cc", cc) for cc in reg.clusters.values() if cc.rg_id is None]
    out += [("sc", sc) for sc in reg.serverless.values()]
    return out


def _name(obj: Any) -> str:
    return getattr(obj, "id", None) or obj.name


def _engines_needed(item: tuple[str, Any]) -> int:
    kind, obj = item
    if obj.life.status == "deleting":
        return 0
    if kind == "rg":
        return len(obj.members)
    if kind == "cc":
        return len(obj.nodes)
    return 1 if obj.engine == "memcached" else 2


def _acl(svc: Any, reg: Any, user_group_ids: list[str], auth_hashes: list[str]) -> dict[str, list[str]]:
    """Redis ACL users for a cache: RBAC users of its user groups, else the default user with the
    AUTH token(s) (ROTATE keeps two), else the default user without a password."""
    if user_group_ids:
        users: dict[str, list[str]] = {}
        for ug_id in user_group_ids:
            ug = reg.user_groups.get(ug_id)
            for uid in (ug.user_ids if ug else []):
                user = reg.users.get(uid)
                if user is None:
                    continue
                rules = user.access.split()
                hashes = getattr(user, "password_hashes", [])
                if user.auth_type == "password" and hashes:
                    rules += ["#" + h for h in hashes]
                elif user.auth_type == "no-password":
                    rules.append("nopass")
                users[user.name] = rules
        users.setdefault("default", ["off"])
        return users
    if auth_hashes:
        return {"default": ["on", *("#" + h for h in auth_hashes), "~*", "&*", "+@all"]}
    return {"default": ["on", "nopass", "~*", "&*", "+@all"]}


def _params(svc: Any, reg: Any, pg_name: str | None) -> dict[str, str]:
    pg = reg.parameter_groups.get(pg_name or "")
    if pg is None:
        return {}
    import ext_elasticache

    out = {}
    for p in ext_elasticache.family_parameters(pg.family):
        value = pg.value(p["name"])
        if value is not None and p["name"] not in NOT_ENGINE_PARAMETERS:
            out[p["name"]] = value
    return out


def _reserved(reg: Any, pg_name: str | None) -> float:
    pg = reg.parameter_groups.get(pg_name or "")
    raw = pg.value("reserved-memory-percent") if pg is not None else None
    try:
        return float(raw) if raw is not None else 25.0
    except ValueError:
        return 25.0


def _spec(svc: Any, reg: Any, kind: str, obj: Any) -> dict:
    if kind == "rg":
        tls = obj.transit_encryption_mode if obj.transit_encryption_enabled else None
        shards = [(ng.id, [m for m in ng.members if _member_ready(reg, m)]) for ng in obj.node_groups]
        return {"type": "cluster" if obj.cluster_enabled else "redis", "port": obj.port, "tls": tls, "shards": shards,
                "maxmemory": memory_budget(obj.cache_node_type, _reserved(reg, obj.parameter_group)),
                "params": _params(svc, reg, obj.parameter_group),
                "acl": _acl(svc, reg, obj.user_group_ids, getattr(obj, "auth_hashes", []))}
    if kind == "cc":
        nodes = [n["id"] for n in obj.nodes if n["life"].status != "creating"]
        tls = "required" if obj.transit_encryption_enabled else None
        base = {"port": obj.port, "tls": tls, "maxmemory": memory_budget(obj.cache_node_type), "params": _params(svc, reg, obj.parameter_group)}
        if obj.engine == "memcached":
            return {**base, "type": "memcached", "nodes": nodes}
        return {**base, "type": "redis", "shards": [("0001", [f"node:{n}" for n in nodes])], "acl": _acl(svc, reg, [], [])}
    tls = "required"  # serverless caches accept TLS only
    budget = 64 * 1024 * 1024
    if obj.engine == "memcached":
        return {"type": "memcached-serverless", "port": 11211, "tls": tls, "maxmemory": budget, "params": {}}
    groups = [obj.user_group_id] if obj.user_group_id else []
    return {"type": "serverless", "port": 6379, "tls": tls, "maxmemory": budget, "params": {},
            "acl": _acl(svc, reg, groups, []), "shards": [("0001", ["primary", "reader"])]}


def _member_ready(reg: Any, member: str) -> bool:
    cc = reg.clusters.get(member)
    return cc is not None and cc.life.status not in ("creating", "deleting")


# ---------------------------------------------------------------------------- redis deployments


class RedisDeployment:
    """A replication group with cluster mode off (or a single-node Redis cache cluster)."""

    def __init__(self, dp: DataPlane, key: str) -> None:
        self.dp, self.key = dp, key
        self.label = key.replace("/", "-")
        self.engines: dict[str, Redis] = {}
        self.primary: dict[str, str] = {}  # shard id -> member
        self.relays: dict[str, Relay] = {}
        self.addrs: dict[str, str] = {}
        self.applied: dict[str, Any] = {"acl": {}, "params": {}, "maxmemory": None}
        self.spec: dict = {}

    # -- facts
    def engine_count(self) -> int:
        return len(self.engines)

    def describe(self) -> list[dict]:
        return [{"cache": self.key, "member": m, "engine": "redis-server", "address": e.addr, "port": e.port,
                 "role": e.role, "pid": e.proc.pid, "tls": e.tls or "off"} for m, e in self.engines.items()]

    def endpoint(self, role: str) -> tuple[str, int] | None:
        if role.startswith("member:") or role.startswith("node:"):
            e = self.engines.get(role.split(":", 1)[1]) or self.engines.get(role)
            return (e.addr, e.port) if e else None
        relay = self.relays.get(role)
        return (relay.addr, relay.port) if relay else None

    # -- reconciliation
    def apply(self, spec: dict) -> None:
        self.spec = spec
        self._endpoints(spec)  # first: their addresses go into the engines' certificates
        self._members(spec)
        self._roles(spec)
        self._settings(spec)

    def _members(self, spec: dict) -> None:
        wanted = {m for _, members in spec["shards"] for m in members}
        for member in [m for m in self.engines if m not in wanted]:
            self.engines.pop(member).stop()
        for _, members in spec["shards"]:
            for member in members:
                if member not in self.engines:
                    self.engines[member] = self._start(member, spec)

    def _start(self, member: str, spec: dict) -> Redis:
        if len(self.engines) >= self.dp.max_engines:
            raise EngineError(f"engine cap {self.dp.max_engines} reached")
        addr = self.addrs.get(member) or self.dp.addresses.take((spec["port"], spec["port"] + 10000))
        self.addrs[member] = addr
        cert = self.dp.authority.server(f"{self.label}-{member.replace(':', '-')}", self._all_addresses(spec, addr)) if spec["tls"] else None
        users = [f"user {name} {' '.join(rules)}" for name, rules in spec["acl"].items()]
        engine = Redis(self.dp.spawner, self.dp.dir, f"{self.label}-{member.replace(':', '-')}", addr, spec["port"],
                       tls=spec["tls"], cert=cert, ca_file=self.dp.authority.ca_file, maxmemory=spec["maxmemory"],
                       cluster=spec["type"] != "redis", users=users, secret=self.dp.secret)
        self._configure(engine, spec, first=True)
        return engine

    def _all_addresses(self, spec: dict, own: str) -> list[str]:
        out = [own, *self.addrs.values()]
        out += [r.addr for r in self.relays.values()]
        return sorted(set(out))

    def _configure(self, engine: Redis, spec: dict, first: bool = False) -> None:
        cmds = [[engine.hidden("CONFIG"), "SET", k, v] for k, v in spec["params"].items()]
        replies = engine.admin.pipeline(cmds, check=False) if cmds else []
        for cmd, reply in zip(cmds, replies):
            if isinstance(reply, Exception) and first:
                print(f"emulator: data plane {self.key}: parameter {cmd[2]}={cmd[3]} not applied: {reply}", file=sys.stderr)

    def _roles(self, spec: dict) -> None:
        for shard, members in spec["shards"]:
            if not members:
                continue
            primary = members[0]
            if self.primary.get(shard) != primary or any(self.engines[m].role != "replica" for m in members[1:]):
                self._set_primary(shard, members)

    def _set_primary(self, shard: str, members: list[str]) -> None:
        head = self.engines[members[0]]
        head.replicate(None)
        for m in members[1:]:
            self.engines[m].replicate(head)
        self.primary[shard] = members[0]

    def promote(self, member: str) -> None:
        for shard, members in self.spec.get("shards", []):
            if member in members:
                self._set_primary(shard, [member] + [m for m in members if m != member])

    def _endpoints(self, spec: dict) -> None:
        if "primary" in self.relays:
            return
        port = spec["port"]
        self.relays["primary"] = self._relay(port, lambda: self._pick(replica=False))
        self.relays["reader"] = self._relay(port, lambda: self._pick(replica=True))

    def _relay(self, port: int, choose) -> Relay:
        addr = self.dp.addresses.take((port,))
        preferred = self.spec.get("tls") == "preferred"

        def target(head: bytes) -> tuple[str, int]:
            engine = choose()
            if preferred:
                return engine.addr, engine.tls_port if head[:1] == b"\x16" else engine.plain_port
            return engine.addr, engine.port

        return Relay(addr, port, target, first=(lambda head: None) if preferred else None)

    def _pick(self, replica: bool) -> Redis:
        shard, members = self.spec["shards"][0]
        primary = self.primary.get(shard, members[0])
        replicas = [m for m in members if m != primary and m in self.engines]
        if replica and replicas:
            # The reader endpoint spreads connections over the replicas, as AWS's DNS does.
            self._rr = getattr(self, "_rr", -1) + 1
            return self.engines[replicas[self._rr % len(replicas)]]
        return self.engines[primary]

    def _settings(self, spec: dict) -> None:
        engines = list(self.engines.values())
        if spec["acl"] != self.applied["acl"]:
            for e in engines:
                _apply_acl(e, self.applied["acl"], spec["acl"])
            self.applied["acl"] = spec["acl"]
        if spec["params"] != self.applied["params"]:
            changed = {k: v for k, v in spec["params"].items() if self.applied["params"].get(k) != v}
            for e in engines:
                self._configure(e, {"params": changed})
            self.applied["params"] = spec["params"]
        if spec["maxmemory"] != self.applied["maxmemory"]:
            for e in engines:
                e.config_set("maxmemory", str(spec["maxmemory"]))
            self.applied["maxmemory"] = spec["maxmemory"]

    def stop(self) -> None:
        for relay in self.relays.values():
            relay.close()
            self.dp.addresses.release(relay.addr)
        for engine in self.engines.values():
            engine.stop()
        for addr in self.addrs.values():
            self.dp.addresses.release(addr)
        self.engines.clear()
        self.relays.clear()


def _apply_acl(engine: Redis, old: dict[str, list[str]], new: dict[str, list[str]]) -> None:
    cmds = [["ACL", "SETUSER", name, "reset", *rules] for name, rules in new.items()]
    cmds += [["ACL", "DELUSER", name] for name in old if name not in new and name != "default"]
    engine.admin.pipeline(cmds)


_DEPLOYMENTS: dict[str, Any] = {"redis": RedisDeployment}
