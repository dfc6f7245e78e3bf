package stack_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/elasticache"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/cachestack/terraform-provider-elasticache/internal/acctest"
)

func TestAccStack_finalSnapshotOnDestroy(t *testing.T) {
	name := acctest.RandomName("acc-final-snap")
	cfg := quickstart(name)
	cfg.Provisioned = "    final_snapshot_name = \"" + name + "-last\"\n    replicas_per_shard = 1"
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy: func(s *terraform.State) error {
			if err := checkDestroyed(t, name)(s); err != nil {
				return err
			}
			c := clients(t)
			out, err := c.ec.DescribeSnapshots(context.Background(), &elasticache.DescribeSnapshotsInput{SnapshotName: aws.String(name + "-last")})
			if err != nil || len(out.Snapshots) != 1 {
				return fmt.Errorf("final snapshot not taken: %v", err)
			}
			if got := aws.ToString(out.Snapshots[0].ReplicationGroupId); got != name {
				return fmt.Errorf("final snapshot is of %q, want %q", got, name)
			}
			_, err = c.ec.DeleteSnapshot(context.Background(), &elasticache.DeleteSnapshotInput{SnapshotName: aws.String(name + "-last")})
			return err
		},
		Steps: []resource.TestStep{{Config: cfg.HCL(t)}},
	})
}
