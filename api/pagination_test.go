package api

import "testing"

func FuzzDecodeCursor(f *testing.F) {
	f.Add(encodeCursor(42))
	f.Add("")
	f.Add("aWQ6LTE")
	f.Fuzz(func(t *testing.T, s string) {
		id, err := decodeCursor(s)
		if err == nil && id <= 0 {
			t.Fatalf("cursor %q decoded to %d", s, id)
		}
		if err == nil && encodeCursor(id) != s {
			// Only canonical cursors round-trip; others must still decode to a positive ID.
			if again, err2 := decodeCursor(encodeCursor(id)); err2 != nil || again != id {
				t.Fatalf("round trip of %d failed", id)
			}
		}
	})
}

func TestCursorRoundTrip(t *testing.T) {
	for _, id := range []int64{1, 42, 1 << 40} {
		got, err := decodeCursor(encodeCursor(id))
		if err != nil || got != id {
			t.Fatalf("cursor of %d came back as %d, %v", id, got, err)
		}
	}
	for _, bad := range []string{"!!", "aWQ6MA", "eHl6", "aWQ6LTE"} {
		if _, err := decodeCursor(bad); err == nil {
			t.Errorf("cursor %q accepted", bad)
		}
	}
}
