package warning_test

import (
	"context"
	"slices"
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

// flagBook is a DVFlagStore over fixed flags, counting its reads.
type flagBook struct {
	w.DVFlagStore
	filerPhones       map[int64]string
	people, household map[string]bool
	reads             int
}

func (b *flagBook) DVMatches(_ context.Context, filers []int64, phones, households []string) (w.DVMatch, error) {
	b.reads++
	m := w.DVMatch{Filers: map[int64]bool{}, Phones: map[string]bool{}, Households: map[string]bool{}}
	for _, f := range filers {
		m.Filers[f] = b.people[b.filerPhones[f]]
	}
	for _, p := range phones {
		m.Phones[p] = b.people[p]
	}
	for _, h := range households {
		m.Households[h] = b.household[h]
	}
	return m, nil
}

// A batch of filings is looked up in one read, and each filing is flagged
// by its own filer, parties or place only.
func TestDVHistoriesOfABatch(t *testing.T) {
	book := &flagBook{filerPhones: map[int64]string{1: "13700000001", 2: "13700000002"},
		people: map[string]bool{"13700000001": true, "13900000055": true}, household: map[string]bool{w.HouseholdKey("碧津社区3栋"): true}}
	s := &w.Service{DVFlags: book}
	qs := []w.DVQuery{
		{FilerID: 1}, // the flagged filer
		{FilerID: 2}, // nobody flagged
		{FilerID: 2, Phones: []string{"13900000001", "13900000055"}}, // a flagged party
		{FilerID: 2, Place: "碧津社区 ３栋"},                               // the flagged household, typed otherwise
		{FilerID: 2, Place: "碧津社区4栋", Phones: []string{"13900000002"}},
		{FilerID: 2, Place: "13900000055"}, // a phone is not a household
	}
	got, err := s.DVHistories(context.Background(), qs)
	if err != nil {
		t.Fatal(err)
	}
	if want := []bool{true, false, true, true, false, false}; !slices.Equal(got, want) {
		t.Fatalf("flagged %v, want %v", got, want)
	}
	if book.reads != 1 {
		t.Fatalf("%d reads for one batch, want 1", book.reads)
	}
	if none, err := (&w.Service{}).DVHistories(context.Background(), qs); err != nil || slices.Contains(none, true) {
		t.Fatalf("without flags kept: %v %v", none, err)
	}
}
