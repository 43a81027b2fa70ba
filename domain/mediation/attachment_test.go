package mediation_test

import (
	"testing"

	"github.com/tiaojie/tiaojie/domain"
	m "github.com/tiaojie/tiaojie/domain/mediation"
)

func TestSniffAttachment(t *testing.T) {
	tests := []struct {
		name string
		head string
		want string
	}{
		{"a JPEG photo", "\xff\xd8\xff\xe0\x00\x10JFIF", "image/jpeg"},
		{"a PNG screenshot", "\x89PNG\r\n\x1a\n\x00\x00", "image/png"},
		{"a WebP image", "RIFF\x10\x00\x00\x00WEBPVP8 ", "image/webp"},
		{"an iPhone HEIC photo", "\x00\x00\x00\x18ftypheic\x00\x00", "image/heic"},
		{"a PDF", "%PDF-1.7\n", "application/pdf"},
		{"an executable renamed .jpg", "MZ\x90\x00\x03\x00", ""},
		{"an HTML page", "<!doctype html><script>", ""},
		{"a ZIP", "PK\x03\x04", ""},
		{"an MP4 video (ftyp but not HEIC)", "\x00\x00\x00\x18ftypisom", ""},
		{"nothing", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := m.SniffAttachment([]byte(tt.head))
			if tt.want == "" {
				if domain.ErrorKind(err) != domain.KindInvalid {
					t.Fatalf("got %q %v, want refused as invalid", got, err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("got %q %v, want %q", got, err, tt.want)
			}
		})
	}
}

func FuzzSniffAttachment(f *testing.F) {
	for _, s := range []string{"\xff\xd8\xff", "%PDF-", "RIFF0000WEBP", "\x00\x00\x00\x18ftypheic"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, head []byte) {
		ct, err := m.SniffAttachment(head)
		if (err == nil) == (ct == "") {
			t.Fatalf("either a type or an error: %q %v", ct, err)
		}
	})
}
