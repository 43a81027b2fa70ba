package domain

import (
	"strconv"
	"strings"
	"time"
)

// maxListDetail bounds the detail of a list read's audit line.
const maxListDetail = 500

// AuditOfList is the audit line of a list read of personal data: one line
// per page, naming what it showed by ID (never the data itself), so that a
// bulk read is as visible in the log as a read of one record.
func AuditOfList(a Actor, at time.Time, action, resourceType string, ids []int64) AuditEntry {
	var b strings.Builder
	b.WriteString(strconv.Itoa(len(ids)))
	b.WriteString(" shown:")
	for i, id := range ids {
		s := strconv.FormatInt(id, 10)
		if b.Len()+len(s)+5 > maxListDetail {
			b.WriteString(" …")
			break
		}
		if i > 0 {
			b.WriteByte(',')
		} else {
			b.WriteByte(' ')
		}
		b.WriteString(s)
	}
	return AuditOf(a, at, action, resourceType, 0, b.String())
}
