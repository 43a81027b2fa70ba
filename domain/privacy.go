package domain

import (
	"regexp"
	"strings"
)

// MaskPhone keeps the first three and last four digits of a phone number
// (138****0000), the form Chinese services show to people who need to
// recognise a number but not to dial it.
func MaskPhone(phone string) string {
	if len(phone) < 7 {
		return strings.Repeat("*", len(phone))
	}
	return phone[:3] + strings.Repeat("*", len(phone)-7) + phone[len(phone)-4:]
}

// MaskIDNumber keeps the region prefix and the last four characters of a
// resident ID number (3301**********1234).
func MaskIDNumber(id string) string {
	if len(id) < 8 {
		return strings.Repeat("*", len(id))
	}
	return id[:4] + strings.Repeat("*", len(id)-8) + id[len(id)-4:]
}

var tokenInText = regexp.MustCompile(`eyJ[\w-]{4,}\.[\w-]{4,}\.[\w-]*`)

// RedactPersonalData masks mobile numbers, resident ID numbers and JWTs that
// appear anywhere in free text. It is the last line of defence for logs; code
// should not put such data in log lines in the first place.
func RedactPersonalData(s string) string {
	if s == "" {
		return s
	}
	s = tokenInText.ReplaceAllString(s, "[token]")
	return maskDigitRuns(s)
}

// maskDigitRuns masks every run of digits that is a mobile number (11
// digits, 1[3-9]…) or a resident ID number (17 digits and a digit or X, not
// followed by a letter). It walks the runs themselves: regular expressions
// that consumed the separator between two numbers let the second of
// "13800138000,13900139000" through in full.
func maskDigitRuns(s string) string {
	var b strings.Builder
	i := 0
	for i < len(s) {
		if !isDigit(s[i]) {
			b.WriteByte(s[i])
			i++
			continue
		}
		j := i
		for j < len(s) && isDigit(s[j]) {
			j++
		}
		run := s[i:j]
		if len(run) == 17 && j < len(s) && (s[j] == 'X' || s[j] == 'x') {
			run, j = s[i:j+1], j+1
		}
		wordAfter := j < len(s) && (isDigit(s[j]) || s[j] == '_' || (s[j]|0x20 >= 'a' && s[j]|0x20 <= 'z'))
		switch {
		case len(run) == 18 && !wordAfter:
			b.WriteString(MaskIDNumber(run))
		case len(run) == 11 && run[0] == '1' && run[1] >= '3' && run[1] <= '9':
			b.WriteString(MaskPhone(run))
		default:
			b.WriteString(run)
		}
		i = j
	}
	return b.String()
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
