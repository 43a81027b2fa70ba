package api

import "testing"

func TestCSVCellsCannotBeFormulas(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"a name stays", "张律师", "张律师"},
		{"a formula is defused", `=HYPERLINK("http://x","点我")`, `'=HYPERLINK("http://x","点我")`},
		{"a plus is defused", "+1+1", "'+1+1"},
		{"a minus formula is defused", "-2+3", "'-2+3"},
		{"an at sign is defused", "@SUM(A1)", "'@SUM(A1)"},
		{"a leading tab is defused", "\t=1", "'\t=1"},
		{"a negative number stays a number", "-12.5", "-12.5"},
		{"an empty cell stays empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := csvCell(tt.in); got != tt.want {
				t.Fatalf("csvCell(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestCSVFileNamesCannotForgeHeaders(t *testing.T) {
	for in, want := range map[string]string{
		"ledger-2026-11-30.csv":                           "ledger-2026-11-30.csv",
		`monthly-2026-11"; filename*=UTF-8''evil.exe.csv`: "monthly-2026-11___filename__UTF-8__evil.exe.csv",
		"monthly-\r\nSet-Cookie: x.csv":                   "monthly-__Set-Cookie__x.csv",
	} {
		if got := csvFileName(in); got != want {
			t.Errorf("csvFileName(%q) = %q, want %q", in, got, want)
		}
	}
}
