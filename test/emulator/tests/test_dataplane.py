"""The data plane in-process: engines follow the API state (python3 -m unittest discover -s test/emulator/tests).

Skipped without redis-server / memcached, except under CI=true. The Go acceptance tests
(internal/stack/dataplane_*_acc_test.go) cover the same through Terraform and real clients.
"""

import os
import sys
import unittest
import warnings

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
warnings.filterwarnings("ignore")

from werkzeug.test import Client  # noqa: E402

import dataplane  # noqa: E402
from dispatcher import Emulator  # noqa: E402
from engines import binaries, info  # noqa: E402
from runtime import Config  # noqa: E402

AUTH = "AWS4-HMAC-SHA256 Credential=test/20250101/us-east-1/elasticache/aws4_request, SignedHeaders=host, Signature=0"
HAVE_ENGINES = all(binaries().values())


@unittest.skipUnless(HAVE_ENGINES or os.environ.get("CI") == "true", "redis-server / memcached not installed")
class DataPlaneTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls) -> None:
        cls.app = Emulator(Config())
        cls.dp = dataplane.DataPlane("on", max_engines=8)
        cls.app.elasticache.dataplane = cls.dp
        cls.client = Client(cls.app)

    @classmethod
    def tearDownClass(cls) -> None:
        cls.dp.close()

    def call(self, action: str, **params: str) -> str:
        body = "&".join([f"Action={action}", "Version=2015-02-02"] + [f"{k}={v}" for k, v in params.items()])
        r = self.client.post("/", data=body, headers={"Authorization": AUTH, "Content-Type": "application/x-www-form-urlencoded"})
        return r.get_data(as_text=True)

    def test_test_failover_promotes_the_replica_for_real(self):
        self.call("CreateReplicationGroup", ReplicationGroupId="fo", ReplicationGroupDescription="x", Engine="valkey",
                  CacheNodeType="cache.t4g.micro", NumCacheClusters="2", ReplicasPerNodeGroup="1", AutomaticFailoverEnabled="true")
        self.call("DescribeReplicationGroups", ReplicationGroupId="fo")
        dep = self.dp.deployments["us-east-1/rg/fo"]
        self.assertEqual(dep.engines, {}, "engines start on first use, not when the group is available")
        self.assertIn("fo-002", dep.addrs)  # yet every endpoint has its address already
        dep.ensure()  # what a client's first connection to the primary or reader endpoint does
        self.assertEqual(info(dep.engines["fo-002"].admin, "replication")["role"], "slave")
        out = self.call("TestFailover", ReplicationGroupId="fo", NodeGroupId="0001")
        self.assertNotIn("<Error>", out)
        self.call("DescribeReplicationGroups", ReplicationGroupId="fo")
        self.assertEqual(info(dep.engines["fo-002"].admin, "replication")["role"], "master")
        self.assertEqual(info(dep.engines["fo-001"].admin, "replication")["role"], "slave")
        self.assertEqual(dep._pick(replica=False).name, dep.engines["fo-002"].name)
        self.call("DeleteReplicationGroup", ReplicationGroupId="fo")
        self.call("DescribeReplicationGroups")
        self.assertNotIn("us-east-1/rg/fo", self.dp.deployments)

    def test_engine_cap_refuses_to_start_engines(self):
        self.call("CreateReplicationGroup", ReplicationGroupId="big", ReplicationGroupDescription="x", Engine="valkey",
                  CacheNodeType="cache.t4g.micro", NumNodeGroups="5", ReplicasPerNodeGroup="1", AutomaticFailoverEnabled="true")
        self.call("DescribeReplicationGroups", ReplicationGroupId="big")
        dep = self.dp.deployments["us-east-1/rg/big"]
        with self.assertRaisesRegex(Exception, "engine cap reached: .* needs 10 more; the emulator runs at most 8"):
            dep.ensure()
        self.assertIn("engine cap", self.dp.describe()["errors"]["us-east-1/rg/big"])
        self.assertEqual(dep.engines, {})
        self.call("DeleteReplicationGroup", ReplicationGroupId="big")

    def test_snapshot_carries_keys_into_a_cluster_of_other_shards(self):
        """A snapshot holds every primary's keys (with TTLs); a group restored from it with
        another shard count finds each key on the primary owning its slot (snapshots.py)."""
        cluster = dict(ReplicationGroupDescription="x", Engine="valkey", CacheNodeType="cache.t4g.micro",
                       ReplicasPerNodeGroup="0", AutomaticFailoverEnabled="true")
        self.call("CreateReplicationGroup", ReplicationGroupId="snapsrc", NumNodeGroups="2", **cluster)
        self.call("DescribeReplicationGroups", ReplicationGroupId="snapsrc")
        src = self.dp.deployments["us-east-1/rg/snapsrc"]
        keys = [f"agent:{i}" for i in range(40)]
        for k in keys:
            src._owner(k.encode()).admin.call("SET", k, "v-" + k)
        src._owner(b"agent:0").admin.call("PEXPIRE", "agent:0", 600000)
        self.assertEqual(len({src._owner(k.encode()).name for k in keys}), 2, "the keys span both shards")
        self.assertNotIn("<Error>", self.call("CreateSnapshot", ReplicationGroupId="snapsrc", SnapshotName="snapsrc-1"))
        out = self.call("CreateReplicationGroup", ReplicationGroupId="snapdst", NumNodeGroups="3", SnapshotName="snapsrc-1", **cluster)
        self.assertNotIn("<Error>", out)
        self.call("DescribeReplicationGroups", ReplicationGroupId="snapdst")
        dst = self.dp.deployments["us-east-1/rg/snapdst"]
        for k in keys:
            self.assertEqual(dst._owner(k.encode()).admin.call("GET", k), "v-" + k)
        self.assertGreater(dst._owner(b"agent:0").admin.call("PTTL", "agent:0"), 0, "the TTL is restored with the key")
        self.assertEqual(sum(e.admin.call("DBSIZE") for e in dst.primaries()), len(keys))
        for rg in ("snapsrc", "snapdst"):
            self.call("DeleteReplicationGroup", ReplicationGroupId=rg)
        self.call("DeleteSnapshot", SnapshotName="snapsrc-1")
        self.call("DescribeReplicationGroups")

    def test_memory_budget_follows_the_node_type(self):
        self.assertEqual(dataplane.memory_budget("cache.t4g.micro"), 6 * 1024 * 1024)
        self.assertEqual(dataplane.memory_budget("cache.r7g.large") // (1024 * 1024), 39)
        self.assertEqual(dataplane.memory_budget("cache.r7g.4xlarge"), 48 * 1024 * 1024)  # capped at 64 MiB


if __name__ == "__main__":
    unittest.main()
