package main

// The contract checked on every answer: each request an end-to-end test
// sends and each answer the server gives is validated against openapi.yaml
// with kin-openapi's openapi3filter, a validator nobody here wrote. Tests
// reach the server two ways and both are checked:
//   - through the Fiber router (app.Test): checkedTest, used by do and call;
//   - over TCP: startApp puts a validating reverse proxy (contractProxy) in
//     front of the real listener; WebSocket upgrades pass through it.
//
// A request the spec refuses is allowed only when the server refuses it too
// (see inputRefusals): security and bad-input tests send such requests on purpose.
// Its answer must still be what the spec documents for that status. Every other
// mismatch — an undocumented status, a body off its schema, a content type the
// spec does not list, a request the spec refuses but the server accepts —
// fails the test that caused it, naming method, path, status and the error.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
	"github.com/gofiber/fiber/v2"

	tiaojie "github.com/tiaojie/tiaojie"
)

// contract is openapi.yaml made ready for validating exchanges.
type contract struct {
	doc     *openapi3.T
	router  routers.Router
	problem *openapi3.Schema
}

// theContract loads openapi.yaml once per test binary: every test shares it
// read-only.
var theContract = sync.OnceValues(func() (*contract, error) {
	doc, err := openapi3.NewLoader().LoadFromData(tiaojie.OpenAPI)
	if err != nil {
		return nil, fmt.Errorf("openapi.yaml does not parse: %w", err)
	}
	doc.Servers = nil // match paths only: tests reach the server on any host and port
	router, err := legacy.NewRouter(doc)
	if err != nil {
		return nil, fmt.Errorf("openapi.yaml: %w", err)
	}
	problem := doc.Components.Schemas["Problem"]
	if problem == nil || problem.Value == nil {
		return nil, errors.New("openapi.yaml has no Problem schema")
	}
	return &contract{doc: doc, router: router, problem: problem.Value}, nil
})

func init() {
	// Binary answers (attachments, recordings, static files) are checked by
	// their Content-Type against the spec's media types; their bytes are a
	// string of format binary, which any body is.
	openapi3filter.RegisterBodyDecoder("*/*", openapi3filter.FileBodyDecoder)
}

// exchange is one request and its answer, bodies in full.
type exchange struct {
	req     *http.Request
	reqBody []byte
	status  int
	header  http.Header
	body    []byte
}

func (e exchange) String() string {
	return fmt.Sprintf("%s %s → %d", e.req.Method, e.req.URL.RequestURI(), e.status)
}

// check returns what in the exchange disagrees with the contract, one
// message per finding, each naming the exchange.
func (c *contract) check(ctx context.Context, e exchange) []string {
	if e.req.Method == http.MethodHead || e.req.Method == http.MethodOptions {
		return nil // HEAD mirrors GET (Fiber adds it); OPTIONS is CORS preflight, outside the API
	}
	route, params, err := c.router.FindRoute(catchAll(e.req))
	if err != nil {
		return c.checkUnrouted(e, err)
	}
	opts := &openapi3filter.Options{
		AuthenticationFunc:    openapi3filter.NoopAuthenticationFunc, // the server's guard is tested elsewhere, on every route
		IncludeResponseStatus: true,
		MultiError:            true,
	}
	opts.WithCustomSchemaErrorFunc(schemaMessage)
	req := e.req.Clone(ctx)
	req.Body = io.NopCloser(bytes.NewReader(e.reqBody))
	in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route, Options: opts}
	var out []string
	if rerr := openapi3filter.ValidateRequest(ctx, in); rerr != nil && !inputRefusals[e.status] {
		out = append(out, fmt.Sprintf("contract: %s: the spec refuses the request but the server answered %d (not a refusal of bad input): %s",
			e, e.status, oneLine(rerr)))
	}
	if e.status == http.StatusSwitchingProtocols {
		opts.ExcludeResponseBody = true // the socket's messages are not HTTP bodies
	}
	resp := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: e.status, Header: e.header, Options: opts}
	resp.SetBodyBytes(e.body)
	if verr := openapi3filter.ValidateResponse(ctx, resp); verr != nil {
		out = append(out, fmt.Sprintf("contract: %s (operation %s): answer does not match openapi.yaml: %s%s",
			e, route.Operation.OperationID, oneLine(verr), bodyHint(e)))
	}
	return out
}

// checkUnrouted judges an exchange on a path or method the spec does not
// have: the server must refuse it too, with the documented problem+json.
func (c *contract) checkUnrouted(e exchange, routeErr error) []string {
	if e.status < 400 {
		return []string{fmt.Sprintf("contract: %s: served but not in openapi.yaml (%v)", e, routeErr)}
	}
	if ct := e.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
		return []string{fmt.Sprintf("contract: %s (no operation in openapi.yaml): an error must be application/problem+json, got %q%s", e, ct, bodyHint(e))}
	}
	var v any
	if err := json.Unmarshal(e.body, &v); err != nil {
		return []string{fmt.Sprintf("contract: %s: problem+json body is not JSON: %v%s", e, err, bodyHint(e))}
	}
	if err := c.problem.VisitJSON(v, openapi3.MultiErrors(), openapi3.SetSchemaErrorMessageCustomizer(schemaMessage)); err != nil {
		return []string{fmt.Sprintf("contract: %s: answer does not match schema Problem: %s%s", e, oneLine(err), bodyHint(e))}
	}
	return nil
}

// inputRefusals are the answers that agree with the spec refusing a request: the
// input refused as such (400, 413, 415, 422), or the caller stopped before
// the input is looked at (401, 403, 404, 405, 429). A 409 or a 2xx to a
// request the spec refuses means spec and server disagree on the input.
var inputRefusals = map[int]bool{400: true, 401: true, 403: true, 404: true, 405: true, 413: true, 415: true, 422: true, 429: true}

// schemaMessage is a schema error in one line: where, why and the value
// found (shortened), without kin-openapi's dump of the whole schema.
func schemaMessage(err *openapi3.SchemaError) string {
	at := "/" + strings.Join(err.JSONPointer(), "/")
	why := err.Reason
	if err.Origin != nil {
		why = err.Origin.Error()
	}
	if why == "" {
		why = "does not match " + err.SchemaField
	}
	v, _ := json.Marshal(err.Value)
	return fmt.Sprintf("at %s: %s (value %s)", at, why, shorten(string(v), 120))
}

func bodyHint(e exchange) string {
	if len(e.body) == 0 || !strings.Contains(e.header.Get("Content-Type"), "json") {
		return ""
	}
	return "\n\tbody: " + shorten(string(e.body), 600)
}

func oneLine(err error) string { return strings.ReplaceAll(err.Error(), "\n", " ") }

func shorten(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// checkedTest is app.Test with the exchange checked against the contract;
// a violation fails t (the test that sent the request).
func checkedTest(t *testing.T, app *fiber.App, req *http.Request, msTimeout int) (*http.Response, error) {
	t.Helper()
	var reqBody []byte
	if req.Body != nil {
		reqBody, _ = io.ReadAll(req.Body)
		req.Body = io.NopCloser(bytes.NewReader(reqBody))
	}
	resp, err := app.Test(req, msTimeout)
	if err != nil {
		return resp, err
	}
	body, rerr := io.ReadAll(resp.Body)
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(body))
	if rerr != nil {
		return resp, rerr
	}
	for _, v := range contractViolations(exchange{req: req, reqBody: reqBody, status: resp.StatusCode, header: resp.Header, body: body}) {
		t.Error(v)
	}
	return resp, nil
}

func contractViolations(e exchange) []string {
	c, err := theContract()
	if err != nil {
		return []string{"contract: " + err.Error()}
	}
	return c.check(context.Background(), e)
}

// contractProxy is a validating reverse proxy in front of a server under
// test. Its findings are collected and reported when the test ends, because
// requests may come from the server's own goroutines or after the test body.
type contractProxy struct {
	mu     sync.Mutex
	found  []string
	server *http.Server
}

// captureKey carries a request's captured body from the proxy's Rewrite to
// its ModifyResponse.
type captureKey struct{}

// serveContractProxy serves on ln and forwards everything to upstream (the
// real listener), checking each exchange. It stops, and reports what it
// found, when the test ends.
func serveContractProxy(t *testing.T, ln net.Listener, upstream string) {
	t.Helper()
	target, err := url.Parse(upstream)
	if err != nil {
		t.Fatal(err)
	}
	p := &contractProxy{}
	rp := &httputil.ReverseProxy{
		Rewrite: func(r *httputil.ProxyRequest) {
			r.SetURL(target)
			r.Out.Host = r.In.Host // the server sees the address the client used (origins, signal URLs)
			buf := &lockedBuffer{}
			if r.In.Body != nil && r.In.Body != http.NoBody {
				// Streamed, not read first: a client may announce a body the
				// server refuses before it is sent (413 on Content-Length).
				r.Out.Body = struct {
					io.Reader
					io.Closer
				}{io.TeeReader(r.In.Body, buf), r.In.Body}
			}
			r.Out = r.Out.WithContext(context.WithValue(r.Out.Context(), captureKey{}, buf))
		},
		ModifyResponse: p.inspect,
		ErrorHandler: func(w http.ResponseWriter, r *http.Request, err error) {
			// A client that went away before the answer (a browser page
			// closed or navigated while its stream's WebSocket upgrade was
			// in flight) is no contract matter.
			if errors.Is(err, context.Canceled) && r.Context().Err() != nil {
				w.WriteHeader(http.StatusBadGateway)
				return
			}
			p.report(fmt.Sprintf("contract proxy: %s %s: upstream: %v", r.Method, r.URL.RequestURI(), err))
			w.WriteHeader(http.StatusBadGateway)
		},
		FlushInterval: -1, // CSV and other streamed answers flow as the server writes them
	}
	p.server = &http.Server{Handler: rp, ReadHeaderTimeout: 10 * time.Second}
	done := make(chan struct{})
	go func() { defer close(done); _ = p.server.Serve(ln) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = p.server.Shutdown(ctx) // hijacked WebSockets are the test's to close
		<-done
		p.mu.Lock()
		defer p.mu.Unlock()
		for _, f := range p.found {
			t.Error(f)
		}
	})
}

func (p *contractProxy) report(v ...string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.found = append(p.found, v...)
}

// inspect reads the answer whole, checks the exchange and hands the answer
// on unchanged. A 101 keeps its body: it is the upgraded connection.
func (p *contractProxy) inspect(resp *http.Response) error {
	var body []byte
	if resp.StatusCode != http.StatusSwitchingProtocols {
		var err error
		body, err = io.ReadAll(resp.Body)
		resp.Body.Close()
		resp.Body = io.NopCloser(bytes.NewReader(body))
		if err != nil {
			return err
		}
	}
	req := resp.Request
	var reqBody []byte
	if buf, ok := req.Context().Value(captureKey{}).(*lockedBuffer); ok {
		reqBody = []byte(buf.String())
	}
	p.report(contractViolations(exchange{req: req, reqBody: reqBody, status: resp.StatusCode, header: resp.Header, body: body})...)
	return nil
}

// catchAll maps a path under /console/ onto the spec's /console/{path}:
// its parameter holds slashes (assets/…, history-mode routes) or is empty
// (/console/ itself), which OpenAPI path templating cannot match, so the
// router sees one segment.
func catchAll(r *http.Request) *http.Request {
	const prefix = "/console/"
	rest, ok := strings.CutPrefix(r.URL.Path, prefix)
	if !ok || rest != "" && !strings.Contains(rest, "/") {
		return r
	}
	if rest == "" {
		rest = "index.html"
	}
	c := r.Clone(r.Context())
	c.URL.Path, c.URL.RawPath = prefix+strings.ReplaceAll(rest, "/", "_"), ""
	return c
}
