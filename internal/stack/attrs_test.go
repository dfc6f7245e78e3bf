package stack

import (
	"context"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/cachestack/terraform-provider-elasticache/internal/blueprint"
)

// TestAttrsAreSchemaAttributes: every blueprint.Attr names an attribute of the schema, so a
// path the plan points at exists.
func TestAttrsAreSchemaAttributes(t *testing.T) {
	var resp resource.SchemaResponse
	NewResource().Schema(context.Background(), resource.SchemaRequest{}, &resp)
	for _, a := range blueprint.Attrs {
		if _, diags := resp.Schema.AttributeAtPath(context.Background(), attributePath(a)); diags.HasError() {
			t.Errorf("blueprint.Attr %q is not an attribute of elasticache_stack: %v", a, diags)
		}
	}
}

// TestNoAttributePathLiterals: outside the schema and the constants themselves, attribute
// paths are named by blueprint.Attr constants, never by string literals (a typo in a literal
// would silently count as "known").
func TestNoAttributePathLiterals(t *testing.T) {
	paths := map[string]bool{}
	for _, a := range blueprint.Attrs {
		paths[a.String()] = true
	}
	allowed := map[string]bool{"attrs.go": true, "schema.go": true, "engines.go": true}
	var files []string
	for _, dir := range []string{".", "../blueprint", "../driver"} {
		matches, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, matches...)
	}
	fset := token.NewFileSet()
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") || allowed[filepath.Base(f)] {
			continue
		}
		file, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		schemaKeys := map[token.Pos]bool{}
		ast.Inspect(file, func(n ast.Node) bool {
			if isSchemaMap(n) {
				for _, e := range n.(*ast.CompositeLit).Elts {
					if kv, ok := e.(*ast.KeyValueExpr); ok {
						schemaKeys[kv.Key.Pos()] = true
					}
				}
			}
			lit, ok := n.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING || schemaKeys[lit.Pos()] {
				return true
			}
			if v, err := strconv.Unquote(lit.Value); err == nil && paths[v] {
				t.Errorf("%s: attribute path literal %s: use the blueprint.Attr constant", fset.Position(lit.Pos()), lit.Value)
			}
			return true
		})
	}
}

// isSchemaMap reports whether n is a map[string]schema.Attribute literal: its keys are the
// declarative schema, not paths.
func isSchemaMap(n ast.Node) bool {
	lit, ok := n.(*ast.CompositeLit)
	if !ok {
		return false
	}
	m, ok := lit.Type.(*ast.MapType)
	if !ok {
		return false
	}
	sel, ok := m.Value.(*ast.SelectorExpr)
	return ok && sel.Sel.Name == "Attribute"
}
