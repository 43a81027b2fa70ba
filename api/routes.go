package api

// routes registers every endpoint. Each one must also be in openapi.yaml:
// TestServedRoutesMatchTheSpec fails on any difference, either way.
func (s *Server) routes(d Deps, docs *docsPage) {
	app := s.app
	app.Get("/healthz", s.healthz)
	app.Get("/readyz", s.readyz)
	app.Get("/metrics", metricsHandler(d.Registry))
	app.Get("/docs", docs.page)
	app.Get("/openapi.yaml", docs.yaml)
}
