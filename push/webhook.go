package push

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/tiaojie/tiaojie/domain"
)

// Headers of a signed webhook request. The signature covers the timestamp as
// well as the body, so a captured request cannot be replayed later with a
// fresh timestamp.
const (
	HeaderTimestamp = "X-Tiaojie-Timestamp"
	HeaderDelivery  = "X-Tiaojie-Delivery"
	HeaderSignature = "X-Tiaojie-Signature"
)

// DefaultWebhookTolerance is how far a webhook timestamp may be from the
// receiver's clock when VerifyWebhook is given no tolerance.
const DefaultWebhookTolerance = 5 * time.Minute

const (
	webhookTimeout = 10 * time.Second
	// Only a short excerpt of a failed response is kept for last_error; the
	// rest is drained up to a bound so the connection can be reused, and a
	// gateway answering with an endless body cannot hold the dispatcher.
	webhookExcerpt = 256
	webhookDrain   = 64 << 10
)

// WebhookProvider posts each Message as JSON to one URL, signed with
// HMAC-SHA256 so the gateway can tell the request came from Tiaojie.
type WebhookProvider struct {
	URL    string
	Secret []byte
	// Client defaults to one with a 10 s timeout that does not follow
	// redirects (a redirect would carry the signed headers elsewhere).
	Client       *http.Client
	Now          func() time.Time
	ProviderName string // defaults to "webhook"
}

var _ Provider = (*WebhookProvider)(nil)

// Name implements Provider.
func (p *WebhookProvider) Name() string {
	if p.ProviderName != "" {
		return p.ProviderName
	}
	return "webhook"
}

// Send implements Provider: 2xx is delivered; 408, 429, 5xx and network
// errors may pass on a later attempt; any other answer is Permanent.
func (p *WebhookProvider) Send(ctx context.Context, m Message) error {
	body, err := json.Marshal(m)
	if err != nil {
		return Permanent(fmt.Errorf("webhook %s: encode message %s: %w", p.Name(), m.ID, err))
	}
	now := time.Now
	if p.Now != nil {
		now = p.Now
	}
	ts := strconv.FormatInt(now().Unix(), 10)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, p.URL, bytes.NewReader(body))
	if err != nil {
		return Permanent(fmt.Errorf("webhook %s: build request: %w", p.Name(), err))
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "tiaojie-webhook/1")
	req.Header.Set(HeaderTimestamp, ts)
	req.Header.Set(HeaderDelivery, m.ID)
	req.Header.Set(HeaderSignature, signWebhook(p.Secret, ts, body))
	resp, err := p.client().Do(req)
	if err != nil {
		// A *url.Error repeats the URL, and gateway URLs often carry a token
		// in the query: keep it out of last_error and the logs.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return fmt.Errorf("webhook %s: post: %w", p.Name(), err)
	}
	defer resp.Body.Close()
	excerpt, _ := io.ReadAll(io.LimitReader(resp.Body, webhookExcerpt))
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, webhookDrain))
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return nil
	}
	err = fmt.Errorf("webhook %s: status %d: %s", p.Name(), resp.StatusCode, strings.TrimSpace(string(excerpt)))
	if retryableStatus(resp.StatusCode) {
		return err
	}
	return Permanent(err)
}

func retryableStatus(code int) bool {
	return code == http.StatusRequestTimeout || code == http.StatusTooManyRequests || code >= 500
}

func (p *WebhookProvider) client() *http.Client {
	if p.Client != nil {
		return p.Client
	}
	return &http.Client{
		Timeout:       webhookTimeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// signWebhook is the signature header value: sha256=hex(HMAC(secret, ts "." body)).
func signWebhook(secret []byte, timestamp string, body []byte) string {
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte(timestamp))
	mac.Write([]byte{'.'})
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

// VerifyWebhook checks a received webhook as a gateway should: the signature
// must match in constant time, and the timestamp must lie within tolerance
// of now on either side (DefaultWebhookTolerance when tolerance ≤ 0), which
// bounds how long a captured request can be replayed.
func VerifyWebhook(secret []byte, timestamp, signature string, body []byte, now time.Time, tolerance time.Duration) error {
	if tolerance <= 0 {
		tolerance = DefaultWebhookTolerance
	}
	sec, err := strconv.ParseInt(timestamp, 10, 64)
	if err != nil {
		return domain.Wrap(err, domain.KindUnauthenticated, "webhook.bad_timestamp", "The webhook timestamp is not a number of seconds.")
	}
	if skew := now.Sub(time.Unix(sec, 0)); skew > tolerance || skew < -tolerance {
		return domain.Errorf(domain.KindUnauthenticated, "webhook.stale", "The webhook timestamp is %s away from now.", skew.Round(time.Second))
	}
	got, ok := strings.CutPrefix(signature, "sha256=")
	if !ok {
		return domain.Errorf(domain.KindUnauthenticated, "webhook.bad_signature", "The webhook signature is not sha256=<hex>.")
	}
	mac, err := hex.DecodeString(got)
	if err != nil {
		return domain.Wrap(err, domain.KindUnauthenticated, "webhook.bad_signature", "The webhook signature is not sha256=<hex>.")
	}
	want, _ := hex.DecodeString(strings.TrimPrefix(signWebhook(secret, timestamp, body), "sha256="))
	if !hmac.Equal(mac, want) {
		return domain.Errorf(domain.KindUnauthenticated, "webhook.bad_signature", "The webhook signature does not match.")
	}
	return nil
}
