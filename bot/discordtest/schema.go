package discordtest

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// specRelPath is where the repository's shared folder keeps Discord's
// OpenAPI description; loadSpec looks for it in every folder above the
// working directory, so it is found from any package's tests.
var specRelPath = filepath.Join("shared", "discord-api", "openapi.json")

// spec is Discord's OpenAPI description, with request-body schemas compiled
// on first use and cached by route. It is shared by every Server in the
// process (see loadSpec): doc and router are not changed after parseSpec,
// and the compiler and the cache are used only under mu.
type spec struct {
	doc      map[string]any
	location string
	router   *router

	mu       sync.Mutex
	compiler *jsonschema.Compiler
	schemas  map[string]*compiledBody
}

type compiledBody struct {
	schema   *jsonschema.Schema // nil when the route takes no JSON body
	required bool
	err      error
}

// embeddedSpec is a copy of shared/discord-api/openapi.json (with its MIT
// licence beside it), so the tests run from a clone that has no shared
// folder beside it.
//
//go:embed openapi/openapi.json
var embeddedSpec []byte

// specs holds each description loadSpec has parsed, by path ("" for the
// embedded copy). Parsing and compiling one takes tens of milliseconds and
// megabytes, and every test starts a Server of its own.
var specs = struct {
	mu     sync.Mutex
	byPath map[string]func() (*spec, error)
}{byPath: map[string]func() (*spec, error){}}

// loadSpec returns the shared folder's description (which the project
// keeps current), else the embedded copy, parsing each once per process.
func loadSpec() (*spec, error) {
	path := findSpec()
	specs.mu.Lock()
	load, ok := specs.byPath[path]
	if !ok {
		load = sync.OnceValues(func() (*spec, error) { return readSpec(path) })
		specs.byPath[path] = load
	}
	specs.mu.Unlock()
	return load()
}

func readSpec(path string) (*spec, error) {
	if path == "" {
		return parseSpec(bytes.NewReader(embeddedSpec), "/embedded/discord-api/openapi.json")
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("reading Discord's OpenAPI description: %w", err)
	}
	defer f.Close()
	return parseSpec(f, path)
}

func parseSpec(r io.Reader, abs string) (*spec, error) {
	doc, err := jsonschema.UnmarshalJSON(r)
	if err != nil {
		return nil, fmt.Errorf("parsing %s: %w", abs, err)
	}
	root, ok := doc.(map[string]any)
	if !ok || root["paths"] == nil {
		return nil, fmt.Errorf("%s is not an OpenAPI description", abs)
	}
	acceptDecimalPermissions(root)

	c := jsonschema.NewCompiler()
	// OpenAPI 3.1 schemas are JSON Schema 2020-12; the document has no
	// $schema of its own.
	c.DefaultDraft(jsonschema.Draft2020)
	// 2020-12 makes "format" an annotation; Discord does reject a bad
	// date-time or uri, so assert them, along with OpenAPI's int32/int64
	// and Discord's snowflake.
	c.AssertFormat()
	c.RegisterFormat(&jsonschema.Format{Name: "snowflake", Validate: validateSnowflake})
	c.RegisterFormat(intFormat("int32", 32))
	c.RegisterFormat(intFormat("int64", 64))
	c.RegisterVocabulary(decimalVocabulary())
	c.AssertVocabs()
	if err := c.AddResource(abs, root); err != nil {
		return nil, err
	}
	paths, _ := root["paths"].(map[string]any)
	return &spec{
		doc: root, location: abs, router: newRouter(slices.Collect(maps.Keys(paths))),
		compiler: c, schemas: map[string]*compiledBody{},
	}, nil
}

// findSpec returns the absolute path of the shared folder's description
// in the working directory or above, or "" if there is none.
func findSpec() string {
	wd, err := os.Getwd()
	if err != nil {
		return ""
	}
	for dir := wd; ; dir = filepath.Dir(dir) {
		p := filepath.Join(dir, specRelPath)
		if _, err := os.Stat(p); err == nil {
			return p
		}
		if filepath.Dir(dir) == dir {
			return ""
		}
	}
}

// operation returns the OpenAPI operation for method and path template.
func (sp *spec) operation(method, template string) map[string]any {
	item, _ := sp.doc["paths"].(map[string]any)[template].(map[string]any)
	op, _ := item[strings.ToLower(method)].(map[string]any)
	return op
}

func (sp *spec) bodySchema(method, template string) *compiledBody {
	route := method + " " + template
	sp.mu.Lock()
	defer sp.mu.Unlock()
	if cb, ok := sp.schemas[route]; ok {
		return cb
	}
	cb := &compiledBody{}
	sp.schemas[route] = cb
	op := sp.operation(method, template)
	rb, _ := op["requestBody"].(map[string]any)
	content, _ := rb["content"].(map[string]any)
	if _, ok := content["application/json"]; !ok {
		return cb
	}
	cb.required, _ = rb["required"].(bool)
	ptr := "/paths/" + escapePointer(template) + "/" + strings.ToLower(method) +
		"/requestBody/content/application~1json/schema"
	cb.schema, cb.err = sp.compiler.Compile(sp.location + "#" + ptr)
	return cb
}

func escapePointer(s string) string {
	return strings.NewReplacer("~", "~0", "/", "~1").Replace(s)
}

// issue is one thing wrong with a request body, at a place in it.
type issue struct {
	path    []string // e.g. ["0", "options", "1", "name"]
	code    string   // Discord's code for a field error, e.g. "BASE_TYPE_REQUIRED"
	message string
	// apiCode, when set, is the JSON error code Discord answers instead of
	// 50035 Invalid Form Body (e.g. 50006 for an empty message).
	apiCode int
}

func (is issue) String() string {
	return "/" + strings.Join(is.path, "/") + ": " + is.message + " (" + is.code + ")"
}

// errInvalidJSON is a body that is not JSON at all; Discord answers 50109.
var errInvalidJSON = errors.New("the request body contains invalid JSON")

// validateBody checks a JSON body against the request-body schema of the
// route.
func (sp *spec) validateBody(method, template string, body []byte) ([]issue, error) {
	cb := sp.bodySchema(method, template)
	if cb.schema == nil {
		if cb.err != nil {
			return nil, fmt.Errorf("compiling the schema of %s %s: %w", method, template, cb.err)
		}
		return nil, nil
	}
	if len(bytes.TrimSpace(body)) == 0 {
		if cb.required {
			return []issue{{code: "BASE_TYPE_REQUIRED", message: "a JSON body is required"}}, nil
		}
		return nil, nil
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	if err != nil {
		return nil, errInvalidJSON
	}
	err = cb.schema.Validate(inst)
	var ve *jsonschema.ValidationError
	if errors.As(err, &ve) {
		return schemaIssues(ve), nil
	}
	return nil, err
}

var printer = message.NewPrinter(language.English)

// schemaIssues flattens a validation error to its leaves. Of a failed
// anyOf/oneOf it keeps only the branch that came closest, as Discord reports
// one reason per field rather than one per alternative.
func schemaIssues(root *jsonschema.ValidationError) []issue {
	var out []issue
	var walk func(e *jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		switch e.ErrorKind.(type) {
		case *kind.AnyOf, *kind.OneOf:
			if len(e.Causes) > 0 {
				walk(closestBranch(e.Causes))
				return
			}
		}
		if len(e.Causes) == 0 {
			out = append(out, leafIssues(e)...)
			return
		}
		for _, c := range e.Causes {
			walk(c)
		}
	}
	walk(root)
	return out
}

// closestBranch picks, among the failures of a union's branches, the one
// most likely meant: not one that failed on its discriminating "type" field
// or on the value's JSON type, and then the one that got deepest.
func closestBranch(branches []*jsonschema.ValidationError) *jsonschema.ValidationError {
	best, bestScore := branches[0], -1
	for _, b := range branches {
		score := maxDepth(b)
		if !wrongBranch(b, len(b.InstanceLocation)) {
			score += 1000
		}
		if score > bestScore {
			best, bestScore = b, score
		}
	}
	return best
}

func maxDepth(e *jsonschema.ValidationError) int {
	d := len(e.InstanceLocation)
	for _, c := range e.Causes {
		d = max(d, maxDepth(c))
	}
	return d
}

// discriminators are the fields whose value picks a union's branch: a
// component's or option's "type", a scheduled event's "entity_type".
var discriminators = map[string]bool{"type": true, "entity_type": true}

func wrongBranch(e *jsonschema.ValidationError, depth int) bool {
	switch e.ErrorKind.(type) {
	case *kind.Type:
		if len(e.InstanceLocation) == depth {
			return true
		}
	case *kind.Enum, *kind.Const:
		loc := e.InstanceLocation
		if len(loc) == depth+1 && discriminators[loc[len(loc)-1]] {
			return true
		}
	}
	return slices.ContainsFunc(e.Causes, func(c *jsonschema.ValidationError) bool { return wrongBranch(c, depth) })
}

func leafIssues(e *jsonschema.ValidationError) []issue {
	loc := slices.Clone(e.InstanceLocation)
	msg := e.ErrorKind.LocalizedString(printer)
	switch k := e.ErrorKind.(type) {
	case *kind.Required:
		var out []issue
		for _, m := range k.Missing {
			out = append(out, issue{path: append(slices.Clone(loc), m), code: "BASE_TYPE_REQUIRED", message: "This field is required"})
		}
		return out
	case *kind.MaxLength:
		return []issue{{path: loc, code: "BASE_TYPE_MAX_LENGTH", message: msg}}
	case *kind.MinLength:
		return []issue{{path: loc, code: "BASE_TYPE_MIN_LENGTH", message: msg}}
	case *kind.MaxItems, *kind.MinItems:
		return []issue{{path: loc, code: "BASE_TYPE_BAD_LENGTH", message: msg}}
	case *kind.Enum, *kind.Const:
		return []issue{{path: loc, code: "BASE_TYPE_CHOICES", message: msg}}
	}
	return []issue{{path: loc, code: "BASE_TYPE_INVALID", message: msg}}
}

// formErrors builds Discord's "errors" object of a 50035 Invalid Form Body:
// the body's shape, with {"_errors": [{code, message}]} at each bad field.
func formErrors(issues []issue) map[string]any {
	root := map[string]any{}
	for _, is := range issues {
		node := root
		for _, p := range is.path {
			next, ok := node[p].(map[string]any)
			if !ok {
				next = map[string]any{}
				node[p] = next
			}
			node = next
		}
		errs, _ := node["_errors"].([]any)
		node["_errors"] = append(errs, map[string]any{"code": is.code, "message": is.message})
	}
	return root
}

func validateSnowflake(v any) error {
	s, ok := v.(string)
	if !ok {
		return nil
	}
	if _, err := strconv.ParseUint(s, 10, 64); err != nil {
		return fmt.Errorf("%q is not a snowflake", s)
	}
	return nil
}

// intFormat checks OpenAPI's int32/int64 formats: an integer that fits.
func intFormat(name string, bits int) *jsonschema.Format {
	return &jsonschema.Format{Name: name, Validate: func(v any) error {
		n, ok := v.(json.Number)
		if !ok {
			return nil
		}
		if _, err := strconv.ParseInt(string(n), 10, bits); err != nil {
			return fmt.Errorf("%s is not an %s", n, name)
		}
		return nil
	}}
}
