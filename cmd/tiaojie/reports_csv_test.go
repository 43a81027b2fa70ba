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

// csvMainTable is a report CSV's main table: its header and rows through
// the 合计 row. The monthly and quarterly reports append sections after it
// (警法融合, 法律服务), each after an empty line.
func csvMainTable(t *testing.T, rows [][]string) [][]string {
	t.Helper()
	for i, r := range rows {
		if len(r) > 0 && r[0] == "合计" {
			return rows[:i+1]
		}
	}
	t.Fatalf("the CSV has no 合计 row: %q", rows)
	return nil
}

// csvSection is one section a report CSV carries after its main table: the
// rows from the title row to the next empty line, keyed by their first
// cell (trailing empty cells dropped). It fails when the section does not
// follow an empty line.
func csvSection(t *testing.T, raw []byte, title string) map[string][]string {
	t.Helper()
	text := strings.ReplaceAll(string(raw), "\r\n", "\n")
	start := strings.Index(text, "\n\n"+title+",")
	if start < 0 {
		t.Fatalf("the CSV has no section %s after an empty line:\n%s", title, raw)
	}
	block := text[start+2:]
	if end := strings.Index(block, "\n\n"); end >= 0 {
		block = block[:end+1]
	}
	r := csv.NewReader(strings.NewReader(block))
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatalf("section %s is not CSV: %v\n%s", title, err, block)
	}
	out := map[string][]string{}
	for _, row := range rows {
		for len(row) > 0 && row[len(row)-1] == "" {
			row = row[:len(row)-1]
		}
		if len(row) > 0 {
			out[row[0]] = row[1:]
		}
	}
	return out
}
