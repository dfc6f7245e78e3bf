package provider

import (
	"bytes"
	"crypto/tls"
	"fmt"
	"net/http"
	"net/url"
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"golang.org/x/net/http/httpproxy"

	"github.com/cachestack/terraform-provider-elasticache/internal/tfvalidate"
)

// httpLoadOptions returns the SDK load options for http_proxy, https_proxy, no_proxy,
// insecure, custom_ca_bundle and use_fips_endpoint. Every client shares one SDK
// BuildableClient, so the SDK keeps its own transport defaults (timeouts, connection reuse)
// and applies the CA bundle (this one, AWS_CA_BUNDLE or the profile's ca_bundle) to it.
func httpLoadOptions(pc providerConfig, getenv func(string) string) ([]func(*awsconfig.LoadOptions) error, diag.Diagnostics) {
	var diags diag.Diagnostics
	proxy := proxyConfig(pc, getenv)
	insecure := pc.Insecure
	client := awshttp.NewBuildableClient().WithTransportOptions(func(tr *http.Transport) {
		tr.Proxy = func(req *http.Request) (*url.URL, error) { return proxy.ProxyFunc()(req.URL) }
		if insecure {
			if tr.TLSClientConfig == nil {
				tr.TLSClientConfig = &tls.Config{MinVersion: tls.VersionTLS12}
			}
			tr.TLSClientConfig.InsecureSkipVerify = true //nolint:gosec // the user asked for it with insecure = true
		}
	})
	opts := []func(*awsconfig.LoadOptions) error{awsconfig.WithHTTPClient(client)}
	if pc.CustomCABundle != "" {
		file := expandHome(pc.CustomCABundle)
		pem, err := os.ReadFile(file)
		if err != nil {
			diags.AddAttributeError(path.Root("custom_ca_bundle"), "Cannot read custom_ca_bundle",
				fmt.Sprintf("custom_ca_bundle = %q: %s. Give the path of a PEM file of CA certificates.", pc.CustomCABundle, err))
			return nil, diags
		}
		opts = append(opts, awsconfig.WithCustomCABundle(bytes.NewReader(pem)))
	}
	if pc.UseFIPSEndpoint {
		opts = append(opts, awsconfig.WithUseFIPSEndpoint(aws.FIPSEndpointStateEnabled))
	}
	return opts, diags
}

// proxyConfig is the environment's proxy settings (HTTP_PROXY, HTTPS_PROXY, NO_PROXY and their
// lower-case forms) overridden by the provider block. As in hashicorp/aws (aws-sdk-go-base's
// legacy proxy mode), http_proxy also serves HTTPS unless an HTTPS proxy is set somewhere.
func proxyConfig(pc providerConfig, getenv func(string) string) *httpproxy.Config {
	c := &httpproxy.Config{
		HTTPProxy:  firstEnv(getenv, "HTTP_PROXY", "http_proxy"),
		HTTPSProxy: firstEnv(getenv, "HTTPS_PROXY", "https_proxy"),
		NoProxy:    firstEnv(getenv, "NO_PROXY", "no_proxy"),
		CGI:        getenv("REQUEST_METHOD") != "",
	}
	if pc.HTTPProxy != nil {
		c.HTTPProxy = *pc.HTTPProxy
		if c.HTTPSProxy == "" {
			c.HTTPSProxy = *pc.HTTPProxy
		}
	}
	if pc.HTTPSProxy != nil {
		c.HTTPSProxy = *pc.HTTPSProxy
	}
	if pc.NoProxy != "" {
		c.NoProxy = pc.NoProxy
	}
	return c
}

func firstEnv(getenv func(string) string, names ...string) string {
	for _, n := range names {
		if v := getenv(n); v != "" {
			return v
		}
	}
	return ""
}

// proxyURLValidator checks that a proxy is an absolute http(s) URL.
func proxyURLValidator() validator.String {
	return tfvalidate.String("value must be an absolute http:// or https:// URL", func(p path.Path, value string) (string, string) {
		u, err := url.Parse(value)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return "Invalid proxy URL", fmt.Sprintf("%s = %q is not an absolute proxy URL. Use one such as http://proxy.internal:3128.", p, value)
		}
		return "", ""
	})
}
