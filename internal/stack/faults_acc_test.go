package stack_test

// Fault scenarios: a throttled, failing, timed-out, blocked or interrupted apply never leaves
// orphans or a state that lies. Every outcome is checked in the emulator (what exists there),
// not only in Terraform state.

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/elasticache"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/cachestack/terraform-provider-elasticache/internal/acctest"
)

// faultStack is the stack the fault scenarios build: provisioned Valkey, one shard, one
// replica (Multi-AZ), admitting the test network's application group.
func faultStack(name string) stackConfig {
	return stackConfig{Name: name, Replicas: 1}
}

// faultTest starts a fault scenario that steers the bundled emulator: it skips without it,
// logs how long the test took, and names the test's stack.
func faultTest(t *testing.T, prefix string) (*acctest.Emulator, string) {
	t.Helper()
	acctest.PreCheck(t)
	e := acctest.RequireEmulator(t)
	logDuration(t)
	return e, acctest.RandomName(prefix)
}

// proxiedProvider points every service of the provider at url, as a user points it at
// LocalStack.
func proxiedProvider(url string) string {
	var b strings.Builder
	b.WriteString("provider \"elasticache\" {\n  endpoints {\n")
	for _, svc := range []string{"elasticache", "ec2", "cloudwatch", "sts", "sns", "secretsmanager", "pricing"} {
		fmt.Fprintf(&b, "    %s = %q\n", svc, url)
	}
	b.WriteString("  }\n}\n")
	return b.String()
}

// emulatorLeftovers lists what of stack name still exists in the emulator: its replication
// group and member clusters, parameter and subnet groups, alarms and security group.
func emulatorLeftovers(t *testing.T, name string) []string {
	t.Helper()
	e := acctest.Local
	if e == nil {
		return nil
	}
	res, err := e.Resources(context.Background())
	if err != nil {
		t.Fatalf("list emulator resources: %v", err)
	}
	owned := func(id string) bool { return id == name || strings.HasPrefix(id, name+"-") }
	var left []string
	for _, kind := range []struct {
		kind  string
		items []acctest.Resource
	}{
		{"replication-group", res.ReplicationGroups}, {"cache-cluster", res.CacheClusters},
		{"parameter-group", res.ParameterGroups}, {"subnet-group", res.SubnetGroups}, {"snapshot", res.Snapshots},
	} {
		for _, r := range kind.items {
			if owned(r.ID) {
				left = append(left, kind.kind+"/"+r.ID+" ("+r.Status+")")
			}
		}
	}
	for _, a := range res.Alarms {
		if strings.HasPrefix(a.ID, "elasticache/"+name+"/") {
			left = append(left, "alarm/"+a.ID)
		}
	}
	for _, sg := range res.SecurityGroups {
		if sg.Name == "elasticache-"+name {
			left = append(left, "security-group/"+sg.ID)
		}
	}
	return left
}

// checkNothingLeft asserts, by listing the emulator (and through the AWS API elsewhere), that
// nothing of the stack exists any more.
func checkNothingLeft(t *testing.T, name string) resource.TestCheckFunc {
	return resource.ComposeAggregateTestCheckFunc(checkDestroyed(t, name), func(*terraform.State) error {
		if left := emulatorLeftovers(t, name); len(left) > 0 {
			return fmt.Errorf("left behind in the emulator: %v", left)
		}
		return nil
	})
}

// checkHardened is checkSecureDefaults (TLS required, encryption at rest, Multi-AZ, ingress
// only from the application group on the cache port, the eviction policy) plus, read from EC2:
// no rule of the cache's security group admits 0.0.0.0/0 or ::/0, and it has no egress rule.
func checkHardened(t *testing.T, name string) resource.TestCheckFunc {
	return resource.ComposeAggregateTestCheckFunc(checkSecureDefaults(t, name, "volatile-lru"), func(*terraform.State) error {
		out, err := clients(t).ec2.DescribeSecurityGroups(context.Background(), &ec2.DescribeSecurityGroupsInput{
			Filters: []ec2types.Filter{{Name: aws.String("group-name"), Values: []string{"elasticache-" + name}}}})
		if err != nil || len(out.SecurityGroups) != 1 {
			return fmt.Errorf("security group elasticache-%s: %v (%d found)", name, err, len(out.SecurityGroups))
		}
		sg := out.SecurityGroups[0]
		if len(sg.IpPermissionsEgress) > 0 {
			return fmt.Errorf("the cache security group has egress rules: %+v", sg.IpPermissionsEgress)
		}
		for _, p := range sg.IpPermissions {
			for _, r := range p.IpRanges {
				if aws.ToString(r.CidrIp) == "0.0.0.0/0" {
					return fmt.Errorf("ingress from 0.0.0.0/0")
				}
			}
			for _, r := range p.Ipv6Ranges {
				if aws.ToString(r.CidrIpv6) == "::/0" {
					return fmt.Errorf("ingress from ::/0")
				}
			}
			if aws.ToString(p.IpProtocol) == "-1" {
				return fmt.Errorf("ingress on every protocol and port: %+v", p)
			}
		}
		return nil
	})
}

// expectPriorState checks the resource as the plan's prior state holds it: what the failed
// apply recorded.
type expectPriorState struct {
	addr  string
	check func(values map[string]any, tainted bool) error
}

func (c expectPriorState) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	if req.Plan == nil || req.Plan.PriorState == nil || req.Plan.PriorState.Values == nil || req.Plan.PriorState.Values.RootModule == nil {
		resp.Error = fmt.Errorf("the plan has no prior state: the failed apply recorded nothing")
		return
	}
	for _, r := range req.Plan.PriorState.Values.RootModule.Resources {
		if r.Address == c.addr {
			resp.Error = c.check(r.AttributeValues, r.Tainted)
			return
		}
	}
	resp.Error = fmt.Errorf("%s is not in the prior state: the failed apply recorded nothing", c.addr)
}

// recordedComponents checks that state names the components that exist (set) and not the
// ones that do not (null), and whether the stack is tainted.
func recordedComponents(set, null []string, tainted bool) expectPriorState {
	return expectPriorState{addr: addr, check: func(v map[string]any, isTainted bool) error {
		var problems []string
		if isTainted != tainted {
			problems = append(problems, fmt.Sprintf("tainted = %t, want %t", isTainted, tainted))
		}
		for _, k := range set {
			if s, _ := v[k].(string); s == "" {
				problems = append(problems, k+" is not recorded")
			}
		}
		for _, k := range null {
			if v[k] != nil {
				problems = append(problems, fmt.Sprintf("%s = %v, want null", k, v[k]))
			}
		}
		if len(problems) > 0 {
			return fmt.Errorf("state after the failed apply: %s", strings.Join(problems, "; "))
		}
		return nil
	}}
}

// emulatorHas checks which of the stack's components exist in the emulator right now.
func emulatorHas(t *testing.T, name string, want ...string) error {
	t.Helper()
	left := strings.Join(emulatorLeftovers(t, name), " ")
	var missing []string
	for _, w := range want {
		if !strings.Contains(left, w) {
			missing = append(missing, w)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("missing in the emulator: %v (it has: %s)", missing, left)
	}
	return nil
}

// requests returns the emulator's request log (nil against an external endpoint).
func requests(t *testing.T) []acctest.Request {
	t.Helper()
	if acctest.Local == nil {
		return nil
	}
	reqs, err := acctest.Local.Requests(context.Background())
	if err != nil {
		t.Fatalf("request log: %v", err)
	}
	return reqs
}

func logDuration(t *testing.T) {
	start := time.Now()
	t.Cleanup(func() { t.Logf("%s took %s", t.Name(), time.Since(start).Round(100*time.Millisecond)) })
}

// TestAccStackFaults_throttled: 30 % of the provider's ElastiCache, EC2 and CloudWatch calls
// are throttled by the fault proxy; create, update and destroy all succeed through the SDK
// retryer, and the emulator shows the intended result each time.
func TestAccStackFaults_throttled(t *testing.T) {
	acctest.PreCheck(t)
	logDuration(t)
	name := acctest.RandomName("acc-fault-throttle")
	resetLog(t) // the log is shared by the package's tests: judge only this test's calls
	proxy := acctest.NewFaultProxy(t, acctest.Endpoint, 30)
	for _, svc := range []string{"elasticache", "ec2", "cloudwatch"} {
		proxy.AddRule(acctest.ProxyRule{Service: svc, Probability: 0.3, Effect: acctest.Throttle})
	}
	base := faultStack(name)
	base.ProviderHCL, base.Tags, base.ApplyImmediately = proxiedProvider(proxy.URL), map[string]string{"team": "ai-platform"}, true
	updated := base
	updated.NodeType = "cache.r7g.xlarge"
	updated.Tags = map[string]string{"team": "ai-platform", "tier": "hot"}

	var before acctest.ProxyStats
	throttledInStep := func(step string) resource.TestCheckFunc {
		return func(*terraform.State) error {
			s := proxy.Stats()
			calls, throttled := s.Calls-before.Calls, s.Throttled-before.Throttled
			t.Logf("%s (with its refreshes and plans): %d calls through the proxy, %d throttled (%.0f %%)", step, calls, throttled, 100*float64(throttled)/float64(max(calls, 1)))
			before = s
			if throttled == 0 {
				return fmt.Errorf("%s: no call was throttled; the proxy is not in the path", step)
			}
			return nil
		}
	}
	checkUpdated := func(*terraform.State) error {
		c := clients(t)
		ctx := context.Background()
		out, err := c.ec.DescribeReplicationGroups(ctx, &elasticache.DescribeReplicationGroupsInput{ReplicationGroupId: aws.String(name)})
		if err != nil {
			return err
		}
		if got := aws.ToString(out.ReplicationGroups[0].CacheNodeType); got != "cache.r7g.xlarge" {
			return fmt.Errorf("node type in the emulator: %s", got)
		}
		tags, err := c.ec.ListTagsForResource(ctx, &elasticache.ListTagsForResourceInput{ResourceName: out.ReplicationGroups[0].ARN})
		if err != nil {
			return err
		}
		for _, tag := range tags.TagList {
			if aws.ToString(tag.Key) == "tier" && aws.ToString(tag.Value) == "hot" {
				return nil
			}
		}
		return fmt.Errorf("tag tier=hot missing in the emulator: %v", tags.TagList)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             resource.ComposeAggregateTestCheckFunc(checkNothingLeft(t, name), throttledInStep("destroy")),
		Steps: []resource.TestStep{
			{
				Config: base.HCL(t),
				Check:  resource.ComposeAggregateTestCheckFunc(checkHardened(t, name), throttledInStep("create")),
			},
			{
				Config:           updated.HCL(t),
				ConfigPlanChecks: expectUpdate(),
				Check:            resource.ComposeAggregateTestCheckFunc(checkUpdated, throttledInStep("update")),
			},
		},
	})
	s := proxy.Stats()
	t.Logf("throttled %d of %d calls; by operation: %v", s.Throttled, s.Calls, s.ByOperation)
	// The proxy answered the throttled calls itself: the emulator saw only whole, successful
	// calls of this stack (no injected fault, no throttling code).
	for _, r := range requests(t) {
		if r.Fault || strings.Contains(r.ErrorCode, "Throttl") || r.ErrorCode == "RequestLimitExceeded" {
			t.Errorf("the emulator answered a fault itself: %+v", r)
		}
	}
}

// TestAccStackFaults_throttledCredentialCheck: throttling of the credential check in Configure
// (STS GetCallerIdentity) is retried like any other throttling.
func TestAccStackFaults_throttledCredentialCheck(t *testing.T) {
	acctest.PreCheck(t)
	proxy := acctest.NewFaultProxy(t, acctest.Endpoint, 1)
	rule := proxy.AddRule(acctest.ProxyRule{Service: "sts", Operation: "GetCallerIdentity", Count: 3, Effect: acctest.Throttle})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{{
			Config:             stackConfig{Name: acctest.RandomName("acc-fault-sts"), Replicas: 1, ProviderHCL: proxiedProvider(proxy.URL)}.HCL(t),
			PlanOnly:           true,
			ExpectNonEmptyPlan: true,
		}},
	})
	if rule.Fired() != 3 {
		t.Fatalf("the credential check was throttled %d times, want 3", rule.Fired())
	}
}

// TestAccStackFaults_replicationGroupCreateFails: CreateReplicationGroup fails (no capacity)
// after the security, subnet and parameter groups exist. Apply fails naming the component and
// the AWS error code; state records exactly the components that exist; the next apply
// converges; destroy leaves nothing.
func TestAccStackFaults_replicationGroupCreateFails(t *testing.T) {
	e, name := faultTest(t, "acc-fault-rgfail")
	cfg := faultStack(name)
	ctx := context.Background()
	t.Cleanup(func() { _ = e.ClearFaults(context.Background()) })
	resource.Test(t, stackCase(t, checkNothingLeft(t, name), []resource.TestStep{
		{
			PreConfig: func() {
				if err := e.InjectFaults(ctx, []acctest.FaultRule{{Service: "elasticache", Operation: "CreateReplicationGroup", Count: 1, HTTPStatus: 400,
					ErrorCode: "InsufficientCacheClusterCapacity", Message: "cache.r7g.large capacity is not available in us-east-1a"}}); err != nil {
					t.Fatal(err)
				}
			},
			Config: cfg.HCL(t),
			ExpectError: inOrder("Cannot create elasticache_stack "+name, `create replication group "`+name+`": InsufficientCacheClusterCapacity`,
				"cache.r7g.large capacity is not available", "Components created so far are recorded in state; the next apply replaces the stack and destroy removes them"),
		},
		{
			PreConfig: func() {
				if err := emulatorHas(t, name, "security-group/", "subnet-group/"+name, "parameter-group/"+name); err != nil {
					t.Fatal(err)
				}
				if left := strings.Join(emulatorLeftovers(t, name), " "); strings.Contains(left, "replication-group/") || strings.Contains(left, "alarm/") {
					t.Fatalf("a replication group or alarms exist although the create failed: %s", left)
				}
			},
			Config: cfg.HCL(t),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: planChecks{
				recordedComponents([]string{"security_group_id", "subnet_group_name", "parameter_group_name", "vpc_id"}, []string{"arn", "primary_endpoint"}, true),
				plancheck.ExpectResourceAction(addr, plancheck.ResourceActionReplace),
			}},
			ConfigStateChecks: stateChecks{
				inState("arn", notNull),
				inState("primary_endpoint", notNull),
			},
			Check: resource.ComposeAggregateTestCheckFunc(checkHardened(t, name), func(*terraform.State) error {
				return emulatorHas(t, name, "replication-group/"+name+" (available)", "alarm/elasticache/"+name+"/")
			}),
		},
	}))
}

// TestAccStackFaults_createTimeout: the create timeout passes while the replication group is
// still creating. The error says so and how to recover, the stack is tainted with every
// component recorded, nothing is orphaned, and the next apply (with a longer timeout)
// replaces it cleanly.
func TestAccStackFaults_createTimeout(t *testing.T) {
	e, name := faultTest(t, "acc-fault-timeout")
	ctx := context.Background()
	t.Cleanup(func() { _ = e.SetDelays(context.Background(), acctest.EmulatorOptions{}) })
	short := faultStack(name)
	short.ExtraTop = "  timeouts = {\n    create = \"2s\"\n  }\n"
	long := faultStack(name)
	long.ExtraTop = "  timeouts = {\n    create = \"5m\"\n  }\n"
	var firstARN string
	resource.Test(t, stackCase(t, checkNothingLeft(t, name), []resource.TestStep{
		{
			PreConfig: func() {
				if err := e.SetDelays(ctx, acctest.EmulatorOptions{CreateDelay: 8 * time.Second}); err != nil {
					t.Fatal(err)
				}
			},
			Config:      short.HCL(t),
			ExpectError: regexp.MustCompile(`(?s)Cannot create elasticache_stack ` + name + `.*timed\s+out\s+after\s+\d+s\s+waiting\s+for\s+replication\s+group\s+` + name + `\s+to\s+become\s+available.*raise\s+the\s+matching\s+timeouts\s+value.*tainted`),
		},
		{
			PreConfig: func() {
				if err := e.SetDelays(ctx, acctest.EmulatorOptions{}); err != nil {
					t.Fatal(err)
				}
				if err := emulatorHas(t, name, "replication-group/"+name+" (creating)", "security-group/", "subnet-group/"+name, "parameter-group/"+name); err != nil {
					t.Fatal(err)
				}
			},
			Config: long.HCL(t),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: planChecks{
				recordedComponents([]string{"arn", "security_group_id", "subnet_group_name", "parameter_group_name"}, nil, true),
				expectPriorState{addr: addr, check: func(v map[string]any, _ bool) error { firstARN, _ = v["arn"].(string); return nil }},
				plancheck.ExpectResourceAction(addr, plancheck.ResourceActionReplace),
			}},
			Check: resource.ComposeAggregateTestCheckFunc(checkHardened(t, name), func(*terraform.State) error {
				// One of each: the tainted stack's components were deleted before the new ones.
				left := emulatorLeftovers(t, name)
				var groups, sgs int
				for _, l := range left {
					switch {
					case strings.HasPrefix(l, "replication-group/"):
						groups++
					case strings.HasPrefix(l, "security-group/"):
						sgs++
					}
				}
				if groups != 1 || sgs != 1 {
					return fmt.Errorf("after the replacement the emulator has %d replication groups and %d security groups: %v", groups, sgs, left)
				}
				reqs := requests(t)
				if n := countFor(reqs, "DeleteReplicationGroup", name, false); n == 0 {
					return fmt.Errorf("the tainted replication group was not deleted (no DeleteReplicationGroup)")
				}
				if firstARN == "" {
					return fmt.Errorf("the tainted stack's ARN was not recorded")
				}
				return nil
			}),
		},
	}))
}

// countFor counts log entries of an operation on a resource (failed ones too when withErrors).
func countFor(reqs []acctest.Request, op, resource string, onlyErrors bool) int {
	n := 0
	for _, r := range reqs {
		if r.Operation == op && (resource == "" || r.Resource == resource) && (!onlyErrors || r.Status >= 400) {
			n++
		}
	}
	return n
}

// TestAccStackFaults_deleteRetriesWhileSecurityGroupInUse: at destroy the stack's security
// group is still attached to a cache (another cache cluster someone put in it, itself slowly
// being deleted), so DeleteSecurityGroup answers DependencyViolation. Destroy retries until the
// group is released and then leaves nothing.
func TestAccStackFaults_deleteRetriesWhileSecurityGroupInUse(t *testing.T) {
	e, name := faultTest(t, "acc-fault-depend")
	other := name + "-other"
	ctx := context.Background()
	t.Cleanup(func() {
		_ = e.SetDelays(context.Background(), acctest.EmulatorOptions{})
		_, _ = clients(t).ec.DeleteCacheCluster(context.Background(), &elasticache.DeleteCacheClusterInput{CacheClusterId: aws.String(other)})
	})
	cfg := faultStack(name)
	var sgID string
	released := make(chan error, 1)
	resource.Test(t, stackCase(t, checkNothingLeft(t, name), []resource.TestStep{
		{
			Config: cfg.HCL(t),
			Check: func(s *terraform.State) error {
				sgID = s.RootModule().Resources[addr].Primary.Attributes["security_group_id"]
				return nil
			},
		},
		{
			PreConfig: func() {
				c := clients(t)
				if _, err := c.ec.CreateCacheCluster(ctx, &elasticache.CreateCacheClusterInput{
					CacheClusterId: aws.String(other), Engine: aws.String("valkey"), CacheNodeType: aws.String("cache.t4g.micro"),
					NumCacheNodes: aws.Int32(1), SecurityGroupIds: []string{sgID},
				}); err != nil {
					t.Fatalf("attach another cache to the stack's security group: %v", err)
				}
				// The replication group and the other cache take 3 s to go away.
				if err := e.SetDelays(ctx, acctest.EmulatorOptions{DeleteDelay: 3 * time.Second}); err != nil {
					t.Fatal(err)
				}
				if err := e.ResetRequests(ctx); err != nil {
					t.Fatal(err)
				}
				// Once destroy has hit the dependency, the other cache is deleted (and stays
				// in `deleting`, still holding the group, for the delete delay).
				go func() {
					deadline := time.Now().Add(2 * time.Minute)
					for time.Now().Before(deadline) {
						if countFor(requests(t), "DeleteSecurityGroup", sgID, true) > 0 {
							_, err := c.ec.DeleteCacheCluster(context.Background(), &elasticache.DeleteCacheClusterInput{CacheClusterId: aws.String(other)})
							released <- err
							return
						}
						time.Sleep(100 * time.Millisecond)
					}
					_, _ = c.ec.DeleteCacheCluster(context.Background(), &elasticache.DeleteCacheClusterInput{CacheClusterId: aws.String(other)})
					released <- fmt.Errorf("destroy never tried to delete security group %s while it was in use", sgID)
				}()
			},
			Config:  cfg.HCL(t),
			Destroy: true,
			Check: func(*terraform.State) error {
				if err := <-released; err != nil {
					return err
				}
				reqs := requests(t)
				violations, deletes := 0, 0
				var last acctest.Request
				for _, r := range reqs {
					if r.Operation == "DeleteSecurityGroup" && r.Resource == sgID {
						deletes++
						last = r
						if r.ErrorCode == "DependencyViolation" {
							violations++
						}
					}
				}
				t.Logf("DeleteSecurityGroup %s: %d attempts, %d DependencyViolation", sgID, deletes, violations)
				if violations == 0 || last.Status != 200 {
					return fmt.Errorf("want DependencyViolation answers then a successful delete; got %d attempts, %d violations, last %+v", deletes, violations, last)
				}
				return nil
			},
		},
	}))
}

// cliEnv is the environment `terraform` gets in NewWorkdir, for commands the test runs itself.
func cliEnv(t *testing.T, extra ...string) []string {
	return append(append(os.Environ(), "TF_CLI_CONFIG_FILE="+acctest.MirrorCLIConfig(t), "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1"), extra...)
}

// faultVersions makes the CLI install cachestack/elasticache from the local mirror.
const faultVersions = `
terraform {
  required_providers {
    elasticache = { source = "cachestack/elasticache" }
  }
}
`

// providerChildren returns the provider plugin processes started by terraform process pid.
func providerChildren(pid int) []int {
	entries, _ := os.ReadDir("/proc")
	var out []int
	for _, e := range entries {
		child, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		status, err := os.ReadFile(filepath.Join("/proc", e.Name(), "status"))
		if err != nil || !strings.Contains(string(status), fmt.Sprintf("\nPPid:\t%d\n", pid)) {
			continue
		}
		cmdline, _ := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline"))
		if strings.Contains(string(cmdline), "terraform-provider-elasticache") {
			out = append(out, child)
		}
	}
	return out
}

// stateResource reads one resource's attributes from terraform.tfstate (nil when absent).
func stateResource(t *testing.T, w *acctest.Workdir, address string) map[string]any {
	t.Helper()
	var st struct {
		Resources []struct {
			Type, Name string
			Instances  []struct {
				IndexKey   any            `json:"index_key"`
				Status     string         `json:"status"`
				Attributes map[string]any `json:"attributes"`
			} `json:"instances"`
		} `json:"resources"`
	}
	if err := json.Unmarshal([]byte(w.ReadFile("terraform.tfstate")), &st); err != nil {
		t.Fatalf("read state: %v", err)
	}
	for _, r := range st.Resources {
		if "elasticache_stack."+r.Name == address && len(r.Instances) > 0 {
			return r.Instances[0].Attributes
		}
	}
	return nil
}

// TestAccStackFaults_providerKilledMidApply: the provider process dies (SIGKILL) while the
// replication group is being created. The next apply adopts every component the dead process
// created (by their owner tag) instead of failing on "already exists" or creating duplicates,
// and destroy leaves nothing.
func TestAccStackFaults_providerKilledMidApply(t *testing.T) {
	e, name := faultTest(t, "acc-fault-killed")
	ctx := context.Background()
	t.Cleanup(func() { _ = e.SetDelays(context.Background(), acctest.EmulatorOptions{}) })
	w := acctest.NewWorkdir(t, map[string]string{"main.tf": faultStack(name).HCL(t), "versions.tf": faultVersions})
	if err := e.SetDelays(ctx, acctest.EmulatorOptions{CreateDelay: 10 * time.Second}); err != nil {
		t.Fatal(err)
	}
	if err := e.ResetRequests(ctx); err != nil {
		t.Fatal(err)
	}

	apply := exec.Command("terraform", "apply", "-auto-approve", "-input=false", "-no-color")
	apply.Dir, apply.Env = w.Dir, cliEnv(t)
	apply.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	var out strings.Builder
	apply.Stdout, apply.Stderr = &out, &out
	if err := apply.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	var applyErr error
	go func() { applyErr = apply.Wait(); close(exited) }()
	t.Cleanup(func() { // never leave our terraform (or its provider) behind
		select {
		case <-exited:
		default:
			_ = syscall.Kill(-apply.Process.Pid, syscall.SIGKILL)
			<-exited
		}
	})

	killed := false
	deadline := time.Now().Add(90 * time.Second)
	for !killed && time.Now().Before(deadline) {
		select {
		case <-exited:
			t.Fatalf("apply ended before the provider could be killed (err=%v):\n%s", applyErr, out.String())
		case <-time.After(100 * time.Millisecond):
		}
		if countFor(requests(t), "CreateReplicationGroup", name, false) == 0 {
			continue
		}
		pids := providerChildren(apply.Process.Pid)
		if len(pids) == 0 {
			continue
		}
		for _, pid := range pids {
			if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
				t.Fatalf("kill provider %d: %v", pid, err)
			}
			t.Logf("killed provider process %d while %s was creating", pid, name)
		}
		killed = true
	}
	if !killed {
		t.Fatalf("CreateReplicationGroup never appeared in the request log:\n%s", out.String())
	}
	<-exited
	if applyErr == nil {
		t.Fatalf("apply succeeded although its provider was killed:\n%s", out.String())
	}
	if i := strings.Index(out.String(), "Error:"); i >= 0 {
		t.Logf("interrupted apply: %s", strings.Join(strings.Fields(out.String()[i:]), " "))
	}
	if err := emulatorHas(t, name, "replication-group/"+name, "security-group/", "subnet-group/"+name, "parameter-group/"+name); err != nil {
		t.Fatal(err)
	}
	if err := e.SetDelays(ctx, acctest.EmulatorOptions{}); err != nil {
		t.Fatal(err)
	}

	// The next apply converges on what exists.
	second := w.Must("apply", "-auto-approve", "-input=false", "-no-color")
	if !strings.Contains(second, "Apply complete!") {
		t.Fatalf("second apply:\n%s", second)
	}
	// Each component was created once; the second apply met "already exists" (or found the
	// component first) and adopted it.
	reqs := requests(t)
	for _, op := range []string{"CreateSecurityGroup", "CreateCacheSubnetGroup", "CreateCacheParameterGroup", "CreateReplicationGroup"} {
		created, refused := 0, 0
		for _, r := range reqs {
			if r.Operation == op && r.Status < 400 {
				created++
			} else if r.Operation == op {
				refused++
			}
		}
		t.Logf("%s: %d created, %d refused as already existing", op, created, refused)
		if created != 1 {
			t.Errorf("%s succeeded %d times: want exactly one component", op, created)
		}
	}
	left := emulatorLeftovers(t, name)
	sgs := 0
	for _, l := range left {
		if strings.HasPrefix(l, "security-group/") {
			sgs++
		}
	}
	if sgs != 1 {
		t.Errorf("the emulator has %d security groups for the stack: %v", sgs, left)
	}
	attrs := stateResource(t, w, addr)
	if attrs == nil || attrs["arn"] == nil || attrs["security_group_id"] == nil || attrs["primary_endpoint"] == nil {
		t.Fatalf("state after the second apply: %v", attrs)
	}
	if err := checkHardened(t, name)(nil); err != nil {
		t.Error(err)
	}
	if plan := w.Must("plan", "-detailed-exitcode", "-input=false", "-no-color"); !strings.Contains(plan, "No changes.") {
		t.Errorf("the converged stack still plans changes:\n%s", plan)
	}

	w.Must("destroy", "-auto-approve", "-input=false", "-no-color")
	if err := checkNothingLeft(t, name)(nil); err != nil {
		t.Fatal(err)
	}
}

// TestAccStackFaults_twentyStacksInParallel: 20 stacks in one apply with -parallelism=10 all
// succeed with their own names and tags (no cross-talk), and destroy leaves nothing.
func TestAccStackFaults_twentyStacksInParallel(t *testing.T) {
	acctest.PreCheck(t)
	if testing.Short() {
		t.Skip("20 stacks take a while; run without -short")
	}
	t.Parallel()
	logDuration(t)
	const count = 20
	n := acctest.Network(t)
	prefix := acctest.RandomName("acc-many")
	// Twenty literal blocks rather than count/for_each: per-instance values (count.index,
	// each.key) are unknown when the provider validates the configuration, which
	// TestAccStack_valuesKnownOnlyAtApply covers.
	var hcl strings.Builder
	for i := 0; i < count; i++ {
		fmt.Fprintf(&hcl, `
resource "elasticache_stack" "s%[1]d" {
  name = "%[5]s-%[1]d"
  network = {
    subnet_ids                 = %[2]s
    allowed_security_group_ids = [%[3]q]
  }
  provisioned = {
    node_type          = "cache.t4g.medium"
    replicas_per_shard = 1
  }
  tags = {
    stack_index = "%[1]d"
    team        = "team-%[4]d"
  }
}
`, i, acctest.HCLList(n.SubnetIDs), n.AppGroupID, i%3, prefix)
	}
	w := acctest.NewWorkdir(t, map[string]string{"main.tf": hcl.String(), "versions.tf": faultVersions})
	start := time.Now()
	w.Must("apply", "-auto-approve", "-input=false", "-no-color", "-parallelism=10")
	t.Logf("apply of %d stacks took %s", count, time.Since(start).Round(100*time.Millisecond))

	c := clients(t)
	cfg, err := acctest.AWSConfigFromEnv(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	cw := cloudwatch.NewFromConfig(cfg)
	ctx := context.Background()
	for i := 0; i < count; i++ {
		name := fmt.Sprintf("%s-%d", prefix, i)
		want := map[string]string{"stack_index": strconv.Itoa(i), "team": fmt.Sprintf("team-%d", i%3), "elasticache-stack": name}
		if err := checkOwnStack(ctx, c, cw, name, want); err != nil {
			t.Errorf("stack %s: %v", name, err)
		}
		if err := checkHardened(t, name)(nil); err != nil {
			t.Errorf("stack %s: %v", name, err)
		}
	}

	start = time.Now()
	w.Must("destroy", "-auto-approve", "-input=false", "-no-color", "-parallelism=10")
	t.Logf("destroy of %d stacks took %s", count, time.Since(start).Round(100*time.Millisecond))
	for i := 0; i < count; i++ {
		if left := emulatorLeftovers(t, fmt.Sprintf("%s-%d", prefix, i)); len(left) > 0 {
			t.Errorf("left behind: %v", left)
		}
	}
}

// checkOwnStack verifies one stack of many through the API: its replication group, members,
// parameter and subnet groups, security group and alarms all carry its own name and tags, and
// its alarms watch its own members only.
func checkOwnStack(ctx context.Context, c awsClients, cw *cloudwatch.Client, name string, want map[string]string) error {
	tagsMatch := func(what string, got map[string]string) error {
		for k, v := range want {
			if got[k] != v {
				return fmt.Errorf("%s: tag %s = %q, want %q (all: %v)", what, k, got[k], v, got)
			}
		}
		return nil
	}
	rgs, err := c.ec.DescribeReplicationGroups(ctx, &elasticache.DescribeReplicationGroupsInput{ReplicationGroupId: aws.String(name)})
	if err != nil {
		return err
	}
	rg := rgs.ReplicationGroups[0]
	if aws.ToString(rg.Status) != "available" {
		return fmt.Errorf("replication group is %s", aws.ToString(rg.Status))
	}
	members := map[string]bool{}
	for _, m := range rg.MemberClusters {
		if !strings.HasPrefix(m, name+"-") {
			return fmt.Errorf("member %s belongs to another stack", m)
		}
		members[m] = true
	}
	sgs, err := c.ec.DescribeCacheSubnetGroups(ctx, &elasticache.DescribeCacheSubnetGroupsInput{CacheSubnetGroupName: aws.String(name)})
	if err != nil {
		return err
	}
	pgs, err := c.ec.DescribeCacheParameterGroups(ctx, &elasticache.DescribeCacheParameterGroupsInput{CacheParameterGroupName: aws.String(name)})
	if err != nil {
		return err
	}
	arns := map[string]*string{"replication group": rg.ARN, "subnet group": sgs.CacheSubnetGroups[0].ARN, "parameter group": pgs.CacheParameterGroups[0].ARN}
	for component, arn := range arns {
		tags, err := resourceTags(ctx, c, aws.ToString(arn))
		if err == nil {
			err = tagsMatch(component, tags)
		}
		if err != nil {
			return err
		}
	}
	ccs, err := c.ec.DescribeCacheClusters(ctx, &elasticache.DescribeCacheClustersInput{CacheClusterId: aws.String(rg.MemberClusters[0])})
	if err != nil {
		return err
	}
	cc := ccs.CacheClusters[0]
	if aws.ToString(cc.ReplicationGroupId) != name || aws.ToString(cc.CacheParameterGroup.CacheParameterGroupName) != name || aws.ToString(cc.CacheSubnetGroupName) != name {
		return fmt.Errorf("member %s is wired to group %s, parameter group %s, subnet group %s", aws.ToString(cc.CacheClusterId),
			aws.ToString(cc.ReplicationGroupId), aws.ToString(cc.CacheParameterGroup.CacheParameterGroupName), aws.ToString(cc.CacheSubnetGroupName))
	}
	groups, err := c.ec2.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{Filters: []ec2types.Filter{{Name: aws.String("group-name"), Values: []string{"elasticache-" + name}}}})
	if err != nil {
		return err
	}
	if len(groups.SecurityGroups) != 1 || len(cc.SecurityGroups) != 1 || aws.ToString(cc.SecurityGroups[0].SecurityGroupId) != aws.ToString(groups.SecurityGroups[0].GroupId) {
		return fmt.Errorf("security group: %d named elasticache-%s, member uses %+v", len(groups.SecurityGroups), name, cc.SecurityGroups)
	}
	sgTags := map[string]string{}
	for _, t := range groups.SecurityGroups[0].Tags {
		sgTags[aws.ToString(t.Key)] = aws.ToString(t.Value)
	}
	if err := tagsMatch("security group", sgTags); err != nil {
		return err
	}
	alarms, err := cw.DescribeAlarms(ctx, &cloudwatch.DescribeAlarmsInput{AlarmNamePrefix: aws.String("elasticache/" + name + "/")})
	if err != nil {
		return err
	}
	if len(alarms.MetricAlarms) == 0 {
		return fmt.Errorf("no alarms")
	}
	for _, a := range alarms.MetricAlarms {
		for _, d := range a.Dimensions {
			v := aws.ToString(d.Value)
			if (aws.ToString(d.Name) == "CacheClusterId" && !members[v]) || (aws.ToString(d.Name) == "ReplicationGroupId" && v != name) {
				return fmt.Errorf("alarm %s watches %s=%s of another stack", aws.ToString(a.AlarmName), aws.ToString(d.Name), v)
			}
		}
		out, err := cw.ListTagsForResource(ctx, &cloudwatch.ListTagsForResourceInput{ResourceARN: a.AlarmArn})
		if err != nil {
			return err
		}
		at := map[string]string{}
		for _, t := range out.Tags {
			at[aws.ToString(t.Key)] = aws.ToString(t.Value)
		}
		if err := tagsMatch("alarm "+aws.ToString(a.AlarmName), at); err != nil {
			return err
		}
	}
	return nil
}
