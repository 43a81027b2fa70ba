package warning_test

import (
	"testing"

	w "github.com/tiaojie/tiaojie/domain/warning"
)

func TestHouseholdKey(t *testing.T) {
	tests := []struct{ name, a, b string }{
		{"spaces do not matter", "碧津社区 3栋 2单元", "碧津社区3栋2单元"},
		{"full-width digits are digits", "碧津社区３栋２单元", "碧津社区3栋2单元"},
		{"letters fold to lower case", "碧津社区B座", "碧津社区ｂ座"},
	}
	for _, tc := range tests {
		if w.HouseholdKey(tc.a) != w.HouseholdKey(tc.b) {
			t.Errorf("%s: %q and %q are different households (%q, %q)", tc.name, tc.a, tc.b, w.HouseholdKey(tc.a), w.HouseholdKey(tc.b))
		}
	}
	if w.HouseholdKey("碧津社区3栋") == w.HouseholdKey("碧津社区4栋") {
		t.Error("two buildings are one household")
	}
}
