// Package tiaojie holds what belongs to the repository as a whole: the API
// contract, embedded so that the binary serves and checks the very file that
// is reviewed.
package tiaojie

import _ "embed"

// OpenAPI is openapi.yaml, the contract of every HTTP route.
//
//go:embed openapi.yaml
var OpenAPI []byte
