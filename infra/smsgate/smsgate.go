// Package smsgate sends login codes: to the log in the embedded default,
// or to an SMS gateway's webhook in production.
package smsgate

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/tiaojie/tiaojie/domain"
	"github.com/tiaojie/tiaojie/domain/account"
)

// Log writes "sms code for 138****0000: 123456" to the log, for development
// and the embedded default where no gateway exists.
type Log struct{ Logger *slog.Logger }

var _ account.SMS = Log{}

// SendCode implements account.SMS.
func (l Log) SendCode(_ context.Context, phone, code string) error {
	l.Logger.Info(fmt.Sprintf("sms code for %s: %s", domain.MaskPhone(phone), code))
	return nil
}

// Webhook posts {"phone","code","template"} to a gateway URL.
type Webhook struct {
	URL      string
	Template string
	Client   *http.Client
}

var _ account.SMS = (*Webhook)(nil)

// SendCode implements account.SMS.
func (w *Webhook) SendCode(ctx context.Context, phone, code string) error {
	body, _ := json.Marshal(map[string]string{"phone": phone, "code": code, "template": w.Template})
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.URL, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	client := w.Client
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("sms gateway: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("sms gateway answered %d", resp.StatusCode)
	}
	return nil
}
