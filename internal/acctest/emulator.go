package acctest

import "github.com/cachestack/terraform-provider-elasticache/emulator"

// The bundled emulator's launcher and control API live in package emulator, which the test/
// module, the benchmark and cmd/emulator (the scripts) share; these names keep the acceptance
// tests short.
type (
	Emulator        = emulator.Emulator
	EmulatorOptions = emulator.Options
	Request         = emulator.Request
	FaultRule       = emulator.FaultRule
	Resource        = emulator.Resource
	Resources       = emulator.Resources
)

// RejectedAccessKeyID is the access key id the emulator refuses in every service.
const RejectedAccessKeyID = emulator.RejectedAccessKeyID

// CountRequests counts the log entries for one service and operation ("" or "*" matches any).
func CountRequests(reqs []Request, service, operation string) int {
	return emulator.CountRequests(reqs, service, operation)
}

// MutatingRequests returns the entries of calls that change something.
func MutatingRequests(reqs []Request) []Request { return emulator.MutatingRequests(reqs) }
