package casereview

import (
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/tiaojie/tiaojie/domain"
)

// maskName cuts a person's name to its first character and 某 (张三 → 张某),
// as Chinese case write-ups name parties.
func maskName(name string) string {
	r, _ := utf8.DecodeRuneInString(name)
	return string(r) + "某"
}

// Masker hides personal data in a case's texts.
type Masker struct{ names []string }

// NewMasker masks the names given (two characters or more; longest first,
// so that 张三丰 is not left as 张某丰) besides phone and ID numbers.
func NewMasker(names []string) Masker {
	var keep []string
	for _, n := range names {
		if n = strings.TrimSpace(n); utf8.RuneCountInString(n) >= 2 && !slices.Contains(keep, n) {
			keep = append(keep, n)
		}
	}
	slices.SortFunc(keep, func(a, b string) int { return utf8.RuneCountInString(b) - utf8.RuneCountInString(a) })
	return Masker{names: keep}
}

// Text is s with the names and the phone and ID numbers masked.
func (m Masker) Text(s string) string {
	for _, n := range m.names {
		s = strings.ReplaceAll(s, n, maskName(n))
	}
	return domain.RedactPersonalData(s)
}

// Masked is the library's view of facts: texts masked, names and places
// left out.
func Masked(f Facts) Case {
	m := NewMasker(f.Names)
	c := f.Case
	c.Description, c.AgreementTerms = m.Text(c.Description), m.Text(c.AgreementTerms)
	c.Sessions = make([]Session, len(f.Sessions))
	for i, s := range f.Sessions {
		c.Sessions[i] = Session{HeldAt: s.HeldAt, Summary: m.Text(s.Summary)}
	}
	return c
}
