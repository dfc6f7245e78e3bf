package blueprint

import (
	"fmt"
	"strconv"
	"strings"
)

// Engines and modes accepted by elasticache_stack.
const (
	EngineValkey    = "valkey"
	EngineRedis     = "redis"
	EngineMemcached = "memcached"

	ModeProvisioned = "provisioned"
	ModeServerless  = "serverless"

	TransitRequired  = "required"
	TransitPreferred = "preferred"
)

// Engines lists the engines a stack accepts.
var Engines = []string{EngineValkey, EngineRedis, EngineMemcached}

// Modes lists the deployment modes.
var Modes = []string{ModeProvisioned, ModeServerless}

// Shape is what a stack deploys, decided by mode and engine.
type Shape string

const (
	ShapeReplicationGroup Shape = "replication_group" // provisioned Valkey/Redis
	ShapeMemcachedCluster Shape = "memcached_cluster" // provisioned Memcached
	ShapeServerless       Shape = "serverless"        // serverless cache, any engine
)

// ShapeOf returns the shape for a mode and engine.
func ShapeOf(mode, engine string) Shape {
	switch {
	case mode == ModeServerless:
		return ShapeServerless
	case engine == EngineMemcached:
		return ShapeMemcachedCluster
	}
	return ShapeReplicationGroup
}

// DefaultPort is the engine's customary port.
func DefaultPort(engine string) int {
	if engine == EngineMemcached {
		return 11211
	}
	return 6379
}

// memcachedPatchVersion is the release a "1.6" stack runs: AWS takes full Memcached versions.
var memcachedPatchVersion = map[string]string{"1.6": "1.6.22"}

// FullEngineVersion is the version string AWS expects at create: Valkey/Redis take MAJOR.MINOR,
// Memcached a full release.
func FullEngineVersion(engine, version string) string {
	if engine == EngineMemcached {
		if full, ok := memcachedPatchVersion[version]; ok {
			return full
		}
	}
	return version
}

// MajorEngineVersion is what serverless caches are configured with ("8", "7", "1.6").
func MajorEngineVersion(engine, version string) string {
	if engine == EngineMemcached {
		return version
	}
	major, _, err := splitVersion(version)
	if err != nil {
		return version
	}
	return strconv.Itoa(major)
}

// TransitEncryptionModes lists the accepted transit_encryption_mode values.
var TransitEncryptionModes = []string{TransitRequired, TransitPreferred}

// DefaultEngineVersion is the version used when engine_version is omitted.
var DefaultEngineVersion = map[string]string{
	EngineValkey:    "8.0",
	EngineRedis:     "7.1",
	EngineMemcached: "1.6",
}

// knownEngineVersions are the versions accepted without asking AWS. ModifyPlan additionally
// checks the region's DescribeCacheEngineVersions answer where it can.
var knownEngineVersions = map[string][]string{
	EngineValkey:    {"7.2", "8.0", "8.1"},
	EngineRedis:     {"6.0", "6.2", "7.0", "7.1"},
	EngineMemcached: {"1.6"},
}

// EvictionPolicies lists Valkey/Redis maxmemory-policy values.
var EvictionPolicies = []string{
	"volatile-lru", "allkeys-lru", "volatile-lfu", "allkeys-lfu",
	"volatile-random", "allkeys-random", "volatile-ttl", "noeviction",
}

// ParameterGroupFamily maps an engine and version to the cache parameter group family.
func ParameterGroupFamily(engine, version string) (string, error) {
	major, _, err := splitVersion(version)
	if err != nil {
		return "", err
	}
	switch engine {
	case EngineValkey:
		if major == 7 || major == 8 {
			return fmt.Sprintf("valkey%d", major), nil
		}
	case EngineMemcached:
		if major == 1 {
			return "memcached1.6", nil
		}
	case EngineRedis:
		switch major {
		case 6:
			return "redis6.x", nil
		case 7:
			return "redis7", nil
		}
	}
	return "", fmt.Errorf("no parameter group family for %s %s", engine, version)
}

func splitVersion(v string) (major, minor int, err error) {
	parts := strings.Split(v, ".")
	if len(parts) < 1 || len(parts) > 3 {
		return 0, 0, fmt.Errorf("version %q is not of the form MAJOR.MINOR", v)
	}
	major, err = strconv.Atoi(parts[0])
	if err != nil {
		return 0, 0, fmt.Errorf("version %q is not of the form MAJOR.MINOR", v)
	}
	if len(parts) > 1 {
		minor, err = strconv.Atoi(parts[1])
		if err != nil {
			return 0, 0, fmt.Errorf("version %q is not of the form MAJOR.MINOR", v)
		}
	}
	return major, minor, nil
}

// CompareVersions returns -1, 0 or 1 as a is older than, equal to or newer than b.
// Malformed versions compare equal: validation reports them elsewhere.
func CompareVersions(a, b string) int {
	am, an, errA := splitVersion(a)
	bm, bn, errB := splitVersion(b)
	if errA != nil || errB != nil {
		return 0
	}
	switch {
	case am != bm:
		return sign(am - bm)
	default:
		return sign(an - bn)
	}
}

func sign(x int) int {
	switch {
	case x < 0:
		return -1
	case x > 0:
		return 1
	}
	return 0
}
