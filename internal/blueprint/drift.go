package blueprint

import "strings"

// The functions here decide what, in a stack AWS reports, is drift from the configuration and
// what is only AWS's way of saying the same thing. The resource applies them when it turns an
// observation into state, so the next plan shows real drift and nothing else.

// ObservedEngineVersion is the engine_version to record for what AWS runs. Provisioned
// caches are configured with MAJOR.MINOR, so "8.0.1" records as "8.0". For a kind whose
// minor version AWS picks (observedMajor is set: serverless), a configured version of the same
// major is kept: "8.0" does not drift to the "8.1" AWS runs.
func ObservedEngineVersion(engine, configured, observed, observedMajor string) string {
	if observedMajor != "" && configured != "" && MajorEngineVersion(engine, configured) == observedMajor {
		return configured
	}
	return majorMinor(observed)
}

// majorMinor reduces "8.0.1" or "1.6.22" to the MAJOR.MINOR a stack is configured with.
func majorMinor(version string) string {
	if parts := strings.Split(version, "."); len(parts) > 2 {
		return parts[0] + "." + parts[1]
	}
	return version
}

// SnapshotWindowDrifts reports whether the snapshot window AWS reports can be drift: only
// while snapshots are on. With retention 0 AWS reports a window of its own choosing, which
// means nothing, so the configured one stands.
func SnapshotWindowDrifts(retentionDays int) bool { return retentionDays > 0 }

// NodeCountIsDefault reports whether a Memcached node count AWS reports is only the default of
// an unset num_nodes (so the attribute stays unset rather than drifting to the number).
func NodeCountIsDefault(configured bool, observed int) bool {
	return !configured && observed == DefaultMemcachedNodes
}

// ObservedCount is where autoscaling meets drift: the count to record in state for a count
// AWS reports. Inside the autoscaling range [lo, hi] the autoscaler moved it, so the
// configured count stands (no drift); outside it, or without autoscaling, the observed count
// is recorded and the next plan moves it back.
func ObservedCount(configured, observed, lo, hi int, scaled bool) int {
	if scaled && lo <= observed && observed <= hi {
		return configured
	}
	return observed
}

// CountToApply is the count an apply sets for a dimension: the one AWS runs when the
// configuration did not change it and it is inside the range (an update of something else
// must not undo the autoscaler's work), else the configured one.
func CountToApply(had, want, observed, lo, hi int, scaled bool) int {
	if scaled && had == want && lo <= observed && observed <= hi {
		return observed
	}
	return want
}

// AlarmDrift is where alarm drift is detected: it compares the alarms CloudWatch has with the
// ones the stack wants, by name and definition (AlarmSpec.Definition, which is also what
// alarm_definitions shows in state, so the plan and the apply agree). write lists the alarms
// that are missing or differ, remove the stack's alarms no longer wanted (members removed,
// alarms disabled).
func AlarmDrift(observed, desired []AlarmSpec) (write []AlarmSpec, remove []string) {
	have := make(map[string]string, len(observed))
	for _, o := range observed {
		have[o.Name] = o.Definition()
	}
	want := make(map[string]bool, len(desired))
	for _, a := range desired {
		want[a.Name] = true
		if def, ok := have[a.Name]; !ok || def != a.Definition() {
			write = append(write, a)
		}
	}
	for _, o := range observed {
		if !want[o.Name] {
			remove = append(remove, o.Name)
		}
	}
	return write, remove
}
