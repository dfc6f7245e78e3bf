// Package tags holds the tag helpers shared by the provider's resources.
package tags

// MergeTags returns the tags a resource should carry: the provider's default_tags overlaid by
// the resource's own tags, so a key set on the resource wins (including one set to ""). The
// inputs are not modified and either may be nil. The result is never nil: an empty result is an
// empty map, which callers can store as an empty tags_all.
func MergeTags(defaults, resource map[string]string) map[string]string {
	merged := make(map[string]string, len(defaults)+len(resource))
	for k, v := range defaults {
		merged[k] = v
	}
	for k, v := range resource {
		merged[k] = v
	}
	return merged
}
