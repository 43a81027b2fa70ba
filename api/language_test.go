package api

import "testing"

func TestPreferredLanguage(t *testing.T) {
	tests := []struct {
		header string
		want   language
	}{
		{"", chinese},
		{"zh-CN,zh;q=0.9", chinese},
		{"en", english},
		{"en-US,en;q=0.9,zh-CN;q=0.8", english},
		{"zh-CN;q=0.5,en;q=0.9", english},
		{"en;q=0.5,zh;q=0.5", chinese},
		{"fr-FR,de", chinese},
		{"en;q=0", chinese},
		{"en;q=abc", chinese},
		{"EN-gb", english},
	}
	for _, tt := range tests {
		if got := preferredLanguage(tt.header); got != tt.want {
			t.Errorf("preferredLanguage(%q) = %v, want %v", tt.header, got, tt.want)
		}
	}
}

func FuzzPreferredLanguage(f *testing.F) {
	for _, s := range []string{"", "en", "zh-CN,zh;q=0.9,en;q=0.8", "en;q=1.5", ";;;,,,q=", "en;q=0.1e1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, header string) {
		if l := preferredLanguage(header); l != chinese && l != english {
			t.Fatalf("unknown language %v", l)
		}
	})
}
