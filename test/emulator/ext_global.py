"""Global Datastore: replication groups in several regions that replicate from one primary.

A global datastore lives above the regions (its calls are answered in any region, as AWS does:
hashicorp/aws waits for a secondary's global datastore with the secondary's regional client), so
its state is held by the service, not by a `Region`. Its members are replication groups of their
own regions, which carry `global_id` / `global_role`.

`GlobalDatastores` is a mixin of `ext_elasticache.ElastiCache`: the `op_*` handlers below are
served like the others, and the replication-group handlers call the hooks at the end of this file
(`secondary_params`, `joined_global`, `check_member_change`, `global_info`).

Statuses: `creating` -> `primary-only` (no secondary) or `available`; `modifying` while a
secondary joins or leaves, a failover, or a change of the whole datastore runs; `deleting` -> gone.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

import rules
import rules_catalog as R
from protocols import ACCOUNT_ID, AWSError
from runtime import GONE, Lifecycle, now

# AWS docs https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Redis-Global-Datastores-CLI.html:
# the prefix ElastiCache puts before the suffix of a global datastore id, per region.
REGION_PREFIXES = {
    "us-east-1": "ldgnf", "us-east-2": "fpkhr", "us-west-1": "virxk", "us-west-2": "sgaui",
    "ca-central-1": "bxodz", "ap-south-1": "erpgt", "ap-northeast-1": "quwsw", "ap-northeast-2": "lfqnh",
    "ap-northeast-3": "nlapn", "ap-southeast-1": "vlqxn", "ap-southeast-2": "vbgxd", "eu-central-1": "iudkw",
    "eu-west-1": "gxeiz", "eu-west-2": "okuqm", "eu-west-3": "fgjhi", "sa-east-1": "juxlw",
    "cn-north-1": "emvgo", "cn-northwest-1": "ckbem", "ap-east-1": "knjmp",
}

# AWS docs Redis-Global-Datastores-Getting-Started.html: "supported on the following instance
# families in size large and above: M5, M6g, M7g, R5, R6g, R6gd, R7g, and C7gn".
GLOBAL_FAMILIES = ("m5", "m6g", "m7g", "r5", "r6g", "r6gd", "r7g", "c7gn")
TOO_SMALL = ("nano", "micro", "small", "medium")

# Settings a secondary takes from the datastore (hashicorp/aws replication_group.go:
# global_replication_group_id ConflictsWith; AWS answers InvalidParameterCombination).
SECONDARY_FORBIDDEN = ("Engine", "EngineVersion", "CacheNodeType", "NumNodeGroups", "TransitEncryptionEnabled",
                       "TransitEncryptionMode", "AtRestEncryptionEnabled", "SnapshotArns", "SnapshotName",
                       "CacheSecurityGroupNames")
# Changes a member cannot make alone: they are the datastore's (ModifyGlobalReplicationGroup,
# Increase/DecreaseNodeGroupsInGlobalReplicationGroup).
MEMBER_FORBIDDEN = ("Engine", "EngineVersion", "CacheNodeType", "ClusterMode")
MODIFY_FIELDS = ("CacheNodeType", "EngineVersion", "AutomaticFailoverEnabled", "GlobalReplicationGroupDescription")

PRIMARY, SECONDARY = "PRIMARY", "SECONDARY"


def region_prefix(region: str) -> str:
    if region in REGION_PREFIXES:
        return REGION_PREFIXES[region]
    digest = hashlib.sha1(region.encode()).digest()
    return "".join(chr(ord("a") + b % 26) for b in digest[:5])


def node_type_supported(node_type: str) -> bool:
    parts = node_type.split(".")
    return len(parts) == 3 and parts[1] in GLOBAL_FAMILIES and parts[2] not in TOO_SMALL


def _on(rule: str) -> bool:
    """Whether the global datastore rule (a GLOBAL_* row of rules_catalog.toml, by key) is on."""
    return rules.active(getattr(R, rule))


def _invalid(message: str) -> AWSError:
    return AWSError("InvalidParameterValue", message)


def _state(message: str) -> AWSError:
    return AWSError("InvalidGlobalReplicationGroupState", message)


class GlobalGroup:
    def __init__(self, gid: str, description: str):
        self.id, self.description = gid, description
        self.life = Lifecycle("creating")
        self.created = now()
        self.members: list[dict[str, str]] = []  # {region, rg, role, status}

    @property
    def status(self) -> str:
        if self.life.status != "available":
            return self.life.status
        return "available" if self.secondaries else "primary-only"

    @property
    def primary(self) -> dict[str, str]:
        return next(m for m in self.members if m["role"] == PRIMARY)

    @property
    def secondaries(self) -> list[dict[str, str]]:
        return [m for m in self.members if m["role"] == SECONDARY]


class GlobalDatastores:
    """The Global Datastore operations of ElastiCache (a mixin: `self` is the ElastiCache)."""

    global_groups: dict[str, GlobalGroup]
    _datastore_call = False  # True while the datastore changes its members itself

    # -- state --------------------------------------------------------------------------------

    def refresh_globals(self) -> None:
        for g in list(self.global_groups.values()):
            if g.life.tick():
                del self.global_groups[g.id]
                continue
            for m in list(g.members):
                if m["rg"] not in self.region(m["region"]).replication_groups:
                    g.members.remove(m)
        for reg in self.regions.values():  # a datastore's parameter group goes with its last user
            for name in [n for n, pg in reg.parameter_groups.items() if getattr(pg, "managed", False)]:
                if not any(rg.parameter_group == name for rg in reg.replication_groups.values()):
                    del reg.parameter_groups[name]

    def _global(self, gid: str | None) -> GlobalGroup:
        self.refresh_globals()
        g = self.global_groups.get(gid or "")
        if g is None:
            raise AWSError("GlobalReplicationGroupNotFoundFault", f"Global replication group {gid} not found.")
        return g

    def _member_rg(self, m: dict[str, str]) -> Any:
        return self.region(m["region"]).replication_groups[m["rg"]]

    def _secondary(self, p: dict, region: str, rg_id: str, why_not_primary: str) -> tuple[GlobalGroup, dict[str, str]]:
        """The settled datastore of the request and its secondary rg_id in region."""
        g = self._global(p.get("GlobalReplicationGroupId"))
        self._require_settled(g)
        m = next((m for m in g.members if m["region"] == region and m["rg"] == rg_id), None)
        if m is None:
            raise _invalid(f"{rg_id} in {region} is not a member of {g.id}.")
        if m["role"] == PRIMARY:
            raise _invalid(f"{rg_id} in {region} is the primary of {g.id}: {why_not_primary}.")
        return g, m

    def _require_settled(self, g: GlobalGroup) -> None:
        if g.life.status != "available":
            raise _state(f"Global replication group {g.id} is not in available state (it is {g.status}).")

    def _busy(self, g: GlobalGroup, on_done: Any = None, delay: float | None = None) -> None:
        g.life.move("modifying", self.config.modify_delay if delay is None else delay, "available", on_done=on_done)

    # -- rendering ----------------------------------------------------------------------------

    def _render_global(self, g: GlobalGroup, members: bool) -> dict:
        out: dict[str, Any] = {"GlobalReplicationGroupId": g.id, "GlobalReplicationGroupDescription": g.description,
                               "Status": g.status, "ARN": f"arn:aws:elasticache::{ACCOUNT_ID}:globalreplicationgroup:{g.id}"}
        primary = next((m for m in g.members if m["role"] == PRIMARY), None)
        if primary is not None and primary["rg"] in self.region(primary["region"]).replication_groups:
            rg = self._member_rg(primary)
            shards = len(rg.node_groups)
            out.update({"CacheNodeType": rg.cache_node_type, "Engine": rg.engine, "EngineVersion": rg.engine_version,
                        "ClusterEnabled": rg.cluster_enabled, "AuthTokenEnabled": rg.auth_token_enabled,
                        "TransitEncryptionEnabled": rg.transit_encryption_enabled, "AtRestEncryptionEnabled": rg.at_rest})
            if rg.cluster_enabled:
                out["GlobalNodeGroups"] = [{"GlobalNodeGroupId": f"{g.id}-{ng.id}",
                                            "Slots": f"{i * 16384 // shards}-{(i + 1) * 16384 // shards - 1}"}
                                           for i, ng in enumerate(rg.node_groups)]
        if members:
            out["Members"] = [{"ReplicationGroupId": m["rg"], "ReplicationGroupRegion": m["region"], "Role": m["role"],
                               "Status": m["status"], "AutomaticFailover": self._member_failover(m)} for m in g.members]
        return out

    def _member_failover(self, m: dict[str, str]) -> str:
        rg = self.region(m["region"]).replication_groups.get(m["rg"])
        return "enabled" if rg is not None and rg.automatic_failover else "disabled"

    def global_info(self, rg: Any) -> dict | None:
        """GlobalReplicationGroupInfo of a replication group (None outside a datastore)."""
        gid = getattr(rg, "global_id", None)
        if not gid:
            return None
        return {"GlobalReplicationGroupId": gid, "GlobalReplicationGroupMemberRole": getattr(rg, "global_role", "")}

    # -- operations ---------------------------------------------------------------------------

    def op_CreateGlobalReplicationGroup(self, reg: Any, p: dict) -> dict:
        rg = self._rg(reg, p.get("PrimaryReplicationGroupId"))
        if rg.life.status != "available":
            raise AWSError("InvalidReplicationGroupState", f"Replication group {rg.id} is not available (it is {rg.life.status}).")
        if getattr(rg, "global_id", None):
            raise _invalid(f"Replication group {rg.id} is already a member of global replication group {rg.global_id}.")
        if _on("GLOBAL_NODE_TYPES") and not node_type_supported(rg.cache_node_type):
            raise _invalid(f"Global datastores are not supported on node type {rg.cache_node_type}: use a node of the "
                           f"{', '.join(GLOBAL_FAMILIES)} families, size large or above.")
        suffix = p["GlobalReplicationGroupIdSuffix"]
        if not re.fullmatch(r"[a-zA-Z0-9-]+", suffix):
            raise _invalid(f"Invalid GlobalReplicationGroupIdSuffix: {suffix}")
        gid = f"{region_prefix(reg.name)}-{suffix.lower()}" if _on("GLOBAL_ID_PREFIX") else suffix.lower()
        self.refresh_globals()
        if gid in self.global_groups:
            raise AWSError("GlobalReplicationGroupAlreadyExistsFault", f"Global replication group {gid} already exists.")
        g = GlobalGroup(gid, p.get("GlobalReplicationGroupDescription") or " ")
        g.members.append({"region": reg.name, "rg": rg.id, "role": PRIMARY, "status": "associated"})
        g.life.move("creating", self.config.create_delay, "available")
        rg.global_id, rg.global_role = gid, PRIMARY
        self.global_groups[gid] = g
        return {"GlobalReplicationGroup": self._render_global(g, members=True)}

    def op_DescribeGlobalReplicationGroups(self, reg: Any, p: dict) -> dict:
        from ext_elasticache import paginate  # noqa: PLC0415 (ext_elasticache imports this module)

        self.refresh_globals()
        groups = [self._global(p["GlobalReplicationGroupId"])] if p.get("GlobalReplicationGroupId") else list(self.global_groups.values())
        page, marker = paginate(groups, p.get("MaxRecords"), p.get("Marker"))
        out: dict[str, Any] = {"GlobalReplicationGroups": [self._render_global(g, bool(p.get("ShowMemberInfo"))) for g in page]}
        if marker:
            out["Marker"] = marker
        return out

    def op_ModifyGlobalReplicationGroup(self, reg: Any, p: dict) -> dict:
        g = self._global(p.get("GlobalReplicationGroupId"))
        self._require_settled(g)
        if _on("GLOBAL_MODIFY_IMMEDIATELY") and not p.get("ApplyImmediately"):
            raise _invalid("Modifications to global replication groups must be applied immediately (ApplyImmediately=true).")
        changes = [k for k in MODIFY_FIELDS if p.get(k) is not None]
        if _on("GLOBAL_MODIFY_ONE_FIELD") and len(changes) > 1:
            raise AWSError("InvalidParameterCombination", f"Only one of {', '.join(MODIFY_FIELDS)} can be modified per request (got {', '.join(changes)}).")
        if p.get("GlobalReplicationGroupDescription") is not None:
            g.description = p["GlobalReplicationGroupDescription"]
        if p.get("CacheNodeType") is not None:
            if _on("GLOBAL_NODE_TYPES") and not node_type_supported(p["CacheNodeType"]):
                raise _invalid(f"Global datastores are not supported on node type {p['CacheNodeType']}.")
            self._change_members(g, {"CacheNodeType": p["CacheNodeType"]})
        if p.get("EngineVersion") is not None:
            self._change_members(g, self._version_change(g, p))
        if p.get("AutomaticFailoverEnabled") is not None:
            for m in g.members:
                self._member_rg(m).automatic_failover = bool(p["AutomaticFailoverEnabled"])
        self._busy(g)
        return {"GlobalReplicationGroup": self._render_global(g, members=True)}

    def _version_change(self, g: GlobalGroup, p: dict) -> dict:
        from ext_elasticache import _version_tuple, engine_version  # noqa: PLC0415

        primary = self._member_rg(g.primary)
        engine = (p.get("Engine") or primary.engine).lower()
        target = engine_version(engine, p["EngineVersion"])
        if engine == primary.engine and _version_tuple(target["version"]) < _version_tuple(primary.engine_version):
            raise _invalid(f"Cannot downgrade global replication group {g.id} from {primary.engine_version} to {target['version']}.")
        change = {"Engine": engine, "EngineVersion": target["version"]}
        current = self._pg(self.region(g.primary["region"]), primary.parameter_group).family
        if target["family"] != current:
            name = p.get("CacheParameterGroupName")
            if not name:
                raise AWSError("InvalidParameterCombination", f"A major version upgrade of {g.id} to family {target['family']} needs CacheParameterGroupName.")
            if self._pg(self.region(g.primary["region"]), name).family != target["family"]:
                raise AWSError("InvalidParameterCombination", f"The parameter group {name} is not of family {target['family']}.")
            change["_family"], change["_pg"] = target["family"], name
        return change

    def _change_members(self, g: GlobalGroup, change: dict) -> None:
        """Applies a change of the whole datastore to every member (modifying, then done)."""
        for m in g.members:
            reg = self.region(m["region"])
            rg = reg.replication_groups.get(m["rg"])
            if rg is None:
                continue
            if "_family" in change:
                rg.parameter_group = change["_pg"] if m["role"] == PRIMARY else self._datastore_pg(reg, g.id, change["_family"])
            rg.pending = {k: v for k, v in change.items() if not k.startswith("_")}
            self._begin_modify(reg, rg)

    def op_FailoverGlobalReplicationGroup(self, reg: Any, p: dict) -> dict:
        g, target = self._secondary(p, p["PrimaryRegion"], p["PrimaryReplicationGroupId"], "it is the primary already")
        old = g.primary

        def swap() -> None:
            old["role"], target["role"] = SECONDARY, PRIMARY
            for m in (old, target):
                if m["rg"] in self.region(m["region"]).replication_groups:
                    self._member_rg(m).global_role = m["role"]

        self._busy(g, on_done=swap)
        return {"GlobalReplicationGroup": self._render_global(g, members=True)}

    def op_DisassociateGlobalReplicationGroup(self, reg: Any, p: dict) -> dict:
        g, m = self._secondary(p, p["ReplicationGroupRegion"], p["ReplicationGroupId"],
                               "a primary is not disassociated (delete the global datastore instead)")
        m["status"] = "disassociating"
        rg = self._member_rg(m)

        def leave() -> None:
            if m in g.members:
                g.members.remove(m)
            rg.global_id = rg.global_role = None

        self._busy(g, on_done=leave)
        return {"GlobalReplicationGroup": self._render_global(g, members=True)}

    def op_DeleteGlobalReplicationGroup(self, reg: Any, p: dict) -> dict:
        g = self._global(p.get("GlobalReplicationGroupId"))
        if _on("GLOBAL_DELETE_PRIMARY_ONLY") and g.secondaries:
            raise _state(f"Global replication group {g.id} still has secondaries "
                         f"({', '.join(m['rg'] + ' in ' + m['region'] for m in g.secondaries)}): disassociate them first.")
        if g.life.status in ("creating", "modifying", "deleting"):
            raise _state(f"Global replication group {g.id} is {g.life.status}.")

        def gone() -> None:
            for m in g.members:
                rg = self.region(m["region"]).replication_groups.get(m["rg"])
                if rg is not None:  # the primary is always retained (botocore DeleteGlobalReplicationGroup)
                    rg.global_id = rg.global_role = None

        g.life.move("deleting", self.config.delete_delay, GONE, on_done=gone)
        return {"GlobalReplicationGroup": self._render_global(g, members=True)}

    def _global_reshard(self, p: dict, grow: bool) -> dict:
        g = self._global(p.get("GlobalReplicationGroupId"))
        self._require_settled(g)
        if _on("GLOBAL_MODIFY_IMMEDIATELY") and not p.get("ApplyImmediately"):
            raise _invalid("Node group changes of a global replication group require ApplyImmediately=true.")
        current = len(self._member_rg(g.primary).node_groups)
        if (p["NodeGroupCount"] > current) != grow:
            raise _invalid(f"NodeGroupCount {p['NodeGroupCount']} does not {'increase' if grow else 'decrease'} the {current} node groups of {g.id}.")
        strip = f"{g.id}-"
        call = {"NodeGroupCount": p["NodeGroupCount"], "ApplyImmediately": True,
                "NodeGroupsToRemove": [x.removeprefix(strip) for x in p.get("GlobalNodeGroupsToRemove") or []] or None,
                "NodeGroupsToRetain": [x.removeprefix(strip) for x in p.get("GlobalNodeGroupsToRetain") or []] or None}
        self._datastore_call = True
        try:
            for m in g.members:
                self.op_ModifyReplicationGroupShardConfiguration(self.region(m["region"]), {**call, "ReplicationGroupId": m["rg"]})
        finally:
            self._datastore_call = False
        self._busy(g)
        return {"GlobalReplicationGroup": self._render_global(g, members=True)}

    def op_IncreaseNodeGroupsInGlobalReplicationGroup(self, reg: Any, p: dict) -> dict:
        return self._global_reshard(p, grow=True)

    def op_DecreaseNodeGroupsInGlobalReplicationGroup(self, reg: Any, p: dict) -> dict:
        return self._global_reshard(p, grow=False)

    # -- hooks for the replication-group handlers ---------------------------------------------

    def _datastore_pg(self, reg: Any, gid: str, family: str) -> str:
        """The parameter group AWS gives a secondary (hashicorp/aws suppresses drift on names
        starting with global-datastore-): the primary's values, in the secondary's region."""
        from ext_elasticache import ParameterGroup  # noqa: PLC0415

        name = f"global-datastore-{gid}"
        g = self.global_groups[gid]
        primary = self._member_rg(g.primary)
        source = self._pg(self.region(g.primary["region"]), primary.parameter_group)
        pg = ParameterGroup(name, family, f"Parameter group of global datastore {gid}")
        pg.values = dict(source.values) if source.family == family else {}
        if primary.cluster_enabled:
            pg.values["cluster-enabled"] = "yes"
        pg.managed = True
        reg.parameter_groups[name] = pg
        return name

    def secondary_params(self, reg: Any, p: dict) -> dict:
        """CreateReplicationGroup with GlobalReplicationGroupId: the request as the datastore
        completes it (engine, version, node type, shards, encryption, failover are inherited)."""
        g = self._global(p["GlobalReplicationGroupId"])
        given = [k for k in SECONDARY_FORBIDDEN if p.get(k) not in (None, [], "")]
        if _on("GLOBAL_SECONDARY_INHERITS") and given:
            raise AWSError("InvalidParameterCombination", "Cannot use the given parameters when creating new replication group "
                           f"in an existing global replication group: {', '.join(given)}.")
        if g.life.status != "available":
            raise _state(f"Global replication group {g.id} is not in available state (it is {g.status}).")
        if _on("GLOBAL_REGIONS") and any(m["region"] == reg.name for m in g.members):
            raise _invalid(f"Global replication group {g.id} already has a member in {reg.name}.")
        if _on("GLOBAL_REGIONS") and len(g.secondaries) >= 2:
            raise _invalid(f"Global replication group {g.id} already has two secondary regions.")
        primary = self._member_rg(g.primary)
        out = {k: v for k, v in p.items() if k not in SECONDARY_FORBIDDEN}
        out.update({"Engine": primary.engine, "EngineVersion": primary.engine_version, "CacheNodeType": primary.cache_node_type,
                    "TransitEncryptionEnabled": primary.transit_encryption_enabled, "AtRestEncryptionEnabled": primary.at_rest,
                    "AutomaticFailoverEnabled": primary.automatic_failover, "MultiAZEnabled": primary.multi_az})
        if primary.transit_encryption_enabled:
            out["TransitEncryptionMode"] = primary.transit_encryption_mode
        if primary.cluster_enabled:
            out["NumNodeGroups"] = len(primary.node_groups)
        family = self._pg(self.region(g.primary["region"]), primary.parameter_group).family
        out["CacheParameterGroupName"] = self._datastore_pg(reg, g.id, family)
        return out

    def joined_global(self, reg: Any, rg: Any, gid: str) -> None:
        g = self.global_groups[gid]
        m = {"region": reg.name, "rg": rg.id, "role": SECONDARY, "status": "associating"}
        g.members.append(m)
        rg.global_id, rg.global_role = gid, SECONDARY

        def joined() -> None:
            m["status"] = "associated"

        self._busy(g, on_done=joined, delay=self.config.create_delay)

    def check_member_change(self, rg: Any, operation: str, p: dict) -> None:
        """A member of a datastore leaves the datastore's settings to the datastore, and is
        deleted only once it has left."""
        gid = getattr(rg, "global_id", None)
        if not gid or self._datastore_call:
            return
        if operation == "DeleteReplicationGroup":
            if _on("GLOBAL_MEMBER_DELETE"):
                raise AWSError("InvalidReplicationGroupState", f"Replication group {rg.id} is a member of global replication group "
                               f"{gid}: disassociate it (or delete the global replication group) first.")
            return
        if not _on("GLOBAL_MEMBER_SETTINGS"):
            return
        given = ["NodeGroupCount"] if operation == "ModifyReplicationGroupShardConfiguration" else [
            k for k in MEMBER_FORBIDDEN if p.get(k) is not None]
        if given:
            raise AWSError("InvalidParameterCombination", f"Replication group {rg.id} is a member of global replication group {gid}: "
                           f"{', '.join(given)} change on the global replication group (ModifyGlobalReplicationGroup, "
                           "Increase/DecreaseNodeGroupsInGlobalReplicationGroup).")
