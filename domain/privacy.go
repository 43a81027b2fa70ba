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

var (
	mobileInText   = regexp.MustCompile(`(^|\D)(1[3-9]\d{9})(\D|$)`)
	idNumberInText = regexp.MustCompile(`(^|\D)(\d{17}[\dXx])(\W|$)`)
	tokenInText    = regexp.MustCompile(`eyJ[\w-]{4,}\.[\w-]{4,}\.[\w-]*`)
)

// RedactPersonalData masks mobile numbers, resident ID numbers and JWTs that
// appear anywhere in free text. It is the last line of defence for logs; code
// should not put such data in log lines in the first place.
func RedactPersonalData(s string) string {
	if s == "" {
		return s
	}
	s = tokenInText.ReplaceAllString(s, "[token]")
	s = idNumberInText.ReplaceAllStringFunc(s, func(m string) string {
		p := idNumberInText.FindStringSubmatch(m)
		return p[1] + MaskIDNumber(p[2]) + p[3]
	})
	return mobileInText.ReplaceAllStringFunc(s, func(m string) string {
		p := mobileInText.FindStringSubmatch(m)
		return p[1] + MaskPhone(p[2]) + p[3]
	})
}
