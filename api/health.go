package api

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/common/expfmt"
)

// readinessTimeout bounds each dependency check, so that a dead Redis shows
// as not ready within a second instead of hanging the probe.
const readinessTimeout = 800 * time.Millisecond

func (s *Server) healthz(c *fiber.Ctx) error {
	return c.JSON(fiber.Map{"status": "ok"})
}

// readyz answers 200 when every dependency answers, and 503 naming the ones
// that did not. It also fails while the server is shutting down.
func (s *Server) readyz(c *fiber.Ctx) error {
	checks := runChecks(c.UserContext(), s.ready)
	failed := s.stopping.Load()
	if failed {
		checks["server"] = "shutting down"
	}
	for _, v := range checks {
		if v != "ok" {
			failed = true
		}
	}
	if !failed {
		return c.JSON(fiber.Map{"status": "ready", "checks": checks})
	}
	lang := preferredLanguage(c.Get(fiber.HeaderAcceptLanguage))
	return writeProblem(c, problem{
		Type: "about:blank", Status: http.StatusServiceUnavailable, Code: "service.not_ready",
		Message: message("service.not_ready", "", "", lang), RequestID: requestID(c), Checks: checks,
	})
}

func runChecks(ctx context.Context, checks []Check) map[string]string {
	out := make(map[string]string, len(checks))
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, ch := range checks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cctx, cancel := context.WithTimeout(ctx, readinessTimeout)
			defer cancel()
			status := "ok"
			if err := ch.Ping(cctx); err != nil {
				status = "unavailable" // the cause goes to the log, not to the probe's caller
			}
			mu.Lock()
			out[ch.Name] = status
			mu.Unlock()
		}()
	}
	wg.Wait()
	return out
}

// metricsHandler serves the registry in Prometheus' text format. A collector
// that fails makes the scrape an internal error like any other — a 500
// problem+json with the request ID, the cause logged once by the error
// handler — rather than promhttp's plain-text page carrying the collector's
// own words.
func metricsHandler(reg *prometheus.Registry) fiber.Handler {
	format := expfmt.NewFormat(expfmt.TypeTextPlain)
	return func(c *fiber.Ctx) error {
		families, err := reg.Gather()
		if err != nil {
			return fmt.Errorf("metrics: gather: %w", err)
		}
		var buf bytes.Buffer
		enc := expfmt.NewEncoder(&buf, format)
		for _, mf := range families {
			if err := enc.Encode(mf); err != nil {
				return fmt.Errorf("metrics: encode %s: %w", mf.GetName(), err)
			}
		}
		c.Set(fiber.HeaderContentType, string(format))
		return c.Send(buf.Bytes())
	}
}
