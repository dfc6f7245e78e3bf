package costattr

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cachestack/terraform-provider-elasticache/internal/cost"
)

func TestConversions(t *testing.T) {
	o, diags := CostObject(cost.Estimate{HourlyUSD: 0.5, MonthlyUSD: 365, MonthlyUSDMin: 300, MonthlyUSDMax: 500, Breakdown: cost.Breakdown{Nodes: 365}, Source: "catalog", AsOf: "2025-06-01"})
	if diags.HasError() || o.Attributes()["monthly_usd"].(types.Float64).ValueFloat64() != 365 ||
		o.Attributes()["monthly_usd_min"].(types.Float64).ValueFloat64() != 300 || o.Attributes()["monthly_usd_max"].(types.Float64).ValueFloat64() != 500 {
		t.Errorf("CostObject: %v %v", o, diags)
	}
	// No upper bound (a serverless cache without both limits): monthly_usd_max is null.
	o, diags = CostObject(cost.Estimate{MonthlyUSD: 10, MonthlyUSDMin: 10, MaxUnbounded: true})
	if diags.HasError() || !o.Attributes()["monthly_usd_max"].IsNull() {
		t.Errorf("unbounded: %v %v", o, diags)
	}
	if len(CostAttrTypes()) != 7 || len(RecommendationAttrTypes()) != 3 {
		t.Error("attribute types")
	}
	l, diags := RecommendationsList(nil)
	if diags.HasError() || l.IsNull() || len(l.Elements()) != 0 {
		t.Errorf("empty list must be known and empty: %v", l)
	}
}
