package redis

import "testing"

func TestNextEntryID(t *testing.T) {
	tests := []struct{ id, want string }{
		{"1733011200000-0", "1733011200000-1"},
		{"1733011200000-41", "1733011200000-42"},
		{"5-9", "5-10"},
	}
	for _, tc := range tests {
		if got, err := nextEntryID(tc.id); err != nil || got != tc.want {
			t.Errorf("nextEntryID(%q) = %q, %v; want %q", tc.id, got, err, tc.want)
		}
	}
	for _, bad := range []string{"", "1733011200000", "x-y", "1-"} {
		if got, err := nextEntryID(bad); err == nil {
			t.Errorf("nextEntryID(%q) = %q, want an error", bad, got)
		}
	}
}
