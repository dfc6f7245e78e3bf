package awsops

import (
	"maps"
	"slices"
	"sort"

	"github.com/aws/aws-sdk-go-v2/aws"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	ectypes "github.com/aws/aws-sdk-go-v2/service/elasticache/types"
)

// OwnerTagKey marks every component as belonging to one stack. Create adopts an existing
// component only when this tag names the same stack, which is how an interrupted apply
// converges without orphaning what it had already created.
const OwnerTagKey = "elasticache-stack"

// WithOwner returns the tags with the stack's owner tag added (a copy; nil becomes empty).
func WithOwner(stackName string, tags map[string]string) map[string]string {
	out := maps.Clone(tags)
	if out == nil {
		out = map[string]string{}
	}
	out[OwnerTagKey] = stackName
	return out
}

func elastiCacheTags(m map[string]string) []ectypes.Tag {
	out := make([]ectypes.Tag, 0, len(m))
	for _, k := range slices.Sorted(maps.Keys(m)) {
		out = append(out, ectypes.Tag{Key: aws.String(k), Value: aws.String(m[k])})
	}
	return out
}

func ec2Tags(m map[string]string) []ec2types.Tag {
	out := make([]ec2types.Tag, 0, len(m))
	for _, k := range slices.Sorted(maps.Keys(m)) {
		out = append(out, ec2types.Tag{Key: aws.String(k), Value: aws.String(m[k])})
	}
	return out
}

// ec2TagKeys names tags to delete by key alone (whatever their values).
func ec2TagKeys(keys []string) []ec2types.Tag {
	out := make([]ec2types.Tag, 0, len(keys))
	for _, k := range keys {
		out = append(out, ec2types.Tag{Key: aws.String(k)})
	}
	return out
}

func fromElastiCacheTags(tags []ectypes.Tag) map[string]string {
	out := make(map[string]string, len(tags))
	for _, t := range tags {
		out[aws.ToString(t.Key)] = aws.ToString(t.Value)
	}
	return out
}

func fromEC2Tags(tags []ec2types.Tag) map[string]string {
	out := make(map[string]string, len(tags))
	for _, t := range tags {
		out[aws.ToString(t.Key)] = aws.ToString(t.Value)
	}
	return out
}

// tagDiff returns the tags to set (new or changed) and the keys to remove. Keys the provider's
// ignore_tags names are left alone on both sides: another system owns them.
func (c *Clients) tagDiff(observed, desired map[string]string) (set map[string]string, remove []string) {
	observed, desired = c.IgnoreTags.Remove(observed), c.IgnoreTags.Remove(desired)
	set = map[string]string{}
	for k, v := range desired {
		if ov, ok := observed[k]; !ok || ov != v {
			set[k] = v
		}
	}
	for k := range observed {
		if _, ok := desired[k]; !ok {
			remove = append(remove, k)
		}
	}
	sort.Strings(remove)
	return set, remove
}
