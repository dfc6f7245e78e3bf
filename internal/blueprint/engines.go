package blueprint

import (
	"fmt"
	"strconv"
	"strings"
)

// Engines and modes accepted by elasticache_stack.
const (
	EngineValkey = "valkey"
	EngineRedis  = "redis"

	ModeProvisioned = "provisioned"
	ModeServerless  = "serverless"

	TransitRequired  = "required"
	TransitPreferred = "preferred"
)

// Engines lists the engines a provisioned replication group accepts.
var Engines = []string{EngineValkey, EngineRedis}

// Modes lists the deployment modes.
var Modes = []string{ModeProvisioned}

// TransitEncryptionModes lists the accepted transit_encryption_mode values.
var TransitEncryptionModes = []string{TransitRequired, TransitPreferred}

// DefaultEngineVersion is the version used when engine_version is omitted.
var DefaultEngineVersion = map[string]string{
	EngineValkey: "8.0",
	EngineRedis:  "7.1",
}

// knownEngineVersions are the versions accepted without asking AWS. ModifyPlan additionally
// checks the region's DescribeCacheEngineVersions answer where it can.
var knownEngineVersions = map[string][]string{
	EngineValkey: {"7.2", "8.0", "8.1"},
	EngineRedis:  {"6.0", "6.2", "7.0", "7.1"},
}

// KnownEngineVersions returns the versions the provider knows for an engine.
func KnownEngineVersions(engine string) []string { return knownEngineVersions[engine] }

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
