package acctest

import (
	"encoding/json"
	"strconv"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/pricing"
	"github.com/aws/aws-sdk-go-v2/service/pricing/types"

	"github.com/cachestack/terraform-provider-elasticache/internal/cost"
)

// priceListItem is the part of an AWS price-list entry the provider reads.
type priceListItem struct {
	Product cost.PriceListProduct `json:"product"`
	Terms   struct {
		OnDemand map[string]priceTerm `json:"OnDemand"`
		Reserved map[string]priceTerm `json:"Reserved"`
	} `json:"terms"`
}

type priceTerm struct {
	PriceDimensions map[string]struct {
		Unit         string            `json:"unit"`
		PricePerUnit map[string]string `json:"pricePerUnit"`
	} `json:"priceDimensions"`
	TermAttributes map[string]string `json:"termAttributes"`
}

func (p priceListItem) onDemandUSD(t *testing.T) (float64, string) {
	t.Helper()
	for _, term := range p.Terms.OnDemand {
		for _, dim := range term.PriceDimensions {
			v, err := strconv.ParseFloat(dim.PricePerUnit["USD"], 64)
			mustNoErr(t, err)
			return v, dim.Unit
		}
	}
	t.Fatalf("no OnDemand price in %+v", p)
	return 0, ""
}

func getProducts(t *testing.T, c *pricing.Client, filters map[string]string) []priceListItem {
	t.Helper()
	in := &pricing.GetProductsInput{ServiceCode: aws.String("AmazonElastiCache"), FormatVersion: aws.String("aws_v1")}
	for field, value := range filters {
		in.Filters = append(in.Filters, types.Filter{Type: types.FilterTypeTermMatch, Field: aws.String(field), Value: aws.String(value)})
	}
	var items []priceListItem
	p := pricing.NewGetProductsPaginator(c, in)
	for p.HasMorePages() {
		page, err := p.NextPage(testCtx(t))
		mustNoErr(t, err)
		for _, raw := range page.PriceList {
			var item priceListItem
			if err := json.Unmarshal([]byte(raw), &item); err != nil {
				t.Fatalf("PriceList entry is not JSON: %v\n%s", err, raw)
			}
			items = append(items, item)
		}
	}
	return items
}

func TestEmulatorPricingGetProducts(t *testing.T) {
	c := pricingClient(t)
	items := getProducts(t, c, map[string]string{"instanceType": "cache.r7g.large", "regionCode": "us-east-1", "cacheEngine": "Redis"})
	if len(items) != 1 {
		t.Fatalf("%d products", len(items))
	}
	item := items[0]
	if item.Product.ProductFamily != "Cache Instance" || item.Product.Attributes["instanceType"] != "cache.r7g.large" ||
		item.Product.Attributes["location"] != "US East (N. Virginia)" || item.Product.Attributes["memory"] == "" || item.Product.SKU == "" {
		t.Fatalf("product: %+v", item.Product)
	}
	// The emulator's own fixture price, deliberately not AWS's.
	if price, unit := item.onDemandUSD(t); price != 0.2 || unit != "Hrs" {
		t.Fatalf("on-demand %v per %s, want the fixture's 0.2000 per Hrs", price, unit)
	}
	if len(item.Terms.Reserved) != 6 {
		t.Fatalf("%d reserved terms", len(item.Terms.Reserved))
	}

	valkey := getProducts(t, c, map[string]string{"instanceType": "cache.r7g.large", "location": "US East (N. Virginia)", "cacheEngine": "valkey"})
	if len(valkey) != 1 {
		t.Fatalf("valkey: %d products", len(valkey))
	}
	if price, _ := valkey[0].onDemandUSD(t); price >= 0.2 || price <= 0 {
		t.Fatalf("valkey price %v should be below Redis OSS's", price)
	}
	if eu := getProducts(t, c, map[string]string{"instanceType": "cache.r7g.large", "regionCode": "eu-west-1", "cacheEngine": "Redis"}); len(eu) != 1 {
		t.Fatalf("eu-west-1: %d products", len(eu))
	} else if price, _ := eu[0].onDemandUSD(t); price <= 0.2 {
		t.Fatalf("eu-west-1 price %v should be above us-east-1's", price)
	}

	serverless := getProducts(t, c, map[string]string{"productFamily": "ElastiCache Serverless", "regionCode": "us-east-1", "cacheEngine": "Valkey"})
	units := map[string]float64{}
	for _, s := range serverless {
		price, unit := s.onDemandUSD(t)
		units[unit] = price
	}
	if len(serverless) != 2 || units["GB-Hours"] <= 0 || units["ECPU"] <= 0 || units["ECPU"] > 1e-6 {
		t.Fatalf("serverless prices: %v", units)
	}

	// Everything for one region, over several pages: 14 node types x 3 engines + 6 serverless.
	all := getProducts(t, c, map[string]string{"regionCode": "us-east-1"})
	if len(all) != 48 {
		t.Fatalf("us-east-1 catalog: %d products", len(all))
	}
	pages, seen := 0, map[string]bool{}
	p := pricing.NewGetProductsPaginator(c, &pricing.GetProductsInput{
		ServiceCode: aws.String("AmazonElastiCache"), MaxResults: aws.Int32(10),
		Filters: []types.Filter{{Type: types.FilterTypeTermMatch, Field: aws.String("regionCode"), Value: aws.String("us-east-1")}},
	})
	for p.HasMorePages() {
		page, err := p.NextPage(testCtx(t))
		mustNoErr(t, err)
		pages++
		for _, raw := range page.PriceList {
			seen[raw] = true
		}
	}
	if pages != 5 || len(seen) != 48 {
		t.Fatalf("paged catalog: %d distinct items in %d pages", len(seen), pages)
	}
	out, err := c.GetProducts(testCtx(t), &pricing.GetProductsInput{ServiceCode: aws.String("AmazonElastiCache"), MaxResults: aws.Int32(5)})
	mustNoErr(t, err)
	if len(out.PriceList) != 5 || out.NextToken == nil || aws.ToString(out.FormatVersion) != "aws_v1" {
		t.Fatalf("first page: %d items, token %v", len(out.PriceList), out.NextToken)
	}
	if none := getProducts(t, c, map[string]string{"instanceType": "cache.x99.huge"}); len(none) != 0 {
		t.Fatalf("unknown node type matched %d products", len(none))
	}

	mustFault[*types.NotFoundException](t, errOf(c.GetProducts(testCtx(t), &pricing.GetProductsInput{ServiceCode: aws.String("AmazonEC2")})), "unknown service code")
	mustFault[*types.InvalidNextTokenException](t, errOf(c.GetProducts(testCtx(t), &pricing.GetProductsInput{ServiceCode: aws.String("AmazonElastiCache"), NextToken: aws.String("bogus")})), "bad token")
	svc, err := c.DescribeServices(testCtx(t), &pricing.DescribeServicesInput{ServiceCode: aws.String("AmazonElastiCache")})
	mustNoErr(t, err)
	if len(svc.Services) != 1 || len(svc.Services[0].AttributeNames) < 5 {
		t.Fatalf("DescribeServices: %+v", svc.Services)
	}
	vals, err := c.GetAttributeValues(testCtx(t), &pricing.GetAttributeValuesInput{ServiceCode: aws.String("AmazonElastiCache"), AttributeName: aws.String("cacheEngine")})
	mustNoErr(t, err)
	if len(vals.AttributeValues) != 3 {
		t.Fatalf("cacheEngine values: %+v", vals.AttributeValues)
	}
}
