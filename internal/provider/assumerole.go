package provider

import (
	"maps"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	ststypes "github.com/aws/aws-sdk-go-v2/service/sts/types"
)

// applyRoleCredentials replaces cfg's credentials with role credentials, as hashicorp/aws
// does: first assume_role_with_web_identity (an OIDC token; the call is unsigned, so the base
// credentials may be absent), then assume_role, signed with whatever came before. Both are the
// SDK's stscreds providers behind a credentials cache, so sessions refresh by themselves.
func applyRoleCredentials(cfg *aws.Config, pc providerConfig, stsURL string) {
	newSTS := func() *sts.Client {
		return sts.NewFromConfig(*cfg, func(o *sts.Options) {
			if stsURL != "" {
				o.BaseEndpoint = aws.String(stsURL)
				o.EndpointOptions.UseFIPSEndpoint = aws.FIPSEndpointStateUnset
			}
		})
	}
	if wi := pc.WebIdentity; wi != nil {
		var token stscreds.IdentityTokenRetriever = stscreds.IdentityTokenFile(wi.WebIdentityTokenFile)
		if wi.WebIdentityToken != "" {
			token = inlineToken(wi.WebIdentityToken)
		}
		p := stscreds.NewWebIdentityRoleProvider(cappedSTS{newSTS()}, wi.RoleARN, token, func(o *stscreds.WebIdentityRoleOptions) {
			o.RoleSessionName = orDefault(wi.SessionName, defaultAssumeRoleSessionName)
			o.Duration = wi.Duration
			if wi.Policy != "" {
				o.Policy = aws.String(wi.Policy)
			}
			o.PolicyARNs = policyDescriptors(wi.PolicyARNs)
		})
		cfg.Credentials = aws.NewCredentialsCache(p)
	}
	if ar := pc.AssumeRole; ar != nil {
		p := stscreds.NewAssumeRoleProvider(cappedSTS{newSTS()}, ar.RoleARN, func(o *stscreds.AssumeRoleOptions) {
			o.RoleSessionName = orDefault(ar.SessionName, defaultAssumeRoleSessionName)
			if ar.ExternalID != "" {
				o.ExternalID = aws.String(ar.ExternalID)
			}
			if ar.Duration > 0 {
				o.Duration = ar.Duration
			}
			if ar.Policy != "" {
				o.Policy = aws.String(ar.Policy)
			}
			if ar.SourceIdentity != "" {
				o.SourceIdentity = aws.String(ar.SourceIdentity)
			}
			o.PolicyARNs = policyDescriptors(ar.PolicyARNs)
			o.TransitiveTagKeys = ar.TransitiveTagKeys
			for _, k := range slices.Sorted(maps.Keys(ar.Tags)) {
				o.Tags = append(o.Tags, ststypes.Tag{Key: aws.String(k), Value: aws.String(ar.Tags[k])})
			}
		})
		cfg.Credentials = aws.NewCredentialsCache(p)
	}
}

func policyDescriptors(arns []string) []ststypes.PolicyDescriptorType {
	var out []ststypes.PolicyDescriptorType
	for _, a := range arns {
		out = append(out, ststypes.PolicyDescriptorType{Arn: aws.String(a)})
	}
	return out
}

// inlineToken is a web_identity_token given in the provider block.
type inlineToken string

func (t inlineToken) GetIdentityToken() ([]byte, error) { return []byte(t), nil }
