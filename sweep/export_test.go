package sweep

import (
	"math"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// TestExportedJournal round-trips records through AppendRecord and
// ScanJournal, drops a torn last line, and sorts two journals into one.
func TestExportedJournal(t *testing.T) {
	dir := t.TempDir()
	f, err := os.OpenFile(filepath.Join(dir, JournalFile), os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	recs := []Record{
		{Point: 2, Reps: 3, Stats: []Stat{{0.5, 0.1, 3}, {math.NaN(), math.NaN(), 0}}},
		{Point: 0, Reps: 3, Stats: []Stat{{-1.25, 0, 3}, {2, 1, 2}}},
	}
	for _, r := range recs {
		if err := AppendRecord(f, r); err != nil {
			t.Fatal(err)
		}
	}
	f.WriteString("1\tok\t3\t0.1") // torn
	f.Close()
	var got []Record
	valid, err := ScanJournal(dir, 2, 3, func(r Record) { got = append(got, r) })
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Point != 2 || got[1].Stats[0].Mean != -1.25 || !math.IsNaN(got[0].Stats[1].Mean) || got[1].Stats[1].N != 2 {
		t.Fatalf("scanned %+v", got)
	}
	if want := int64(len(recs[0].Encode()) + len(recs[1].Encode())); valid != want {
		t.Errorf("valid prefix %d, want %d", valid, want)
	}
	out := t.TempDir()
	if err := os.Truncate(filepath.Join(dir, JournalFile), valid); err != nil {
		t.Fatal(err)
	}
	if err := SortJournals(out, []string{dir}, 2, 3); err != nil {
		t.Fatal(err)
	}
	var sorted []int
	if _, err := ScanJournal(out, 2, 3, func(r Record) { sorted = append(sorted, r.Point) }); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(sorted, []int{0, 2}) {
		t.Errorf("sorted points %v", sorted)
	}
	if k, n, err := CheckShard(0, 0); err != nil || k != 0 || n != 1 {
		t.Errorf("CheckShard(0, 0) = %d, %d, %v", k, n, err)
	}
	if _, _, err := CheckShard(3, 3); err == nil {
		t.Error("shard 3/3 accepted")
	}
	if ShardSize(10, 1, 4) != 3 {
		t.Error("ShardSize(10, 1, 4)")
	}
	l, err := LockDir(out, SlurmJob{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(out, LockFile)); err != nil {
		t.Error(err)
	}
	l.Release()
	if _, err := os.Stat(filepath.Join(out, LockFile)); !os.IsNotExist(err) {
		t.Errorf("lock not released: %v", err)
	}
}
