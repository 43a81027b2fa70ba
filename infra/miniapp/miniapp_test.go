package miniapp_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/tiaojie/tiaojie/domain"
	"github.com/tiaojie/tiaojie/infra/miniapp"
)

// standIn plays the platform's code-to-session endpoint (these machines have
// no internet): one good code, one used code, one broken answer.
func standIn(t *testing.T) *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		if r.URL.Path != "/sns/jscode2session" || q.Get("appid") != "wx-app" || q.Get("secret") != "s3cret" || q.Get("grant_type") != "authorization_code" {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		switch q.Get("js_code") {
		case "good":
			w.Write([]byte(`{"openid":"oABC123","session_key":"k"}`))
		case "used":
			w.Write([]byte(`{"errcode":40163,"errmsg":"code been used"}`))
		case "huge":
			w.Write([]byte(`{"openid":"` + strings.Repeat("x", 200) + `"}`))
		default:
			w.Write([]byte(`not json`))
		}
	}))
}

func TestIdentify(t *testing.T) {
	srv := standIn(t)
	defer srv.Close()
	c := &miniapp.Client{BaseURL: srv.URL, AppID: "wx-app", Secret: "s3cret"}
	ctx := context.Background()
	if id, err := c.Identify(ctx, "good"); err != nil || id != "oABC123" {
		t.Fatalf("good code: %q %v", id, err)
	}
	for code, kind := range map[string]domain.Kind{"used": domain.KindUnauthenticated, "huge": domain.KindUnauthenticated, "junk": domain.KindUnavailable} {
		if _, err := c.Identify(ctx, code); domain.ErrorKind(err) != kind {
			t.Errorf("code %s: %v, want %s", code, err, kind)
		}
	}
	if _, err := (&miniapp.Client{}).Identify(ctx, "good"); domain.ErrorKind(err) != domain.KindUnavailable { // 503: the server lacks a dependency
		t.Errorf("unconfigured: %v", err)
	}
}
