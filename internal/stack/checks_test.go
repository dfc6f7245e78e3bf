package stack_test

// The acceptance tests' vocabulary for what a step expects of elasticache_stack.test: values
// in the plan and in state by dotted attribute path ("provisioned.node_type"), the planned
// action, and the steps every lifecycle test repeats (import, forget and re-import, the
// second plan that must be empty, configurations refused at plan).

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/cachestack/terraform-provider-elasticache/internal/acctest"
)

const addr = "elasticache_stack.test"

// stateChecks and planChecks name the check lists of a step.
type (
	stateChecks = []statecheck.StateCheck
	planChecks  = []plancheck.PlanCheck
)

// Values a check compares with, beside the plain Go values value accepts.
var (
	null    = knownvalue.Null()
	notNull = knownvalue.NotNull()
)

// size is a list of n elements.
func size(n int) knownvalue.Check { return knownvalue.ListSizeExact(n) }

// attrPath turns "a.b.c" into the JSON path a -> b -> c (attribute, then object or map keys;
// a number is a list index: "recommendations.0.kind").
func attrPath(attr string) tfjsonpath.Path {
	parts := strings.Split(attr, ".")
	p := tfjsonpath.New(parts[0])
	for _, k := range parts[1:] {
		if i, err := strconv.Atoi(k); err == nil {
			p = p.AtSliceIndex(i)
		} else {
			p = p.AtMapKey(k)
		}
	}
	return p
}

// value is the exact check of a string, an integer, a float, a bool or a list of strings; a
// knownvalue.Check is used as it is.
func value(want any) knownvalue.Check {
	switch w := want.(type) {
	case knownvalue.Check:
		return w
	case string:
		return knownvalue.StringExact(w)
	case int:
		return knownvalue.Int64Exact(int64(w))
	case int64:
		return knownvalue.Int64Exact(w)
	case float64:
		return knownvalue.Float64Exact(w)
	case bool:
		return knownvalue.Bool(w)
	case []string:
		return knownvalue.ListExact(stringChecks(w...))
	}
	panic(fmt.Sprintf("no knownvalue check for %T", want))
}

func stringChecks(values ...string) []knownvalue.Check {
	out := make([]knownvalue.Check, len(values))
	for i, v := range values {
		out[i] = knownvalue.StringExact(v)
	}
	return out
}

// inState expects the stack's attribute in state to be want (see value).
func inState(attr string, want any) statecheck.StateCheck {
	return statecheck.ExpectKnownValue(addr, attrPath(attr), value(want))
}

// inPlan expects the planned value of the stack's attribute to be want (see value).
func inPlan(attr string, want any) plancheck.PlanCheck {
	return plancheck.ExpectKnownValue(addr, attrPath(attr), value(want))
}

// unknownInPlan expects the attribute to be known only after apply.
func unknownInPlan(attr string) plancheck.PlanCheck {
	return plancheck.ExpectUnknownValue(addr, attrPath(attr))
}

// expectAction expects the plan to take action on the stack, and the extra checks.
func expectAction(action plancheck.ResourceActionType, extra ...plancheck.PlanCheck) resource.ConfigPlanChecks {
	return resource.ConfigPlanChecks{PreApply: append(planChecks{plancheck.ExpectResourceAction(addr, action)}, extra...)}
}

func expectCreate(extra ...plancheck.PlanCheck) resource.ConfigPlanChecks {
	return expectAction(plancheck.ResourceActionCreate, extra...)
}

func expectUpdate(extra ...plancheck.PlanCheck) resource.ConfigPlanChecks {
	return expectAction(plancheck.ResourceActionUpdate, extra...)
}

// expectReplace expects destroy-then-create, the order of a stack (no create_before_destroy).
func expectReplace(extra ...plancheck.PlanCheck) resource.ConfigPlanChecks {
	return expectAction(plancheck.ResourceActionDestroyBeforeCreate, extra...)
}

func expectEmpty() resource.ConfigPlanChecks {
	return resource.ConfigPlanChecks{PreApply: planChecks{plancheck.ExpectEmptyPlan()}}
}

// change is the step that applies cfg, expecting the plan checks before and the state checks
// after.
func change(t *testing.T, cfg stackConfig, plan resource.ConfigPlanChecks, state ...statecheck.StateCheck) resource.TestStep {
	t.Helper()
	return resource.TestStep{Config: cfg.HCL(t), ConfigPlanChecks: plan, ConfigStateChecks: state}
}

// settled is the step after an apply: the same configuration again must plan nothing.
func settled(config string) resource.TestStep {
	return resource.TestStep{Config: config, ConfigPlanChecks: expectEmpty()}
}

// checkAll is a step check made of checks that need no state, run in order.
func checkAll(fns ...func() error) resource.TestCheckFunc {
	return func(*terraform.State) error {
		for _, fn := range fns {
			if err := fn(); err != nil {
				return err
			}
		}
		return nil
	}
}

// importVerify imports the stack by name and compares every attribute but ignore (and the
// timeouts) with the state the apply left.
func importVerify(name string, ignore ...string) resource.TestStep {
	return resource.TestStep{
		ResourceName:                         addr,
		ImportState:                          true,
		ImportStateId:                        name,
		ImportStateVerify:                    true,
		ImportStateVerifyIdentifierAttribute: "name",
		ImportStateVerifyIgnore:              append([]string{"timeouts"}, ignore...),
	}
}

// removedBlock drops the stack from state and leaves it in AWS (Terraform >= 1.7).
const removedBlock = `
removed {
  from = elasticache_stack.test
  lifecycle {
    destroy = false
  }
}
`

// importSteps imports the applied stack and compares it with state, then forgets it without
// destroying it (as if it had been built elsewhere), imports it by name again, keeps that
// state, and expects config to plan nothing against it.
func importSteps(name, config string) []resource.TestStep {
	return []resource.TestStep{
		importVerify(name),
		{Config: removedBlock},
		{Config: config, ResourceName: addr, ImportState: true, ImportStateId: name, ImportStatePersist: true},
		settled(config),
	}
}

// stackCase is the TestCase of an acceptance test here: the emulator pre-check, the provider
// served in-process, steps, and checkDestroy (what must be gone from AWS afterwards).
func stackCase(t *testing.T, checkDestroy resource.TestCheckFunc, steps []resource.TestStep) resource.TestCase {
	return resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             checkDestroy,
		Steps:                    steps,
	}
}

// refusal is a configuration the plan must refuse with an error matching expect (flexible).
type refusal struct {
	cfg    stackConfig
	expect string
}

// refusals are the plan-only steps of the cases, each expecting its error.
func refusals(t *testing.T, cases []refusal) []resource.TestStep {
	t.Helper()
	plans := make([]resource.TestStep, len(cases))
	for i, c := range cases {
		plans[i] = resource.TestStep{Config: c.cfg.HCL(t), PlanOnly: true, ExpectError: flexible(c.expect)}
	}
	return plans
}

// refusedAtPlan runs plan-only steps that must each fail, and asserts that none of them made a
// mutating call (invalid input fails at plan time; nothing is created). It runs serially: it
// reads the emulator's request log, which parallel tests would write to.
func refusedAtPlan(t *testing.T, plans []resource.TestStep) {
	t.Helper()
	resetLog(t)
	resource.Test(t, stackCase(t, nil, plans))
	expectNoMutatingCalls(t)
}

func resetLog(t *testing.T) {
	t.Helper()
	if acctest.Local != nil {
		if err := acctest.Local.ResetRequests(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
}

// expectNoMutatingCalls fails the test when the emulator saw a create/modify/delete since the
// last resetLog: a configuration refused at plan must change nothing.
func expectNoMutatingCalls(t *testing.T) {
	t.Helper()
	if acctest.Local == nil {
		return
	}
	reqs, err := acctest.Local.Requests(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if m := acctest.MutatingRequests(reqs); len(m) != 0 {
		t.Fatalf("a configuration refused at plan made %d mutating calls: %+v", len(m), m)
	}
}
