package api

import (
	"strconv"
	"strings"
)

// csvCell defuses a cell a spreadsheet would run as a formula (staff names
// and free text are typed by people: "=HYPERLINK(…)" in a name once became
// a live formula in a supervisor's Excel). A cell starting with = + - @, a
// tab or a carriage return gets a leading apostrophe, unless it is a plain
// number (a negative figure stays a number).
func csvCell(s string) string {
	if s == "" || !strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return s
	}
	if _, err := strconv.ParseFloat(s, 64); err == nil {
		return s
	}
	return "'" + s
}

// csvFileName keeps only characters that cannot break out of the quoted
// filename of a Content-Disposition header (a query value such as month=
// went into it verbatim and could forge filename*).
func csvFileName(name string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_', r == '.':
			return r
		}
		return '_'
	}, name)
}
