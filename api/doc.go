// Package api is Tiaojie's HTTP door: the Fiber app, its middleware, thin
// handlers (decode, validate, call one domain method, encode), and the one
// place where errors become HTTP statuses and problem+json bodies.
//
// api imports domain and never infra: cmd/tiaojie hands it the services.
package api
