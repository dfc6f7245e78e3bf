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
import secrets
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

from engines import Addresses, Authority, EngineError, Memcached, Redis, Relay, Spawner, binaries, info, wait_until

DEFAULT_MAX_ENGINES = 96
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
        # Keys a cache restored from a snapshot starts with, until its engines start.
        self.seeds: dict[str, list] = {}
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

    def check_cap(self, key: str, needed: int) -> None:
        """Refuses to start engines past the cap (--max-engines), saying so where a test looks."""
        running = self.engine_count()
        if running + needed > self.max_engines:
            raise EngineError(f"engine cap reached: {running} engines run and {key} needs {needed} more; the emulator "
                              f"runs at most {self.max_engines} (--max-engines / EMULATOR_MAX_ENGINES). Delete caches "
                              "or raise the cap.")

    def started(self, key: str, dep: Any) -> None:
        """Starts a cache's engines on first use (a client's first connection to one of its
        endpoints); errors go to stderr and /_emulator/dataplane, and the client is refused."""
        with self.lock:
            if dep.started or self.deployments.get(key) is not dep:
                return
            try:
                self.check_cap(key, dep.needed(dep.spec))
                dep.started = True
                dep.apply(dep.spec)
                self.errors.pop(key, None)
            except Exception as exc:
                print(f"emulator: data plane {key}: {exc!r}", file=sys.stderr, flush=True)
                self.errors[key] = str(exc)
                # Half-started: stop what did start; the next sync makes a fresh deployment.
                self.deployments.pop(key, None)
                dep.stop()
                raise EngineError(str(exc)) from exc

    def endpoint(self, region: str, kind: str, name: str, role: str) -> tuple[str, int] | None:
        """(address, port) of an endpoint when engines serve it, else None (hostnames then)."""
        dep = self.deployments.get(f"{region}/{kind}/{name}")
        return dep.endpoint(role) if dep is not None else None

    def sync(self, svc: Any, reg: Any) -> None:
        if not self.enabled:
            return
        with self.lock:
            wanted: dict[str, tuple[str, Any]] = {}
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
            if dep is not None and dep.spec and dep.spec.get("tls") != spec.get("tls"):
                # Engines take their listeners at start: a new transit encryption setting
                # restarts them (AWS keeps the data; the emulator does not).
                self.deployments.pop(key).stop()
                dep = None
            if dep is None:
                dep = self.deployments[key] = _DEPLOYMENTS[spec["type"]](self, key)
            dep.update(spec)
            if dep.started:
                self.errors.pop(key, None)
            self.failed.pop(key, None)
        except Exception as exc:  # the data plane must never break the control plane's answers
            print(f"emulator: data plane {key}: {exc!r}", file=sys.stderr, flush=True)
            self.errors[key], self.failed[key] = str(exc), spec

    def dump(self, key: str) -> list:
        """The keys of a cache as (name, pttl, DUMP payload), for a snapshot. A cache whose
        engines never started holds what it was seeded with (nothing, unless restored)."""
        if not self.enabled:
            return []
        with self.lock:
            dep = self.deployments.get(key)
            if dep is None or not dep.started or not hasattr(dep, "primaries"):
                return list(self.seeds.get(key, []))
            out = []
            for engine in dep.primaries():
                cursor = b"0"
                while True:
                    cursor, keys = engine.admin.call_raw("SCAN", cursor, "COUNT", 1000)
                    for k in keys:
                        payload, pttl = engine.admin.call_raw("DUMP", k), engine.admin.call("PTTL", k)
                        if payload is not None:
                            out.append((k, max(pttl, 0), payload))
                    if cursor in (b"0", "0"):
                        break
            return out

    def seed(self, key: str, data: list | None) -> None:
        """Gives a new cache the keys of the snapshot it restores (loaded when its engines start)."""
        if self.enabled and data:
            with self.lock:
                self.seeds[key] = list(data)

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
            if self.enabled:
                import shutil

                shutil.rmtree(self.dir, ignore_errors=True)  # the run's CA and certificates


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
        shards = [(ng.id, [m for m in _primary_first(ng) if _member_ready(reg, m)]) for ng in obj.node_groups]
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


def _primary_first(ng: Any) -> list[str]:
    """The node group's members, its primary first (TestFailover moves `primary`)."""
    primary = getattr(ng, "primary", None) or (ng.members[0] if ng.members else None)
    return [m for m in ng.members if m == primary] + [m for m in ng.members if m != primary]


def _member_ready(reg: Any, member: str) -> bool:
    cc = reg.clusters.get(member)
    return cc is not None and cc.life.status not in ("creating", "deleting")


# ---------------------------------------------------------------------------- redis deployments


class Deployment:
    """The engines of one cache. Addresses and endpoint relays exist from the first sync after
    the cache becomes available (so the API reports them); the engines start on first use — the
    first client connection to a relay endpoint (primary, reader, configuration) — unless the
    kind is `eager` (cluster mode and serverless). Most caches of an acceptance run are never
    connected to and so never start an engine."""

    eager = False

    def __init__(self, dp: DataPlane, key: str) -> None:
        self.dp, self.key = dp, key
        self.label = key.replace("/", "-")
        self.started = False
        self.spec: dict = {}
        # The kind's engines by member or node, the endpoint relays by role, and the addresses
        # reserved for members or nodes.
        self.engines: dict[str, Any] = {}
        self.relays: dict[str, Relay] = {}
        self.addrs: dict[str, str] = {}

    def update(self, spec: dict) -> None:
        self.spec = spec
        self.reserve(spec)
        if self.eager and not self.started:
            self.dp.check_cap(self.key, self.needed(spec))
            self.started = True
        if self.started:
            self.apply(spec)

    def ensure(self) -> None:
        if not self.started:
            self.dp.started(self.key, self)

    def engine_count(self) -> int:
        return len(self.engines)

    def needed(self, spec: dict) -> int:
        return sum(len(ms) for _, ms in spec.get("shards", [])) or len(spec.get("nodes", []))

    def reserve(self, spec: dict) -> None:
        raise NotImplementedError

    def apply(self, spec: dict) -> None:
        raise NotImplementedError

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


class RedisDeployment(Deployment):
    """A replication group with cluster mode off (or a single-node Redis cache cluster)."""

    def __init__(self, dp: DataPlane, key: str) -> None:
        super().__init__(dp, key)
        self.engines: dict[str, Redis] = {}
        self.primary: dict[str, str] = {}  # shard id -> member
        self.applied: dict[str, Any] = {"acl": {}, "params": {}, "maxmemory": None}

    # -- facts
    def describe(self) -> list[dict]:
        return [{"cache": self.key, "member": m, "engine": "redis-server", "address": e.addr, "port": e.port,
                 "role": e.role, "pid": e.proc.pid, "tls": e.tls or "off"} for m, e in self.engines.items()]

    def endpoint(self, role: str) -> tuple[str, int] | None:
        if role.startswith("member:") or role.startswith("node:"):
            member = role.split(":", 1)[1] if role.startswith("member:") else role
            addr = self.addrs.get(member)
            return (addr, self.spec["port"]) if addr else None
        relay = self.relays.get(role)
        return (relay.addr, relay.port) if relay else None

    # -- reconciliation
    def reserve(self, spec: dict) -> None:
        """Endpoint relays and every member's address, before any engine: the addresses go
        into the engines' certificates, and the API reports them from the start."""
        self._endpoints(spec)
        wanted = {m for _, ms in spec["shards"] for m in ms}
        for m in wanted:
            if m not in self.addrs:
                self.addrs[m] = self.dp.addresses.take((spec["port"], spec["port"] + 10000))
        for m in [m for m in self.addrs if m not in wanted and m not in self.engines]:
            self.dp.addresses.release(self.addrs.pop(m))

    def apply(self, spec: dict) -> None:
        self._members(spec)
        self._roles(spec)
        self._settings(spec)
        self._seed()

    def primaries(self) -> list[Redis]:
        return [self.engines[m] for m in self.primary.values() if m in self.engines]

    def _owner(self, key: bytes) -> Redis:
        return self.primaries()[0]

    def _seed(self) -> None:
        """Loads the keys of the snapshot the cache was restored from, once, into the primaries
        that own them (RESTORE, as the engine loads an RDB file at start)."""
        data = self.dp.seeds.pop(self.key, None)
        for name, pttl, payload in data or []:
            self._owner(name).admin.call("RESTORE", name, pttl, payload, "REPLACE")

    def _members(self, spec: dict) -> None:
        wanted = {m for _, members in spec["shards"] for m in members}
        for member in [m for m in self.engines if m not in wanted]:
            self.engines.pop(member).stop()
            relay = self.relays.pop("member:" + member, None)
            if relay is not None:
                relay.close()
            self.dp.addresses.release(self.addrs.pop(member, ""))
        for _, members in spec["shards"]:
            for member in members:
                if member not in self.engines:
                    self.engines[member] = self._start(member, spec)

    def _start(self, member: str, spec: dict) -> Redis:
        if self.dp.engine_count() >= self.dp.max_engines:
            self.dp.check_cap(self.key, 1)
        addr = self.addrs.get(member) or self.dp.addresses.take((spec["port"], spec["port"] + 10000))
        self.addrs[member] = addr
        cert = self.dp.authority.server(f"{self.label}-{member.replace(':', '-')}", self._all_addresses(spec, addr)) if spec["tls"] else None
        users = [f"user {name} {' '.join(rules)}" for name, rules in spec["acl"].items()]
        engine = Redis(self.dp.spawner, self.dp.dir, f"{self.label}-{member.replace(':', '-')}", addr, spec["port"],
                       tls=spec["tls"], cert=cert, ca_file=self.dp.authority.ca_file, maxmemory=spec["maxmemory"],
                       cluster=spec["type"] != "redis", users=users, secret=self.dp.secret)
        self._configure(engine, spec, first=True)
        if spec["tls"] == "preferred":  # the member's public port takes TLS and plaintext
            self.relays["member:" + member] = self._relay(spec["port"], lambda: engine, addr=addr)
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

    def _relay(self, port: int, choose, addr: str | None = None) -> Relay:
        addr = addr or self.dp.addresses.take((port,))
        preferred = self.spec.get("tls") == "preferred"

        def target(head: bytes) -> tuple[str, int]:
            engine = choose()
            if preferred:
                return engine.addr, engine.tls_port if head[:1] == b"\x16" else engine.plain_port
            return engine.addr, engine.port

        return Relay(addr, port, target, first=(lambda head: None) if preferred else None)

    def _pick(self, replica: bool) -> Redis:
        self.ensure()
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


def _apply_acl(engine: Redis, old: dict[str, list[str]], new: dict[str, list[str]]) -> None:
    cmds = [["ACL", "SETUSER", name, "reset", *rules] for name, rules in new.items()]
    cmds += [["ACL", "DELUSER", name] for name in old if name not in new and name != "default"]
    engine.admin.pipeline(cmds)


_DEPLOYMENTS: dict[str, Any] = {"redis": RedisDeployment}


def slot_ranges(count: int) -> list[tuple[int, int]]:
    """The slot range of each shard, as ext_elasticache reports it in NodeGroups[].Slots."""
    return [(i * SLOTS // count, (i + 1) * SLOTS // count - 1) for i in range(count)]


class ClusterDeployment(RedisDeployment):
    """A replication group with cluster mode on: a Redis Cluster whose shards own the slot
    ranges the API reports; shard and replica changes join, migrate and forget nodes."""

    # Forming a cluster takes seconds, longer than a client's connect timeout: the engines start
    # when the group becomes available (inside that describe), not on first use.
    eager = True

    def __init__(self, dp: DataPlane, key: str) -> None:
        super().__init__(dp, key)
        self.owner: dict[int, str] = {}  # slot -> shard id, as applied

    def describe(self) -> list[dict]:
        out = super().describe()
        for item in out:
            item["node_id"] = self.engines[item["member"]].node_id
        return out

    def apply(self, spec: dict) -> None:
        started = [m for _, ms in spec["shards"] for m in ms if m not in self.engines]
        for member in started:
            self.engines[member] = self._start(member, spec)
        if not self.owner:
            self._slots(spec)  # a new cluster: epochs and slots before the nodes meet
        self._join(started)
        self._slots(spec)
        self._replicas(spec)
        self._retire(spec)
        self._settle(replicas=True)
        self._settings(spec)
        self._seed()

    def _endpoints(self, spec: dict) -> None:
        if "config" not in self.relays:
            self.relays["config"] = self._relay(spec["port"], self._any_primary)

    def _any_primary(self) -> Redis:
        self.ensure()
        for _, members in self.spec["shards"]:
            for m in members:
                if m in self.engines and self.engines[m].role == "primary":
                    return self.engines[m]
        raise EngineError("no live primary")

    def _join(self, started: list[str]) -> None:
        if not started:
            return
        known = [e for m, e in self.engines.items() if m not in started]
        seed = known[0] if known else self.engines[started[0]]
        for member in started:
            e = self.engines[member]
            if e is not seed:
                seed.admin.call("CLUSTER", "MEET", e.addr, e.port)
        # Slots move only once every node, the new ones included, sees the whole slot map.
        self._settle()

    def _slots(self, spec: dict) -> None:
        shards = [(sid, ms) for sid, ms in spec["shards"] if ms]
        want: dict[int, str] = {}
        for (sid, _), (lo, hi) in zip(shards, slot_ranges(len(shards))):
            for s in range(lo, hi + 1):
                want[s] = sid
        primaries = {sid: self.engines[ms[0]] for sid, ms in shards}
        if not self.owner:  # a new cluster: each primary takes its range
            for i, ((sid, _), (lo, hi)) in enumerate(zip(shards, slot_ranges(len(shards)))):
                primaries[sid].admin.pipeline([["CLUSTER", "SET-CONFIG-EPOCH", i + 1], ["CLUSTER", "ADDSLOTSRANGE", lo, hi]])
            self.owner = want
            return
        moves: dict[tuple[str, str], list[int]] = {}
        for s, sid in want.items():
            if self.owner.get(s) != sid:
                moves.setdefault((self.owner[s], sid), []).append(s)
        for (src_id, dst_id), slots in moves.items():
            src = self._shard_primary(src_id)
            self._move(slots, src, primaries[dst_id])
        self.owner = want

    def _owner(self, key: bytes) -> Redis:
        slot = self._any_primary().admin.call("CLUSTER", "KEYSLOT", key)
        return self._shard_primary(self.owner[slot])

    def _shard_primary(self, shard: str) -> Redis:
        member = self.primary.get(shard)
        if member in self.engines:
            return self.engines[member]
        raise EngineError(f"shard {shard} has no live primary to migrate from")

    def _move(self, slots: list[int], src: Redis, dst: Redis) -> None:
        """Moves slots (and their keys) as redis-cli --cluster reshard does: IMPORTING /
        MIGRATING, MIGRATE of the keys, then SETSLOT NODE on every node."""
        counts = src.admin.pipeline([["CLUSTER", "COUNTKEYSINSLOT", s] for s in slots])
        for s, n in zip(slots, counts):
            if not n:
                continue
            dst.admin.call("CLUSTER", "SETSLOT", s, "IMPORTING", src.node_id)
            src.admin.call("CLUSTER", "SETSLOT", s, "MIGRATING", dst.node_id)
            while keys := src.admin.call("CLUSTER", "GETKEYSINSLOT", s, 1000):
                src.admin.call(src.hidden("MIGRATE"), dst.addr, dst.internal_port, "", 0, 10000, "REPLACE",
                               "AUTH2", "emulator-admin", self.dp.secret, "KEYS", *keys)
        others = [e for e in self.engines.values() if e not in (src, dst) and e.role == "primary"]
        for node in [dst, src, *others]:
            node.admin.pipeline([["CLUSTER", "SETSLOT", s, "NODE", dst.node_id] for s in slots])
        dst.admin.call("CLUSTER", "BUMPEPOCH")

    def _replicas(self, spec: dict) -> None:
        for shard, members in spec["shards"]:
            if not members:
                continue
            head = self.engines[members[0]]
            if head.role != "primary":  # failover: the API made this member the primary
                head.admin.call("CLUSTER", "FAILOVER", "TAKEOVER")
                wait_until(lambda: info(head.admin, "replication").get("role") == "master", 20, f"{head.name} taking over")
                head.role = "primary"
            for m in members[1:]:
                e = self.engines[m]
                if e.role != "replica" or getattr(e, "master_id", "") != head.node_id:
                    e.admin.call("CLUSTER", "REPLICATE", head.node_id)
                    e.role, e.master_id = "replica", head.node_id
            self.primary[shard] = members[0]

    def promote(self, member: str) -> None:
        e = self.engines.get(member)
        if e is not None and e.role == "replica":
            e.admin.call("CLUSTER", "FAILOVER", "TAKEOVER")
            e.role = "primary"

    def _retire(self, spec: dict) -> None:
        wanted = {m for _, ms in spec["shards"] for m in ms}
        gone = [m for m in self.engines if m not in wanted]
        # Replicas first: a node cannot forget its own primary.
        gone.sort(key=lambda m: self.engines[m].role != "replica")
        for member in gone:
            e = self.engines.pop(member)
            for other in self.engines.values():
                other.admin.pipeline([["CLUSTER", "FORGET", e.node_id]], check=False)
            e.stop()
            self.dp.addresses.release(self.addrs.pop(member, e.addr))

    def _settle(self, replicas: bool = False) -> None:
        total = len(self.engines)
        for e in self.engines.values():
            def ok(e: Redis = e) -> bool:
                ci = info_cluster(e)
                return ci["cluster_state"] == "ok" and int(ci["cluster_known_nodes"]) == total and ci["cluster_slots_assigned"] == str(SLOTS)
            wait_until(ok, 30, f"{e.name} agreeing on the cluster")
        # CLUSTER SLOTS lists a replica only once gossip has shown it synced (a non-zero
        # replication offset): wait until every primary lists every replica, as clients read it.
        if not replicas:
            return
        want = {self.engines[ms[0]].node_id: len(ms) for _, ms in self.spec["shards"] if ms}
        for e in self.engines.values():
            if e.role == "primary":
                wait_until(lambda e=e: _slots_complete(e, want), 30, f"{e.name} listing the replicas")


def _slots_complete(e: Redis, want: dict[str, int]) -> bool:
    for entry in e.admin.call("CLUSTER", "SLOTS") or []:
        nodes = entry[2:]
        if want.get(nodes[0][2]) != len(nodes):
            return False
    return True


def info_cluster(e: Redis) -> dict[str, str]:
    out = {}
    for line in (e.admin.call("CLUSTER", "INFO") or "").splitlines():
        if ":" in line:
            k, v = line.split(":", 1)
            out[k] = v.strip()
    return out


class ServerlessDeployment(ClusterDeployment):
    """Serverless Valkey / Redis OSS: a one-shard cluster, the primary on the endpoint's port and
    a replica on the reader port (+1) of the same address, as AWS's serverless endpoints."""

    eager = True

    def _endpoints(self, spec: dict) -> None:
        if not self.addrs:
            addr = self.dp.addresses.take((spec["port"], spec["port"] + 1, spec["port"] + 10000, spec["port"] + 10001))
            self.addrs = {"primary": addr, "reader": addr}

    def _start(self, member: str, spec: dict) -> Redis:
        port = spec["port"] + (1 if member == "reader" else 0)
        return super()._start(member, {**spec, "port": port})

    def endpoint(self, role: str) -> tuple[str, int] | None:
        addr = self.addrs.get("primary")
        if addr is None or role not in ("endpoint", "reader"):
            return None
        return addr, self.spec["port"] + (1 if role == "reader" else 0)


_DEPLOYMENTS.update({"cluster": ClusterDeployment, "serverless": ServerlessDeployment})


class MemcachedDeployment(Deployment):
    """A node-based Memcached cluster: one memcached per node, and a configuration endpoint that
    answers ElastiCache's auto-discovery command (`config get cluster`) and relays the rest to
    the first node. The configuration version goes up whenever the node list changes."""

    def __init__(self, dp: DataPlane, key: str) -> None:
        super().__init__(dp, key)
        self.engines: dict[str, Memcached] = {}
        self.version, self.nodes = 0, []

    def describe(self) -> list[dict]:
        return [{"cache": self.key, "member": n, "engine": "memcached", "address": e.addr, "port": e.port, "role": "node",
                 "pid": e.proc.pid, "tls": "required" if e.tls else "off"} for n, e in self.engines.items()]

    def endpoint(self, role: str) -> tuple[str, int] | None:
        if role.startswith("node:"):
            addr = self.addrs.get(role.split(":", 1)[1])
            return (addr, self.spec["port"]) if addr else None
        relay = self.relays.get(role)
        return (relay.addr, relay.port) if relay else None

    def reserve(self, spec: dict) -> None:
        port, tls = spec["port"], spec["tls"] is not None
        if "config" not in self.relays:
            addr = self.dp.addresses.take((port,))
            ctx = self.dp.authority.contexts(self._cert(addr)) if tls else (None, None)
            self.relays["config"] = Relay(addr, port, self._first_node, first=self._discovery, tls=ctx[0], upstream_tls=ctx[1])
        for node in spec["nodes"]:
            if node not in self.addrs:
                self.addrs[node] = self.dp.addresses.take((port,))
        for node in [n for n in self.addrs if n not in spec["nodes"] and n not in self.engines]:
            self.dp.addresses.release(self.addrs.pop(node))
        if spec["nodes"] != self.nodes:
            self.version, self.nodes = self.version + 1, list(spec["nodes"])

    def apply(self, spec: dict) -> None:
        port, tls = spec["port"], spec["tls"] is not None
        for node in [n for n in self.engines if n not in spec["nodes"]]:
            self.engines.pop(node).stop()
            self.dp.addresses.release(self.addrs.pop(node, ""))
        for node in [n for n in spec["nodes"] if n not in self.engines]:
            addr = self.addrs[node]
            self.engines[node] = Memcached(self.dp.spawner, self.dp.dir, f"{self.label}-{node}", addr, port, tls=tls,
                                           cert=self._cert(addr) if tls else None, memory_mb=max(spec["maxmemory"] >> 20, 8))

    def _cert(self, addr: str) -> tuple[Path, Path]:
        return self.dp.authority.server(f"{self.label}-{addr}", [addr])

    def _first_node(self, head: bytes) -> tuple[str, int]:
        self.ensure()
        if not self.engines:
            raise EngineError("no memcached node")
        e = self.engines[sorted(self.engines)[0]]
        return e.addr, e.port

    def _discovery(self, head: bytes) -> bytes | None:
        """`config get cluster` in ElastiCache's format: the configuration version, then
        host|ip|port of every node (the host is the address: there is no DNS here)."""
        if head.strip().lower() != b"config get cluster":
            return None
        self.ensure()  # the client connects to the nodes next
        port = self.spec["port"]
        nodes = " ".join(f"{self.addrs[n]}|{self.addrs[n]}|{port}" for n in sorted(self.nodes) if n in self.addrs)
        body = f"{self.version}\n{nodes}\n".encode()
        return b"CONFIG cluster 0 %d\r\n%s\r\nEND\r\n" % (len(body), body)


class ServerlessMemcachedDeployment(MemcachedDeployment):
    """Serverless Memcached: one memcached (TLS); the reader endpoint (port + 1) relays to it."""

    eager = True

    def reserve(self, spec: dict) -> None:
        if not self.addrs:
            port = spec["port"]
            self.addrs["0001"] = self.dp.addresses.take((port, port + 1))
            self.relays["reader"] = Relay(self.addrs["0001"], port + 1, self._first_node)
            self.nodes = ["0001"]

    def apply(self, spec: dict) -> None:
        if not self.engines:
            addr = self.addrs["0001"]
            self.engines["0001"] = Memcached(self.dp.spawner, self.dp.dir, f"{self.label}-0001", addr, spec["port"], tls=True,
                                             cert=self._cert(addr), memory_mb=max(spec["maxmemory"] >> 20, 8))

    def needed(self, spec: dict) -> int:
        return 1

    def endpoint(self, role: str) -> tuple[str, int] | None:
        if role == "endpoint":
            return self.addrs["0001"], self.spec["port"]
        return super().endpoint(role)


_DEPLOYMENTS.update({"memcached": MemcachedDeployment, "memcached-serverless": ServerlessMemcachedDeployment})
