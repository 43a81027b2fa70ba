package account

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tiaojie/tiaojie/domain"
)

// OrgKind is what an organisation is.
type OrgKind string

const (
	OrgDistrict        OrgKind = "district"         // 分局: the root of a tree
	OrgStation         OrgKind = "station"          // 派出所
	OrgDetentionCenter OrgKind = "detention_center" // 拘留所
	OrgJusticeOffice   OrgKind = "justice_office"   // 司法所
	OrgLawFirm         OrgKind = "law_firm"         // 律所
	OrgLegalService    OrgKind = "legal_service"    // 基层法律服务所: legal-service workers beside a station and a justice office
	OrgPartner         OrgKind = "partner"          // 法院执行局, 司法局, 妇联, volunteers …
)

// Org is one organisation. Path lists the IDs from the root ("/1/4/"), so a
// subtree is one prefix query.
type Org struct {
	ID        int64
	ParentID  int64
	Kind      OrgKind
	Name      string
	Path      string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// ValidOrgKind reports whether k is known.
func ValidOrgKind(k OrgKind) bool {
	switch k {
	case OrgDistrict, OrgStation, OrgDetentionCenter, OrgJusticeOffice, OrgLawFirm, OrgLegalService, OrgPartner:
		return true
	}
	return false
}

// Contains reports whether other lies in o's subtree (o included).
func (o Org) Contains(other Org) bool { return strings.HasPrefix(other.Path, o.Path) }

func validateOrgName(name string) (string, error) {
	name = strings.TrimSpace(name)
	switch n := utf8.RuneCountInString(name); {
	case n == 0:
		return "", domain.Invalid(domain.FieldError{Field: "name", Code: domain.FieldRequired, Message: "is required"})
	case n > 100:
		return "", domain.Invalid(domain.FieldError{Field: "name", Code: domain.FieldTooLong, Message: "is too long"})
	}
	return name, nil
}
