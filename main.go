// Copyright (c) cachestack
// SPDX-License-Identifier: MPL-2.0

package main

import (
	"context"
	"flag"
	"log"
	"os"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/cachestack/terraform-provider-elasticache/internal/provider"
)

// Run "make generate" to format example Terraform files and generate the docs
// for the registry/website (see GNUmakefile).

// version is set by goreleaser through -ldflags "-X main.version=...".
var version = "dev"

func main() {
	var debug bool

	flag.BoolVar(&debug, "debug", false, "set to true to run the provider with support for debuggers like delve")
	flag.Parse()
	quietSDKLogsUnlessAsked()

	opts := providerserver.ServeOpts{
		Address: "registry.terraform.io/cachestack/elasticache",
		Debug:   debug,
	}

	if err := providerserver.Serve(context.Background(), provider.New(version), opts); err != nil {
		log.Fatal(err.Error())
	}
}

// quietSDKLogsUnlessAsked turns off the plugin SDKs' own trace logs when no TF_LOG variable
// asks for logs. Without this they are written for every attribute of every resource whatever
// the level, and Terraform parses them: a third of the CPU of a large plan. The provider's own
// logs are unaffected.
func quietSDKLogsUnlessAsked() {
	for _, v := range []string{"TF_LOG", "TF_LOG_PROVIDER", "TF_LOG_SDK", "TF_LOG_SDK_FRAMEWORK", "TF_LOG_SDK_PROTO"} {
		if os.Getenv(v) != "" {
			return
		}
	}
	for _, v := range []string{"TF_LOG_SDK_FRAMEWORK", "TF_LOG_SDK_PROTO"} {
		_ = os.Setenv(v, "off")
	}
}
