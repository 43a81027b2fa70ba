package api

import "net/http"

// methodLabel is the method as a metric label: one of the standard methods
// as a constant string, anything else "OTHER". The method Fiber reports
// for an unknown one lives in a request buffer that is reused; as a label
// it changed under the registry, and a few odd requests made /metrics
// answer 500 until restart. Constants also bound the label's values.
func methodLabel(m string) string {
	switch m {
	case http.MethodGet:
		return http.MethodGet
	case http.MethodHead:
		return http.MethodHead
	case http.MethodPost:
		return http.MethodPost
	case http.MethodPut:
		return http.MethodPut
	case http.MethodPatch:
		return http.MethodPatch
	case http.MethodDelete:
		return http.MethodDelete
	case http.MethodOptions:
		return http.MethodOptions
	}
	return "OTHER"
}
