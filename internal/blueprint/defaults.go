package blueprint

// Defaults of a stack, decided here and nowhere else: the resource's schema defaults and its
// plan/state conversions all read them from this file.
//
// The provisioned defaults are what AWS's own guidance recommends for a production cache:
// Multi-AZ with two replicas, volatile-lru (only keys with a TTL are evicted, so data without
// one is never silently lost), daily snapshots, a Sunday-morning maintenance window.
const (
	DefaultMode                  = ModeProvisioned
	DefaultEngine                = EngineValkey
	DefaultTransitEncryptionMode = TransitRequired
)

// DefaultProvisioned is the provisioned block of a configuration that sets none of it.
// NumNodes stays 0 (unset): MemcachedNodes supplies DefaultMemcachedNodes.
func DefaultProvisioned() Provisioned {
	return Provisioned{
		NodeType:              "cache.r7g.large",
		Shards:                1,
		ReplicasPerShard:      2,
		MultiAZ:               true,
		EvictionPolicy:        "volatile-lru",
		Parameters:            map[string]string{},
		SnapshotRetentionDays: 1,
		SnapshotWindow:        "03:00-04:00",
		MaintenanceWindow:     "sun:05:00-sun:06:00",
		ApplyImmediately:      false,
		// As AWS: minor upgrades in the maintenance window; change-controlled fleets set false.
		AutoMinorVersionUpgrade: true,
	}
}
