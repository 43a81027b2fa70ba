package api

import (
	"encoding/base64"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/tiaojie/tiaojie/domain"
)

// Lists are paged by an opaque cursor: the position after the last item of
// the previous page. Clients pass back next_cursor as it is.

const (
	defaultPageSize = 20
	maxPageSize     = 100
)

// pageQuery reads ?cursor= and ?limit= (capped at maxPageSize).
func pageQuery(c *fiber.Ctx) (before int64, limit int, err error) {
	var p domain.Problems
	limit = defaultPageSize
	if s := c.Query("limit"); s != "" {
		n, convErr := strconv.Atoi(s)
		if convErr != nil || n < 1 || n > maxPageSize {
			p.Add("limit", domain.FieldOutOfRange, "must be 1 to 100")
		} else {
			limit = n
		}
	}
	if s := c.Query("cursor"); s != "" {
		before, err = decodeCursor(s)
		if err != nil {
			p.Add("cursor", domain.FieldInvalid, "is not a cursor this server gave out")
		}
	}
	return before, limit, p.Err()
}

func encodeCursor(id int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte("id:" + strconv.FormatInt(id, 10)))
}

func decodeCursor(s string) (int64, error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return 0, err
	}
	n, err := strconv.ParseInt(strings.TrimPrefix(string(b), "id:"), 10, 64)
	if err != nil || n <= 0 || !strings.HasPrefix(string(b), "id:") {
		return 0, strconv.ErrSyntax
	}
	return n, nil
}

// pageOf is the envelope of every list.
type pageOf[T any] struct {
	Items      []T     `json:"items"`
	NextCursor *string `json:"next_cursor"`
}

// newPage wraps items; a full page has a next cursor after its last ID.
func newPage[T any](items []T, limit int, lastID func(T) int64) pageOf[T] {
	p := pageOf[T]{Items: items}
	if p.Items == nil {
		p.Items = []T{}
	}
	if len(items) == limit && limit > 0 {
		next := encodeCursor(lastID(items[len(items)-1]))
		p.NextCursor = &next
	}
	return p
}

// pathID reads a positive integer path parameter, answering 404 for anything
// else (an ID that cannot exist names nothing).
func pathID(c *fiber.Ctx, name string) (int64, error) {
	n, err := strconv.ParseInt(c.Params(name), 10, 64)
	if err != nil || n <= 0 {
		return 0, domain.Errorf(domain.KindNotFound, "resource.not_found", "No such resource.")
	}
	return n, nil
}
