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
