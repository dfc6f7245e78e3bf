package blueprint

import (
	"fmt"
	"regexp"
	"strings"
)

// RestoreSource is where a new cache's data comes from: restore_from, or the snapshot a
// preserving replacement took of the cache it replaces. At most one field is set.
type RestoreSource struct {
	// SnapshotName is an ElastiCache snapshot of a node-based cache (CreateReplicationGroup
	// SnapshotName).
	SnapshotName string
	// ServerlessSnapshotName is a serverless cache snapshot restored into a replication group
	// (CreateReplicationGroup ServerlessCacheSnapshotName).
	ServerlessSnapshotName string
	// RDBS3ARNs are RDB files in S3 (CreateReplicationGroup SnapshotArns).
	RDBS3ARNs []string
	// SnapshotARNs are snapshots a serverless cache starts from (CreateServerlessCache
	// SnapshotArnsToRestore): serverless cache snapshots or node-based snapshots.
	SnapshotARNs []string
}

// Empty reports whether nothing is restored.
func (r RestoreSource) Empty() bool {
	return r.SnapshotName == "" && r.ServerlessSnapshotName == "" && len(r.RDBS3ARNs) == 0 && len(r.SnapshotARNs) == 0
}

// PreserveSnapshotName is the snapshot a preserving replacement takes of the cache it
// replaces, named after the stack the replacement creates. It derives from the configuration
// alone, so the create half of the replacement (a separate call, planned again during apply,
// or the next apply after an interruption) finds it without any other record.
func PreserveSnapshotName(stack string) string { return stack + "-preserve" }

var (
	rdbS3ARNPattern      = regexp.MustCompile(`^arn:aws[a-z-]*:s3:::[^,/]+/[^,]+$`)
	snapshotARNPattern   = regexp.MustCompile(`^arn:aws[a-z-]*:elasticache:[a-z0-9-]+:\d{12}:(snapshot|serverlesscachesnapshot):[A-Za-z][A-Za-z0-9-]*$`)
	restoreFromFieldsFor = map[Shape]string{
		ShapeReplicationGroup: "snapshot_name or rdb_s3_arns",
		ShapeServerless:       "snapshot_arns",
	}
)

// validateRestoreFrom checks restore_from against the stack's kind: which source fits which
// kind (botocore CreateReplicationGroup SnapshotName / SnapshotArns, CreateServerlessCache
// SnapshotArnsToRestore) and the shape of each ARN.
func validateRestoreFrom(in Input) []Problem {
	r := in.RestoreFrom
	if in.Unknown[AttrRestoreFrom] || r.Empty() {
		return nil
	}
	var ps []Problem
	bad := func(attr Attr, summary, format string, args ...any) {
		ps = append(ps, Problem{attr, summary, fmt.Sprintf(format, args...)})
	}
	set := 0
	for _, on := range []bool{r.SnapshotName != "", len(r.RDBS3ARNs) > 0, len(r.SnapshotARNs) > 0} {
		if on {
			set++
		}
	}
	if set > 1 {
		bad(AttrRestoreFrom, "Several restore sources", "set exactly one of restore_from.snapshot_name, restore_from.rdb_s3_arns and restore_from.snapshot_arns.")
	}
	switch in.Shape() {
	case ShapeMemcachedCluster:
		bad(AttrRestoreFrom, "Memcached cannot restore", "node-based Memcached has no snapshots (AWS: CreateSnapshot is \"valid for Valkey or Redis OSS only\"), so it cannot start from one. Remove restore_from, or use engine = \"valkey\".")
		return ps
	case ShapeReplicationGroup:
		if len(r.SnapshotARNs) > 0 {
			bad(AttrRestoreFromSnapshotARNs, "Restore source does not fit the mode", "snapshot_arns restores a serverless cache; a provisioned stack restores from %s.", restoreFromFieldsFor[ShapeReplicationGroup])
		}
	case ShapeServerless:
		if r.SnapshotName != "" {
			bad(AttrRestoreFromSnapshotName, "Restore source does not fit the mode", "a serverless stack restores from snapshot_arns (the ARN of a serverless or node-based snapshot); snapshot_name is for mode = \"provisioned\".")
		}
		if len(r.RDBS3ARNs) > 0 {
			bad(AttrRestoreFromRDBS3ARNs, "Restore source does not fit the mode", "a serverless cache cannot be seeded from RDB files in S3; use snapshot_arns, or mode = \"provisioned\".")
		}
	}
	if r.SnapshotName != "" && !snapshotNamePattern.MatchString(r.SnapshotName) {
		bad(AttrRestoreFromSnapshotName, "Invalid snapshot name", "%q must start with a letter and contain only letters, digits and hyphens.", r.SnapshotName)
	}
	for _, a := range r.RDBS3ARNs {
		if !rdbS3ARNPattern.MatchString(a) {
			bad(AttrRestoreFromRDBS3ARNs, "Invalid S3 ARN", "%q is not an S3 object ARN such as arn:aws:s3:::my-bucket/backup.rdb (AWS: the object name cannot contain commas).", a)
		}
	}
	for _, a := range r.SnapshotARNs {
		if !snapshotARNPattern.MatchString(a) {
			bad(AttrRestoreFromSnapshotARNs, "Invalid snapshot ARN", "%q is not an ElastiCache snapshot ARN (arn:aws:elasticache:<region>:<account>:serverlesscachesnapshot:<name> or ...:snapshot:<name>).", a)
		}
	}
	return ps
}

// SnapshotFacts is what AWS reports about a snapshot, as far as restoring it goes.
type SnapshotFacts struct {
	Name       string
	Engine     string
	Serverless bool // a serverless cache snapshot
	// ClusterMode is true for a snapshot of a cluster-mode group (more than one node group).
	ClusterMode bool
}

// RestoreFits says why a snapshot cannot be restored into the stack in, or "" when it can:
// the engine must be the snapshot's (or Valkey from Redis OSS), Memcached only from Memcached
// serverless snapshots, and a cluster-mode snapshot only into cluster mode (AWS docs
// backups-restoring.html; emulator rules snapshot-restore-*).
func RestoreFits(s SnapshotFacts, in Input) string {
	target := in.Engine
	switch {
	case s.Engine == EngineMemcached || target == EngineMemcached:
		if s.Engine != target || !s.Serverless || in.Shape() != ShapeServerless {
			return fmt.Sprintf("a %s snapshot cannot be restored into a %s %s cache: Memcached data moves only between serverless Memcached caches", s.Engine, in.Mode, target)
		}
	case s.Engine != target && !(s.Engine == EngineRedis && target == EngineValkey):
		return fmt.Sprintf("snapshot %s holds %s data, which AWS restores into %s (or Valkey from Redis OSS) only, not into %s", s.Name, s.Engine, s.Engine, target)
	case s.ClusterMode && in.Shape() == ShapeReplicationGroup && !in.ClusterMode():
		return fmt.Sprintf("snapshot %s is of a cluster-mode group; AWS restores it only into cluster mode (provisioned.shards > 1)", s.Name)
	}
	return ""
}

// PreserveWarning is what a replacement does to the data: kept through the preserve snapshot,
// or lost.
func PreserveWarning(prior, planned Input) string {
	if !planned.PreserveDataOnReplace {
		return DataLossConsequence
	}
	keep := "it is deleted after the restore (keep_preserve_snapshot keeps it)"
	if planned.KeepPreserveSnapshot {
		keep = "it is kept after the restore (keep_preserve_snapshot)"
	}
	return fmt.Sprintf("data is kept through snapshot `%s`: the provider snapshots the %s cache before deleting it and restores the snapshot into the new %s cache; %s. The endpoint changes",
		PreserveSnapshotName(planned.Name), prior.Shape().label(), planned.Shape().label(), keep)
}

// PreserveRefusal is the problem with preserve_data_on_replace for a replacement from prior to
// planned, or nil when AWS can carry the data across.
func PreserveRefusal(prior, planned Input) *Problem {
	if !planned.PreserveDataOnReplace || !planned.Known(AttrEngine) || !planned.Known(AttrMode) || !planned.Known(AttrProvisionedShards) {
		return nil
	}
	var why string
	if prior.Shape() == ShapeMemcachedCluster {
		why = "node-based Memcached has no snapshots (AWS: CreateSnapshot is \"valid for Valkey or Redis OSS only\"), so its data cannot be carried"
	} else {
		facts := SnapshotFacts{Name: PreserveSnapshotName(planned.Name), Engine: prior.Engine, Serverless: prior.Shape() == ShapeServerless,
			ClusterMode: prior.Shape() == ShapeReplicationGroup && prior.ClusterMode()}
		why = RestoreFits(facts, planned)
	}
	if why == "" {
		return nil
	}
	return &Problem{AttrPreserveDataOnReplace, "Data cannot be kept across this replacement",
		why + ". Change the configuration so AWS can restore the data, or set preserve_data_on_replace = false to accept that the replacement loses it."}
}

// label names a kind of cache in plan text.
func (s Shape) label() string {
	switch s {
	case ShapeServerless:
		return ModeServerless
	case ShapeMemcachedCluster:
		return "Memcached"
	}
	return "node-based"
}

// RestoreFromChangeNote is the plan note for a changed restore_from on an existing stack:
// it applies at creation only.
func RestoreFromChangeNote(name string) (summary, detail string) {
	return fmt.Sprintf("elasticache_stack %q: restore_from changes, and is ignored", name),
		strings.Join([]string{"restore_from is read when the cache is created only: changing it later restores nothing and replaces nothing.",
			"To start over from another snapshot, replace the stack (terraform apply -replace=...)."}, " ")
}
