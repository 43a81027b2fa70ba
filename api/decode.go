package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/tiaojie/tiaojie/domain"
)

// decodeJSON reads a JSON request body into dst strictly: the content type
// must be JSON, the body at most JSONLimit bytes, one value with no unknown
// fields (so that a client cannot set status, role or organisation by adding
// a field the handler does not expect).
func (s *Server) decodeJSON(c *fiber.Ctx, dst any) error {
	return decodeJSONBody(c.Get(fiber.HeaderContentType), c.Body(), s.cfg.JSONLimit, dst)
}

func decodeJSONBody(contentType string, body []byte, limit int, dst any) error {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
		return &httpError{Status: http.StatusUnsupportedMediaType, Code: "request.unsupported_media_type"}
	}
	if limit > 0 && len(body) > limit {
		return &httpError{Status: http.StatusRequestEntityTooLarge, Code: "request.too_large"}
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return &httpError{Status: http.StatusBadRequest, Code: "request.empty_body"}
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return jsonError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return &httpError{Status: http.StatusBadRequest, Code: "request.malformed_json"}
	}
	return nil
}

// jsonError turns encoding/json's complaints into field errors where a field
// is to blame, and into "malformed" otherwise.
func jsonError(err error) error {
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) {
		field := typeErr.Field
		if field == "" {
			return &httpError{Status: http.StatusBadRequest, Code: "request.malformed_json"}
		}
		return domain.Invalid(domain.FieldError{Field: field, Code: domain.FieldWrongType, Message: "must be of type " + typeErr.Type.String()})
	}
	if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		return domain.Invalid(domain.FieldError{Field: strings.Trim(name, `"`), Code: domain.FieldUnknown, Message: "is not an accepted field"})
	}
	return &httpError{Status: http.StatusBadRequest, Code: "request.malformed_json"}
}

// pathIDAndBody reads the numeric path parameter name, then the strict JSON
// body into dst: the opening of every action on one resource.
func (s *Server) pathIDAndBody(c *fiber.Ctx, name string, dst any) (int64, error) {
	id, err := pathID(c, name)
	if err != nil {
		return 0, err
	}
	return id, s.decodeJSON(c, dst)
}
