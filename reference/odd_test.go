package reference

import (
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// oddRowRE matches a row of the hand-written parameter tables of
// docs/ODD.md §7.18: | symbol | `key` | unit | default | range | effect |.
var oddRowRE = regexp.MustCompile("(?m)^\\| [^|]* \\| `([a-z0-9_.\\[\\]*]+)` \\| [^|]* \\| ([^|]*) \\|")

// TestODDHandTablesAgree checks the defaults of the hand-written tables
// of docs/ODD.md §7.18 (which add symbols and effects) against the code,
// for every row whose key names one scenario key and whose default is a
// number.
func TestODDHandTablesAgree(t *testing.T) {
	data, err := os.ReadFile("../docs/ODD.md")
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	i := strings.Index(text, "### 7.18 Parameters")
	j := strings.Index(text, "<!-- BEGIN GENERATED: parameters -->")
	if i < 0 || j < i {
		t.Skip("docs/ODD.md has no §7.18 before its generated section")
	}
	secs, err := ScenarioSections("..")
	if err != nil {
		t.Fatal(err)
	}
	var rows []Row
	for _, s := range secs {
		rows = append(rows, s.Rows...)
	}
	checked := 0
	for _, m := range oddRowRE.FindAllStringSubmatch(text[i:j], -1) {
		key, said := m[1], strings.TrimSpace(m[2])
		x, err := strconv.ParseFloat(said, 64)
		if err != nil {
			continue // 1/2/4/8, −1 (keep), a date: not a single number
		}
		var match []Row
		for _, r := range rows {
			if r.Key == key || strings.HasSuffix(r.Key, "."+key) {
				match = append(match, r)
			}
		}
		if len(match) != 1 {
			continue
		}
		checked++
		if y, err := strconv.ParseFloat(match[0].Default, 64); err != nil || x != y {
			t.Errorf("docs/ODD.md §7.18: `%s` has default %s, the code (%s) has %s", key, said, match[0].Key, match[0].Default)
		}
	}
	if checked < 40 {
		t.Errorf("only %d rows of §7.18 checked: has the table format changed?", checked)
	}
	t.Logf("%d defaults of docs/ODD.md §7.18 agree with the code", checked)
}
