// Package apiclient is a Go client for the Tiaojie API, generated from
// openapi.yaml by oapi-codegen. It proves that the contract generates a
// compiling client (TestGeneratedClientIsCurrent keeps it in step) and serves
// the load tool and end-to-end tests. Do not edit client.gen.go by hand:
// run `make generate`.
package apiclient

//go:generate go tool oapi-codegen -generate types,client -package apiclient -o client.gen.go ../../openapi.yaml
