package provider

import (
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
)

// checkAccountAllowed applies allowed_account_ids / forbidden_account_ids to the account STS
// GetCallerIdentity reported, with hashicorp/aws's meaning: a forbidden account, or one
// missing from a non-empty allow list, fails Configure. Nothing else has been called yet, so
// the wrong account sees no ElastiCache, EC2 or CloudWatch request. An unknown account (the
// call was skipped or failed under skip_credentials_validation) cannot pass an allow list.
func checkAccountAllowed(pc providerConfig, accountID, credentialSource string) diag.Diagnostics {
	var diags diag.Diagnostics
	if len(pc.AllowedAccountIDs) == 0 && len(pc.ForbiddenAccountIDs) == 0 {
		return diags
	}
	how := fmt.Sprintf("\n\nCredential source: %s\nThe provider stopped before calling ElastiCache, EC2 or CloudWatch. "+
		"Use credentials (profile, role) for the intended account, or correct the list.", credentialSource)
	switch {
	case accountID == "":
		attr := "allowed_account_ids"
		if len(pc.AllowedAccountIDs) == 0 {
			attr = "forbidden_account_ids"
		}
		diags.AddAttributeError(path.Root(attr), "AWS account ID unknown",
			fmt.Sprintf("%s needs the AWS account ID of the credentials, and it could not be determined "+
				"(skip_requesting_account_id, or STS GetCallerIdentity failed).%s", attr, how))
	case slices.Contains(pc.ForbiddenAccountIDs, accountID):
		diags.AddAttributeError(path.Root("forbidden_account_ids"), "AWS account ID not allowed",
			fmt.Sprintf("The credentials belong to AWS account %s, which forbidden_account_ids lists.%s", accountID, how))
	case len(pc.AllowedAccountIDs) > 0 && !slices.Contains(pc.AllowedAccountIDs, accountID):
		allowed := slices.Sorted(slices.Values(pc.AllowedAccountIDs))
		diags.AddAttributeError(path.Root("allowed_account_ids"), "AWS account ID not allowed",
			fmt.Sprintf("The credentials belong to AWS account %s; allowed_account_ids permits only %s.%s",
				accountID, strings.Join(allowed, ", "), how))
	}
	return diags
}
