// Package tags holds the provider's ignore_tags, shared by Configure and the resources.
package tags

import "strings"

// IgnoreConfig is the provider's ignore_tags: tag keys that systems outside Terraform manage
// (AWS Organizations tag policies, cost-allocation tooling). As in hashicorp/aws, an ignored
// tag is left out of tags and tags_all when read, never shows as drift, and tag sync neither
// sets nor removes it. The zero value ignores nothing.
type IgnoreConfig struct {
	Keys        []string
	KeyPrefixes []string
}

// Ignored reports whether key is an exact ignored key or starts with an ignored prefix.
func (c IgnoreConfig) Ignored(key string) bool {
	for _, k := range c.Keys {
		if key == k {
			return true
		}
	}
	for _, p := range c.KeyPrefixes {
		if strings.HasPrefix(key, p) {
			return true
		}
	}
	return false
}

// Remove returns a copy of m without the ignored keys (nil stays nil).
func (c IgnoreConfig) Remove(m map[string]string) map[string]string {
	if m == nil {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		if !c.Ignored(k) {
			out[k] = v
		}
	}
	return out
}
