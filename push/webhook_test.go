package push

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tiaojie/tiaojie/domain"
)

var testNow = time.Date(2026, 11, 23, 9, 30, 0, 0, time.UTC)

// captured is what a test gateway received.
type captured struct {
	mu      sync.Mutex
	headers []http.Header
	bodies  [][]byte
}

func (c *captured) last() (http.Header, []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.headers[len(c.headers)-1], c.bodies[len(c.bodies)-1]
}

func (c *captured) count() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.bodies)
}

// gateway answers with statuses in turn, repeating the last one.
func gateway(t *testing.T, statuses ...int) (*httptest.Server, *captured) {
	t.Helper()
	c := &captured{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		c.mu.Lock()
		n := len(c.bodies)
		c.headers, c.bodies = append(c.headers, r.Header.Clone()), append(c.bodies, body)
		c.mu.Unlock()
		w.WriteHeader(statuses[min(n, len(statuses)-1)])
		_, _ = io.WriteString(w, "answer "+strconv.Itoa(n))
	}))
	t.Cleanup(srv.Close)
	return srv, c
}

func testMessage(id string) Message {
	return Message{ID: id, UserID: 42, Kind: "work_order", Title: "新工单", Body: "请处理", Data: map[string]string{"order_id": "7"}, CreatedAt: testNow}
}

func TestWebhookRequestVerifiesAndTamperingIsCaught(t *testing.T) {
	secret := []byte("s3cret")
	srv, got := gateway(t, http.StatusNoContent)
	p := &WebhookProvider{URL: srv.URL, Secret: secret, Client: srv.Client(), Now: func() time.Time { return testNow }}
	if err := p.Send(context.Background(), testMessage("msg-1")); err != nil {
		t.Fatalf("send to a 204 gateway: %v", err)
	}
	h, body := got.last()
	ts, sig := h.Get(HeaderTimestamp), h.Get(HeaderSignature)
	if ts != strconv.FormatInt(testNow.Unix(), 10) || h.Get(HeaderDelivery) != "msg-1" || h.Get("Content-Type") != "application/json" {
		t.Fatalf("headers: timestamp %q delivery %q content type %q", ts, h.Get(HeaderDelivery), h.Get("Content-Type"))
	}
	if !strings.Contains(string(body), `"user_id":42`) || !strings.Contains(string(body), `"created_at"`) {
		t.Fatalf("body is not the snake_case message: %s", body)
	}
	if err := VerifyWebhook(secret, ts, sig, body, testNow, time.Minute); err != nil {
		t.Fatalf("the request as sent does not verify: %v", err)
	}
	tampered := append([]byte{}, body...)
	tampered[len(tampered)-2] ^= 1
	otherTS := strconv.FormatInt(testNow.Unix()+1, 10)
	for _, tc := range []struct {
		name, ts, sig, code string
		secret, body        []byte
		now                 time.Time
	}{
		{"a changed body fails", ts, sig, "webhook.bad_signature", secret, tampered, testNow},
		{"a changed timestamp fails", otherTS, sig, "webhook.bad_signature", secret, body, testNow},
		{"another secret fails", ts, sig, "webhook.bad_signature", []byte("other"), body, testNow},
		{"a signature without its prefix fails", ts, strings.TrimPrefix(sig, "sha256="), "webhook.bad_signature", secret, body, testNow},
		{"a signature that is not hex fails", ts, "sha256=zz", "webhook.bad_signature", secret, body, testNow},
		{"a stale request fails", ts, sig, "webhook.stale", secret, body, testNow.Add(2 * time.Minute)},
		{"a request from the future fails", ts, sig, "webhook.stale", secret, body, testNow.Add(-2 * time.Minute)},
		{"a timestamp that is not a number fails", "yesterday", sig, "webhook.bad_timestamp", secret, body, testNow},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := VerifyWebhook(tc.secret, tc.ts, tc.sig, tc.body, tc.now, time.Minute)
			e, ok := domain.AsError(err)
			if !ok || e.Code != tc.code || e.Kind != domain.KindUnauthenticated {
				t.Fatalf("VerifyWebhook = %v, want unauthenticated %s", err, tc.code)
			}
		})
	}
}

func TestWebhookStatusDecidesWhetherToRetry(t *testing.T) {
	for _, tc := range []struct {
		name      string
		status    int
		wantErr   bool
		permanent bool
	}{
		{"200 is sent", http.StatusOK, false, false},
		{"202 is sent", http.StatusAccepted, false, false},
		{"408 is retried", http.StatusRequestTimeout, true, false},
		{"429 is retried", http.StatusTooManyRequests, true, false},
		{"500 is retried", http.StatusInternalServerError, true, false},
		{"503 is retried", http.StatusServiceUnavailable, true, false},
		{"400 is permanent", http.StatusBadRequest, true, true},
		{"401 is permanent", http.StatusUnauthorized, true, true},
		{"404 is permanent", http.StatusNotFound, true, true},
		{"a redirect is not followed and is permanent", http.StatusFound, true, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, _ := gateway(t, tc.status)
			// No Client: the default one, which must not follow redirects.
			err := (&WebhookProvider{URL: srv.URL, Secret: []byte("k")}).Send(context.Background(), testMessage("m"))
			if (err != nil) != tc.wantErr || IsPermanent(err) != tc.permanent {
				t.Fatalf("status %d: err %v (permanent %v), want error %v permanent %v", tc.status, err, IsPermanent(err), tc.wantErr, tc.permanent)
			}
		})
	}
}

func TestWebhookNetworkErrorIsRetriedAndHidesTheURL(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL + "/hook?token=very-secret"
	srv.Close()
	err := (&WebhookProvider{URL: url, Secret: []byte("k")}).Send(context.Background(), testMessage("m"))
	if err == nil || IsPermanent(err) {
		t.Fatalf("a refused connection gave %v, want a retryable error", err)
	}
	if strings.Contains(err.Error(), "very-secret") {
		t.Fatalf("the error repeats the URL's token: %v", err)
	}
}

func TestWebhookReadsABoundedPartOfTheAnswer(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadGateway)
		chunk := []byte(strings.Repeat("x", 32<<10))
		for i := 0; i < 1024 && r.Context().Err() == nil; i++ { // 32 MiB unless the client stops reading
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	}))
	defer srv.Close()
	err := (&WebhookProvider{URL: srv.URL, Secret: []byte("k"), Client: srv.Client()}).Send(context.Background(), testMessage("m"))
	if err == nil || IsPermanent(err) {
		t.Fatalf("502 gave %v, want a retryable error", err)
	}
	if len(err.Error()) > 400 {
		t.Fatalf("the error holds %d bytes of the answer, want a short excerpt", len(err.Error()))
	}
}

func TestPermanentWrapsAndNilStaysNil(t *testing.T) {
	if Permanent(nil) != nil {
		t.Fatal("Permanent(nil) is not nil")
	}
	if err := Permanent(io.EOF); !IsPermanent(err) || !strings.Contains(err.Error(), "EOF") {
		t.Fatalf("Permanent(EOF) = %v", err)
	}
	if IsPermanent(io.EOF) {
		t.Fatal("a plain error counts as permanent")
	}
}
