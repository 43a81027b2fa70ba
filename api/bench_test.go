package api

import (
	"testing"

	"github.com/valyala/fasthttp"
)

// BenchmarkMiddlewareStack is the floor under every route: request ID,
// access log, metrics, panic recovery and security headers around /healthz,
// called in-process (no network), so it is the ceiling a handler can reach.
func BenchmarkMiddlewareStack(b *testing.B) {
	s := newTestServer(b, nil)
	h := s.app.Handler()
	var ctx fasthttp.RequestCtx
	b.ReportAllocs()
	for b.Loop() {
		ctx.Request.Reset()
		ctx.Response.Reset()
		ctx.Request.SetRequestURI("/healthz")
		ctx.Request.Header.SetMethod("GET")
		h(&ctx)
		if ctx.Response.StatusCode() != 200 {
			b.Fatalf("status %d", ctx.Response.StatusCode())
		}
	}
}

// BenchmarkProblemAnswer measures the error path (404 rendered as problem+json).
func BenchmarkProblemAnswer(b *testing.B) {
	s := newTestServer(b, nil)
	h := s.app.Handler()
	var ctx fasthttp.RequestCtx
	b.ReportAllocs()
	for b.Loop() {
		ctx.Request.Reset()
		ctx.Response.Reset()
		ctx.Request.SetRequestURI("/api/v1/none")
		ctx.Request.Header.SetMethod("GET")
		h(&ctx)
		if ctx.Response.StatusCode() != 404 {
			b.Fatalf("status %d", ctx.Response.StatusCode())
		}
	}
}
