package stack

import "github.com/cachestack/terraform-provider-elasticache/internal/tags"

// ignoreTags is the provider's ignore_tags; nothing is ignored before Configure (validation).
func (r *StackResource) ignoreTags() tags.IgnoreConfig {
	if r.clients == nil {
		return tags.IgnoreConfig{}
	}
	return r.clients.IgnoreTags
}
