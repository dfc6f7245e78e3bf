package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/cachestack/terraform-provider-elasticache/internal/costestimate"
	"github.com/cachestack/terraform-provider-elasticache/internal/stack"
)

// resourceConstructors lists every resource the provider serves.
func resourceConstructors() []func() resource.Resource {
	return []func() resource.Resource{
		stack.NewResource,
	}
}

// dataSourceConstructors lists every data source the provider serves.
func dataSourceConstructors() []func() datasource.DataSource {
	return []func() datasource.DataSource{costestimate.NewDataSource}
}
