// Package driver carries out one kind of cache per driver: a Valkey/Redis replication group, a
// Memcached cluster or a serverless cache. Each driver is the only code that knows which AWS
// calls create, wait for, observe, change, price and delete its kind; the elasticache_stack
// resource picks one driver from the blueprint (For) and never asks which kind it holds.
//
// What a stack should look like is decided in internal/blueprint; the AWS calls themselves are
// in internal/awsops.
package driver

import (
	"context"
	"fmt"
	"maps"

	"github.com/cachestack/terraform-provider-elasticache/internal/awsops"
	"github.com/cachestack/terraform-provider-elasticache/internal/blueprint"
	"github.com/cachestack/terraform-provider-elasticache/internal/cost"
)

// Driver is one kind of cache.
type Driver interface {
	// Create creates the cache of req.Desired in the components that already exist and
	// returns its ARN. It adopts the stack's own cache left by an interrupted apply.
	Create(ctx context.Context, c *awsops.Clients, req CreateRequest) (arn string, err error)
	// Wait returns once the cache is available (or ctx ends, as *awsops.ErrStillPending).
	Wait(ctx context.Context, c *awsops.Clients, name string) error
	// Observe reads the cache and its components (security group, subnet group, parameter
	// group, alarms). securityGroupID is the one state records, "" on import. found is false
	// when the cache does not exist (or is being deleted).
	Observe(ctx context.Context, c *awsops.Clients, name, securityGroupID string) (o Observed, found bool, err error)
	// Apply makes every in-place change from req.Had to req.Want and returns the member
	// clusters the cache has afterwards.
	Apply(ctx context.Context, c *awsops.Clients, req ApplyRequest) (members []string, err error)
	// Delete deletes the cache (after a final snapshot when one is named) and waits until it
	// is gone. A cache that does not exist is not an error.
	Delete(ctx context.Context, c *awsops.Clients, name, finalSnapshot string) error
	// Price estimates the monthly cost of in (through cost.Quote) with its recommendations.
	Price(src cost.PriceSource, region string, in blueprint.Input, load *cost.ExpectedLoad) (cost.Estimate, []cost.Recommendation, error)
	// ARN is the cache's ARN, known before the cache exists.
	ARN(partition, region, accountID, name string) string
}

// drivers maps each kind to its driver: the one place a kind is chosen (the model is the tls
// provider's keyGenerators map).
var drivers = map[blueprint.Shape]Driver{
	blueprint.ShapeReplicationGroup: replicationGroup{kind[awsops.ObservedReplicationGroup]{
		"replication group", "replicationgroup", (*awsops.Clients).ObserveReplicationGroup, (*awsops.Clients).WaitReplicationGroupAvailable}},
	blueprint.ShapeMemcachedCluster: memcachedCluster{kind[awsops.ObservedCacheCluster]{
		"Memcached cluster", "cluster", (*awsops.Clients).ObserveCacheCluster, (*awsops.Clients).WaitCacheClusterAvailable}},
	blueprint.ShapeServerless: serverlessCache{kind[awsops.ObservedServerlessCache]{
		"serverless cache", "serverlesscache", (*awsops.Clients).ObserveServerlessCache, (*awsops.Clients).WaitServerlessCacheAvailable}},
}

// For returns the driver of a kind.
func For(shape blueprint.Shape) Driver {
	d, ok := drivers[shape]
	if !ok {
		panic(fmt.Sprintf("no driver for cache kind %q", shape))
	}
	return d
}

// Discover finds which kind of cache carries name, for an import: a replication group, else a
// Memcached cluster, else a serverless cache (whose Observe then says whether it exists).
func Discover(ctx context.Context, c *awsops.Clients, name string) (blueprint.Shape, error) {
	if _, found, err := c.ObserveReplicationGroup(ctx, name); err != nil || found {
		return blueprint.ShapeReplicationGroup, err
	}
	if _, found, err := c.ObserveCacheCluster(ctx, name); err != nil || found {
		return blueprint.ShapeMemcachedCluster, err
	}
	return blueprint.ShapeServerless, nil
}

// CreateRequest is what Create needs: the desired stack and the components made before the
// cache. SubnetGroup and ParameterGroup are "" for a kind without them.
type CreateRequest struct {
	Desired         blueprint.Stack
	SecurityGroupID string
	SubnetGroup     string
	ParameterGroup  string
	// AuthToken is the write-only token from the configuration: passed to one AWS call,
	// never stored or logged.
	AuthToken string
}

// ApplyRequest is what Apply needs: the configuration before and after, the desired stack,
// and the component identifiers state records.
type ApplyRequest struct {
	Had, Want       blueprint.Input
	Desired         blueprint.Stack
	SecurityGroupID string
	// ParameterGroup is the group the cache uses now (state), which a move to cluster mode
	// replaces.
	ParameterGroup string
	AuthToken      string
}

// TagsChanged reports whether the apply changes the stack's tags.
func (r ApplyRequest) TagsChanged() bool { return !maps.Equal(r.Had.Tags, r.Want.Tags) }

// Observed is a cache and its components as AWS reports them, in the stack's terms. The
// resource turns it into Terraform state without asking which kind it is.
type Observed struct {
	Mode, Engine, ARN string
	// EngineVersion is what AWS runs: a full release ("8.0.1") or, for a kind configured by
	// major version only, that major ("8") when AWS reports nothing finer.
	EngineVersion string
	// MajorEngineVersion is set for a kind whose minor version AWS picks (serverless): a
	// configured version of the same major is not drift.
	MajorEngineVersion   string
	Port                 int
	SubnetIDs            []string // nil when unknown (subnet group gone)
	SubnetGroupName      string   // "" for a kind without one
	ParameterGroupName   string   // "" for a kind without one
	NotificationTopicARN string
	Tags                 map[string]string
	Endpoints            Endpoints
	ClusterMode          bool
	Members              []string
	Security             Security
	// Provisioned is nil for a serverless cache, Serverless nil for the others.
	Provisioned *Provisioned
	Serverless  *blueprint.Serverless

	// LogDeliveries are the slow and engine logs the cache delivers (replication groups only).
	LogDeliveries []blueprint.LogDeliverySpec

	// GlobalDatastoreID, GlobalRole and GlobalRegions describe the cache's global datastore
	// membership (replication groups only; "" / nil outside one).
	GlobalDatastoreID, GlobalRole string
	GlobalRegions                 []string

	SecurityGroup      awsops.ObservedSecurityGroup
	SecurityGroupFound bool
	// Placement (issue 17 §4): the groups the cache carries besides the stack's own, its
	// network type and, for node-based kinds, its discovery IP version ("" when AWS says none).
	AdditionalSecurityGroupIDs []string
	NetworkType, IPDiscovery   string
	VpcID                      string
	Alarms                     []awsops.ObservedAlarm
}

// Endpoints are the addresses clients use. Endpoint is the one to connect to.
type Endpoints struct {
	Endpoint, Primary, Reader, Configuration string
}

// Security is the encryption and authentication AWS reports.
type Security struct {
	TransitEncryptionMode string
	KMSKeyARN             string
	UserGroupID           string
	AuthTokenEnabled      bool
}

// Provisioned holds the node settings AWS reports. A nil field is a setting this kind does
// not have (Memcached has no shards, replicas or snapshots): the configuration's value stands
// and never shows as drift.
type Provisioned struct {
	NodeType                string
	Parameters              map[string]string
	MaintenanceWindow       string
	Shards                  *int
	ReplicasPerShard        *int
	MultiAZ                 *bool
	EvictionPolicy          *string
	SnapshotRetentionDays   *int
	SnapshotWindow          *string
	NumNodes                *int
	AutoMinorVersionUpgrade *bool
}

func ptr[T any](v T) *T { return &v }
