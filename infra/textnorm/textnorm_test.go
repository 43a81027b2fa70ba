package textnorm

import "testing"

func TestUsernameFoldsSpellingsTogether(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"a canonical name stays", "police2", "police2"},
		{"upper case folds", "POLICE2", "police2"},
		{"trailing space is trimmed", "police2 ", "police2"},
		{"leading tab is trimmed", "\tpolice2", "police2"},
		{"full-width letters and digits fold", "ｐｏｌｉｃｅ２", "police2"},
		{"an ideographic space is trimmed", "police2\u3000", "police2"},
		{"sharp s folds to ss", "STRAßE", "strasse"},
		{"a ligature decomposes", "ﬁrm1", "firm1"},
		{"an accent stays: it is another name", "pólice2", "pólice2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Username(tt.in); got != tt.want {
				t.Fatalf("Username(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
