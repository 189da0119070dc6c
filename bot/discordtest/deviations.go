package discordtest

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"golang.org/x/text/message"
)

// This file holds the one place where the fake accepts a body that Discord's
// OpenAPI description, read literally, rejects.
//
// Permission bit sets. Discord's documentation types
// default_member_permissions, a role's permissions and an overwrite's
// allow/deny as strings ("Set of permissions represented as a bit set",
// e.g. "32"); the description types them as integers, and its README says
// the API accepts an integer-parseable string for such fields. discordgo
// sends default_member_permissions as a string. So, for request fields of
// exactly these names that the description types as integer, a decimal
// string within the same bounds is accepted too; every other integer field
// still has to be a JSON number.
var permissionFields = []string{"default_member_permissions", "permissions", "allow", "deny"}

// decimalKeyword marks a schema that accepts an integer written as a decimal
// string; its value holds the integer schema's minimum and maximum.
const decimalKeyword = "x-discordtest-decimal-string"

func acceptDecimalPermissions(doc map[string]any) {
	components, _ := doc["components"].(map[string]any)
	schemas, _ := components["schemas"].(map[string]any)
	for _, s := range schemas {
		sch, _ := s.(map[string]any)
		props, _ := sch["properties"].(map[string]any)
		for _, name := range permissionFields {
			p, ok := props[name].(map[string]any)
			if !ok || !typeIncludes(p, "integer") {
				continue
			}
			bounds := map[string]any{}
			for _, k := range []string{"minimum", "maximum"} {
				if v, ok := p[k]; ok {
					bounds[k] = v
				}
			}
			props[name] = map[string]any{"anyOf": []any{
				p,
				map[string]any{"type": "string", decimalKeyword: bounds},
			}}
		}
	}
}

func typeIncludes(sch map[string]any, typ string) bool {
	switch t := sch["type"].(type) {
	case string:
		return t == typ
	case []any:
		return slices.Contains(t, any(typ))
	}
	return false
}

func decimalVocabulary() *jsonschema.Vocabulary {
	return &jsonschema.Vocabulary{
		URL:     "urn:discordtest:vocab:decimal-string",
		Compile: compileDecimal,
	}
}

func compileDecimal(_ *jsonschema.CompilerContext, obj map[string]any) (jsonschema.SchemaExt, error) {
	v, ok := obj[decimalKeyword]
	if !ok {
		return nil, nil
	}
	bounds, _ := v.(map[string]any)
	var d decimalString
	for k, dst := range map[string]**int64{"minimum": &d.min, "maximum": &d.max} {
		n, ok := bounds[k].(json.Number)
		if !ok {
			continue
		}
		i, err := n.Int64()
		if err != nil {
			return nil, fmt.Errorf("%s: %s %s is not an int64", decimalKeyword, k, n)
		}
		*dst = &i
	}
	return &d, nil
}

type decimalString struct{ min, max *int64 }

func (d *decimalString) Validate(ctx *jsonschema.ValidatorContext, v any) {
	s, ok := v.(string)
	if !ok {
		return
	}
	n, err := strconv.ParseInt(s, 10, 64)
	switch {
	case err != nil || strconv.FormatInt(n, 10) != s:
		ctx.AddError(&decimalError{got: s, reason: "is not a decimal integer"})
	case d.min != nil && n < *d.min:
		ctx.AddError(&decimalError{got: s, reason: fmt.Sprintf("is less than %d", *d.min)})
	case d.max != nil && n > *d.max:
		ctx.AddError(&decimalError{got: s, reason: fmt.Sprintf("is more than %d", *d.max)})
	}
}

type decimalError struct{ got, reason string }

func (*decimalError) KeywordPath() []string { return []string{decimalKeyword} }

func (e *decimalError) LocalizedString(*message.Printer) string {
	return fmt.Sprintf("%q %s", e.got, e.reason)
}
