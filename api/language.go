package api

import (
	"strconv"
	"strings"
)

// language is the language of human-readable messages: Chinese unless the
// client prefers English.
type language int

const (
	chinese language = iota
	english
)

// preferredLanguage reads an Accept-Language header ("en-US,en;q=0.9,zh;q=0.5")
// and picks Chinese or English by quality; Chinese wins ties and unknowns.
func preferredLanguage(header string) language {
	bestQ := map[language]float64{chinese: -1, english: -1}
	for i, part := range strings.Split(header, ",") {
		if i >= 16 {
			break // a header this long is abuse; what we have is enough
		}
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		q := 1.0
		if k, v, ok := strings.Cut(strings.TrimSpace(params), "="); ok && strings.TrimSpace(k) == "q" {
			parsed, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			if err != nil || parsed < 0 || parsed > 1 {
				continue
			}
			q = parsed
		}
		tag = strings.ToLower(strings.TrimSpace(tag))
		var l language
		switch {
		case tag == "zh" || strings.HasPrefix(tag, "zh-"):
			l = chinese
		case tag == "en" || strings.HasPrefix(tag, "en-"):
			l = english
		default:
			continue
		}
		if q > bestQ[l] {
			bestQ[l] = q
		}
	}
	if bestQ[english] > 0 && bestQ[english] > bestQ[chinese] {
		return english
	}
	return chinese
}
