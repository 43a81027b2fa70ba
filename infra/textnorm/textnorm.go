// Package textnorm brings names people type into one canonical form, so that
// spellings the eye or the database collation takes as equal are equal to
// every check (storage, lookup, rate limits) too.
package textnorm

import (
	"strings"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// Username is NFKC, then full case folding, then NFKC again (folding can
// leave a string unnormalised), with surrounding white space removed: the
// full-width ｐｏｌｉｃｅ２, POLICE2 and "police2 " all become police2.
// Trimming comes after NFKC, which turns the ideographic space U+3000 into
// a plain one.
func Username(s string) string {
	s = norm.NFKC.String(s)
	s = cases.Fold().String(s)
	s = norm.NFKC.String(s)
	return strings.TrimSpace(s)
}
