package test

import (
	"context"
	"errors"

	"github.com/cachestack/terraform-provider-elasticache/emulator"
)

// emulatorResources lists everything that exists at an emulator endpoint, "kind/id" (and
// "security-group/id (name)" for security groups). ok is false when the endpoint has no control
// API (LocalStack, AWS).
func emulatorResources(ctx context.Context, endpoint string) (items []string, ok bool, err error) {
	res, err := emulator.Connect(endpoint).Resources(ctx)
	var noControlAPI *emulator.StatusError
	if errors.As(err, &noControlAPI) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	items = res.All()
	for _, sg := range res.SecurityGroups {
		items = append(items, "security-group/"+sg.ID+" ("+sg.Name+")")
	}
	return items, true, nil
}
