package main

import (
	"bytes"
	"encoding/csv"
	"regexp"
	"strings"
	"testing"
)

// csvRows parses a CSV answer (after its byte-order mark).
func csvRows(t *testing.T, raw []byte) [][]string {
	t.Helper()
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(raw, []byte("\ufeff")))).ReadAll()
	if err != nil {
		t.Fatalf("not CSV: %v\n%s", err, raw)
	}
	return rows
}

var (
	bareID      = regexp.MustCompile(`^[0-9]+$`)
	englishCode = regexp.MustCompile(`^[a-z][a-z_]*$`)
	hasHan      = regexp.MustCompile(`\p{Han}`)
)

// expectReadableCSV fails when a header is not Chinese or when a cell of one
// of the named columns (stations, people, firms, categories, states) holds an
// ID or an English code rather than what staff call it.
func expectReadableCSV(t *testing.T, report string, raw []byte, columns ...string) [][]string {
	t.Helper()
	rows := csvRows(t, raw)
	if len(rows) < 2 {
		t.Fatalf("%s CSV has no data rows:\n%s", report, raw)
	}
	index := map[string]int{}
	for i, h := range rows[0] {
		if !hasHan.MatchString(h) {
			t.Errorf("%s CSV header %q is not Chinese", report, h)
		}
		index[h] = i
	}
	for _, col := range columns {
		i, ok := index[col]
		if !ok {
			t.Fatalf("%s CSV has no column %s: %q", report, col, rows[0])
		}
		for _, row := range rows[1:] {
			if cell := row[i]; bareID.MatchString(cell) || englishCode.MatchString(cell) {
				t.Errorf("%s CSV column %s holds %q, not a name or a Chinese label (row %q)", report, col, cell, strings.Join(row, ","))
			}
		}
	}
	return rows
}
