package main

import (
	"strings"
	"testing"
	"time"
)

func TestLoadConfig(t *testing.T) {
	tests := []struct {
		name    string
		env     map[string]string
		check   func(t *testing.T, c Config)
		wantErr []string
	}{
		{
			name: "no variables give the embedded default",
			env:  map[string]string{},
			check: func(t *testing.T, c Config) {
				if c.Addr != ":8080" || c.DataDir != "./data" || !c.EmbeddedDatabase() || !c.EmbeddedRedis() {
					t.Fatalf("defaults wrong: %+v", c)
				}
				if c.SQLitePath() != "data/tiaojie.db" {
					t.Fatalf("sqlite path %s", c.SQLitePath())
				}
			},
		},
		{
			name: "MySQL and Redis turn embedded mode off",
			env:  map[string]string{"TIAOJIE_MYSQL_DSN": "u:p@tcp(db:3306)/tiaojie", "TIAOJIE_REDIS_URL": "redis://cache:6379/0"},
			check: func(t *testing.T, c Config) {
				if c.EmbeddedDatabase() || c.EmbeddedRedis() {
					t.Fatal("still embedded")
				}
			},
		},
		{
			name: "durations, sizes and lists are parsed",
			env: map[string]string{"TIAOJIE_READ_TIMEOUT": "3s", "TIAOJIE_BODY_LIMIT": "1048576", "TIAOJIE_JSON_LIMIT": "4096", "TIAOJIE_MAX_ATTACHMENT_BYTES": "524288",
				"TIAOJIE_CORS_ORIGINS": " https://a.example , https://b.example ", "TIAOJIE_LOG_LEVEL": "debug"},
			check: func(t *testing.T, c Config) {
				if c.HTTP.ReadTimeout != 3*time.Second || c.HTTP.BodyLimit != 1<<20 || c.HTTP.JSONLimit != 4096 {
					t.Fatalf("parsed wrong: %+v", c.HTTP)
				}
				if len(c.HTTP.CORSOrigins) != 2 || c.HTTP.CORSOrigins[1] != "https://b.example" {
					t.Fatalf("origins %q", c.HTTP.CORSOrigins)
				}
			},
		},
		{
			name: "every bad variable is reported at once",
			env: map[string]string{"TIAOJIE_READ_TIMEOUT": "soon", "TIAOJIE_BODY_LIMIT": "-1", "TIAOJIE_LOG_LEVEL": "loud",
				"TIAOJIE_LOG_FORMAT": "xml", "TIAOJIE_CORS_ORIGINS": "*"},
			wantErr: []string{"TIAOJIE_READ_TIMEOUT", "TIAOJIE_BODY_LIMIT", "TIAOJIE_LOG_LEVEL", "TIAOJIE_LOG_FORMAT", "TIAOJIE_CORS_ORIGINS"},
		},
		{
			name:    "a proxy header needs trusted proxies",
			env:     map[string]string{"TIAOJIE_PROXY_HEADER": "X-Forwarded-For"},
			wantErr: []string{"TIAOJIE_TRUSTED_PROXIES"},
		},
		{
			name:    "the JSON limit fits in the body limit",
			env:     map[string]string{"TIAOJIE_BODY_LIMIT": "1000", "TIAOJIE_JSON_LIMIT": "2000"},
			wantErr: []string{"TIAOJIE_JSON_LIMIT"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := loadConfig(func(k string) string { return tt.env[k] })
			if len(tt.wantErr) == 0 {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				tt.check(t, c)
				return
			}
			if err == nil {
				t.Fatal("want an error")
			}
			for _, w := range tt.wantErr {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error does not name %s: %v", w, err)
				}
			}
		})
	}
}

func TestMaskDSN(t *testing.T) {
	tests := []struct{ in, want string }{
		{"root:s3cret@tcp(127.0.0.1:3306)/test", "root:***@tcp(127.0.0.1:3306)/test"},
		{"root@tcp(127.0.0.1:3306)/test", "root@tcp(127.0.0.1:3306)/test"},
		{"redis://:hunter2@cache:6379/0", "redis://:***@cache:6379/0"},
		{"redis://user:p@ss@cache:6379/0", "redis://user:***@cache:6379/0"},
		{"redis://cache:6379/0", "redis://cache:6379/0"},
	}
	for _, tt := range tests {
		if got := maskDSN(tt.in, ""); got != tt.want {
			t.Errorf("maskDSN(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
