// Package tfvalidate builds the provider's own string validators (those that
// terraform-plugin-framework-validators has no equivalent for) from a description and a check,
// so each is its rule alone.
package tfvalidate

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// Check judges one known, non-null value of the attribute at p. It returns the error's summary
// and detail, or "" and "" when the value is valid.
type Check func(p path.Path, value string) (summary, detail string)

// String is a validator that describes itself as description and applies check to known,
// non-null values (null and unknown ones are judged once known, or not at all).
func String(description string, check Check) validator.String {
	return stringValidator{description, check}
}

type stringValidator struct {
	description string
	check       Check
}

func (v stringValidator) Description(context.Context) string { return v.description }

func (v stringValidator) MarkdownDescription(context.Context) string { return v.description }

func (v stringValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if summary, detail := v.check(req.Path, req.ConfigValue.ValueString()); summary != "" {
		resp.Diagnostics.AddAttributeError(req.Path, summary, detail)
	}
}
