package acctest

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/ec2"

	"github.com/cachestack/terraform-provider-elasticache/emulator"
)

// TestNetwork is where acceptance-test stacks are placed (emulator.PrepareNetwork).
type TestNetwork = emulator.Network

// appGroup is the application security group acceptance-test stacks admit. Its name is fixed
// (found, or created once) so that runs against a shared account reuse one group.
const appGroup = "acctest-app"

var (
	networkOnce sync.Once
	network     TestNetwork
	networkErr  error
)

// Network returns the test network: the default VPC's subnets, or ELASTICACHE_TEST_SUBNET_IDS
// (comma separated) against AWS, and the application group.
func Network(t *testing.T) TestNetwork {
	t.Helper()
	PreCheck(t)
	networkOnce.Do(func() {
		ctx := context.Background()
		cfg, err := AWSConfigFromEnv(ctx)
		if err != nil {
			networkErr = err
			return
		}
		network, networkErr = emulator.PrepareNetwork(ctx, ec2.NewFromConfig(cfg), appGroup)
	})
	if networkErr != nil {
		t.Fatalf("test network: %v", networkErr)
	}
	return network
}

// AWSConfigFromEnv loads the SDK configuration from the environment Main prepared.
func AWSConfigFromEnv(ctx context.Context) (aws.Config, error) {
	return config.LoadDefaultConfig(ctx)
}

// HCLList renders strings as an HCL list literal.
func HCLList(values []string) string {
	quoted := make([]string, len(values))
	for i, v := range values {
		quoted[i] = fmt.Sprintf("%q", v)
	}
	return "[" + strings.Join(quoted, ", ") + "]"
}

var (
	regionNetworks   = map[string]TestNetwork{}
	regionNetworksMu sync.Mutex
)

// NetworkIn is Network in another region of the same endpoint (a Global Datastore's
// secondary): that region's default VPC subnets and its own application group.
func NetworkIn(t *testing.T, region string) TestNetwork {
	t.Helper()
	PreCheck(t)
	regionNetworksMu.Lock()
	defer regionNetworksMu.Unlock()
	if n, ok := regionNetworks[region]; ok {
		return n
	}
	cfg, err := AWSConfigFromEnv(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	cfg.Region = region
	n, err := emulator.PrepareNetwork(context.Background(), ec2.NewFromConfig(cfg), appGroup)
	if err != nil {
		t.Fatalf("test network of %s: %v", region, err)
	}
	regionNetworks[region] = n
	return n
}
