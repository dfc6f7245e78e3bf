package costattr

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cachestack/terraform-provider-elasticache/internal/cost"
)

func TestConversions(t *testing.T) {
	o, diags := CostObject(cost.Estimate{HourlyUSD: 0.5, MonthlyUSD: 365, Breakdown: cost.Breakdown{Nodes: 365}, Source: "catalog", AsOf: "2025-06-01"})
	if diags.HasError() || o.Attributes()["monthly_usd"].(types.Float64).ValueFloat64() != 365 {
		t.Errorf("CostObject: %v %v", o, diags)
	}
	if len(CostAttrTypes()) != 5 || len(RecommendationAttrTypes()) != 3 {
		t.Error("attribute types")
	}
	l, diags := RecommendationsList(nil)
	if diags.HasError() || l.IsNull() || len(l.Elements()) != 0 {
		t.Errorf("empty list must be known and empty: %v", l)
	}
}
