package sweep

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
)

// sortJournal writes the records of the journals at paths, in point
// order, to JournalFile in folder dir, atomically. want, if not nil,
// reports the points expected (all others are an error); where a point
// appears more than once, its first record is kept. The journals must
// have been scanned valid.
//
// It holds at most two files open whatever the number of journals (a
// merge of thousands of shards must not run out of file descriptors):
// the journals are indexed one after the other, each point's place in the
// output follows from the lengths of the lines before it, and each
// journal is then opened once to copy its lines to their places.
func sortJournal(dir string, paths []string, metrics, points int, want func(int) bool) error {
	index := make([]journalEntry, points)
	src := make([]int32, points)
	for i := range src {
		src[i] = -1
	}
	for fi, path := range paths {
		if _, err := scanJournal(path, metrics, points, func(r record, at journalEntry) {
			if src[r.point] < 0 {
				src[r.point], index[r.point] = int32(fi), at
			}
		}); err != nil {
			return err
		}
	}
	// Each journal's points in point order, with their offsets in the
	// output.
	moves := make([][]lineMove, len(paths))
	var size int64
	for i := range points {
		if src[i] < 0 {
			continue
		}
		if want != nil && !want(i) {
			return fmt.Errorf("%w: point %d does not belong here", ErrMismatch, i)
		}
		e := index[i]
		moves[src[i]] = append(moves[src[i]], lineMove{e.off, size, e.n})
		size += int64(e.n)
	}
	out, err := os.CreateTemp(dir, "."+JournalFile+".*.tmp")
	if err != nil {
		return err
	}
	tmp := out.Name()
	committed := false
	defer func() {
		if !committed {
			out.Close()
			os.Remove(tmp)
		}
	}()
	if err := out.Truncate(size); err != nil {
		return err
	}
	for fi, path := range paths {
		if len(moves[fi]) == 0 {
			continue
		}
		if err := copyLines(out, path, moves[fi]); err != nil {
			return err
		}
		moves[fi] = nil
	}
	err = out.Sync()
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp, 0o644)
	}
	if err == nil {
		err = os.Rename(tmp, filepath.Join(dir, JournalFile))
	}
	if err != nil {
		return fmt.Errorf("sweep: writing %s: %w", filepath.Join(dir, JournalFile), err)
	}
	committed = true
	return nil
}

// lineMove is a journal line to copy: n bytes from offset from of a
// journal to offset to of the sorted journal.
type lineMove struct {
	from, to int64
	n        int32
}

// copyLines copies lines of the journal at path to out. Moves are in
// increasing order of to; runs of lines that are contiguous in out are
// written at once.
func copyLines(out *os.File, path string, moves []lineMove) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	buf := make([]byte, 0, 1<<16)
	var at int64 // offset in out of buf[0]
	flush := func() error {
		if len(buf) == 0 {
			return nil
		}
		_, err := out.WriteAt(buf, at)
		buf = buf[:0]
		return err
	}
	for _, m := range moves {
		if len(buf) > 0 && (at+int64(len(buf)) != m.to || len(buf)+int(m.n) > cap(buf)) {
			if err := flush(); err != nil {
				return err
			}
		}
		if len(buf) == 0 {
			at = m.to
		}
		start := len(buf)
		buf = slices.Grow(buf, int(m.n))[:start+int(m.n)]
		if _, err := f.ReadAt(buf[start:], m.from); err != nil {
			return fmt.Errorf("sweep: reading %s: %w", path, err)
		}
	}
	return flush()
}
