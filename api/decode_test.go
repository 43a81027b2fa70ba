package api

import (
	"errors"
	"testing"

	"github.com/tiaojie/tiaojie/domain"
)

// FuzzDecodeJSONBody feeds arbitrary bodies to the strict decoder: it must
// never panic and must answer either success or one of our own errors.
func FuzzDecodeJSONBody(f *testing.F) {
	for _, s := range []string{`{"phone":"13800138000","count":1}`, `{"phone":`, `[]`, `null`, `{"role":"admin"}`, `{"count":1e400}`, "\xff\xfe"} {
		f.Add("application/json", []byte(s))
	}
	f.Add("text/plain; charset=\"", []byte(`{}`))
	f.Fuzz(func(t *testing.T, contentType string, body []byte) {
		var dst struct {
			Phone string `json:"phone"`
			Count int    `json:"count"`
		}
		err := decodeJSONBody(contentType, body, 1<<10, &dst)
		if err == nil {
			return
		}
		var herr *httpError
		if _, ok := domain.AsError(err); !ok && !errors.As(err, &herr) {
			t.Fatalf("decoder returned a foreign error %T: %v", err, err)
		}
	})
}
