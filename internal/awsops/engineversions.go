package awsops

import (
	"context"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/elasticache"
)

// EngineVersions lists the versions of an engine the region offers (paginated
// DescribeCacheEngineVersions), and each version's parameter group family.
func (c *Clients) EngineVersions(ctx context.Context, engine string) (versions []string, families map[string]string, err error) {
	families = map[string]string{}
	pages := elasticache.NewDescribeCacheEngineVersionsPaginator(c.ElastiCache, &elasticache.DescribeCacheEngineVersionsInput{Engine: aws.String(engine)})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return nil, nil, wrap("engine versions", "describe", engine, err)
		}
		for _, v := range page.CacheEngineVersions {
			versions = append(versions, aws.ToString(v.EngineVersion))
			families[aws.ToString(v.EngineVersion)] = aws.ToString(v.CacheParameterGroupFamily)
		}
	}
	return versions, families, nil
}

// FamilyOf is the parameter group family AWS reports for a MAJOR.MINOR version (matching a full
// release such as "7.1.0"); "" when the region does not say.
func FamilyOf(version string, families map[string]string) string {
	for v, f := range families {
		if v == version || strings.HasPrefix(v, version+".") {
			return f
		}
	}
	return ""
}

// VersionOffered reports whether a MAJOR.MINOR version is among the offered ones, which may be
// full releases ("1.6.22", "7.1.0").
func VersionOffered(version string, offered []string) bool {
	for _, v := range offered {
		if v == version || strings.HasPrefix(v, version+".") {
			return true
		}
	}
	return false
}
