"""ElastiCache (awsQuery) as the emulator serves it.

moto 5.2.1's ElastiCache lacks or gets wrong most of what a provider needs (no member cache
clusters, no modify, deletes that never finish, no parameter groups, no user groups, no
serverless caches), so this module owns all ElastiCache state itself. Requests are parsed and
responses serialized by moto's model-driven QueryParser / QuerySerializer (see protocols.py).

Statuses are computed lazily from timestamps (see runtime.Lifecycle): creating -> available
after the create delay, modifying -> available after the modify delay, deleting -> gone after
the delete delay. AUTH tokens are never stored: only whether one is set and when it changed.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import uuid
from pathlib import Path
from typing import Any, Callable

import dataplane
import ext_ec2
import ext_global
import logdelivery
import placement
import rules
import rules_catalog as R
import snapshots
from protocols import ACCOUNT_ID, AWSError, Response, query_error, query_parse, query_serialize
from runtime import GONE, Config, Lifecycle, now, utc

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SERVICE = "elasticache"


def _load(name: str) -> Any:
    with open(FIXTURES / name, encoding="utf-8") as f:
        return json.load(f)


ENGINE_VERSIONS = _load("engine_versions.json")
PARAMETERS = _load("parameters.json")
PRICES = _load("prices.json")

FAMILIES = PARAMETERS["families"]
REDIS_LIKE = ("redis", "valkey")


# ---------------------------------------------------------------------------- small helpers


def invalid(message: str) -> AWSError:
    return AWSError("InvalidParameterValue", message)


def combination(message: str) -> AWSError:
    return AWSError("InvalidParameterCombination", message)


def region_short(region: str) -> str:
    parts = region.split("-")
    return parts[0] + "".join(p[0] for p in parts[1:-1]) + parts[-1]


def dns_hash(region: str) -> str:
    return hashlib.sha1(f"{ACCOUNT_ID}/{region}".encode()).hexdigest()[:6]


def arn(region: str, kind: str, name: str) -> str:
    return f"arn:aws:elasticache:{region}:{ACCOUNT_ID}:{kind}:{name}"


def paginate(items: list, max_records: int | None, marker: str | None,
             minimum: int = 20, maximum: int = 100, name: str = "MaxRecords") -> tuple[list, str | None]:
    if max_records is not None and not (minimum <= max_records <= maximum):
        raise invalid(f"{name} must be between {minimum} and {maximum}.")
    size = max_records or maximum
    start = 0
    if marker:
        try:
            start = int(marker.removeprefix("emu-"))
        except ValueError:
            raise invalid(f"Invalid pagination token: {marker}") from None
    page = items[start : start + size]
    nxt = f"emu-{start + size}" if start + size < len(items) else None
    return page, nxt


MAINT_WINDOW = re.compile(r"^(sun|mon|tue|wed|thu|fri|sat):([01]\d|2[0-3]):[0-5]\d-(sun|mon|tue|wed|thu|fri|sat):([01]\d|2[0-3]):[0-5]\d$", re.I)
SNAP_WINDOW = re.compile(r"^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$")
SNAP_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
NODE_TYPE = re.compile(r"^cache\.[a-z][a-z0-9-]*\.[a-z0-9]+$")
RANGE = re.compile(r"^(-?\d+(?:\.\d+)?)?-(-?\d+(?:\.\d+)?)?$")
NAME_RE = re.compile(r"^[a-zA-Z][a-zA-Z0-9-]*$")


def check_name(value: str | None, what: str, max_len: int = 40) -> str:
    if not value:
        raise invalid(f"The parameter {what} must be provided and must not be blank.")
    if len(value) > max_len or not NAME_RE.match(value) or value.endswith("-") or "--" in value:
        raise invalid(
            f"The parameter {what} is not a valid identifier. Identifiers must begin with a letter; "
            f"must contain only ASCII letters, digits, and hyphens; and must not end with a hyphen "
            f"or contain two consecutive hyphens (at most {max_len} characters)."
        )
    return value.lower()


def check_windows(p: dict) -> None:
    mw = p.get("PreferredMaintenanceWindow")
    if mw is not None and not MAINT_WINDOW.match(mw):
        raise invalid(f"Invalid maintenance window: {mw}. Expected ddd:hh24:mi-ddd:hh24:mi.")
    sw = p.get("SnapshotWindow")
    if sw is not None and not SNAP_WINDOW.match(sw):
        raise invalid(f"Invalid snapshot window: {sw}. Expected hh24:mi-hh24:mi.")
    limit = p.get("SnapshotRetentionLimit")
    if limit is not None and not 0 <= limit <= 35:
        raise invalid("SnapshotRetentionLimit must be between 0 and 35.")


def check_auth_token(token: str) -> None:
    if not 16 <= len(token) <= 128 or any(c in token for c in ' "/@') or not token.isprintable():
        raise invalid("Invalid AuthToken provided. It must be 16-128 printable characters and must not contain '/', '\"', '@' or spaces.")


def engine_version(engine: str, version: str | None) -> dict:
    """Resolves an engine version (with aliases like 6.x) to its fixture entry."""
    versions = [v for v in ENGINE_VERSIONS["versions"] if v["engine"] == engine]
    if version is None:
        return next(v for v in versions if v.get("default"))
    version = ENGINE_VERSIONS["aliases"].get(engine, {}).get(version, version)
    for v in versions:
        if v["version"] == version:
            return v
    raise invalid(f"Cannot find version {version} for {engine}")


def is_r6gd(node_type: str) -> bool:
    return node_type.startswith("cache.r6gd.")


def _version_tuple(v: str) -> tuple[int, ...]:
    return tuple(int(x) for x in re.findall(r"\d+", v))


# ---------------------------------------------------------------------------- parameters


def family_parameters(family: str) -> list[dict]:
    info = FAMILIES[family]
    out = []
    for p in PARAMETERS["sets"][info["set"]]:
        if "min_version" in p and _version_tuple(info["version"]) < _version_tuple(p["min_version"]):
            continue
        out.append(p)
    return out


def check_parameter_value(defn: dict, value: str) -> None:
    name = defn["name"]
    if defn.get("modifiable", True) is False:
        raise invalid(f"Parameter {name} is not modifiable.")
    allowed = defn.get("allowed", "")
    if not allowed:
        return
    kind = defn["type"]
    alternatives = allowed.split(",")
    if kind in ("integer", "float", "boolean"):
        try:
            num = int(value) if kind != "float" else float(value)
        except ValueError:
            raise invalid(f"Value {value!r} for parameter {name} is not a valid {kind}.") from None
        for alt in alternatives:
            rng = RANGE.match(alt)
            if rng:  # "lo-hi", "lo-" or "-" (either bound may be absent)
                lo, hi = rng.groups()
                if (lo is None or num >= float(lo)) and (hi is None or num <= float(hi)):
                    return
            elif alt and num == float(alt):
                return
        raise invalid(f"Value {value} for parameter {name} is out of range. Allowed values: {allowed}.")
    if value not in alternatives:
        raise invalid(f"Invalid value {value!r} for parameter {name}. Allowed values: {allowed}.")


# ---------------------------------------------------------------------------- state


class ParameterGroup:
    def __init__(self, name: str, family: str, description: str, default: bool = False):
        self.name, self.family, self.description, self.default = name, family, description, default
        self.values: dict[str, str] = {}
        if default and name.endswith(".cluster.on"):
            self.values["cluster-enabled"] = "yes"

    def value(self, pname: str) -> str | None:
        if pname in self.values:
            return self.values[pname]
        for p in family_parameters(self.family):
            if p["name"] == pname:
                return p["value"]
        return None


class SubnetGroup:
    def __init__(self, name: str, description: str, vpc_id: str, subnets: list[tuple[str, str]]):
        self.name, self.description, self.vpc_id, self.subnets = name, description, vpc_id, subnets

    @property
    def azs(self) -> list[str]:
        return sorted({az for _, az in self.subnets})


class NodeGroup:
    def __init__(self, ng_id: str, members: list[str]):
        self.id, self.members = ng_id, members
        self.primary_id: str | None = None  # set by a failover; otherwise the first member

    @property
    def primary(self) -> str | None:
        if self.primary_id in self.members:
            return self.primary_id
        return self.members[0] if self.members else None


class ReplicationGroup:
    def __init__(self, rg_id: str):
        self.id = rg_id
        self.life = Lifecycle("creating")
        self.created = now()
        self.node_groups: list[NodeGroup] = []
        self.pending: dict[str, Any] = {}  # applied when the current modification completes
        self.maintenance: dict[str, Any] = {}  # ApplyImmediately=false: waits for a maintenance window
        self.pending_view: dict[str, Any] = {}  # PendingModifiedValues while modifying

    @property
    def members(self) -> list[str]:
        return [m for ng in self.node_groups for m in ng.members]


class CacheCluster:
    """A cache cluster: either a member of a replication group or a standalone (memcached) one."""

    def __init__(self, cc_id: str, rg_id: str | None, az: str, status: str = "creating"):
        self.id, self.rg_id, self.az = cc_id, rg_id, az
        self.life = Lifecycle(status)
        self.created = now()
        self.nodes: list[dict] = []  # standalone only: {id, az, created, life}
        self.pending: dict[str, Any] = {}


class ServerlessCache:
    def __init__(self, name: str):
        self.name = name
        self.life = Lifecycle("creating")
        self.created = now()


class User:
    def __init__(self, user_id: str):
        self.id = user_id
        self.life = Lifecycle("active")


class UserGroup:
    def __init__(self, ug_id: str):
        self.id = ug_id
        self.life = Lifecycle("creating")


class Region:
    def __init__(self, name: str):
        self.name = name
        self.replication_groups: dict[str, ReplicationGroup] = {}
        self.clusters: dict[str, CacheCluster] = {}
        self.parameter_groups: dict[str, ParameterGroup] = {}
        self.subnet_groups: dict[str, SubnetGroup] = {}
        self.serverless: dict[str, ServerlessCache] = {}
        self.users: dict[str, User] = {}
        self.user_groups: dict[str, UserGroup] = {}
        self.snapshots: dict[str, dict] = {}
        self.tags: dict[str, dict[str, str]] = {}
        # Eventual consistency: (kind, id) -> how many more describes by id answer NotFound.
        self.unseen: dict[tuple[str, str], int] = {}
        for family in FAMILIES:
            names = [f"default.{family}"]
            if FAMILIES[family]["set"] == "redis":
                names.append(f"default.{family}.cluster.on")
            for n in names:
                self.parameter_groups[n] = ParameterGroup(n, family, f"Default parameter group for {family}", default=True)
        default = User("default")
        default.name, default.engine, default.access = "default", "redis", "on ~* +@all"
        default.auth_type, default.password_count = "no-password", 0
        self.users["default"] = default


# ---------------------------------------------------------------------------- the service


def _lookup(table: str, code: str, message: str, *, fold: bool = True) -> Callable[[Any, Region, str | None], Any]:
    """A method that finds an item of the region's `table` by ID, or raises AWS's `code` with
    `message` (its {} is the ID); `fold` lowercases the ID first, as AWS does for that kind."""

    def find(_self: Any, reg: Region, key: str | None) -> Any:
        item = getattr(reg, table).get((key or "").lower() if fold else (key or ""))
        if item is None:
            raise AWSError(code, message.format(key))
        return item

    return find


class ElastiCache(ext_global.GlobalDatastores, snapshots.SnapshotOps):
    def __init__(self, config: Config, rng: random.Random | None = None):
        self.config = config
        self.regions: dict[str, Region] = {}
        self.global_groups: dict[str, ext_global.GlobalGroup] = {}  # above the regions (ext_global.py)
        self.dataplane = dataplane.DataPlane("off")  # emulator.py installs the configured one
        self.rng = rng or random.Random()

    # -- plumbing ---------------------------------------------------------------------------

    def region(self, name: str) -> Region:
        if name not in self.regions:
            self.regions[name] = Region(name)
        return self.regions[name]

    def handles(self, operation: str) -> bool:
        return hasattr(self, "op_" + operation)

    def handle(self, region: str, operation: str, form: Any, params: dict | None = None) -> Response:
        reg = self.region(region)
        self.refresh(reg)
        try:
            if params is None:
                params = query_parse(SERVICE, operation, form)
            result = getattr(self, "op_" + operation)(reg, params)
        except AWSError as err:
            return query_error(SERVICE, err)
        return query_serialize(SERVICE, operation, result)

    def refresh(self, reg: Region) -> None:
        """Applies due status transitions and forgets what finished deleting."""
        for rg in list(reg.replication_groups.values()):
            if rg.life.tick():
                del reg.replication_groups[rg.id]
                reg.tags.pop(arn(reg.name, "replicationgroup", rg.id), None)
        for cc in list(reg.clusters.values()):
            for node in list(cc.nodes):
                if node["life"].tick():
                    cc.nodes.remove(node)
            if cc.life.tick():
                del reg.clusters[cc.id]
                reg.tags.pop(arn(reg.name, "cluster", cc.id), None)
        for sc in list(reg.serverless.values()):
            if sc.life.tick():
                del reg.serverless[sc.name]
                reg.tags.pop(arn(reg.name, "serverlesscache", sc.name), None)
        for ug in list(reg.user_groups.values()):
            if ug.life.tick():
                del reg.user_groups[ug.id]
                reg.tags.pop(arn(reg.name, "usergroup", ug.id), None)
        for user in list(reg.users.values()):
            if user.life.tick():
                del reg.users[user.id]
                reg.tags.pop(arn(reg.name, "user", user.id), None)
        self.refresh_globals()
        self.dataplane.sync(self, reg)

    def set_tags(self, reg: Region, resource_arn: str, tags: list[dict] | None) -> None:
        merged = dict(reg.tags.get(resource_arn, {}))
        for t in tags or []:
            merged[t["Key"]] = t.get("Value", "")
        if len(merged) > 50:
            raise AWSError("TagQuotaPerResourceExceeded", "The request cannot be processed because it would cause the resource to have more than the allowed number of tags (50).")
        reg.tags[resource_arn] = merged

    # -- AWS's non-determinism (runtime.Config; README "Non-determinism") ------------------

    def _just_created(self, reg: Region, kind: str, ident: str) -> None:
        if self.config.not_found_after_create:
            reg.unseen[(kind, ident)] = self.config.not_found_after_create

    def _not_yet_visible(self, reg: Region, kind: str, ident: str | None) -> bool:
        """True while a describe by id should still miss a resource created a moment ago."""
        key = (kind, (ident or "").lower())
        left = reg.unseen.get(key, 0)
        if left <= 0:
            return False
        reg.unseen[key] = left - 1
        return True

    def failover(self, region: str, rg_id: str, node_group: str | None = None, to: str | None = None) -> dict:
        """Moves the primary of a (cluster-mode-disabled) node group to another member."""
        reg = self.region(region)
        self.refresh(reg)
        rg = self._rg(reg, rg_id)
        ng = next((g for g in rg.node_groups if node_group in (None, g.id)), None)
        if ng is None or len(ng.members) < 2:
            raise invalid(f"Replication group {rg.id} has no replica to fail over to.")
        candidates = [m for m in ng.members if m != ng.primary]
        if to is not None and to not in candidates:
            raise invalid(f"{to} is not a replica of node group {ng.id}.")
        ng.primary_id = to or self.rng.choice(candidates)
        return {"replication_group": rg.id, "node_group": ng.id, "primary": ng.primary}

    def _maybe_fail_over(self, rg: ReplicationGroup) -> None:
        p = self.config.failover_probability
        if p and rg.life.status == "available" and not rg.cluster_enabled and self.rng.random() < p:
            ng = rg.node_groups[0]
            if len(ng.members) > 1:
                ng.primary_id = self.rng.choice([m for m in ng.members if m != ng.primary])

    def _apply_parameters(self, reg: Region, pg_name: str) -> None:
        """With parameter_apply_lag, the groups using a changed parameter group are 'modifying'
        (members: ParameterApplyStatus 'applying') for a moment, as AWS applies the values."""
        lag = self.config.parameter_apply_lag
        if lag <= 0:
            return
        for rg in reg.replication_groups.values():
            if rg.parameter_group == pg_name and rg.life.status == "available" and not rg.life.busy:
                rg.applying_parameters = True

                def applied(rg: ReplicationGroup = rg) -> None:
                    rg.applying_parameters = False

                rg.life.move("modifying", lag, "available", on_done=applied)

    def _lag_members(self, reg: Region, rg: ReplicationGroup) -> None:
        """Members finish their part of a modification after the group (member_lag)."""
        if self.config.member_lag <= 0:
            return
        for m in rg.members:
            cc = reg.clusters.get(m)
            if cc is not None and cc.life.status == "available" and not cc.life.busy:
                cc.life.move("modifying", self.config.member_lag, "available")

    # -- lookups: the region's item by ID, or AWS's not-found error. AWS lowercases the IDs of
    # replication groups, clusters, subnet groups and serverless caches; parameter groups, users
    # and user groups are found as given.

    _rg = _lookup("replication_groups", "ReplicationGroupNotFoundFault", "Replication group {} not found.")
    _cluster = _lookup("clusters", "CacheClusterNotFound", "CacheCluster not found: {}")
    _pg = _lookup("parameter_groups", "CacheParameterGroupNotFound", "CacheParameterGroup {} not found.", fold=False)
    _sng = _lookup("subnet_groups", "CacheSubnetGroupNotFoundFault", "Cache subnet group '{}' not found.")
    _serverless = _lookup("serverless", "ServerlessCacheNotFoundFault", "Serverless cache {} not found.")
    _user = _lookup("users", "UserNotFound", "User {} not found.", fold=False)
    _ug = _lookup("user_groups", "UserGroupNotFound", "User group {} not found.", fold=False)

    def _active_user_groups(self, reg: Region, ids: list[str]) -> list[str]:
        for ug_id in ids:
            ug = self._ug(reg, ug_id)
            if ug.life.status != "active":
                raise AWSError("InvalidUserGroupState", f"User group {ug_id} is not in active state (it is {ug.life.status}).")
        return list(ids)

    def security_group_users(self, region: str, group_id: str) -> list[str]:
        """Live caches that reference an EC2 security group (for DependencyViolation)."""
        reg = self.region(region)
        self.refresh(reg)
        users = [f"replication group {rg.id}" for rg in reg.replication_groups.values() if group_id in rg.security_group_ids]
        users += [f"cache cluster {cc.id}" for cc in reg.clusters.values() if cc.rg_id is None and group_id in cc.security_group_ids]
        users += [f"serverless cache {sc.name}" for sc in reg.serverless.values() if group_id in sc.security_group_ids]
        return users

    def _azs_for(self, reg: Region, subnet_group: str | None) -> list[str]:
        if subnet_group:
            azs = self._sng(reg, subnet_group).azs
            if azs:
                return azs
        return [f"{reg.name}a", f"{reg.name}b", f"{reg.name}c"]

    def _pg_in_use(self, reg: Region, name: str) -> list[str]:
        users = [rg.id for rg in reg.replication_groups.values() if rg.parameter_group == name]
        users += [cc.id for cc in reg.clusters.values() if cc.rg_id is None and cc.parameter_group == name]
        return users

    # -- endpoints --------------------------------------------------------------------------

    def _host(self, reg: Region, *labels: str) -> str:
        return ".".join((*labels, f"{region_short(reg.name)}.cache.amazonaws.com"))

    def _engine_endpoint(self, reg: Region, kind: str, name: str, role: str) -> dict[str, Any] | None:
        """The live engine's address when the data plane serves this endpoint (dataplane.py)."""
        served = self.dataplane.endpoint(reg.name, kind, name, role)
        return {"Address": served[0], "Port": served[1]} if served else None

    def _rg_endpoints(self, reg: Region, rg: ReplicationGroup) -> dict[str, Any]:
        served = {k: self._engine_endpoint(reg, "rg", rg.id, r) for k, r in
                  (("ConfigurationEndpoint", "config"), ("PrimaryEndpoint", "primary"), ("ReaderEndpoint", "reader"))}
        if rg.cluster_enabled and served["ConfigurationEndpoint"]:
            return {"ConfigurationEndpoint": served["ConfigurationEndpoint"]}
        if not rg.cluster_enabled and served["PrimaryEndpoint"]:
            return {"PrimaryEndpoint": served["PrimaryEndpoint"], "ReaderEndpoint": served["ReaderEndpoint"]}
        h = dns_hash(reg.name)
        tls = rg.transit_encryption_enabled
        if rg.cluster_enabled:
            addr = self._host(reg, "clustercfg", rg.id, h) if tls else self._host(reg, rg.id, h, "clustercfg")
            return {"ConfigurationEndpoint": {"Address": addr, "Port": rg.port}}
        primary = self._host(reg, "master", rg.id, h) if tls else self._host(reg, rg.id, h, "ng", "0001")
        reader = self._host(reg, "replica", rg.id, h) if tls else self._host(reg, f"{rg.id}-ro", h, "ng", "0001")
        return {"PrimaryEndpoint": {"Address": primary, "Port": rg.port}, "ReaderEndpoint": {"Address": reader, "Port": rg.port}}

    def _member_endpoint(self, reg: Region, rg: ReplicationGroup, member: str) -> dict[str, Any]:
        served = self._engine_endpoint(reg, "rg", rg.id, "member:" + member)
        if served:
            return served
        h = dns_hash(reg.name)
        if rg.transit_encryption_enabled:
            return {"Address": self._host(reg, member, rg.id, h), "Port": rg.port}
        return {"Address": self._host(reg, member, h, "0001"), "Port": rg.port}

    # ======================================================================================
    # Replication groups
    # ======================================================================================

    def _cluster_mode_for(self, reg: Region, p: dict, pg: ParameterGroup | None) -> tuple[bool, int]:
        ng_conf = p.get("NodeGroupConfiguration") or []
        shards = p.get("NumNodeGroups") or (len(ng_conf) if ng_conf else 1)
        pg_cluster = pg is not None and pg.value("cluster-enabled") == "yes"
        mode = (p.get("ClusterMode") or "").lower()
        cluster = shards > 1 or pg_cluster or mode == "enabled"
        if cluster and pg is not None and not pg_cluster:
            raise combination(f"Cluster mode requires a parameter group with cluster-enabled set to yes; {pg.name} has cluster-enabled=no.")
        if not cluster and pg_cluster:
            cluster = True
        return cluster, shards

    def _placement(self, reg: Region, p: dict, engine: str, version: str, node_type: str | None, sng_name: str | None,
                   sgs: list[str]) -> tuple[str, str, list[str]]:
        """The placement rules of a create (placement.py): network type and discovery, the groups'
        VPC; returns them with the subnet group's zones."""
        sng = self._sng(reg, sng_name) if sng_name else None
        placement.check_groups_vpc(reg.name, sgs, sng.vpc_id if sng else None)
        network, discovery = placement.check_network(reg.name, p, engine, version, node_type, [s for s, _ in sng.subnets] if sng else [])
        return network, discovery, sng.azs if sng else []

    def _modify_placement(self, reg: Region, target: Any, p: dict) -> None:
        """IpDiscovery changes in place; new security groups must be in the cache's VPC."""
        if p.get("IpDiscovery") is not None:
            placement.check_ip_discovery(getattr(target, "network_type", "ipv4"), p["IpDiscovery"])
            target.ip_discovery = p["IpDiscovery"]
        sng = reg.subnet_groups.get(getattr(target, "subnet_group", None) or "")
        if p.get("SecurityGroupIds") is not None and sng is not None:
            placement.check_groups_vpc(reg.name, p["SecurityGroupIds"], sng.vpc_id)

    def op_CreateReplicationGroup(self, reg: Region, p: dict) -> dict:
        rg_id = check_name(p.get("ReplicationGroupId"), "ReplicationGroupId")
        if rg_id in reg.replication_groups:
            raise AWSError("ReplicationGroupAlreadyExists", f"Replication group {rg_id} already exists.")
        global_id = p.get("GlobalReplicationGroupId")
        if global_id:  # a secondary: the global datastore fills in what it inherits
            p = self.secondary_params(reg, p)
        if not p.get("ReplicationGroupDescription"):
            raise invalid("The parameter ReplicationGroupDescription must be provided and must not be blank.")
        engine = (p.get("Engine") or "redis").lower()
        if engine not in REDIS_LIKE:
            raise invalid(f"Invalid engine {engine!r} for a replication group: must be redis or valkey.")
        version = engine_version(engine, p.get("EngineVersion"))
        node_type = p.get("CacheNodeType")
        if not node_type or not NODE_TYPE.match(node_type):
            raise invalid(f"Invalid CacheNodeType: {node_type}")
        check_windows(p)

        pg_name = p.get("CacheParameterGroupName")
        pg = self._pg(reg, pg_name) if pg_name else None
        if pg is not None and pg.family != version["family"]:
            raise combination(f"The parameter group {pg.name} (family {pg.family}) is not compatible with {engine} {version['version']} (family {version['family']}).")
        cluster, shards = self._cluster_mode_for(reg, p, pg)
        seed = self.restore_into_rg(reg, p, engine, cluster)
        if pg is None:
            pg = self._pg(reg, f"default.{version['family']}" + (".cluster.on" if cluster else ""))

        sng_name = p.get("CacheSubnetGroupName")
        if sng_name:
            self._sng(reg, sng_name)
        sgs = p.get("SecurityGroupIds") or []
        ext_ec2.require_security_groups(reg.name, sgs)
        network, discovery, sng_azs = self._placement(reg, p, engine, version["version"], node_type, sng_name, sgs)

        transit = bool(p.get("TransitEncryptionEnabled"))
        mode = p.get("TransitEncryptionMode")
        if mode and not transit:
            raise combination("TransitEncryptionMode requires TransitEncryptionEnabled.")
        if mode and mode not in ("preferred", "required"):
            raise invalid(f"Invalid TransitEncryptionMode: {mode}")
        at_rest = bool(p.get("AtRestEncryptionEnabled"))
        if rules.active(R.KMS_NEEDS_AT_REST) and p.get("KmsKeyId") and not at_rest:
            raise combination("KmsKeyId can only be specified when AtRestEncryptionEnabled is true.")
        token = p.get("AuthToken")
        user_groups = p.get("UserGroupIds") or []
        if token is not None:
            if rules.active(R.AUTH_TOKEN_NEEDS_TLS) and not transit:
                raise combination("AuthToken requires TransitEncryptionEnabled to be true.")
            check_auth_token(token)
        if user_groups:
            if token is not None:
                raise combination("AuthToken and UserGroupIds cannot both be specified.")
            if not transit:
                raise combination("UserGroupIds (RBAC) require TransitEncryptionEnabled to be true.")
            self._active_user_groups(reg, user_groups)

        # Shape of the group: node groups and their members' AZs.
        ng_conf = p.get("NodeGroupConfiguration") or []
        if cluster:
            replicas = p.get("ReplicasPerNodeGroup")
            if replicas is None:
                replicas = (ng_conf[0].get("ReplicaCount") if ng_conf and ng_conf[0].get("ReplicaCount") is not None else 1)
        else:
            if p.get("NumCacheClusters") is not None:
                replicas = p["NumCacheClusters"] - 1
            elif p.get("ReplicasPerNodeGroup") is not None:
                replicas = p["ReplicasPerNodeGroup"]
            elif ng_conf and ng_conf[0].get("ReplicaCount") is not None:
                replicas = ng_conf[0]["ReplicaCount"]
            else:
                replicas = 0
        if not 0 <= replicas <= 5:
            raise invalid("The number of replicas per node group must be between 0 and 5.")
        if not 1 <= shards <= 500:
            raise invalid("NumNodeGroups must be between 1 and 500.")
        af = p.get("AutomaticFailoverEnabled")
        af = bool(af) if af is not None else cluster
        multi_az = bool(p.get("MultiAZEnabled"))
        if rules.active(R.MULTI_AZ_NEEDS_FAILOVER) and multi_az and not af:
            raise combination("Multi-AZ requires automatic failover to be enabled.")
        if rules.active(R.FAILOVER_NEEDS_REPLICA) and af and not cluster and replicas < 1:
            raise combination("Automatic failover requires at least one replica (NumCacheClusters >= 2).")
        if rules.active(R.CLUSTER_MODE_NEEDS_FAILOVER) and cluster and not af:
            raise combination("Cluster mode (more than one node group, or cluster-enabled=yes) requires AutomaticFailoverEnabled=true.")

        rg = ReplicationGroup(rg_id)
        rg.description = p["ReplicationGroupDescription"]
        rg.engine, rg.engine_version, rg.cache_node_type = engine, version["version"], node_type
        rg.parameter_group, rg.subnet_group, rg.security_group_ids = pg.name, (sng_name or "default").lower() if sng_name else None, sgs
        rg.port = p.get("Port") or 6379
        rg.cluster_enabled = cluster
        rg.automatic_failover, rg.multi_az = af, multi_az
        rg.transit_encryption_enabled = transit
        rg.transit_encryption_mode = (mode or "required") if transit else None
        rg.at_rest, rg.kms_key_id = at_rest, p.get("KmsKeyId")
        rg.auth_token_enabled = token is not None
        rg.auth_hashes = [dataplane.sha256(token)] if token is not None else []  # for the engines' ACL; never the token
        rg.auth_token_modified = now() if token is not None else None
        rg.log_deliveries = logdelivery.apply({}, p.get("LogDeliveryConfigurations"), engine, version["version"], modify=False, apply_immediately=True)
        rg.user_group_ids = list(user_groups)
        rg.snapshot_retention_limit = p.get("SnapshotRetentionLimit") or 0
        rg.snapshot_window = p.get("SnapshotWindow") or "05:00-06:00"
        rg.maintenance_window = (p.get("PreferredMaintenanceWindow") or "sun:23:00-mon:01:30").lower()
        rg.notification_topic_arn = p.get("NotificationTopicArn")
        rg.auto_minor_version_upgrade = p.get("AutoMinorVersionUpgrade", True) is not False
        if rules.active(R.R6GD_NEEDS_DATA_TIERING) and bool(p.get("DataTieringEnabled")) != is_r6gd(node_type):
            raise combination("Data tiering is only supported for (and required by) the r6gd node types: "
                              f"DataTieringEnabled={bool(p.get('DataTieringEnabled'))} with {node_type}.")
        rg.data_tiering = "enabled" if p.get("DataTieringEnabled") else "disabled"
        rg.network_type, rg.ip_discovery = network, discovery
        rg.snapshotting_cluster = None

        azs = self._azs_for(reg, sng_name)
        preferred = p.get("PreferredCacheClusterAZs") or []
        placement.check_zones(preferred, sng_azs, replicas + 1, "PreferredCacheClusterAZs")
        for conf in ng_conf:
            placement.check_zones([conf["PrimaryAvailabilityZone"]] if conf.get("PrimaryAvailabilityZone") else [], sng_azs, None, "PrimaryAvailabilityZone")
            placement.check_zones(conf.get("ReplicaAvailabilityZones") or [], sng_azs, conf.get("ReplicaCount", replicas), "ReplicaAvailabilityZones")
        for i in range(shards):
            ng_id = (ng_conf[i].get("NodeGroupId") if i < len(ng_conf) and ng_conf[i].get("NodeGroupId") else f"{i + 1:04d}")
            conf = ng_conf[i] if i < len(ng_conf) else {}
            conf_azs = ([conf["PrimaryAvailabilityZone"]] if conf.get("PrimaryAvailabilityZone") else []) + (conf.get("ReplicaAvailabilityZones") or [])
            ng = NodeGroup(ng_id, [])
            for j in range(replicas + 1):
                member = f"{rg_id}-{i + 1:04d}-{j + 1:03d}" if cluster else f"{rg_id}-{j + 1:03d}"
                if j < len(conf_azs):
                    az = conf_azs[j]
                elif not cluster and j < len(preferred):
                    az = preferred[j]
                else:
                    az = azs[(i + j) % len(azs)]
                reg.clusters[member] = CacheCluster(member, rg_id, az)
                reg.clusters[member].life.move("creating", self.config.create_delay, "available")
                ng.members.append(member)
            rg.node_groups.append(ng)
        failover = self.config.failover_after_create and not cluster and replicas > 0
        rg.life.move("creating", self.config.create_delay, "available",
                     on_done=(lambda: self.failover(reg.name, rg_id)) if failover else None)
        reg.replication_groups[rg_id] = rg
        self.dataplane.seed(f"{reg.name}/rg/{rg_id}", seed)
        self._just_created(reg, "rg", rg_id)
        for m in rg.members:
            self._just_created(reg, "cc", m)
        self.set_tags(reg, arn(reg.name, "replicationgroup", rg_id), p.get("Tags"))
        if global_id:
            self.joined_global(reg, rg, global_id)
        return {"ReplicationGroup": self._render_rg(reg, rg)}

    def _render_rg(self, reg: Region, rg: ReplicationGroup) -> dict:
        status = rg.life.status
        af_status = "enabled" if rg.automatic_failover else "disabled"
        if "AutomaticFailover" in rg.pending:
            af_status = "enabling" if rg.pending["AutomaticFailover"] else "disabling"
        out: dict[str, Any] = {
            "ReplicationGroupId": rg.id,
            "Description": rg.description,
            "Status": status,
            "PendingModifiedValues": dict(rg.pending_view),
            "MemberClusters": rg.members,
            "AutomaticFailover": af_status,
            "MultiAZ": "enabled" if rg.multi_az else "disabled",
            "SnapshotRetentionLimit": rg.snapshot_retention_limit,
            "SnapshotWindow": rg.snapshot_window,
            "ClusterEnabled": rg.cluster_enabled,
            "CacheNodeType": rg.cache_node_type,
            "AuthTokenEnabled": rg.auth_token_enabled,
            "TransitEncryptionEnabled": rg.transit_encryption_enabled,
            "AtRestEncryptionEnabled": rg.at_rest,
            "ARN": arn(reg.name, "replicationgroup", rg.id),
            "UserGroupIds": list(rg.user_group_ids),
            "LogDeliveryConfigurations": logdelivery.render(getattr(rg, "log_deliveries", {})),
            "ReplicationGroupCreateTime": utc(rg.created),
            "DataTiering": rg.data_tiering,
            "AutoMinorVersionUpgrade": rg.auto_minor_version_upgrade,
            "NetworkType": rg.network_type,
            "IpDiscovery": rg.ip_discovery,
            "ClusterMode": "enabled" if rg.cluster_enabled else getattr(rg, "cluster_mode", "disabled"),
            "Engine": rg.engine,
        }
        if self.global_info(rg):
            out["GlobalReplicationGroupInfo"] = self.global_info(rg)
        if rg.snapshotting_cluster:
            out["SnapshottingClusterId"] = rg.snapshotting_cluster
        elif rg.snapshot_retention_limit and rg.members:
            out["SnapshottingClusterId"] = rg.members[-1] if not rg.cluster_enabled else None
        if rg.transit_encryption_enabled:
            out["TransitEncryptionMode"] = rg.transit_encryption_mode
        if rg.kms_key_id:
            out["KmsKeyId"] = rg.kms_key_id
        if rg.auth_token_modified:
            out["AuthTokenLastModifiedDate"] = utc(rg.auth_token_modified)
        ready = status != "creating"
        if ready:
            out.update(self._rg_endpoints(reg, rg))
        shards = len(rg.node_groups)
        groups = []
        for i, ng in enumerate(rg.node_groups):
            g: dict[str, Any] = {"NodeGroupId": ng.id, "Status": status if status in ("creating", "modifying", "deleting") else "available"}
            members = []
            for j, m in enumerate(ng.members):
                cc = reg.clusters.get(m)
                member: dict[str, Any] = {"CacheClusterId": m, "CacheNodeId": "0001", "PreferredAvailabilityZone": cc.az if cc else ""}
                if not rg.cluster_enabled:
                    member["CurrentRole"] = "primary" if m == ng.primary else "replica"
                    if ready:
                        member["ReadEndpoint"] = self._member_endpoint(reg, rg, m)
                members.append(member)
            g["NodeGroupMembers"] = members
            if rg.cluster_enabled:
                g["Slots"] = f"{i * 16384 // shards}-{(i + 1) * 16384 // shards - 1}"
            elif ready:
                eps = self._rg_endpoints(reg, rg)
                g["PrimaryEndpoint"], g["ReaderEndpoint"] = eps["PrimaryEndpoint"], eps["ReaderEndpoint"]
            groups.append(g)
        out["NodeGroups"] = groups
        return out

    def op_DescribeReplicationGroups(self, reg: Region, p: dict) -> dict:
        if p.get("ReplicationGroupId"):
            if self._not_yet_visible(reg, "rg", p["ReplicationGroupId"]):
                raise AWSError("ReplicationGroupNotFoundFault", f"Replication group {p['ReplicationGroupId']} not found.")
            groups = [self._rg(reg, p["ReplicationGroupId"])]
            self._maybe_fail_over(groups[0])
        else:
            groups = list(reg.replication_groups.values())
        page, marker = paginate(groups, p.get("MaxRecords"), p.get("Marker"))
        out: dict[str, Any] = {"ReplicationGroups": [self._render_rg(reg, rg) for rg in page]}
        if marker:
            out["Marker"] = marker
        return out

    def _require_available(self, rg: ReplicationGroup, reg: Region | None = None) -> None:
        if rg.life.status != "available":
            raise AWSError("InvalidReplicationGroupState", f"Replication group {rg.id} is not in available state (it is {rg.life.status}).")
        for m in rg.members if reg is not None and rules.active(R.MEMBERS_AVAILABLE) else []:
            cc = reg.clusters.get(m)
            if cc is not None and cc.life.status != "available":
                raise AWSError("InvalidReplicationGroupState", f"Replication group {rg.id} must be in available state to modify: member {m} is {cc.life.status}.")

    def _begin_modify(self, reg: Region, rg: ReplicationGroup, extra_done: Callable[[], None] | None = None) -> None:
        def done() -> None:
            for key, value in rg.pending.items():
                setattr(rg, key[0].lower() + re.sub(r"([A-Z])", lambda m: "_" + m.group(1).lower(), key[1:]), value)
            rg.pending = {}
            rg.pending_view = {}
            if extra_done:
                extra_done()

        def done_then_members() -> None:
            done()
            self._lag_members(reg, rg)

        rg.life.move("modifying", self.config.modify_delay, "available", on_done=done_then_members)

    def _check_snapshot_source(self, rg: ReplicationGroup, p: dict) -> None:
        source = p.get("SnapshottingClusterId")
        if source is not None:
            if rules.active(R.NO_SNAPSHOT_SOURCE_IN_CLUSTER_MODE) and rg.cluster_enabled:
                raise combination(f"SnapshottingClusterId cannot be set for the cluster-mode enabled replication group {rg.id}.")
            if source not in rg.members:
                raise AWSError("CacheClusterNotFound", f"CacheCluster not found: {source}")
        turning_on = (p.get("SnapshotRetentionLimit") or 0) > 0 and rg.snapshot_retention_limit == 0
        if rules.active(R.SNAPSHOTS_ON_NEED_SOURCE) and turning_on and not rg.cluster_enabled and source is None:
            raise combination(f"Turning on snapshots for {rg.id} needs SnapshottingClusterId (the member to snapshot).")

    @staticmethod
    def _modify_notification(target: Any, p: dict) -> None:
        """AWS removes a topic by making it inactive and keeps reporting its ARN."""
        topic, status = p.get("NotificationTopicArn"), p.get("NotificationTopicStatus")
        if topic:
            target.notification_topic_arn, target.notification_topic_status = topic, "active"
        if status in ("active", "inactive") and getattr(target, "notification_topic_arn", None):
            target.notification_topic_status = status
        elif status is not None and status not in ("active", "inactive"):
            raise invalid(f"Invalid NotificationTopicStatus: {status} (active or inactive).")
        if not rules.active(R.TOPIC_INACTIVE_KEEPS_ARN) and getattr(target, "notification_topic_status", "") == "inactive":
            target.notification_topic_arn = None

    def op_ModifyReplicationGroup(self, reg: Region, p: dict) -> dict:
        rg = self._rg(reg, p.get("ReplicationGroupId"))
        self.check_member_change(rg, "ModifyReplicationGroup", p)
        self._require_available(rg, reg)
        check_windows(p)
        if rules.active(R.NOTHING_ELSE_WHILE_COMPATIBLE) and getattr(rg, "cluster_mode", "") == "compatible":
            others = sorted(k for k, v in p.items() if v is not None and k not in ("ReplicationGroupId", "ApplyImmediately", "ClusterMode"))
            if others or (p.get("ClusterMode") or "").lower() != "enabled":
                raise combination(f"Replication group {rg.id} is in cluster mode compatible: only ClusterMode=enabled can be modified now (got {', '.join(others) or 'no ClusterMode=enabled'}).")
        immediately = bool(p.get("ApplyImmediately"))
        deferred: dict[str, Any] = {}
        view: dict[str, Any] = {}
        # Log delivery changes take effect at once (they are accepted only with ApplyImmediately).
        rg.log_deliveries = logdelivery.apply(getattr(rg, "log_deliveries", {}), p.get("LogDeliveryConfigurations"), rg.engine,
                                              rg.engine_version, modify=True, apply_immediately=immediately)

        if p.get("Engine") is not None:
            engine = p["Engine"].lower()
            if engine not in REDIS_LIKE:
                raise invalid(f"Invalid engine {engine!r}")
            if engine == "redis" and rg.engine == "valkey":
                raise invalid("Cannot change the engine from valkey to redis.")
        else:
            engine = rg.engine
        new_version = rg.engine_version
        if p.get("EngineVersion") is not None or engine != rg.engine:
            v = engine_version(engine, p.get("EngineVersion") or None)
            if engine == rg.engine and _version_tuple(v["version"]) < _version_tuple(rg.engine_version):
                raise invalid(f"Cannot downgrade {rg.engine} from {rg.engine_version} to {v['version']}.")
            new_version = v["version"]
            target = {"Engine": engine, "EngineVersion": new_version}
            (deferred if immediately else rg.maintenance).update(target)
        if p.get("CacheNodeType") is not None:
            if not NODE_TYPE.match(p["CacheNodeType"]):
                raise invalid(f"Invalid CacheNodeType: {p['CacheNodeType']}")
            if rules.active(R.DATA_TIERING_FIXED) and is_r6gd(p["CacheNodeType"]) != (rg.data_tiering == "enabled"):
                raise combination(f"Cannot change {rg.id} from {rg.cache_node_type} to {p['CacheNodeType']}: data tiering (r6gd) is fixed when the group is created.")
            (deferred if immediately else rg.maintenance).update({"CacheNodeType": p["CacheNodeType"]})
        # Online move to cluster mode, as AWS does it: disabled -> compatible (with a parameter
        # group that has cluster-enabled=yes) -> enabled. It never goes back.
        mode = (p.get("ClusterMode") or "").lower()
        if mode:
            current = "enabled" if rg.cluster_enabled else getattr(rg, "cluster_mode", "disabled")
            if mode not in ("enabled", "disabled", "compatible"):
                raise invalid(f"Invalid ClusterMode: {p['ClusterMode']}")
            if mode == "disabled" and current != "disabled":
                raise combination(f"Cluster mode of {rg.id} cannot go back to disabled.")
            if mode == "compatible" and current == "disabled":
                if rules.active(R.COMPATIBLE_PRECONDITIONS):
                    if not rg.automatic_failover or len(rg.members) < 2:
                        raise combination(f"Cluster mode compatible needs automatic failover with at least one replica on {rg.id}.")
                    floor = "7.2" if rg.engine == "valkey" else "7.0"
                    if _version_tuple(rg.engine_version) < _version_tuple(floor):
                        raise combination(f"Cluster mode compatible needs {rg.engine} {floor} or later; {rg.id} runs {rg.engine_version}.")
                pg_name = p.get("CacheParameterGroupName") or rg.parameter_group
                if self._pg(reg, pg_name).value("cluster-enabled") != "yes":
                    raise combination("ClusterMode compatible needs a parameter group with cluster-enabled set to yes.")
                rg.cluster_mode = "compatible"
            elif mode == "enabled" and current != "enabled":
                if current != "compatible":
                    raise combination(f"Set ClusterMode to compatible before enabled on {rg.id}.")
                rg.cluster_enabled = True
                rg.cluster_mode = "enabled"
        if p.get("CacheParameterGroupName") is not None:
            pg = self._pg(reg, p["CacheParameterGroupName"])
            family = engine_version(engine, new_version)["family"]
            if pg.family != family:
                raise combination(f"The parameter group {pg.name} (family {pg.family}) is not compatible with {engine} {new_version} (family {family}).")
            if (pg.value("cluster-enabled") == "yes") != (rg.cluster_enabled or getattr(rg, "cluster_mode", "") == "compatible"):
                raise combination(f"The parameter group {pg.name} does not match the cluster mode of {rg.id}.")
            if not immediately and pg.family != self._pg(reg, rg.parameter_group).family:
                # A new family travels with the version it belongs to: both wait for the window.
                rg.maintenance["CacheParameterGroupName"] = pg.name
            else:
                rg.parameter_group = pg.name
        elif new_version != rg.engine_version or engine != rg.engine:
            family = engine_version(engine, new_version)["family"]
            current_family = self._pg(reg, rg.parameter_group).family
            if rules.active(R.UPGRADE_NEEDS_FAMILY_GROUP) and current_family != family:
                raise combination(f"Expected a parameter group of family {family} but found one of family {current_family}.")

        self._check_snapshot_source(rg, p)
        self._modify_placement(reg, rg, p)
        self._modify_notification(rg, p)
        if p.get("SecurityGroupIds") is not None:
            ext_ec2.require_security_groups(reg.name, p["SecurityGroupIds"])
            rg.security_group_ids = list(p["SecurityGroupIds"])
        for field, attr in (("PreferredMaintenanceWindow", "maintenance_window"), ("SnapshotWindow", "snapshot_window"),
                            ("SnapshotRetentionLimit", "snapshot_retention_limit"),
                            ("AutoMinorVersionUpgrade", "auto_minor_version_upgrade"), ("ReplicationGroupDescription", "description"),
                            ("SnapshottingClusterId", "snapshotting_cluster")):
            if p.get(field) is not None:
                setattr(rg, attr, p[field].lower() if field == "PreferredMaintenanceWindow" else p[field])

        af = rg.automatic_failover if p.get("AutomaticFailoverEnabled") is None else bool(p["AutomaticFailoverEnabled"])
        multi_az = rg.multi_az if p.get("MultiAZEnabled") is None else bool(p["MultiAZEnabled"])
        if rules.active(R.MULTI_AZ_NEEDS_FAILOVER) and multi_az and not af:
            raise combination("Multi-AZ requires automatic failover to be enabled.")
        if rules.active(R.CLUSTER_MODE_NEEDS_FAILOVER) and rg.cluster_enabled and not af:
            raise combination("Automatic failover cannot be disabled for a cluster-mode enabled replication group.")
        if rules.active(R.FAILOVER_NEEDS_REPLICA) and af and not rg.cluster_enabled and len(rg.members) < 2:
            raise combination("Automatic failover requires at least one replica.")
        if af != rg.automatic_failover:
            deferred["AutomaticFailover"] = af
            view["AutomaticFailoverStatus"] = "enabled" if af else "disabled"
        rg.multi_az = multi_az

        if p.get("TransitEncryptionEnabled") is not None and bool(p["TransitEncryptionEnabled"]) != rg.transit_encryption_enabled:
            enable = bool(p["TransitEncryptionEnabled"])
            if enable and p.get("TransitEncryptionMode") != "preferred":
                raise combination("Enabling in-transit encryption on an existing group requires TransitEncryptionMode=preferred first.")
            deferred["TransitEncryptionEnabled"] = enable
            deferred["TransitEncryptionMode"] = "preferred" if enable else None
            view["TransitEncryptionEnabled"] = enable
        elif p.get("TransitEncryptionMode") is not None:
            mode = p["TransitEncryptionMode"]
            if mode not in ("preferred", "required"):
                raise invalid(f"Invalid TransitEncryptionMode: {mode}")
            if not rg.transit_encryption_enabled:
                raise combination("TransitEncryptionMode requires in-transit encryption to be enabled.")
            if mode != rg.transit_encryption_mode:
                deferred["TransitEncryptionMode"] = mode
                view["TransitEncryptionMode"] = mode

        token = p.get("AuthToken")
        strategy = p.get("AuthTokenUpdateStrategy")
        if token is not None or strategy is not None:
            strategy = (strategy or ("ROTATE" if rg.auth_token_enabled else "SET")).upper()
            if strategy not in ("ROTATE", "SET", "DELETE"):
                raise invalid(f"Invalid AuthTokenUpdateStrategy: {strategy}")
            if rules.active(R.AUTH_TOKEN_NEEDS_TLS) and not rg.transit_encryption_enabled:
                raise combination("AUTH tokens require in-transit encryption.")
            if strategy in ("ROTATE", "SET"):
                if token is None:
                    raise combination(f"AuthTokenUpdateStrategy {strategy} requires AuthToken.")
                check_auth_token(token)
                if rg.user_group_ids and not p.get("UserGroupIdsToRemove"):
                    raise combination("AuthToken cannot be set on a replication group that uses user groups (RBAC).")
                rg.auth_token_enabled = True
                view["AuthTokenStatus"] = "ROTATING" if strategy == "ROTATE" else "SETTING"
                # ROTATE: the old and the new token both work; SET: only the new one.
                old = getattr(rg, "auth_hashes", []) if strategy == "ROTATE" else []
                rg.auth_hashes = (old + [dataplane.sha256(token)])[-2:]
            else:
                if token is not None:
                    raise combination("AuthTokenUpdateStrategy DELETE must not carry an AuthToken.")
                if rules.active(R.AUTH_DELETE_ONLY_TO_RBAC) and not p.get("UserGroupIdsToAdd"):
                    raise combination("AuthTokenUpdateStrategy DELETE is allowed only when transitioning to RBAC: give UserGroupIdsToAdd in the same call.")
                if not rg.auth_token_enabled:
                    raise combination("The replication group has no AUTH token to delete.")
                rg.auth_token_enabled = False
                rg.auth_hashes = []
            rg.auth_token_modified = now()

        add = p.get("UserGroupIdsToAdd") or []
        remove = p.get("UserGroupIdsToRemove") or []
        if p.get("RemoveUserGroups"):
            remove = list(rg.user_group_ids)
        if add or remove:
            if add and not rg.transit_encryption_enabled:
                raise combination("User groups (RBAC) require in-transit encryption.")
            if rules.active(R.USER_GROUPS_NEED_TOKEN_DELETED) and add and rg.auth_token_enabled and token is None:
                raise combination("User groups cannot be added while an AUTH token is set; delete the token first (AuthTokenUpdateStrategy=DELETE).")
            self._active_user_groups(reg, add)
            for ug_id in remove:
                if ug_id not in rg.user_group_ids:
                    raise invalid(f"User group {ug_id} is not associated with replication group {rg.id}.")
            rg.user_group_ids = [u for u in rg.user_group_ids if u not in remove] + [u for u in add if u not in rg.user_group_ids]
            view["UserGroups"] = {"UserGroupIdsToAdd": list(add), "UserGroupIdsToRemove": list(remove)}

        rg.pending = deferred
        rg.pending_view = view
        self._begin_modify(reg, rg)
        return {"ReplicationGroup": self._render_rg(reg, rg)}

    def _add_members(self, reg: Region, rg: ReplicationGroup, ng: NodeGroup, count: int, shard_index: int, azs: list[str],
                     zones: list[str] | None = None) -> None:
        """Adds count members to a node group; zones (one per node of the grown group, primary
        first: ConfigureShard.PreferredAvailabilityZones) place them, else the subnet group's."""
        used = {int(m.rsplit("-", 1)[1]) for m in ng.members}
        n = 1
        for _ in range(count):
            while n in used:
                n += 1
            used.add(n)
            member = f"{rg.id}-{shard_index + 1:04d}-{n:03d}" if rg.cluster_enabled else f"{rg.id}-{n:03d}"
            az = zones[len(ng.members)] if zones else azs[(shard_index + len(ng.members)) % len(azs)]
            cc = CacheCluster(member, rg.id, az)
            cc.life.move("creating", self.config.modify_delay, "available")
            reg.clusters[member] = cc
            ng.members.append(member)

    def _drop_member(self, reg: Region, rg: ReplicationGroup, member: str) -> None:
        for ng in rg.node_groups:
            if member in ng.members:
                ng.members.remove(member)
        cc = reg.clusters.get(member)
        if cc is not None:
            cc.life.move("deleting", self.config.delete_delay, GONE)

    def _shard_index(self, rg: ReplicationGroup, ng: NodeGroup) -> int:
        try:
            return int(ng.id) - 1
        except ValueError:
            return rg.node_groups.index(ng)

    def _replica_targets(self, rg: ReplicationGroup, p: dict) -> dict[str, int]:
        targets: dict[str, int] = {}
        if p.get("NewReplicaCount") is not None:
            for ng in rg.node_groups:
                targets[ng.id] = p["NewReplicaCount"]
        for conf in p.get("ReplicaConfiguration") or []:
            if conf.get("NodeGroupId") not in {ng.id for ng in rg.node_groups}:
                raise invalid(f"Node group {conf.get('NodeGroupId')} not found in {rg.id}.")
            targets[conf["NodeGroupId"]] = conf["NewReplicaCount"]
        if not targets and not p.get("ReplicasToRemove"):
            raise combination("Either NewReplicaCount or ReplicaConfiguration must be specified.")
        for count in targets.values():
            if not 0 <= count <= 5:
                raise invalid("NewReplicaCount must be between 0 and 5.")
        return targets

    def op_IncreaseReplicaCount(self, reg: Region, p: dict) -> dict:
        rg = self._rg(reg, p.get("ReplicationGroupId"))
        self._require_available(rg, reg)
        if rules.active(R.REPLICA_CHANGES_NOW) and not p.get("ApplyImmediately"):
            raise invalid("IncreaseReplicaCount requires ApplyImmediately=true.")
        targets = self._replica_targets(rg, p)
        azs = self._azs_for(reg, rg.subnet_group)
        sng = reg.subnet_groups.get(rg.subnet_group or "")
        zones = {c["NodeGroupId"]: c.get("PreferredAvailabilityZones") or [] for c in p.get("ReplicaConfiguration") or []}
        changed = False
        for ng in rg.node_groups:
            if ng.id in targets:
                want = targets[ng.id] + 1
                if want < len(ng.members):
                    raise invalid(f"NewReplicaCount {targets[ng.id]} is lower than the current replica count of node group {ng.id}; use DecreaseReplicaCount.")
                placement.check_zones(zones.get(ng.id, []), sng.azs if sng else [], want, "PreferredAvailabilityZones")
                if want > len(ng.members):
                    self._add_members(reg, rg, ng, want - len(ng.members), self._shard_index(rg, ng), azs, zones.get(ng.id))
                    changed = True
        if not changed:
            raise AWSError("NoOperationFault", "The replication group already has the requested number of replicas.")
        self._begin_modify(reg, rg)
        return {"ReplicationGroup": self._render_rg(reg, rg)}

    def op_DecreaseReplicaCount(self, reg: Region, p: dict) -> dict:
        rg = self._rg(reg, p.get("ReplicationGroupId"))
        self._require_available(rg, reg)
        if rules.active(R.REPLICA_CHANGES_NOW) and not p.get("ApplyImmediately"):
            raise invalid("DecreaseReplicaCount requires ApplyImmediately=true.")
        to_remove = list(p.get("ReplicasToRemove") or [])
        targets = self._replica_targets(rg, p) if (p.get("NewReplicaCount") is not None or p.get("ReplicaConfiguration")) else {}
        min_replicas = 1 if (rg.automatic_failover and not rg.cluster_enabled) or rg.multi_az else 0
        for member in to_remove:
            if member not in rg.members:
                raise AWSError("CacheClusterNotFound", f"CacheCluster not found: {member}")
            ng = next(g for g in rg.node_groups if member in g.members)
            if rules.active(R.DECREASE_NEVER_PRIMARY) and ng.primary == member:
                raise invalid(f"Cannot remove {member}: it is the primary of node group {ng.id}.")
        for ng in rg.node_groups:
            if ng.id in targets:
                want = targets[ng.id] + 1
                if want > len(ng.members):
                    raise invalid(f"NewReplicaCount {targets[ng.id]} is higher than the current replica count of node group {ng.id}; use IncreaseReplicaCount.")
                excess = len(ng.members) - want - len([m for m in to_remove if m in ng.members])
                # AWS picks the replicas itself; the lowest-numbered ones here, so a caller that
                # assumes the last members go is caught (rule rg-decrease-replicas-never-primary);
                # random ones with the random_replica_removal switch.
                spare = [m for m in sorted(ng.members) if m != ng.primary and m not in to_remove]
                if self.config.random_replica_removal:
                    self.rng.shuffle(spare)
                to_remove += spare[: max(excess, 0)]
        if not to_remove:
            raise AWSError("NoOperationFault", "The replication group already has the requested number of replicas.")
        for ng in rg.node_groups:
            remaining = len([m for m in ng.members if m not in to_remove]) - 1
            if remaining < min_replicas:
                raise invalid(f"Node group {ng.id} needs at least {min_replicas} replica(s) while automatic failover / Multi-AZ is enabled.")
        for member in to_remove:
            self._drop_member(reg, rg, member)
        self._begin_modify(reg, rg)
        return {"ReplicationGroup": self._render_rg(reg, rg)}

    def op_TestFailover(self, reg: Region, p: dict) -> dict:
        """Promotes a replica of one node group to primary, as an automatic failover would."""
        rg = self._rg(reg, p.get("ReplicationGroupId"))
        self._require_available(rg)
        ng = next((g for g in rg.node_groups if g.id == p.get("NodeGroupId")), None)
        if ng is None:
            raise AWSError("NodeGroupNotFoundFault", f"Node group {p.get('NodeGroupId')} not found in {rg.id}.")
        if not rg.automatic_failover or len(ng.members) < 2:
            raise combination(f"TestFailover needs automatic failover and a replica in node group {ng.id}.")
        current = ng.primary
        ng.primary_id = next(m for m in sorted(ng.members) if m != current)
        self._begin_modify(reg, rg)
        return {"ReplicationGroup": self._render_rg(reg, rg)}

    def op_ModifyReplicationGroupShardConfiguration(self, reg: Region, p: dict) -> dict:
        rg = self._rg(reg, p.get("ReplicationGroupId"))
        self.check_member_change(rg, "ModifyReplicationGroupShardConfiguration", p)
        self._require_available(rg, reg)
        if not rg.cluster_enabled:
            raise invalid(f"Replication group {rg.id} is not cluster-mode enabled; its shard count cannot change.")
        if rules.active(R.REPLICA_CHANGES_NOW) and not p.get("ApplyImmediately"):
            raise invalid("ModifyReplicationGroupShardConfiguration requires ApplyImmediately=true.")
        count = p.get("NodeGroupCount")
        if count is None or not 1 <= count <= 500:
            raise invalid("NodeGroupCount must be between 1 and 500.")
        current = len(rg.node_groups)
        if count == current:
            raise invalid(f"Replication group {rg.id} already has {count} node groups.")
        if count > current:
            replicas = len(rg.node_groups[0].members) - 1 if rg.node_groups else 1
            azs = self._azs_for(reg, rg.subnet_group)
            used = {ng.id for ng in rg.node_groups}
            n = 1
            for _ in range(count - current):
                while f"{n:04d}" in used:
                    n += 1
                used.add(f"{n:04d}")
                ng = NodeGroup(f"{n:04d}", [])
                rg.node_groups.append(ng)
                self._add_members(reg, rg, ng, replicas + 1, n - 1, azs)
        else:
            remove = p.get("NodeGroupsToRemove") or []
            retain = p.get("NodeGroupsToRetain") or []
            ids = [ng.id for ng in rg.node_groups]
            if retain:
                remove = [i for i in ids if i not in retain]
            if not remove:
                raise combination("Reducing the number of node groups requires NodeGroupsToRemove or NodeGroupsToRetain.")
            if len(ids) - len(remove) != count:
                raise combination(f"NodeGroupCount {count} does not match the node groups left after removing {remove}.")
            for ng_id in remove:
                ng = next((g for g in rg.node_groups if g.id == ng_id), None)
                if ng is None:
                    raise invalid(f"Node group {ng_id} not found in {rg.id}.")
                for member in list(ng.members):
                    self._drop_member(reg, rg, member)
                rg.node_groups.remove(ng)
        rg.pending_view = {"Resharding": {"SlotMigration": {"ProgressPercentage": 0.0}}}
        self._begin_modify(reg, rg)
        return {"ReplicationGroup": self._render_rg(reg, rg)}

    def _record_snapshot(self, reg: Region, name: str, source: dict) -> None:
        if name in reg.snapshots:
            raise AWSError("SnapshotAlreadyExistsFault", f"Snapshot {name} already exists.")
        reg.snapshots[name] = {"name": name, "created": now(), **source}

    def op_DeleteReplicationGroup(self, reg: Region, p: dict) -> dict:
        rg = self._rg(reg, p.get("ReplicationGroupId"))
        self.check_member_change(rg, "DeleteReplicationGroup", p)
        busy = ("deleting", "creating") + (("snapshotting",) if rules.active(R.SNAPSHOT_NEEDS_AVAILABLE) else ())
        if rg.life.status in busy:
            raise AWSError("InvalidReplicationGroupState", f"Replication group {rg.id} is {rg.life.status}; it cannot be deleted now.")
        if p.get("FinalSnapshotIdentifier"):
            self._record_snapshot(reg, p["FinalSnapshotIdentifier"], {
                **self._rg_snapshot_source(rg), "kind": "replication-group", "data": self.dataplane.dump(f"{reg.name}/rg/{rg.id}")})
        rg.life.move("deleting", self.config.delete_delay, GONE)
        rg.pending_view = {}
        for member in rg.members:
            cc = reg.clusters.get(member)
            if cc is not None:
                cc.life.move("deleting", self.config.delete_delay, GONE)
        return {"ReplicationGroup": self._render_rg(reg, rg)}

    # ======================================================================================
    # Cache clusters (replication group members and standalone memcached clusters)
    # ======================================================================================

    def _render_cluster(self, reg: Region, cc: CacheCluster, show_nodes: bool) -> dict:
        if cc.rg_id is not None:
            return self._render_member(reg, cc, show_nodes)
        status = cc.life.status
        out: dict[str, Any] = {
            "CacheClusterId": cc.id,
            "ClientDownloadLandingPage": "https://console.aws.amazon.com/elasticache/home#client-download:",
            "CacheNodeType": cc.cache_node_type,
            "Engine": cc.engine,
            "EngineVersion": cc.engine_version,
            "CacheClusterStatus": status,
            "NumCacheNodes": len(cc.nodes),
            "PreferredAvailabilityZone": "Multiple" if len({n["az"] for n in cc.nodes}) > 1 else cc.az,
            "CacheClusterCreateTime": utc(cc.created),
            "PreferredMaintenanceWindow": cc.maintenance_window,
            "PendingModifiedValues": dict(cc.pending_view),
            "CacheSecurityGroups": [],
            "CacheParameterGroup": {"CacheParameterGroupName": cc.parameter_group, "ParameterApplyStatus": "in-sync", "CacheNodeIdsToReboot": []},
            "CacheSubnetGroupName": cc.subnet_group,
            "AutoMinorVersionUpgrade": cc.auto_minor_version_upgrade,
            "SecurityGroups": [{"SecurityGroupId": g, "Status": "active"} for g in cc.security_group_ids],
            "AuthTokenEnabled": False,
            "TransitEncryptionEnabled": cc.transit_encryption_enabled,
            "AtRestEncryptionEnabled": False,
            "ARN": arn(reg.name, "cluster", cc.id),
            "ReplicationGroupLogDeliveryEnabled": False,
            "LogDeliveryConfigurations": [],
            "NetworkType": getattr(cc, "network_type", "ipv4"),
            "IpDiscovery": getattr(cc, "ip_discovery", "ipv4"),
        }
        if cc.engine != "memcached":
            out["SnapshotRetentionLimit"] = cc.snapshot_retention_limit
            out["SnapshotWindow"] = cc.snapshot_window
        if cc.notification_topic_arn:
            out["NotificationConfiguration"] = {"TopicArn": cc.notification_topic_arn, "TopicStatus": getattr(cc, "notification_topic_status", "active")}
        h = dns_hash(reg.name)
        if cc.engine == "memcached" and status != "creating":
            out["ConfigurationEndpoint"] = (self._engine_endpoint(reg, "cc", cc.id, "config")
                                            or {"Address": self._host(reg, cc.id, h, "cfg"), "Port": cc.port})
        if show_nodes:
            nodes = []
            for node in cc.nodes:
                n: dict[str, Any] = {"CacheNodeId": node["id"], "CacheNodeStatus": node["life"].status,
                                     "CacheNodeCreateTime": utc(node["created"]), "ParameterGroupStatus": "in-sync",
                                     "CustomerAvailabilityZone": node["az"]}
                if node["life"].status != "creating":
                    n["Endpoint"] = (self._engine_endpoint(reg, "cc", cc.id, "node:" + node["id"])
                                     or {"Address": self._host(reg, cc.id, h, node["id"]), "Port": cc.port})
                nodes.append(n)
            out["CacheNodes"] = nodes
        return out

    def _render_member(self, reg: Region, cc: CacheCluster, show_nodes: bool) -> dict:
        rg = reg.replication_groups.get(cc.rg_id)
        if rg is None:  # group already forgotten; the member is on its way out
            return {"CacheClusterId": cc.id, "CacheClusterStatus": cc.life.status, "ReplicationGroupId": cc.rg_id}
        status = cc.life.status
        if status == "available" and rg.life.status in ("modifying", "deleting", "snapshotting"):
            status = rg.life.status
        pending = {}
        for key in ("CacheNodeType", "EngineVersion"):
            if key in rg.maintenance:
                pending[key] = rg.maintenance[key]
            if key in rg.pending:
                pending[key] = rg.pending[key]
        if "AuthTokenStatus" in rg.pending_view:
            pending["AuthTokenStatus"] = rg.pending_view["AuthTokenStatus"]
        out: dict[str, Any] = {
            "CacheClusterId": cc.id,
            "ClientDownloadLandingPage": "https://console.aws.amazon.com/elasticache/home#client-download:",
            "CacheNodeType": rg.cache_node_type,
            "Engine": rg.engine,
            "EngineVersion": rg.engine_version,
            "CacheClusterStatus": status,
            "NumCacheNodes": 1,
            "PreferredAvailabilityZone": cc.az,
            "CacheClusterCreateTime": utc(cc.created),
            "PreferredMaintenanceWindow": rg.maintenance_window,
            "PendingModifiedValues": pending,
            "CacheSecurityGroups": [],
            "CacheParameterGroup": {"CacheParameterGroupName": rg.parameter_group, "CacheNodeIdsToReboot": [],
                                    "ParameterApplyStatus": "applying" if getattr(rg, "applying_parameters", False) else "in-sync"},
            "CacheSubnetGroupName": rg.subnet_group or "default",
            "AutoMinorVersionUpgrade": rg.auto_minor_version_upgrade,
            "SecurityGroups": [{"SecurityGroupId": g, "Status": "active"} for g in rg.security_group_ids],
            "ReplicationGroupId": rg.id,
            "SnapshotRetentionLimit": rg.snapshot_retention_limit,
            "SnapshotWindow": rg.snapshot_window,
            "AuthTokenEnabled": rg.auth_token_enabled,
            "TransitEncryptionEnabled": rg.transit_encryption_enabled,
            "AtRestEncryptionEnabled": rg.at_rest,
            "ARN": arn(reg.name, "cluster", cc.id),
            "ReplicationGroupLogDeliveryEnabled": False,
            "LogDeliveryConfigurations": [],
            "NetworkType": rg.network_type,
            "IpDiscovery": rg.ip_discovery,
        }
        if rg.transit_encryption_enabled:
            out["TransitEncryptionMode"] = rg.transit_encryption_mode
        if rg.auth_token_modified:
            out["AuthTokenLastModifiedDate"] = utc(rg.auth_token_modified)
        if rg.notification_topic_arn:
            out["NotificationConfiguration"] = {"TopicArn": rg.notification_topic_arn, "TopicStatus": getattr(rg, "notification_topic_status", "active")}
        if show_nodes:
            node: dict[str, Any] = {"CacheNodeId": "0001", "CacheNodeStatus": "available" if status != "creating" else "creating",
                                    "CacheNodeCreateTime": utc(cc.created), "ParameterGroupStatus": "in-sync",
                                    "CustomerAvailabilityZone": cc.az}
            if cc.life.status != "creating":
                node["Endpoint"] = self._member_endpoint(reg, rg, cc.id)
            out["CacheNodes"] = [node]
        return out

    def op_DescribeCacheClusters(self, reg: Region, p: dict) -> dict:
        show = bool(p.get("ShowCacheNodeInfo"))
        if p.get("CacheClusterId"):
            if self._not_yet_visible(reg, "cc", p["CacheClusterId"]):
                raise AWSError("CacheClusterNotFound", f"CacheCluster not found: {p['CacheClusterId']}")
            clusters = [self._cluster(reg, p["CacheClusterId"])]
        else:
            clusters = list(reg.clusters.values())
            if p.get("ShowCacheClustersNotInReplicationGroups"):
                clusters = [c for c in clusters if c.rg_id is None]
        page, marker = paginate(clusters, p.get("MaxRecords"), p.get("Marker"))
        out: dict[str, Any] = {"CacheClusters": [self._render_cluster(reg, c, show) for c in page]}
        if marker:
            out["Marker"] = marker
        return out

    def _make_nodes(self, cc: CacheCluster, count: int, azs: list[str], delay: float, one_each: bool = False) -> None:
        """Adds count nodes; one_each gives the k-th new node azs[k] (NewAvailabilityZones)."""
        used = {int(n["id"]) for n in cc.nodes}
        n = 1
        for k in range(count):
            while n in used:
                n += 1
            used.add(n)
            life = Lifecycle("creating")
            life.move("creating", delay, "available")
            cc.nodes.append({"id": f"{n:04d}", "az": azs[k] if one_each else azs[(n - 1) % len(azs)], "created": now(), "life": life})

    def op_CreateCacheCluster(self, reg: Region, p: dict) -> dict:
        cc_id = check_name(p.get("CacheClusterId"), "CacheClusterId", 50)
        if cc_id in reg.clusters:
            raise AWSError("CacheClusterAlreadyExists", f"Cache cluster {cc_id} already exists.")
        if p.get("ReplicationGroupId"):
            raise combination("The emulator does not add cache clusters to replication groups; use IncreaseReplicaCount.")
        engine = (p.get("Engine") or "").lower()
        if engine not in ("memcached", "redis", "valkey"):
            raise invalid(f"Invalid engine: {p.get('Engine')!r}")
        version = engine_version(engine, p.get("EngineVersion"))
        node_type = p.get("CacheNodeType")
        if not node_type or not NODE_TYPE.match(node_type):
            raise invalid(f"Invalid CacheNodeType: {node_type}")
        num = p.get("NumCacheNodes") or 1
        if engine == "memcached" and not 1 <= num <= 40:
            raise invalid("NumCacheNodes must be between 1 and 40 for memcached.")
        if engine != "memcached" and num != 1:
            raise invalid(f"NumCacheNodes must be 1 for {engine}.")
        check_windows(p)
        pg_name = p.get("CacheParameterGroupName") or f"default.{version['family']}"
        pg = self._pg(reg, pg_name)
        if pg.family != version["family"]:
            raise combination(f"The parameter group {pg.name} (family {pg.family}) is not compatible with {engine} {version['version']}.")
        sng_name = p.get("CacheSubnetGroupName")
        if sng_name:
            self._sng(reg, sng_name)
        sgs = p.get("SecurityGroupIds") or []
        ext_ec2.require_security_groups(reg.name, sgs)
        network, discovery, sng_azs = self._placement(reg, p, engine, version["version"], node_type, sng_name, sgs)
        placement.check_zones(p.get("PreferredAvailabilityZones") or [], sng_azs, num, "PreferredAvailabilityZones")
        az_mode = p.get("AZMode") or "single-az"
        if az_mode not in ("single-az", "cross-az"):
            raise invalid(f"Invalid AZMode: {az_mode}")
        if az_mode == "cross-az" and engine != "memcached":
            raise combination("AZMode cross-az is only valid for memcached.")
        azs = self._azs_for(reg, sng_name)
        preferred = p.get("PreferredAvailabilityZones") or ([p["PreferredAvailabilityZone"]] if p.get("PreferredAvailabilityZone") else [])
        node_azs = preferred or (azs if az_mode == "cross-az" else [azs[0]])

        cc = CacheCluster(cc_id, None, node_azs[0])
        cc.engine, cc.engine_version, cc.cache_node_type = engine, version["version"], node_type
        cc.parameter_group, cc.subnet_group, cc.security_group_ids = pg.name, (sng_name or "default").lower(), sgs
        cc.port = p.get("Port") or (11211 if engine == "memcached" else 6379)
        cc.maintenance_window = (p.get("PreferredMaintenanceWindow") or "sun:23:00-mon:01:30").lower()
        cc.notification_topic_arn = p.get("NotificationTopicArn")
        cc.auto_minor_version_upgrade = p.get("AutoMinorVersionUpgrade", True) is not False
        cc.snapshot_retention_limit = p.get("SnapshotRetentionLimit") or 0
        cc.snapshot_window = p.get("SnapshotWindow") or "05:00-06:00"
        cc.transit_encryption_enabled = bool(p.get("TransitEncryptionEnabled"))
        cc.az_mode = az_mode
        cc.network_type, cc.ip_discovery = network, discovery
        cc.pending_view = {}
        self._make_nodes(cc, num, node_azs, self.config.create_delay)
        cc.life.move("creating", self.config.create_delay, "available")
        reg.clusters[cc_id] = cc
        self._just_created(reg, "cc", cc_id)
        self.set_tags(reg, arn(reg.name, "cluster", cc_id), p.get("Tags"))
        return {"CacheCluster": self._render_cluster(reg, cc, False)}

    def op_ModifyCacheCluster(self, reg: Region, p: dict) -> dict:
        cc = self._cluster(reg, p.get("CacheClusterId"))
        if cc.rg_id is not None:
            raise combination(f"Cache cluster {cc.id} is a member of replication group {cc.rg_id}; use ModifyReplicationGroup.")
        if cc.life.status != "available":
            raise AWSError("InvalidCacheClusterState", f"Cache cluster {cc.id} is not in available state (it is {cc.life.status}).")
        check_windows(p)
        changes: dict[str, Any] = {}
        view: dict[str, Any] = {}
        num = p.get("NumCacheNodes")
        to_remove = p.get("CacheNodeIdsToRemove") or []
        if num is not None and num != len(cc.nodes):
            if cc.engine != "memcached":
                raise invalid(f"NumCacheNodes must be 1 for {cc.engine}.")
            if not 1 <= num <= 40:
                raise invalid("NumCacheNodes must be between 1 and 40 for memcached.")
            if num < len(cc.nodes):
                if rules.active(R.MEMCACHED_DECREASE_NAMES_NODES) and len(to_remove) != len(cc.nodes) - num:
                    raise combination(f"Decreasing NumCacheNodes from {len(cc.nodes)} to {num} requires exactly {len(cc.nodes) - num} CacheNodeIdsToRemove.")
                ids = {n["id"] for n in cc.nodes}
                for node_id in to_remove:
                    if node_id not in ids:
                        raise invalid(f"Cache node {node_id} not found in {cc.id}.")
                view["CacheNodeIdsToRemove"] = list(to_remove)
            changes["num"] = num
            view["NumCacheNodes"] = num
        elif to_remove:
            raise combination("CacheNodeIdsToRemove requires NumCacheNodes lower than the current count.")
        if p.get("CacheNodeType"):
            if not NODE_TYPE.match(p["CacheNodeType"]):
                raise invalid(f"Invalid CacheNodeType: {p['CacheNodeType']}")
            changes["cache_node_type"] = p["CacheNodeType"]
            view["CacheNodeType"] = p["CacheNodeType"]
        if p.get("EngineVersion"):
            v = engine_version(cc.engine, p["EngineVersion"])
            changes["engine_version"] = v["version"]
            view["EngineVersion"] = v["version"]
        if p.get("CacheParameterGroupName"):
            pg = self._pg(reg, p["CacheParameterGroupName"])
            want = engine_version(cc.engine, changes.get("engine_version", cc.engine_version))["family"]
            if pg.family != want:
                raise combination(f"The parameter group {pg.name} (family {pg.family}) is not compatible with {cc.engine} {cc.engine_version}.")
            cc.parameter_group = pg.name
        if p.get("SecurityGroupIds") is not None:
            ext_ec2.require_security_groups(reg.name, p["SecurityGroupIds"])
        self._modify_placement(reg, cc, p)
        if p.get("SecurityGroupIds") is not None:
            cc.security_group_ids = list(p["SecurityGroupIds"])
        self._modify_notification(cc, p)
        for field, attr in (("PreferredMaintenanceWindow", "maintenance_window"),
                            ("AutoMinorVersionUpgrade", "auto_minor_version_upgrade"), ("SnapshotRetentionLimit", "snapshot_retention_limit"),
                            ("SnapshotWindow", "snapshot_window")):
            if p.get(field) is not None:
                setattr(cc, attr, p[field])
        immediately = bool(p.get("ApplyImmediately"))
        if not immediately:
            for key in ("cache_node_type", "engine_version"):
                changes.pop(key, None)
        new_azs = p.get("NewAvailabilityZones") or []

        def done() -> None:
            if "num" in changes:
                target = changes["num"]
                if target > len(cc.nodes):
                    azs = new_azs or self._azs_for(reg, cc.subnet_group if cc.subnet_group != "default" else None)
                    self._make_nodes(cc, target - len(cc.nodes), azs if cc.az_mode == "cross-az" or new_azs else [cc.az], 0,
                                     one_each=bool(new_azs) and len(new_azs) == target - len(cc.nodes))
                else:
                    cc.nodes = [n for n in cc.nodes if n["id"] not in to_remove]
            for key in ("cache_node_type", "engine_version"):
                if key in changes:
                    setattr(cc, key, changes[key])
            cc.pending_view = {k: v for k, v in cc.pending_view.items() if not immediately and k in ("CacheNodeType", "EngineVersion")}

        cc.pending_view = view
        cc.life.move("modifying", self.config.modify_delay, "available", on_done=done)
        return {"CacheCluster": self._render_cluster(reg, cc, False)}

    def op_DeleteCacheCluster(self, reg: Region, p: dict) -> dict:
        cc = self._cluster(reg, p.get("CacheClusterId"))
        if cc.rg_id is not None:
            raise AWSError("InvalidCacheClusterState", f"Cache cluster {cc.id} is a member of replication group {cc.rg_id}; use DecreaseReplicaCount or DeleteReplicationGroup.")
        if cc.life.status in ("deleting", "creating"):
            raise AWSError("InvalidCacheClusterState", f"Cache cluster {cc.id} is {cc.life.status}; it cannot be deleted now.")
        if p.get("FinalSnapshotIdentifier"):
            if cc.engine == "memcached":
                raise AWSError("SnapshotFeatureNotSupportedFault", "Snapshots are not supported for memcached.")
            self._record_snapshot(reg, p["FinalSnapshotIdentifier"], {"cache_cluster": cc.id, "engine": cc.engine,
                                  "engine_version": cc.engine_version, "node_type": cc.cache_node_type, "kind": "cache-cluster"})
        cc.life.move("deleting", self.config.delete_delay, GONE)
        return {"CacheCluster": self._render_cluster(reg, cc, False)}

    def _render_snapshot(self, reg: Region, s: dict, status: str | None = None) -> dict:
        out = {
            "SnapshotName": s["name"], "ReplicationGroupId": s.get("replication_group"), "CacheClusterId": s.get("cache_cluster"),
            "SnapshotStatus": status or self.snapshot_status_of(reg, s), "SnapshotSource": "manual", "CacheNodeType": s["node_type"],
            "Engine": s["engine"], "EngineVersion": s["engine_version"], "ARN": arn(reg.name, "snapshot", s["name"]),
            "CacheClusterCreateTime": utc(s["created"])}
        if s.get("replication_group"):
            out.update({"NumNodeGroups": s.get("node_groups", 1), "CacheParameterGroupName": s.get("parameter_group"),
                        "AutomaticFailover": "enabled" if s.get("automatic_failover") else "disabled", "DataTiering": s.get("data_tiering", "disabled")})
        return out

    def op_DeleteSnapshot(self, reg: Region, p: dict) -> dict:
        snap = reg.snapshots.get(p.get("SnapshotName") or "")
        if snap is None or snap["kind"] == "serverless":
            raise AWSError("SnapshotNotFoundFault", f"Snapshot {p.get('SnapshotName')} not found.")
        self._check_snapshot_deletable(snap)
        del reg.snapshots[snap["name"]]
        reg.tags.pop(arn(reg.name, "snapshot", snap["name"]), None)
        return {"Snapshot": self._render_snapshot(reg, snap, "deleting")}

    def op_DescribeSnapshots(self, reg: Region, p: dict) -> dict:
        snaps = list(reg.snapshots.values())
        if p.get("SnapshotName"):
            snaps = [s for s in snaps if s["name"] == p["SnapshotName"]]
            if not snaps:
                raise AWSError("SnapshotNotFoundFault", f"Snapshot {p['SnapshotName']} not found.")
        if p.get("ReplicationGroupId"):
            snaps = [s for s in snaps if s.get("replication_group") == p["ReplicationGroupId"]]
        if p.get("CacheClusterId"):
            snaps = [s for s in snaps if s.get("cache_cluster") == p["CacheClusterId"]]
        snaps = [s for s in snaps if s["kind"] != "serverless"]
        page, marker = paginate(snaps, p.get("MaxRecords"), p.get("Marker"), minimum=20, maximum=50)
        out: dict[str, Any] = {"Snapshots": [self._render_snapshot(reg, s) for s in page]}
        if marker:
            out["Marker"] = marker
        return out

    # ======================================================================================
    # Parameter groups
    # ======================================================================================

    def _render_pg(self, reg: Region, pg: ParameterGroup) -> dict:
        return {"CacheParameterGroupName": pg.name, "CacheParameterGroupFamily": pg.family, "Description": pg.description,
                "IsGlobal": False, "ARN": arn(reg.name, "parametergroup", pg.name)}

    def op_CreateCacheParameterGroup(self, reg: Region, p: dict) -> dict:
        name = p.get("CacheParameterGroupName") or ""
        if not name or len(name) > 255 or not re.match(r"^[a-zA-Z][a-zA-Z0-9.-]*$", name) or name.lower().startswith("default."):
            raise invalid(f"Invalid CacheParameterGroupName: {name!r}")
        name = name.lower()
        if name in reg.parameter_groups:
            raise AWSError("CacheParameterGroupAlreadyExists", f"Parameter group {name} already exists.")
        family = p.get("CacheParameterGroupFamily")
        if family not in FAMILIES:
            raise invalid(f"The parameter CacheParameterGroupFamily must be one of: {', '.join(FAMILIES)} (got {family!r}).")
        if not p.get("Description"):
            raise invalid("The parameter Description must be provided and must not be blank.")
        pg = ParameterGroup(name, family, p["Description"])
        reg.parameter_groups[name] = pg
        self.set_tags(reg, arn(reg.name, "parametergroup", name), p.get("Tags"))
        return {"CacheParameterGroup": self._render_pg(reg, pg)}

    def op_DescribeCacheParameterGroups(self, reg: Region, p: dict) -> dict:
        if p.get("CacheParameterGroupName"):
            groups = [self._pg(reg, p["CacheParameterGroupName"])]
        else:
            groups = list(reg.parameter_groups.values())
        page, marker = paginate(groups, p.get("MaxRecords"), p.get("Marker"))
        out: dict[str, Any] = {"CacheParameterGroups": [self._render_pg(reg, g) for g in page]}
        if marker:
            out["Marker"] = marker
        return out

    def op_ModifyCacheParameterGroup(self, reg: Region, p: dict) -> dict:
        pg = self._pg(reg, p.get("CacheParameterGroupName"))
        if pg.default:
            raise invalid(f"Default parameter groups cannot be modified: {pg.name}")
        values = p.get("ParameterNameValues") or []
        if not values or (rules.active(R.PARAMETERS_20_PER_CALL) and len(values) > 20):
            raise invalid("ParameterNameValues must hold between 1 and 20 parameters per call.")
        defs = {d["name"]: d for d in family_parameters(pg.family)}
        for item in values:
            name, value = item.get("ParameterName"), item.get("ParameterValue")
            if name not in defs:
                raise invalid(f"Unknown parameter for family {pg.family}: {name}")
            if value is None:
                raise invalid(f"ParameterValue is required for {name}.")
            check_parameter_value(defs[name], value)
        if any(i["ParameterName"] == "cluster-enabled" for i in values):
            users = self._pg_in_use(reg, pg.name)
            if users:
                raise AWSError("InvalidCacheParameterGroupState", f"cluster-enabled cannot change while {pg.name} is used by {', '.join(users)}.")
        for item in values:
            pg.values[item["ParameterName"]] = item["ParameterValue"]
        self._apply_parameters(reg, pg.name)
        return {"CacheParameterGroupName": pg.name}

    def op_ResetCacheParameterGroup(self, reg: Region, p: dict) -> dict:
        pg = self._pg(reg, p.get("CacheParameterGroupName"))
        if pg.default:
            raise invalid(f"Default parameter groups cannot be modified: {pg.name}")
        names = [i.get("ParameterName") for i in p.get("ParameterNameValues") or []]
        if p.get("ResetAllParameters"):
            if names:
                raise combination("ResetAllParameters cannot be combined with ParameterNameValues.")
            pg.values.clear()
        elif names:
            for n in names:
                pg.values.pop(n, None)
        else:
            raise combination("Either ResetAllParameters or ParameterNameValues must be given.")
        self._apply_parameters(reg, pg.name)
        return {"CacheParameterGroupName": pg.name}

    def op_DeleteCacheParameterGroup(self, reg: Region, p: dict) -> dict:
        pg = self._pg(reg, p.get("CacheParameterGroupName"))
        if pg.default:
            raise AWSError("InvalidCacheParameterGroupState", f"Default parameter group {pg.name} cannot be deleted.")
        users = self._pg_in_use(reg, pg.name)
        if users and rules.active(R.PARAMETER_GROUP_IN_USE):
            raise AWSError("InvalidCacheParameterGroupState", f"One or more cache clusters are still members of parameter group {pg.name}: {', '.join(users)}.")
        del reg.parameter_groups[pg.name]
        reg.tags.pop(arn(reg.name, "parametergroup", pg.name), None)
        return {}

    def _parameters(self, family: str, values: dict[str, str], source: str | None) -> list[dict]:
        out = []
        for d in family_parameters(family):
            user = d["name"] in values
            src = "user" if user else "system"
            if source and source != src and not (source == "engine-default" and not user):
                continue
            out.append({
                "ParameterName": d["name"], "ParameterValue": values.get(d["name"], d["value"]),
                "Description": d["description"], "Source": src, "DataType": d["type"],
                "AllowedValues": d.get("allowed", ""), "IsModifiable": d.get("modifiable", True),
                "MinimumEngineVersion": d.get("min_version", FAMILIES[family]["version"]),
                "ChangeType": d.get("change", "immediate"),
            })
        return out

    def op_DescribeCacheParameters(self, reg: Region, p: dict) -> dict:
        pg = self._pg(reg, p.get("CacheParameterGroupName"))
        source = p.get("Source")
        if source and source not in ("user", "system", "engine-default"):
            raise invalid(f"Invalid Source: {source}. Valid values are user, system, engine-default.")
        params = self._parameters(pg.family, pg.values, source)
        page, marker = paginate(params, p.get("MaxRecords"), p.get("Marker"))
        out: dict[str, Any] = {"Parameters": page, "CacheNodeTypeSpecificParameters": []}
        if marker:
            out["Marker"] = marker
        return out

    def op_DescribeEngineDefaultParameters(self, reg: Region, p: dict) -> dict:
        family = p.get("CacheParameterGroupFamily")
        if family not in FAMILIES:
            raise invalid(f"Invalid CacheParameterGroupFamily: {family!r}")
        params = self._parameters(family, {}, None)
        page, marker = paginate(params, p.get("MaxRecords"), p.get("Marker"))
        defaults: dict[str, Any] = {"CacheParameterGroupFamily": family, "Parameters": page, "CacheNodeTypeSpecificParameters": []}
        if marker:
            defaults["Marker"] = marker
        return {"EngineDefaults": defaults}

    # ======================================================================================
    # Subnet groups
    # ======================================================================================

    def _render_sng(self, reg: Region, sng: SubnetGroup) -> dict:
        return {
            "CacheSubnetGroupName": sng.name, "CacheSubnetGroupDescription": sng.description, "VpcId": sng.vpc_id,
            "Subnets": [{"SubnetIdentifier": s, "SubnetAvailabilityZone": {"Name": az},
                         "SupportedNetworkTypes": placement.supported_network_types(reg.name, s)} for s, az in sng.subnets],
            "ARN": arn(reg.name, "subnetgroup", sng.name),
            # The group supports a type when every subnet does.
            "SupportedNetworkTypes": [t for t in ("ipv4", "ipv6", "dual_stack")
                                      if all(t in placement.supported_network_types(reg.name, s) for s, _ in sng.subnets)],
        }

    def _resolve_subnets(self, reg: Region, ids: list[str]) -> tuple[str, list[tuple[str, str]]]:
        if not ids:
            raise invalid("At least one subnet ID must be given.")
        resolved = []
        vpcs = set()
        for sid in ids:
            vpc, az = ext_ec2.subnet(reg.name, sid)
            vpcs.add(vpc)
            resolved.append((sid, az))
        if len(vpcs) > 1:
            raise AWSError("InvalidSubnet", f"The subnets must all be in the same VPC (got {', '.join(sorted(vpcs))}).")
        return vpcs.pop(), resolved

    def op_CreateCacheSubnetGroup(self, reg: Region, p: dict) -> dict:
        name = (p.get("CacheSubnetGroupName") or "").lower()
        if not name or len(name) > 255 or not re.match(r"^[a-z0-9][a-z0-9-]*$", name) or name == "default":
            raise invalid(f"Invalid CacheSubnetGroupName: {p.get('CacheSubnetGroupName')!r}")
        if name in reg.subnet_groups:
            raise AWSError("CacheSubnetGroupAlreadyExists", f"Cache subnet group {name} already exists.")
        if not p.get("CacheSubnetGroupDescription"):
            raise invalid("The parameter CacheSubnetGroupDescription must be provided and must not be blank.")
        vpc, subnets = self._resolve_subnets(reg, p.get("SubnetIds") or [])
        sng = SubnetGroup(name, p["CacheSubnetGroupDescription"], vpc, subnets)
        reg.subnet_groups[name] = sng
        self.set_tags(reg, arn(reg.name, "subnetgroup", name), p.get("Tags"))
        return {"CacheSubnetGroup": self._render_sng(reg, sng)}

    def op_DescribeCacheSubnetGroups(self, reg: Region, p: dict) -> dict:
        if p.get("CacheSubnetGroupName"):
            groups = [self._sng(reg, p["CacheSubnetGroupName"])]
        else:
            groups = list(reg.subnet_groups.values())
        page, marker = paginate(groups, p.get("MaxRecords"), p.get("Marker"))
        out: dict[str, Any] = {"CacheSubnetGroups": [self._render_sng(reg, g) for g in page]}
        if marker:
            out["Marker"] = marker
        return out

    def op_ModifyCacheSubnetGroup(self, reg: Region, p: dict) -> dict:
        sng = self._sng(reg, p.get("CacheSubnetGroupName"))
        if p.get("SubnetIds") is not None:
            vpc, subnets = self._resolve_subnets(reg, p["SubnetIds"])
            if vpc != sng.vpc_id and self._sng_users(reg, sng.name):
                raise AWSError("SubnetInUse", f"Cache subnet group {sng.name} is in use; its subnets must stay in {sng.vpc_id}.")
            sng.vpc_id, sng.subnets = vpc, subnets
        if p.get("CacheSubnetGroupDescription") is not None:
            sng.description = p["CacheSubnetGroupDescription"]
        return {"CacheSubnetGroup": self._render_sng(reg, sng)}

    def _sng_users(self, reg: Region, name: str) -> list[str]:
        users = [rg.id for rg in reg.replication_groups.values() if rg.subnet_group == name]
        users += [cc.id for cc in reg.clusters.values() if cc.rg_id is None and cc.subnet_group == name]
        return users

    def op_DeleteCacheSubnetGroup(self, reg: Region, p: dict) -> dict:
        sng = self._sng(reg, p.get("CacheSubnetGroupName"))
        users = self._sng_users(reg, sng.name)
        if users and rules.active(R.SUBNET_GROUP_IN_USE):
            raise AWSError("CacheSubnetGroupInUse", f"Cache subnet group {sng.name} is currently in use by {', '.join(users)}.")
        del reg.subnet_groups[sng.name]
        reg.tags.pop(arn(reg.name, "subnetgroup", sng.name), None)
        return {}

    # ======================================================================================
    # Serverless caches
    # ======================================================================================

    def _check_usage_limits(self, limits: dict | None) -> None:
        if not limits:
            return
        storage = limits.get("DataStorage")
        if storage:
            if storage.get("Unit") != "GB":
                raise invalid("CacheUsageLimits.DataStorage.Unit must be GB.")
            lo, hi = storage.get("Minimum"), storage.get("Maximum")
            for v in (lo, hi):
                if v is not None and not 1 <= v <= 5000:
                    raise invalid("CacheUsageLimits.DataStorage Minimum/Maximum must be between 1 and 5000 GB.")
            if lo is not None and hi is not None and lo > hi:
                raise invalid("CacheUsageLimits.DataStorage.Minimum must not exceed Maximum.")
        ecpu = limits.get("ECPUPerSecond")
        if ecpu:
            lo, hi = ecpu.get("Minimum"), ecpu.get("Maximum")
            for v in (lo, hi):
                if v is not None and not 1000 <= v <= 15000000:
                    raise invalid("CacheUsageLimits.ECPUPerSecond Minimum/Maximum must be between 1000 and 15000000.")
            if lo is not None and hi is not None and lo > hi:
                raise invalid("CacheUsageLimits.ECPUPerSecond.Minimum must not exceed Maximum.")

    def _render_serverless(self, reg: Region, sc: ServerlessCache) -> dict:
        status = sc.life.status
        out: dict[str, Any] = {
            "ServerlessCacheName": sc.name, "CreateTime": utc(sc.created), "Status": status, "Engine": sc.engine,
            "MajorEngineVersion": sc.major_version, "FullEngineVersion": sc.full_version,
            "SecurityGroupIds": list(sc.security_group_ids), "ARN": arn(reg.name, "serverlesscache", sc.name),
            "SubnetIds": list(sc.subnet_ids), "NetworkType": getattr(sc, "network_type", "ipv4"),
        }
        if sc.description:
            out["Description"] = sc.description
        if sc.usage_limits:
            out["CacheUsageLimits"] = sc.usage_limits
        if sc.kms_key_id:
            out["KmsKeyId"] = sc.kms_key_id
        if sc.user_group_id:
            out["UserGroupId"] = sc.user_group_id
        if sc.engine != "memcached":
            out["SnapshotRetentionLimit"] = sc.snapshot_retention_limit
            out["DailySnapshotTime"] = sc.daily_snapshot_time
        if status != "creating":
            host = f"{sc.name}-{dns_hash(reg.name)}.serverless.{region_short(reg.name)}.cache.amazonaws.com"
            port = 11211 if sc.engine == "memcached" else 6379
            out["Endpoint"] = self._engine_endpoint(reg, "sc", sc.name, "endpoint") or {"Address": host, "Port": port}
            out["ReaderEndpoint"] = self._engine_endpoint(reg, "sc", sc.name, "reader") or {"Address": host, "Port": port + 1}
        return out

    def _serverless_network(self, reg: Region, p: dict, subnets: list[str]) -> str:
        """NetworkType of a serverless cache: ipv4 unless given, or ipv6 when every subnet is
        IPv6-only (botocore CreateServerlessCache.NetworkType); it must fit the subnets."""
        kinds = [placement.supported_network_types(reg.name, s) for s in subnets]
        network = p.get("NetworkType") or ("ipv6" if kinds and all(k == ["ipv6"] for k in kinds) else "ipv4")
        if rules.active(R.NETWORK_TYPE_NEEDS_FITTING_SUBNETS):
            unfit = [s for s, k in zip(subnets, kinds) if network not in k]
            if unfit:
                raise combination(f"The subnets {', '.join(unfit)} do not support NetworkType {network}.")
        return network

    def op_CreateServerlessCache(self, reg: Region, p: dict) -> dict:
        name = check_name(p.get("ServerlessCacheName"), "ServerlessCacheName")
        if name in reg.serverless:
            raise AWSError("ServerlessCacheAlreadyExistsFault", f"Serverless cache {name} already exists.")
        engine = (p.get("Engine") or "").lower()
        majors = ENGINE_VERSIONS["serverless_major_versions"]
        if engine not in majors:
            raise invalid(f"Invalid engine {p.get('Engine')!r}: must be one of {', '.join(majors)}.")
        major = p.get("MajorEngineVersion") or majors[engine][-1]
        if major not in majors[engine]:
            raise invalid(f"MajorEngineVersion {major} is not supported for serverless {engine} (supported: {', '.join(majors[engine])}).")
        self._check_usage_limits(p.get("CacheUsageLimits"))
        if engine == "memcached":
            if p.get("UserGroupId"):
                raise combination("UserGroupId is not supported for serverless memcached.")
            if p.get("SnapshotRetentionLimit") or p.get("DailySnapshotTime"):
                raise combination("Snapshots are not supported for serverless memcached.")
        if p.get("DailySnapshotTime") and not SNAP_TIME.match(p["DailySnapshotTime"]):
            raise invalid(f"Invalid DailySnapshotTime: {p['DailySnapshotTime']} (expected HH:MM).")
        if p.get("SnapshotRetentionLimit") is not None and not 0 <= p["SnapshotRetentionLimit"] <= 35:
            raise invalid("SnapshotRetentionLimit must be between 0 and 35.")
        if p.get("UserGroupId"):
            self._active_user_groups(reg, [p["UserGroupId"]])
        seed = self.restore_into_serverless(reg, dict(p, ServerlessCacheName=name), engine)
        subnets = p.get("SubnetIds") or ext_ec2.default_subnets(reg.name)
        vpc = None
        if p.get("SubnetIds"):
            vpc, _ = self._resolve_subnets(reg, subnets)
        network = self._serverless_network(reg, p, subnets)
        sgs = p.get("SecurityGroupIds")
        if sgs:
            ext_ec2.require_security_groups(reg.name, sgs)
            placement.check_groups_vpc(reg.name, sgs, vpc)
        else:
            default = ext_ec2.default_security_group(reg.name)
            sgs = [default] if default else []
        sc = ServerlessCache(name)
        sc.description = p.get("Description") or ""
        sc.engine, sc.major_version = engine, major
        sc.full_version = ENGINE_VERSIONS["serverless_full_versions"][engine][major]
        sc.usage_limits = p.get("CacheUsageLimits")
        sc.kms_key_id = p.get("KmsKeyId")
        sc.security_group_ids, sc.subnet_ids = list(sgs), list(subnets)
        sc.network_type = network
        sc.user_group_id = p.get("UserGroupId")
        sc.snapshot_retention_limit = p.get("SnapshotRetentionLimit") or 0
        sc.daily_snapshot_time = p.get("DailySnapshotTime") or "04:00"
        sc.life.move("creating", self.config.create_delay, "available")
        reg.serverless[name] = sc
        self.dataplane.seed(f"{reg.name}/sc/{name}", seed)
        self._just_created(reg, "serverless", name)
        self.set_tags(reg, arn(reg.name, "serverlesscache", name), p.get("Tags"))
        return {"ServerlessCache": self._render_serverless(reg, sc)}

    def op_DescribeServerlessCaches(self, reg: Region, p: dict) -> dict:
        if p.get("ServerlessCacheName"):
            if self._not_yet_visible(reg, "serverless", p["ServerlessCacheName"]):
                raise AWSError("ServerlessCacheNotFoundFault", f"Serverless cache {p['ServerlessCacheName']} not found.")
            caches = [self._serverless(reg, p["ServerlessCacheName"])]
        else:
            caches = list(reg.serverless.values())
        page, token = paginate(caches, p.get("MaxResults"), p.get("NextToken"), minimum=1, maximum=100, name="MaxResults")
        out: dict[str, Any] = {"ServerlessCaches": [self._render_serverless(reg, c) for c in page]}
        if token:
            out["NextToken"] = token
        return out

    def _merged_usage_limits(self, sc: ServerlessCache, limits: dict) -> dict | None:
        """Each Maximum / Minimum left out keeps its value; 0 removes it (a dimension with neither
        left is gone)."""
        merged = {dim: dict(v) for dim, v in (sc.usage_limits or {}).items()}
        for dim in ("DataStorage", "ECPUPerSecond"):
            given = limits.get(dim)
            if not given or (given.get("Maximum") is None and given.get("Minimum") is None):
                continue
            current = merged.get(dim, {})
            for bound in ("Maximum", "Minimum"):
                value = given.get(bound)
                if value is None:
                    continue
                if value == 0 and rules.active(R.SERVERLESS_LIMIT_REMOVAL):
                    current.pop(bound, None)
                else:
                    current[bound] = value
            if given.get("Unit"):
                current["Unit"] = given["Unit"]
            if current.get("Maximum") is None and current.get("Minimum") is None:
                merged.pop(dim, None)
            else:
                merged[dim] = current
        self._check_usage_limits(merged)
        return merged or None

    def op_ModifyServerlessCache(self, reg: Region, p: dict) -> dict:
        sc = self._serverless(reg, p.get("ServerlessCacheName"))
        if sc.life.status != "available":
            raise AWSError("InvalidServerlessCacheStateFault", f"Serverless cache {sc.name} is not available (it is {sc.life.status}).")
        fields = sorted(k for k, v in p.items() if v is not None and k != "ServerlessCacheName")
        if rules.active(R.SERVERLESS_ONE_FIELD) and len(fields) > 1 and set(fields) != {"Engine", "MajorEngineVersion"}:
            raise combination("Serverless Cache modifications only support modifying one field per request.")
        if p.get("CacheUsageLimits") is not None:
            merged = self._merged_usage_limits(sc, p["CacheUsageLimits"])
            if rules.active(R.SERVERLESS_LIMIT_REMOVAL) and merged == sc.usage_limits and len(fields) == 1:
                raise combination("No modifications were requested")
            p = dict(p, CacheUsageLimits=merged)
        if p.get("RemoveUserGroup") and p.get("UserGroupId"):
            raise combination("RemoveUserGroup and UserGroupId cannot both be given.")
        if p.get("UserGroupId"):
            if sc.engine == "memcached":
                raise combination("UserGroupId is not supported for serverless memcached.")
            self._active_user_groups(reg, [p["UserGroupId"]])
        if p.get("DailySnapshotTime") and not SNAP_TIME.match(p["DailySnapshotTime"]):
            raise invalid(f"Invalid DailySnapshotTime: {p['DailySnapshotTime']} (expected HH:MM).")
        if sc.engine == "memcached" and (p.get("SnapshotRetentionLimit") or p.get("DailySnapshotTime")):
            raise combination("Snapshots are not supported for serverless memcached.")
        engine = (p.get("Engine") or sc.engine).lower()
        if engine != sc.engine and not (sc.engine == "redis" and engine == "valkey"):
            raise invalid(f"Cannot change the engine from {sc.engine} to {engine}.")
        majors = ENGINE_VERSIONS["serverless_major_versions"][engine]
        major = p.get("MajorEngineVersion") or (sc.major_version if engine == sc.engine else majors[-1])
        if major not in majors:
            raise invalid(f"MajorEngineVersion {major} is not supported for serverless {engine}.")
        if engine == sc.engine and _version_tuple(major) < _version_tuple(sc.major_version):
            raise invalid(f"Cannot downgrade from {sc.major_version} to {major}.")
        if p.get("SecurityGroupIds") is not None:
            ext_ec2.require_security_groups(reg.name, p["SecurityGroupIds"])
            if sc.subnet_ids:
                placement.check_groups_vpc(reg.name, p["SecurityGroupIds"], ext_ec2.subnet(reg.name, sc.subnet_ids[0])[0])
            sc.security_group_ids = list(p["SecurityGroupIds"])
        if "CacheUsageLimits" in p:
            sc.usage_limits = p["CacheUsageLimits"]
        if p.get("Description") is not None:
            sc.description = p["Description"]
        if p.get("SnapshotRetentionLimit") is not None:
            sc.snapshot_retention_limit = p["SnapshotRetentionLimit"]
        if p.get("DailySnapshotTime") is not None:
            sc.daily_snapshot_time = p["DailySnapshotTime"]
        if p.get("UserGroupId"):
            sc.user_group_id = p["UserGroupId"]
        if p.get("RemoveUserGroup"):
            sc.user_group_id = None
        sc.engine, sc.major_version = engine, major
        sc.full_version = ENGINE_VERSIONS["serverless_full_versions"][engine][major]
        sc.life.move("modifying", self.config.modify_delay, "available")
        return {"ServerlessCache": self._render_serverless(reg, sc)}

    def _render_serverless_snapshot(self, reg: Region, snap: dict, status: str | None = None) -> dict:
        return {"ServerlessCacheSnapshotName": snap["name"], "ARN": arn(reg.name, "serverlesscachesnapshot", snap["name"]),
                "SnapshotType": "manual", "Status": status or self.snapshot_status_of(reg, snap), "CreateTime": utc(snap["created"]),
                "ServerlessCacheConfiguration": {"ServerlessCacheName": snap["serverless_cache"], "Engine": snap["engine"],
                                                 "MajorEngineVersion": snap["engine_version"].split(".")[0]}}

    def op_DescribeServerlessCacheSnapshots(self, reg: Region, p: dict) -> dict:
        snaps = [s for s in reg.snapshots.values() if s["kind"] == "serverless"]
        if p.get("ServerlessCacheSnapshotName"):
            snaps = [s for s in snaps if s["name"] == p["ServerlessCacheSnapshotName"]]
            if not snaps:
                raise AWSError("ServerlessCacheSnapshotNotFoundFault", f"Serverless cache snapshot {p['ServerlessCacheSnapshotName']} not found.")
        if p.get("ServerlessCacheName"):
            snaps = [s for s in snaps if s["serverless_cache"] == p["ServerlessCacheName"]]
        page, token = paginate(snaps, p.get("MaxResults"), p.get("NextToken"), minimum=1, maximum=50, name="MaxResults")
        out: dict[str, Any] = {"ServerlessCacheSnapshots": [self._render_serverless_snapshot(reg, s) for s in page]}
        if token:
            out["NextToken"] = token
        return out

    def op_DeleteServerlessCacheSnapshot(self, reg: Region, p: dict) -> dict:
        snap = reg.snapshots.get(p.get("ServerlessCacheSnapshotName") or "")
        if snap is None or snap["kind"] != "serverless":
            raise AWSError("ServerlessCacheSnapshotNotFoundFault", f"Serverless cache snapshot {p.get('ServerlessCacheSnapshotName')} not found.")
        self._check_snapshot_deletable(snap)
        del reg.snapshots[snap["name"]]
        return {"ServerlessCacheSnapshot": self._render_serverless_snapshot(reg, snap, "deleting")}

    def op_DeleteServerlessCache(self, reg: Region, p: dict) -> dict:
        sc = self._serverless(reg, p.get("ServerlessCacheName"))
        if sc.life.status in ("deleting", "creating"):
            raise AWSError("InvalidServerlessCacheStateFault", f"Serverless cache {sc.name} is {sc.life.status}; it cannot be deleted now.")
        if p.get("FinalSnapshotName"):
            # botocore DeleteServerlessCache.FinalSnapshotName: "Available for Valkey, Redis OSS
            # and Serverless Memcached only."
            self._record_snapshot(reg, p["FinalSnapshotName"], {**self._serverless_snapshot_source(sc), "kind": "serverless",
                                                                "data": self.dataplane.dump(f"{reg.name}/sc/{sc.name}")})
        sc.life.move("deleting", self.config.delete_delay, GONE)
        return {"ServerlessCache": self._render_serverless(reg, sc)}

    # ======================================================================================
    # Users and user groups
    # ======================================================================================

    def _render_user(self, reg: Region, user: User) -> dict:
        auth: dict[str, Any] = {"Type": user.auth_type}
        if user.auth_type == "password":
            auth["PasswordCount"] = user.password_count
        groups = [ug.id for ug in reg.user_groups.values() if user.id in ug.user_ids]
        return {"UserId": user.id, "UserName": user.name, "Status": user.life.status, "Engine": user.engine,
                "MinimumEngineVersion": "6.0", "AccessString": user.access, "UserGroupIds": groups,
                "Authentication": auth, "ARN": arn(reg.name, "user", user.id)}

    def _user_auth(self, p: dict) -> tuple[str, int]:
        passwords = p.get("Passwords") or []
        mode = p.get("AuthenticationMode") or {}
        if passwords and mode.get("Passwords"):
            raise combination("Passwords provided via multiple arguments. Use only one argument.")
        passwords = passwords or mode.get("Passwords") or []
        for pw in passwords:
            if not 16 <= len(pw) <= 128:
                raise invalid("Passwords must be between 16 and 128 characters.")
        if len(passwords) > 2:
            raise invalid("At most two passwords can be set.")
        kind = mode.get("Type")
        if kind == "iam":
            return "iam", 0
        if kind == "no-password-required" or p.get("NoPasswordRequired"):
            if passwords:
                raise combination("NoPasswordRequired cannot be combined with passwords.")
            return "no-password", 0
        if passwords:
            return "password", len(passwords)
        raise combination("No password or NoPasswordRequired/AuthenticationMode given.")

    @staticmethod
    def _password_hashes(p: dict) -> list[str]:
        """SHA-256 of the passwords, for the engines' ACL (the passwords themselves are not kept)."""
        passwords = p.get("Passwords") or (p.get("AuthenticationMode") or {}).get("Passwords") or []
        return [dataplane.sha256(pw) for pw in passwords]

    def op_CreateUser(self, reg: Region, p: dict) -> dict:
        user_id = p.get("UserId") or ""
        if not re.match(r"^[a-zA-Z][a-zA-Z0-9\-]*$", user_id):
            raise invalid(f"Invalid UserId: {user_id!r}")
        if user_id in reg.users:
            raise AWSError("UserAlreadyExists", f"User {user_id} already exists.")
        engine = (p.get("Engine") or "").lower()
        if engine not in REDIS_LIKE:
            raise invalid(f"Unknown parameter for Engine: {p.get('Engine')!r}, must be one of: redis, valkey")
        if not p.get("UserName"):
            raise invalid("UserName must be provided.")
        if not p.get("AccessString"):
            raise invalid("AccessString must be provided.")
        auth_type, count = self._user_auth(p)
        if rules.active(R.USER_IAM_NAME_IS_ID) and auth_type == "iam" and p["UserName"] != user_id:
            raise invalid("For IAM authentication the UserName must be the same as the UserId.")
        user = User(user_id)
        user.name, user.engine, user.access, user.auth_type, user.password_count = p["UserName"], engine, p["AccessString"], auth_type, count
        user.password_hashes = self._password_hashes(p)
        reg.users[user_id] = user
        self.set_tags(reg, arn(reg.name, "user", user_id), p.get("Tags"))
        return self._render_user(reg, user)

    def op_DescribeUsers(self, reg: Region, p: dict) -> dict:
        if p.get("UserId"):
            users = [self._user(reg, p["UserId"])]
        else:
            users = list(reg.users.values())
        if p.get("Engine"):
            users = [u for u in users if u.engine == p["Engine"].lower()]
        page, marker = paginate(users, p.get("MaxRecords"), p.get("Marker"))
        out: dict[str, Any] = {"Users": [self._render_user(reg, u) for u in page]}
        if marker:
            out["Marker"] = marker
        return out

    def op_ModifyUser(self, reg: Region, p: dict) -> dict:
        user = self._user(reg, p.get("UserId"))
        if p.get("AccessString") is not None:
            user.access = p["AccessString"]
        if p.get("Passwords") or p.get("AuthenticationMode") or p.get("NoPasswordRequired") is not None:
            user.auth_type, user.password_count = self._user_auth(p)
            user.password_hashes = self._password_hashes(p)
        if p.get("Engine"):
            user.engine = p["Engine"].lower()
        return self._render_user(reg, user)

    def op_DeleteUser(self, reg: Region, p: dict) -> dict:
        user = self._user(reg, p.get("UserId"))
        if user.id == "default":
            raise AWSError("InvalidParameterValue", "The default user cannot be deleted.")
        for ug in reg.user_groups.values():
            if user.id in ug.user_ids and ug.life.status != "deleting":
                raise AWSError("InvalidUserState", f"User {user.id} belongs to user group {ug.id}; remove it from the group first.")
        user.life.move("deleting", self.config.delete_delay, GONE)
        return self._render_user(reg, user)

    def _render_ug(self, reg: Region, ug: UserGroup) -> dict:
        return {
            "UserGroupId": ug.id, "Status": ug.life.status, "Engine": ug.engine, "UserIds": list(ug.user_ids),
            "MinimumEngineVersion": "6.0", "PendingChanges": dict(ug.pending) if ug.pending else None,
            "ReplicationGroups": [rg.id for rg in reg.replication_groups.values() if ug.id in rg.user_group_ids],
            "ServerlessCaches": [sc.name for sc in reg.serverless.values() if sc.user_group_id == ug.id],
            "ARN": arn(reg.name, "usergroup", ug.id),
        }

    def _check_ug_users(self, reg: Region, user_ids: list[str], engine: str) -> None:
        names: set[str] = set()
        for uid in user_ids:
            user = self._user(reg, uid)
            if user.name in names:
                raise AWSError("DuplicateUserName", f"User name {user.name} is used by more than one user in the group.")
            names.add(user.name)
        if rules.active(R.USER_GROUP_DEFAULT_REQUIRED) and "default" not in names:
            raise AWSError("DefaultUserRequired", "User group needs to contain a user with the user name default.")

    def op_CreateUserGroup(self, reg: Region, p: dict) -> dict:
        ug_id = p.get("UserGroupId") or ""
        if not re.match(r"^[a-zA-Z][a-zA-Z0-9\-]*$", ug_id):
            raise invalid(f"Invalid UserGroupId: {ug_id!r}")
        if ug_id in reg.user_groups:
            raise AWSError("UserGroupAlreadyExists", f"User group {ug_id} already exists.")
        engine = (p.get("Engine") or "").lower()
        if engine not in REDIS_LIKE:
            raise invalid(f"Unknown parameter for Engine: {p.get('Engine')!r}, must be one of: redis, valkey")
        user_ids = list(p.get("UserIds") or [])
        self._check_ug_users(reg, user_ids, engine)
        ug = UserGroup(ug_id)
        ug.engine, ug.user_ids, ug.pending = engine, user_ids, {}
        ug.life.move("creating", self.config.create_delay, "active")
        reg.user_groups[ug_id] = ug
        self.set_tags(reg, arn(reg.name, "usergroup", ug_id), p.get("Tags"))
        return self._render_ug(reg, ug)

    def op_DescribeUserGroups(self, reg: Region, p: dict) -> dict:
        if p.get("UserGroupId"):
            groups = [self._ug(reg, p["UserGroupId"])]
        else:
            groups = list(reg.user_groups.values())
        page, marker = paginate(groups, p.get("MaxRecords"), p.get("Marker"))
        out: dict[str, Any] = {"UserGroups": [self._render_ug(reg, g) for g in page]}
        if marker:
            out["Marker"] = marker
        return out

    def op_ModifyUserGroup(self, reg: Region, p: dict) -> dict:
        ug = self._ug(reg, p.get("UserGroupId"))
        if ug.life.status != "active":
            raise AWSError("InvalidUserGroupState", f"User group {ug.id} is not active (it is {ug.life.status}).")
        add = p.get("UserIdsToAdd") or []
        remove = p.get("UserIdsToRemove") or []
        if not add and not remove and not p.get("Engine"):
            raise combination("Nothing to modify: give UserIdsToAdd, UserIdsToRemove or Engine.")
        for uid in remove:
            if uid not in ug.user_ids:
                raise AWSError("UserNotFound", f"User {uid} is not in user group {ug.id}.")
        new_ids = [u for u in ug.user_ids if u not in remove] + [u for u in add if u not in ug.user_ids]
        self._check_ug_users(reg, new_ids, ug.engine)
        if p.get("Engine"):
            engine = p["Engine"].lower()
            if engine not in REDIS_LIKE:
                raise invalid(f"Invalid engine {engine!r}")
            ug.engine = engine
        ug.pending = {"UserIdsToAdd": list(add), "UserIdsToRemove": list(remove)}

        def done() -> None:
            ug.user_ids = new_ids
            ug.pending = {}

        ug.life.move("modifying", self.config.modify_delay, "active", on_done=done)
        return self._render_ug(reg, ug)

    def op_DeleteUserGroup(self, reg: Region, p: dict) -> dict:
        ug = self._ug(reg, p.get("UserGroupId"))
        users = [rg.id for rg in reg.replication_groups.values() if ug.id in rg.user_group_ids]
        users += [sc.name for sc in reg.serverless.values() if sc.user_group_id == ug.id]
        if users:
            raise AWSError("InvalidUserGroupState", f"User group {ug.id} is in use by {', '.join(users)}.")
        if ug.life.status in ("deleting", "creating", "modifying"):
            raise AWSError("InvalidUserGroupState", f"User group {ug.id} is {ug.life.status}; it cannot be deleted now.")
        ug.life.move("deleting", self.config.delete_delay, GONE)
        return self._render_ug(reg, ug)

    # ======================================================================================
    # Catalog: engine versions, reserved node offerings
    # ======================================================================================

    def op_DescribeCacheEngineVersions(self, reg: Region, p: dict) -> dict:
        versions = ENGINE_VERSIONS["versions"]
        if p.get("Engine"):
            versions = [v for v in versions if v["engine"] == p["Engine"].lower()]
        if p.get("EngineVersion"):
            want = ENGINE_VERSIONS["aliases"].get((p.get("Engine") or "").lower(), {}).get(p["EngineVersion"], p["EngineVersion"])
            versions = [v for v in versions if v["version"] == want]
        if p.get("CacheParameterGroupFamily"):
            versions = [v for v in versions if v["family"] == p["CacheParameterGroupFamily"]]
        if p.get("DefaultOnly"):
            versions = [v for v in versions if v.get("default")]
        page, marker = paginate(versions, p.get("MaxRecords"), p.get("Marker"))
        out: dict[str, Any] = {"CacheEngineVersions": [{
            "Engine": v["engine"], "EngineVersion": v["version"], "CacheParameterGroupFamily": v["family"],
            "CacheEngineDescription": ENGINE_VERSIONS["engine_descriptions"][v["engine"]],
            "CacheEngineVersionDescription": v["description"]} for v in page]}
        if marker:
            out["Marker"] = marker
        return out

    def reserved_offerings(self, region: str) -> list[dict]:
        mult = PRICES["regions"].get(region, {"multiplier": 1.0})["multiplier"]
        out = []
        for node_type, info in PRICES["node_types"].items():
            for engine, einfo in PRICES["engines"].items():
                hourly = info["price"] * einfo["multiplier"] * mult
                for years, options in PRICES["reserved"].items():
                    if years.startswith("_"):
                        continue
                    hours = int(years) * 8760
                    for offering, factor in options.items():
                        total = hourly * factor * hours
                        if offering == "No Upfront":
                            fixed, recurring = 0.0, hourly * factor
                        elif offering == "Partial Upfront":
                            fixed, recurring = total / 2, hourly * factor / 2
                        else:
                            fixed, recurring = total, 0.0
                        key = f"{region}/{node_type}/{einfo['product_description']}/{years}/{offering}"
                        out.append({
                            "ReservedCacheNodesOfferingId": str(uuid.uuid5(uuid.NAMESPACE_URL, key)),
                            "CacheNodeType": node_type, "Duration": int(years) * 31536000,
                            "FixedPrice": round(fixed, 2), "UsagePrice": 0.0,
                            "ProductDescription": einfo["product_description"], "OfferingType": offering,
                            "RecurringCharges": [{"RecurringChargeAmount": round(recurring, 4), "RecurringChargeFrequency": "Hourly"}],
                        })
        return out

    def op_DescribeReservedCacheNodesOfferings(self, reg: Region, p: dict) -> dict:
        offers = self.reserved_offerings(reg.name)
        if p.get("ReservedCacheNodesOfferingId"):
            offers = [o for o in offers if o["ReservedCacheNodesOfferingId"] == p["ReservedCacheNodesOfferingId"]]
            if not offers:
                raise AWSError("ReservedCacheNodesOfferingNotFound", f"Reserved cache nodes offering {p['ReservedCacheNodesOfferingId']} not found.")
        if p.get("CacheNodeType"):
            offers = [o for o in offers if o["CacheNodeType"] == p["CacheNodeType"]]
        if p.get("Duration"):
            d = p["Duration"]
            seconds = {"1": 31536000, "3": 94608000}.get(d)
            if seconds is None:
                try:
                    seconds = int(d)
                except ValueError:
                    raise invalid(f"Invalid Duration: {d} (use 1, 3, 31536000 or 94608000)") from None
            offers = [o for o in offers if o["Duration"] == seconds]
        if p.get("ProductDescription"):
            offers = [o for o in offers if o["ProductDescription"] == p["ProductDescription"].lower()]
        if p.get("OfferingType"):
            offers = [o for o in offers if o["OfferingType"].lower() == p["OfferingType"].lower()]
        page, marker = paginate(offers, p.get("MaxRecords"), p.get("Marker"))
        out: dict[str, Any] = {"ReservedCacheNodesOfferings": page}
        if marker:
            out["Marker"] = marker
        return out

    # ======================================================================================
    # Tags
    # ======================================================================================

    ARN_RE = re.compile(r"^arn:aws[a-z-]*:elasticache:([a-z0-9-]+):(\d{12}):([a-z]+):(.+)$")

    def _tagged(self, reg: Region, resource_arn: str | None) -> str:
        m = self.ARN_RE.match(resource_arn or "")
        if not m:
            raise AWSError("InvalidARN", f"Invalid ARN: {resource_arn}")
        region, account, kind, name = m.groups()
        target = self.region(region)
        lookups: dict[str, Callable[[Region, str], Any]] = {
            "replicationgroup": self._rg, "cluster": self._cluster, "parametergroup": self._pg,
            "subnetgroup": self._sng, "serverlesscache": self._serverless, "user": self._user,
            "usergroup": self._ug,
        }
        if kind == "snapshot":
            if name not in target.snapshots:
                raise AWSError("SnapshotNotFoundFault", f"Snapshot {name} not found.")
        elif kind in lookups:
            lookups[kind](target, name)
        else:
            raise AWSError("InvalidARN", f"Invalid ARN: {resource_arn} (unknown resource type {kind})")
        if account != ACCOUNT_ID:
            raise AWSError("InvalidARN", f"Invalid ARN: {resource_arn} (unknown account)")
        return region

    @staticmethod
    def _tag_list(tags: dict[str, str]) -> list[dict]:
        return [{"Key": k, "Value": v} for k, v in tags.items()]

    def _tagging_group(self, target: Region, resource_arn: str) -> ReplicationGroup | None:
        """The replication group a tagging call changes: it must be available, and with
        tag_modifying it reports 'modifying' for a moment afterwards."""
        m = self.ARN_RE.match(resource_arn)
        if not m or m.group(3) != "replicationgroup":
            return None
        rg = self._rg(target, m.group(4))
        if rules.active(R.TAGGING_NEEDS_AVAILABLE) and rg.life.status != "available":
            raise AWSError("InvalidReplicationGroupState", "Cluster not in available state to perform tagging operations.")
        return rg

    def _after_tagging(self, rg: ReplicationGroup | None) -> None:
        if rg is not None and self.config.tag_modifying > 0:
            rg.life.move("modifying", self.config.tag_modifying, "available")

    def op_AddTagsToResource(self, reg: Region, p: dict) -> dict:
        region = self._tagged(reg, p.get("ResourceName"))
        target = self.region(region)
        rg = self._tagging_group(target, p["ResourceName"])
        self.set_tags(target, p["ResourceName"], p.get("Tags"))
        self._after_tagging(rg)
        return {"TagList": self._tag_list(target.tags[p["ResourceName"]])}

    def op_RemoveTagsFromResource(self, reg: Region, p: dict) -> dict:
        region = self._tagged(reg, p.get("ResourceName"))
        target = self.region(region)
        rg = self._tagging_group(target, p["ResourceName"])
        tags = target.tags.setdefault(p["ResourceName"], {})
        for key in p.get("TagKeys") or []:
            tags.pop(key, None)
        self._after_tagging(rg)
        return {"TagList": self._tag_list(tags)}

    def op_ListTagsForResource(self, reg: Region, p: dict) -> dict:
        region = self._tagged(reg, p.get("ResourceName"))
        return {"TagList": self._tag_list(self.region(region).tags.get(p["ResourceName"], {}))}

    # ======================================================================================
    # For /_emulator/resources
    # ======================================================================================

    def resources(self) -> dict[str, list[dict]]:
        out: dict[str, list[dict]] = {k: [] for k in ("replication_groups", "cache_clusters", "parameter_groups", "subnet_groups",
                                                       "serverless_caches", "users", "user_groups", "snapshots")}
        self.refresh_globals()
        out["global_replication_groups"] = [{"id": g.id, "status": g.status, "region": g.members[0]["region"] if g.members else ""}
                                            for g in self.global_groups.values()]
        for reg in self.regions.values():
            self.refresh(reg)
            r = reg.name
            out["replication_groups"] += [{"id": g.id, "status": g.life.status, "region": r} for g in reg.replication_groups.values()]
            out["cache_clusters"] += [{"id": c.id, "status": c.life.status, "region": r, "replication_group": c.rg_id or ""} for c in reg.clusters.values()]
            out["parameter_groups"] += [{"id": g.name, "status": "available", "region": r} for g in reg.parameter_groups.values() if not g.default]
            out["subnet_groups"] += [{"id": g.name, "status": "available", "region": r} for g in reg.subnet_groups.values()]
            out["serverless_caches"] += [{"id": s.name, "status": s.life.status, "region": r} for s in reg.serverless.values()]
            out["users"] += [{"id": u.id, "status": u.life.status, "region": r} for u in reg.users.values() if u.id != "default"]
            out["user_groups"] += [{"id": g.id, "status": g.life.status, "region": r} for g in reg.user_groups.values()]
            out["snapshots"] += [{"id": s["name"], "status": "available", "region": r} for s in reg.snapshots.values()]
        return out
