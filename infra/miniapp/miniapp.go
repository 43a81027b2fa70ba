// Package miniapp exchanges a mini-program login code (wx.login) for the
// user's platform identity through the platform's code-to-session endpoint.
package miniapp

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/tiaojie/tiaojie/domain"
	"github.com/tiaojie/tiaojie/domain/account"
)

// Client calls BaseURL + "/sns/jscode2session".
type Client struct {
	BaseURL string // e.g. https://api.weixin.qq.com
	AppID   string
	Secret  string
	HTTP    *http.Client
}

var _ account.MiniApp = (*Client)(nil)

type session struct {
	OpenID  string `json:"openid"`
	ErrCode int    `json:"errcode"`
	ErrMsg  string `json:"errmsg"`
}

// Identify implements account.MiniApp. The platform's answer is outside
// input: its size is capped and a missing identity is an error.
func (c *Client) Identify(ctx context.Context, code string) (string, error) {
	if c.BaseURL == "" {
		return "", domain.Errorf(domain.KindUnavailable, "auth.miniapp_not_configured", "Mini-program login is not configured on this server.") // a missing dependency, not the caller's state: 503
	}
	q := url.Values{"appid": {c.AppID}, "secret": {c.Secret}, "js_code": {code}, "grant_type": {"authorization_code"}}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.BaseURL+"/sns/jscode2session?"+q.Encode(), nil)
	if err != nil {
		return "", err
	}
	client := c.HTTP
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		return "", domain.Wrap(err, domain.KindUnavailable, "auth.miniapp_unavailable", "The mini-program platform did not answer.")
	}
	defer resp.Body.Close()
	var s session
	if err := json.NewDecoder(io.LimitReader(resp.Body, 64<<10)).Decode(&s); err != nil || resp.StatusCode != http.StatusOK {
		return "", domain.Wrap(fmt.Errorf("status %d: %v", resp.StatusCode, err), domain.KindUnavailable, "auth.miniapp_unavailable", "The mini-program platform did not answer.")
	}
	if s.ErrCode != 0 || s.OpenID == "" || len(s.OpenID) > 128 {
		return "", domain.Errorf(domain.KindUnauthenticated, "auth.miniapp_code_invalid", "The mini-program login code is invalid or used.")
	}
	return s.OpenID, nil
}
