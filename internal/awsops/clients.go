// Package awsops holds the AWS side of the provider: one file per stack component, each with
// ensure / observe / delete functions and the waiters that go with them. Decisions about what a
// stack should look like live in internal/blueprint; this package only carries them out.
package awsops

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/service/applicationautoscaling"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/elasticache"
	"github.com/aws/aws-sdk-go-v2/service/pricing"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/cachestack/terraform-provider-elasticache/internal/cost"
	"github.com/cachestack/terraform-provider-elasticache/internal/tags"
)

// Clients is what the provider's Configure hands to every resource and data source.
type Clients struct {
	ElastiCache *elasticache.Client
	EC2         *EC2API
	CloudWatch  *cloudwatch.Client
	Logs        *cloudwatchlogs.Client
	// AutoScaling is Application Auto Scaling: the scalable targets and policies of
	// provisioned.autoscaling.
	AutoScaling *applicationautoscaling.Client
	Pricing     *pricing.Client
	STS         *sts.Client

	Region    string
	AccountID string
	Partition string

	// DefaultTags are the provider's default_tags; resource tags win on conflict.
	DefaultTags map[string]string
	// IgnoreTags are the provider's ignore_tags: tag keys managed outside Terraform, which tag
	// sync never sets or removes.
	IgnoreTags tags.IgnoreConfig
	// LivePricing is the provider's live_pricing setting, from which Configure built Prices.
	LivePricing bool
	// Prices is the price source Configure built for this provider (cost.NewPrices).
	Prices cost.Prices
}

// FromProviderData is the Clients the provider's Configure handed to a resource or data source
// (nil before the provider is configured).
func FromProviderData(data any) (*Clients, error) {
	if data == nil {
		return nil, nil
	}
	clients, ok := data.(*Clients)
	if !ok {
		return nil, fmt.Errorf("expected *awsops.Clients, got %T; this is a bug in the provider", data)
	}
	return clients, nil
}

// PriceSource is the provider's price source bound to ctx; the built-in catalog when the
// provider is not configured (c is nil) or built none.
func (c *Clients) PriceSource(ctx context.Context) cost.PriceSource {
	if c == nil || c.Prices == nil {
		return cost.DefaultCatalog()
	}
	return c.Prices.For(ctx)
}
