package driver

import (
	"context"

	"github.com/cachestack/terraform-provider-elasticache/internal/awsops"
	"github.com/cachestack/terraform-provider-elasticache/internal/blueprint"
)

// observeGlobal adds the group's global datastore membership and the members' regions (one
// more describe, only for a member).
func observeGlobal(ctx context.Context, c *awsops.Clients, rg awsops.ObservedReplicationGroup, o *Observed) error {
	if rg.GlobalDatastoreID == "" {
		return nil
	}
	o.GlobalDatastoreID, o.GlobalRole = rg.GlobalDatastoreID, rg.GlobalRole
	g, found, err := c.ObserveGlobalDatastore(ctx, rg.GlobalDatastoreID)
	if err != nil || !found {
		return err
	}
	o.GlobalRegions = g.Regions()
	return nil
}

// applyGlobal makes the membership changes (a new datastore, leaving one, a failover) and,
// on a primary, the changes of the whole datastore (engine version, node type, shards), which
// AWS takes only on the datastore. It returns the group as observed afterwards, so the regional
// modify that follows sends only what is the group's own.
func applyGlobal(ctx context.Context, c *awsops.Clients, rg awsops.ObservedReplicationGroup, req ApplyRequest, spec blueprint.ReplicationGroupSpec, parameterGroup string) (awsops.ObservedReplicationGroup, error) {
	had, want, name := req.Had.Global, req.Want.Global, req.Want.Name
	var err error
	switch {
	case want.Role == blueprint.RolePrimary && rg.GlobalDatastoreID == "":
		// Once the datastore exists AWS refuses the member's own version, node type and shard
		// changes (rule global-datastore-member-settings-via-datastore): planned with the role, they
		// go through the datastore right after it is made.
		// Creating the datastore changes none of the group's own settings: rg stays true but for
		// the membership, so no describe is needed in between.
		if rg.GlobalDatastoreID, err = c.CreateGlobalDatastore(ctx, name, name); err == nil {
			rg.GlobalRole = blueprint.RolePrimary
			err = modifyDatastore(ctx, c, rg, spec, parameterGroup)
		}
	case had.Role == blueprint.RolePrimary && want.Role == "" && rg.GlobalRole == blueprint.RolePrimary:
		err = c.DeleteGlobalDatastore(ctx, rg.GlobalDatastoreID)
	case had.Joins() && !want.Joins() && rg.GlobalDatastoreID != "":
		err = c.LeaveGlobalDatastore(ctx, rg.GlobalDatastoreID, name)
	case want.Promote && !had.Promote && rg.GlobalRole == blueprint.RoleSecondary:
		err = c.FailoverGlobalDatastore(ctx, rg.GlobalDatastoreID, name)
	case rg.GlobalRole == blueprint.RolePrimary:
		err = modifyDatastore(ctx, c, rg, spec, parameterGroup)
	default:
		return rg, nil
	}
	if err != nil {
		return rg, err
	}
	o, _, err := c.ObserveReplicationGroup(ctx, name)
	return o, err
}

// modifyDatastore changes the datastore of which rg is the primary where spec differs.
func modifyDatastore(ctx context.Context, c *awsops.Clients, rg awsops.ObservedReplicationGroup, spec blueprint.ReplicationGroupSpec, parameterGroup string) error {
	var ch awsops.GlobalChange
	if spec.NodeType != rg.NodeType {
		ch.NodeType = spec.NodeType
	}
	if spec.EngineVersion != "" && blueprint.CompareVersions(spec.EngineVersion, rg.EngineVersion) > 0 {
		ch.EngineVersion = spec.EngineVersion
		if parameterGroup != rg.ParameterGroupName {
			ch.ParameterGroup = parameterGroup // a new family travels with the version
		}
	}
	if spec.Shards != rg.Shards && rg.ClusterMode {
		ch.Shards, ch.CurrentShards = spec.Shards, rg.Shards
	}
	if ch == (awsops.GlobalChange{}) {
		return nil
	}
	return c.ModifyGlobalDatastore(ctx, rg.GlobalDatastoreID, ch)
}
