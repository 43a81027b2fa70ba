package domain_test

import (
	"os/exec"
	"strings"
	"testing"
)

// The arrows point inward: domain depends on the standard library only.
func TestDomainImportsOnlyTheStandardLibrary(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "-f", "{{if not .Standard}}{{.ImportPath}}{{end}}", "./...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, dep := range strings.Fields(string(out)) {
		if !strings.HasPrefix(dep, "github.com/tiaojie/tiaojie/domain") {
			t.Errorf("domain depends on %s; domain may import only the standard library and itself", dep)
		}
	}
}

// api talks to the domain, never to infra directly.
func TestAPIDoesNotImportInfra(t *testing.T) {
	for _, pkg := range []string{"../api/...", "../push/...", "../realtime/..."} {
		out, err := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}}", pkg).Output()
		if err != nil {
			t.Fatalf("go list %s: %v", pkg, err)
		}
		for _, dep := range strings.Fields(string(out)) {
			if strings.HasPrefix(dep, "github.com/tiaojie/tiaojie/infra") || strings.HasPrefix(dep, "github.com/tiaojie/tiaojie/cmd") {
				t.Errorf("%s depends on %s; only cmd/tiaojie wires infra in", pkg, dep)
			}
		}
	}
}
