package casereview

import (
	"strings"
	"testing"
	"time"
)

func TestMaskedHidesThePartiesPersonalData(t *testing.T) {
	tests := []struct {
		name, text string
		names      []string
		want       string
	}{
		{"a party's name becomes a surname and 某", "李四与物业公司因停水发生争执", []string{"李四"}, "李某与物业公司因停水发生争执"},
		{"every occurrence", "张三欠王五货款，王五多次催讨", []string{"张三", "王五"}, "张某欠王某货款，王某多次催讨"},
		{"a longer name first, so no half-masked name is left", "张三丰与张三是父子", []string{"张三", "张三丰"}, "张某与张某是父子"},
		{"a phone number", "联系电话13800138000", nil, "联系电话138****8000"},
		{"an ID number", "身份证号500112198803150012", nil, "身份证号5001**********0012"},
		{"one-character names are not masked (they would eat the text)", "王某说", []string{"王"}, "王某说"},
		{"text without personal data stays", "物业公司恢复供水", []string{"李四"}, "物业公司恢复供水"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := NewMasker(tt.names).Text(tt.text); got != tt.want {
				t.Fatalf("%q, want %q", got, tt.want)
			}
		})
	}
	c := Masked(Facts{Case: Case{Description: "李四投诉", AgreementTerms: "李四分三期缴清，电话13900139000",
		Sessions: []Session{{HeldAt: time.Now(), Summary: "李四与物业代表赵六到场"}}}, Names: []string{"李四", "赵六"}})
	for _, s := range []string{c.Description, c.AgreementTerms, c.Sessions[0].Summary} {
		if strings.Contains(s, "李四") || strings.Contains(s, "赵六") || strings.Contains(s, "13900139000") {
			t.Errorf("personal data left in %q", s)
		}
	}
}
