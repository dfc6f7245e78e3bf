//go:build tools

// Package tools pins the generators and linters this repository uses. Nothing imports it; the
// blank imports keep the tools in go.mod so `go build` from this directory gets the pinned
// versions. See the GNUmakefile for the build commands.
package tools

import (
	// Documentation generation.
	_ "github.com/hashicorp/terraform-plugin-docs/cmd/tfplugindocs"
	// Module README generation.
	_ "github.com/terraform-docs/terraform-docs"

	// Go linting.
	_ "github.com/golangci/golangci-lint/v2/cmd/golangci-lint"
	// Terraform linting for examples and modules.
	_ "github.com/terraform-linters/tflint"

	// Release packaging (goreleaser release --snapshot --clean --skip=sign).
	_ "github.com/goreleaser/goreleaser/v2"
)
