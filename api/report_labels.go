package api

import (
	"context"
	"slices"
	"strconv"
)

// NameBook names what reports list by ID. CSV reports are read by staff in a
// spreadsheet, so they carry names and Chinese labels; JSON answers keep the
// IDs and codes for programs.
type NameBook interface {
	OrgNames(ctx context.Context, ids []int64) (map[int64]string, error)
	StaffNames(ctx context.Context, ids []int64) (map[int64]string, error)
	CategoryLabels(ctx context.Context) (map[string]string, error)
}

// Chinese labels of the codes that appear in reports. An unknown code is
// shown as it is rather than dropped.
var (
	kindLabels = map[string]string{"mediation": "矛盾纠纷调解", "consultation": "法律咨询", "drafting": "代写文书"}
	// statusLabels also label a request's outcome, which is one of its statuses.
	statusLabels = map[string]string{"filed": "已提交", "screened": "已筛选", "assigned": "已分派", "in_mediation": "调解中",
		"agreed": "调解成功", "failed": "调解不成", "referred_to_litigation": "转诉讼", "closed": "已办结", "followed_up": "已回访",
		"rejected": "不予受理", "withdrawn": "已撤回"}
	classificationLabels = map[string]string{"civil": "民事", "public_security": "治安", "minor_criminal_civil": "轻微刑事附民事"}
	feeTierLabels        = map[string]string{"high": "高", "mid": "中", "low": "低"}
)

func label(labels map[string]string, code string) string {
	if l, ok := labels[code]; ok {
		return l
	}
	return code
}

// reportNames resolves the IDs and category codes of one report in a few
// lookups. Without a NameBook (tests of the bare router) it shows IDs.
type reportNames struct {
	orgNames, staffNames map[int64]string
	categories           map[string]string
}

func (s *Server) lookupNames(ctx context.Context, orgIDs, staffIDs []int64, categories bool) (reportNames, error) {
	var n reportNames
	if s.names == nil {
		return n, nil
	}
	var err error
	if n.orgNames, err = s.names.OrgNames(ctx, compactIDs(orgIDs)); err != nil {
		return n, err
	}
	if n.staffNames, err = s.names.StaffNames(ctx, compactIDs(staffIDs)); err != nil {
		return n, err
	}
	if categories {
		n.categories, err = s.names.CategoryLabels(ctx)
	}
	return n, err
}

func compactIDs(ids []int64) []int64 {
	out := slices.DeleteFunc(slices.Clone(ids), func(id int64) bool { return id == 0 })
	slices.Sort(out)
	return slices.Compact(out)
}

func (n reportNames) org(id int64) string   { return nameOr(n.orgNames, id) }
func (n reportNames) staff(id int64) string { return nameOr(n.staffNames, id) }
func (n reportNames) category(code string) string {
	return label(n.categories, code)
}

func nameOr(names map[int64]string, id int64) string {
	if id == 0 {
		return ""
	}
	if s, ok := names[id]; ok {
		return s
	}
	return strconv.FormatInt(id, 10)
}
