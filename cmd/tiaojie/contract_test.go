package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/gofiber/fiber/v2"

	tiaojie "github.com/tiaojie/tiaojie"
)

var fiberParam = regexp.MustCompile(`:(\w+)`)

// servedRoutes lists "METHOD /path/{param}" for every route the app serves.
// HEAD is left out: Fiber adds it to every GET by itself.
func servedRoutes(app *fiber.App) []string {
	seen := map[string]bool{}
	for _, r := range app.GetRoutes(true) {
		if r.Method == fiber.MethodHead {
			continue
		}
		// Fiber's wildcard is written {path} in the spec (the console's routes).
		p := strings.Replace(fiberParam.ReplaceAllString(r.Path, "{$1}"), "/*", "/{path}", 1)
		seen[r.Method+" "+p] = true
	}
	return sortedKeys(seen)
}

// documentedRoutes lists "METHOD /path/{param}" for every operation in the spec.
func documentedRoutes(doc *openapi3.T) []string {
	seen := map[string]bool{}
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			seen[method+" "+path] = true
		}
	}
	return sortedKeys(seen)
}

// routeDiff returns what is served but not documented, and the reverse.
func routeDiff(served, documented []string) (undocumented, unserved []string) {
	in := func(list []string) map[string]bool {
		m := map[string]bool{}
		for _, s := range list {
			m[s] = true
		}
		return m
	}
	s, d := in(served), in(documented)
	for _, r := range served {
		if !d[r] {
			undocumented = append(undocumented, r)
		}
	}
	for _, r := range documented {
		if !s[r] {
			unserved = append(unserved, r)
		}
	}
	return undocumented, unserved
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func loadSpec(t *testing.T) *openapi3.T {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromData(tiaojie.OpenAPI)
	if err != nil {
		t.Fatalf("openapi.yaml does not parse: %v", err)
	}
	return doc
}

// The contract is true both ways: every route served is documented and
// every documented route is served, by the fully wired server.
func TestServedRoutesMatchTheSpec(t *testing.T) {
	a := newTestApp(t, testConfig(t, nil))
	undocumented, unserved := routeDiff(servedRoutes(a.http.App()), documentedRoutes(loadSpec(t)))
	for _, r := range undocumented {
		t.Errorf("served but not in openapi.yaml: %s", r)
	}
	for _, r := range unserved {
		t.Errorf("in openapi.yaml but not served: %s", r)
	}
}

// A test of the test: adding an undocumented route, or documenting a route
// nobody serves, must be caught.
func TestRouteDiffCatchesBothDirections(t *testing.T) {
	a := newTestApp(t, testConfig(t, nil))
	app := a.http.App()
	app.Post("/api/v1/sneaky/:id", func(c *fiber.Ctx) error { return nil })
	doc := loadSpec(t)
	doc.Paths.Set("/api/v1/ghost", &openapi3.PathItem{Get: &openapi3.Operation{}})
	undocumented, unserved := routeDiff(servedRoutes(app), documentedRoutes(doc))
	if strings.Join(undocumented, ",") != "POST /api/v1/sneaky/{id}" {
		t.Errorf("undocumented = %v, want the sneaky route", undocumented)
	}
	if strings.Join(unserved, ",") != "GET /api/v1/ghost" {
		t.Errorf("unserved = %v, want the ghost route", unserved)
	}
}

func TestSpecPassesTheValidator(t *testing.T) {
	doc := loadSpec(t)
	if doc.OpenAPI != "3.0.3" {
		t.Errorf("openapi version %s, want 3.0.3 (what mobile and Go generators handle best)", doc.OpenAPI)
	}
	if err := doc.Validate(context.Background(), openapi3.EnableExamplesValidation()); err != nil {
		t.Fatalf("openapi.yaml is invalid: %v", err)
	}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			if op.OperationID == "" || op.Summary == "" {
				t.Errorf("%s %s needs an operationId and a summary", method, path)
			}
		}
	}
}

// The committed client is what oapi-codegen makes of today's openapi.yaml,
// and it compiles (it is part of `go build ./...`).
func TestGeneratedClientIsCurrent(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the code generator")
	}
	root := filepath.Join("..", "..")
	out := filepath.Join(t.TempDir(), "client.gen.go")
	cmd := exec.Command("go", "tool", "oapi-codegen", "-generate", "types,client", "-package", "apiclient", "-o", out, "openapi.yaml")
	cmd.Dir = root
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("oapi-codegen: %v\n%s", err, msg)
	}
	fresh, _ := os.ReadFile(out)
	committed, _ := os.ReadFile(filepath.Join(root, "api", "apiclient", "client.gen.go"))
	if !bytes.Equal(fresh, committed) {
		t.Fatal("api/apiclient/client.gen.go is stale: run `make generate` and commit it")
	}
}
