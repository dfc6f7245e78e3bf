"""ElastiCache snapshots and restores, mixed into ext_elasticache.ElastiCache.

A snapshot records what AWS reports about it (engine, node type, cluster mode, node groups) and,
when the live engines run, the cache's keys (DUMP payloads with their TTLs, read through
dataplane.DataPlane.dump): a cache restored from it starts with those keys (dataplane seeds).
Snapshots go creating -> available after the modify delay; the group is 'snapshotting'
meanwhile. The rules (restore pairs, states) are the rules_catalog rows snapshot-*.
"""

from __future__ import annotations

import re
from typing import Any

import rules
import rules_catalog as R
from protocols import AWSError
from runtime import Lifecycle, now

S3_ARN = re.compile(r"^arn:aws[a-z-]*:s3:::[^,]+$")
SNAPSHOT_ARN = re.compile(r"^arn:aws[a-z-]*:elasticache:[a-z0-9-]+:\d{12}:(snapshot|serverlesscachesnapshot):(.+)$")


def _ec():
    import ext_elasticache  # a cycle at import time otherwise: ext_elasticache mixes this in

    return ext_elasticache


def snapshot_status(snap: dict) -> str:
    life = snap.get("life")
    if life is None:
        return "available"
    life.tick()
    return life.status


class SnapshotOps:
    """The snapshot operations and restore checks of the ElastiCache service (a mixin)."""

    # -------------------------------------------------------------- taking snapshots

    def _new_snapshot(self, reg: Any, name: str, source: dict, kind: str, data_key: str) -> dict:
        name = name.lower()  # botocore: "This value is stored as a lowercase string."
        if name in reg.snapshots:
            code = "ServerlessCacheSnapshotAlreadyExistsFault" if kind == "serverless" else "SnapshotAlreadyExistsFault"
            raise AWSError(code, f"Snapshot {name} already exists.")
        snap = {"name": name, "created": now(), "kind": kind, **source, "data": self.dataplane.dump(data_key)}
        snap["life"] = Lifecycle("creating")
        snap["life"].move("creating", self.config.modify_delay, "available")
        reg.snapshots[name] = snap
        return snap

    def op_CreateSnapshot(self, reg: Any, p: dict) -> dict:
        E = _ec()
        if p.get("CacheClusterId") and not p.get("ReplicationGroupId"):
            cc = self._cluster(reg, p["CacheClusterId"])
            if rules.active(R.SNAPSHOT_NOT_MEMCACHED) and cc.engine == "memcached":
                raise AWSError("SnapshotFeatureNotSupportedFault", "Snapshots are not supported for memcached.")
            if cc.rg_id is None:
                raise E.invalid("Snapshots of standalone cache clusters are not served by the emulator.")
            p = dict(p, ReplicationGroupId=cc.rg_id)
        rg = self._rg(reg, p.get("ReplicationGroupId"))
        if rules.active(R.SNAPSHOT_NEEDS_AVAILABLE) and rg.life.status != "available":
            raise AWSError("InvalidReplicationGroupState", f"Replication group {rg.id} is {rg.life.status}; a snapshot needs it available.")
        snap = self._new_snapshot(reg, p["SnapshotName"], self._rg_snapshot_source(rg), "replication-group", f"{reg.name}/rg/{rg.id}")
        rg.life.move("snapshotting", self.config.modify_delay, "available")
        return {"Snapshot": self._render_snapshot(reg, snap)}

    @staticmethod
    def _rg_snapshot_source(rg: Any) -> dict:
        return {"replication_group": rg.id, "engine": rg.engine, "engine_version": rg.engine_version, "node_type": rg.cache_node_type,
                "cluster": rg.cluster_enabled, "node_groups": len(rg.node_groups), "parameter_group": rg.parameter_group,
                "data_tiering": rg.data_tiering, "automatic_failover": rg.automatic_failover}

    def op_CreateServerlessCacheSnapshot(self, reg: Any, p: dict) -> dict:
        sc = self._serverless(reg, p.get("ServerlessCacheName"))
        if rules.active(R.SNAPSHOT_NEEDS_AVAILABLE) and sc.life.status != "available":
            raise AWSError("InvalidServerlessCacheStateFault", f"Serverless cache {sc.name} is {sc.life.status}; a snapshot needs it available.")
        snap = self._new_snapshot(reg, p["ServerlessCacheSnapshotName"], self._serverless_snapshot_source(sc), "serverless", f"{reg.name}/sc/{sc.name}")
        return {"ServerlessCacheSnapshot": self._render_serverless_snapshot(reg, snap)}

    @staticmethod
    def _serverless_snapshot_source(sc: Any) -> dict:
        return {"serverless_cache": sc.name, "engine": sc.engine, "engine_version": sc.full_version, "node_type": "serverless"}

    def _check_snapshot_deletable(self, snap: dict) -> None:
        status = snapshot_status(snap)
        if rules.active(R.SNAPSHOT_NEEDS_AVAILABLE) and status != "available":
            code = "InvalidServerlessCacheSnapshotStateFault" if snap["kind"] == "serverless" else "InvalidSnapshotState"
            raise AWSError(code, f"Snapshot {snap['name']} is {status}; only an available snapshot can be deleted or restored.")

    # -------------------------------------------------------------- restoring

    def _snapshot_to_restore(self, reg: Any, name: str, serverless: bool) -> dict:
        snap = reg.snapshots.get((name or "").lower())
        if snap is None or (snap["kind"] == "serverless") != serverless:
            code = "ServerlessCacheSnapshotNotFoundFault" if serverless else "SnapshotNotFoundFault"
            raise AWSError(code, f"Snapshot {name} not found.")
        self._check_snapshot_deletable(snap)
        return snap

    def _check_engine(self, snap: dict, engine: str) -> None:
        ok = snap["engine"] == engine or (snap["engine"] == "redis" and engine == "valkey")
        if rules.active(R.SNAPSHOT_RESTORE_ENGINE) and not ok:
            raise _ec().combination(f"Snapshot {snap['name']} holds {snap['engine']} data; it cannot be restored into {engine}.")

    def restore_into_rg(self, reg: Any, p: dict, engine: str, cluster: bool) -> list | None:
        """Checks CreateReplicationGroup's restore source; returns the keys to seed (or None)."""
        E = _ec()
        given = [k for k in ("SnapshotName", "SnapshotArns", "ServerlessCacheSnapshotName") if p.get(k)]
        if len(given) > 1:
            raise E.combination(f"Only one of {', '.join(given)} can be given.")
        if p.get("SnapshotArns"):
            for a in p["SnapshotArns"]:
                if not S3_ARN.match(a):
                    raise E.invalid(f"Invalid S3 ARN {a!r}: the object name cannot contain commas.")
            slots = [c.get("Slots") for c in p.get("NodeGroupConfiguration") or []]
            if rules.active(R.RDB_SEED_CLUSTER_NEEDS_SLOTS) and cluster and (not slots or not all(slots)):
                raise E.invalid("Slots must be provided when restoring from snapshot ARNs with cluster mode enabled.")
            return None  # the emulator has no S3 objects to read: the group starts empty
        if p.get("ServerlessCacheSnapshotName"):
            snap = self._snapshot_to_restore(reg, p["ServerlessCacheSnapshotName"], serverless=True)
            if rules.active(R.SNAPSHOT_RESTORE_ENGINE) and snap["engine"] == "memcached":
                raise E.combination("ServerlessCacheSnapshotName is available for Valkey and Redis OSS snapshots only.")
        elif p.get("SnapshotName"):
            snap = self._snapshot_to_restore(reg, p["SnapshotName"], serverless=False)
            if rules.active(R.SNAPSHOT_RESTORE_CLUSTER_MODE) and snap.get("cluster") and snap.get("node_groups", 1) > 1 and not cluster:
                raise E.combination(f"Snapshot {snap['name']} is of a cluster-mode enabled group with {snap['node_groups']} shards; "
                                    "it can be restored only into a cluster-mode enabled group.")
        else:
            return None
        self._check_engine(snap, engine)
        snap["restoring_into"] = ("rg", p["ReplicationGroupId"].lower())
        return snap.get("data")

    def restore_into_serverless(self, reg: Any, p: dict, engine: str) -> list | None:
        """Checks CreateServerlessCache's SnapshotArnsToRestore; returns the keys to seed."""
        seed: list = []
        for a in p.get("SnapshotArnsToRestore") or []:
            m = SNAPSHOT_ARN.match(a)
            if m is None:
                raise _ec().invalid(f"Invalid snapshot ARN {a!r}.")
            snap = self._snapshot_to_restore(reg, m.group(2), serverless=m.group(1) == "serverlesscachesnapshot")
            if rules.active(R.SNAPSHOT_RESTORE_ENGINE) and engine == "memcached" and snap["kind"] != "serverless":
                raise _ec().combination("A serverless Memcached cache restores serverless Memcached snapshots only.")
            self._check_engine(snap, engine)
            snap["restoring_into"] = ("sc", p["ServerlessCacheName"].lower())
            seed += snap.get("data") or []
        return seed or None

    def _restoring(self, reg: Any, snap: dict) -> bool:
        target = snap.get("restoring_into")
        if not target:
            return False
        obj = (reg.replication_groups if target[0] == "rg" else reg.serverless).get(target[1])
        return obj is not None and obj.life.status == "creating"

    def snapshot_status_of(self, reg: Any, snap: dict) -> str:
        # botocore CreateReplicationGroup.SnapshotName: "The snapshot status changes to
        # restoring while the new replication group is being created."
        status = snapshot_status(snap)
        return "restoring" if status == "available" and self._restoring(reg, snap) else status
