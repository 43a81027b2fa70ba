package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestHelpListsTheCommands(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"-h"}, {"help"}} {
		var out bytes.Buffer
		_ = run(context.Background(), args, func(string) string { return "" }, &out, &out)
		for _, want := range []string{"serve", "migrate", "--demo"} {
			if !strings.Contains(out.String(), want) {
				t.Errorf("%v: help lacks %q:\n%s", args, want, out.String())
			}
		}
	}
}

func TestUnknownCommandFails(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), []string{"explode"}, func(string) string { return "" }, &out, &out); err == nil {
		t.Fatal("an unknown command must fail")
	}
}

func TestBadConfigurationStopsTheStart(t *testing.T) {
	var out bytes.Buffer
	env := map[string]string{"TIAOJIE_READ_TIMEOUT": "never"}
	err := run(context.Background(), nil, func(k string) string { return env[k] }, &out, &out)
	if err == nil || !strings.Contains(err.Error(), "TIAOJIE_READ_TIMEOUT") {
		t.Fatalf("want a configuration error naming the variable, got %v", err)
	}
}

func TestMigrateCommandCreatesTheEmbeddedDatabase(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"TIAOJIE_DATA_DIR": dir}
	var out bytes.Buffer
	for i := 0; i < 2; i++ { // twice: the second run must find nothing to do
		if err := run(context.Background(), []string{"migrate"}, func(k string) string { return env[k] }, &out, &out); err != nil {
			t.Fatalf("migrate run %d: %v\n%s", i+1, err, out.String())
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "tiaojie.db")); err != nil {
		t.Fatalf("no database file: %v", err)
	}
	if n := strings.Count(out.String(), `"migration applied"`); n == 0 {
		t.Fatalf("first run applied nothing:\n%s", out.String())
	}
}
