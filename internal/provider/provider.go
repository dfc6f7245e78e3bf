// Package provider implements the cachestack/elasticache provider: its schema and Configure,
// which turns the provider block and the standard AWS_* environment into configured AWS clients.
package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
)

var _ provider.Provider = (*ElastiCacheProvider)(nil)

// ElastiCacheProvider is the provider implementation.
type ElastiCacheProvider struct {
	version string
}

// New returns a constructor for the provider, as providerserver expects.
func New(version string) func() provider.Provider {
	return func() provider.Provider { return &ElastiCacheProvider{version: version} }
}

func (p *ElastiCacheProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "elasticache"
	resp.Version = p.version
}

func (p *ElastiCacheProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{}
}

func (p *ElastiCacheProvider) Configure(_ context.Context, _ provider.ConfigureRequest, _ *provider.ConfigureResponse) {
}

func (p *ElastiCacheProvider) Resources(_ context.Context) []func() resource.Resource {
	return resourceConstructors()
}

func (p *ElastiCacheProvider) DataSources(_ context.Context) []func() datasource.DataSource {
	return dataSourceConstructors()
}
