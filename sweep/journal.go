package sweep

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"os"
	"strconv"
	"strings"

	"github.com/entrench/entrench/sim"
)

// JournalFile is the name of the append-only record of finished design
// points in a sweep folder. Each line is one point:
//
//	POINT \t ok \t REPLICATES {\t MEAN \t SD \t N} per metric {\t VALUE} \t CRC
//	POINT \t fail {\t REPLICATE \t MESSAGE} per failure \t CRC
//
// where the VALUEs are every summary metric (sim.SummaryNames) of every
// replicate, replicate by replicate, REPLICATES x sim.NumSummary of them
// ("NaN" where undefined): the rows of replicates.csv. Floats are in Go's
// shortest round-trip form, REPLICATE -1 for a point
// whose scenario failed to load or compile, and CRC the IEEE CRC-32 (8 hex
// digits) of the line before its last tab. A line is appended and synced
// as soon as its point finishes, so a crash loses only points in flight; a
// torn last line fails its checksum and is dropped on resume. Once all
// points are done the journal is rewritten in point order.
const JournalFile = "points.journal"

// metricStat is the across-replicate statistics of one metric at a point,
// over the replicates where it is defined.
type metricStat struct {
	mean, sd float64
	n        int
}

// failure is one failed replicate (or, with rep -1, a point whose
// scenario did not load).
type failure struct {
	rep int
	msg string
}

// record is one journal line.
type record struct {
	point int
	reps  int          // successful replicates (ok records)
	stats []metricStat // one per metric (ok records)
	// values holds every summary metric of every replicate, replicate by
	// replicate (reps x sim.NumSummary), or nothing (ok records).
	values []float64
	fails  []failure // failure records
}

func (r *record) ok() bool { return len(r.fails) == 0 }

// oneLine makes a message fit in a journal or CSV field on one line.
func oneLine(s string) string {
	return strings.NewReplacer("\t", " ", "\r\n", "; ", "\n", "; ", "\r", " ").Replace(s)
}

func (r *record) encode() []byte {
	var b bytes.Buffer
	b.WriteString(strconv.Itoa(r.point))
	if r.ok() {
		b.WriteString("\tok\t")
		b.WriteString(strconv.Itoa(r.reps))
		for _, s := range r.stats {
			fmt.Fprintf(&b, "\t%s\t%s\t%d", formatValue(s.mean), formatValue(s.sd), s.n)
		}
		for _, x := range r.values {
			b.WriteByte('\t')
			b.WriteString(formatValue(x))
		}
	} else {
		b.WriteString("\tfail")
		for _, f := range r.fails {
			fmt.Fprintf(&b, "\t%d\t%s", f.rep, oneLine(f.msg))
		}
	}
	fmt.Fprintf(&b, "\t%08x\n", crc32.ChecksumIEEE(b.Bytes()))
	return b.Bytes()
}

var errBadRecord = errors.New("sweep: bad journal record")

// decodeRecord parses one journal line (without its newline) of a sweep
// with the given number of metrics and points.
func decodeRecord(line []byte, metrics, points int) (record, error) {
	var r record
	cut := bytes.LastIndexByte(line, '\t')
	if cut < 0 {
		return r, errBadRecord
	}
	sum, err := strconv.ParseUint(string(line[cut+1:]), 16, 32)
	if err != nil || uint32(sum) != crc32.ChecksumIEEE(line[:cut]) {
		return r, errBadRecord
	}
	f := strings.Split(string(line[:cut]), "\t")
	if len(f) < 2 {
		return r, errBadRecord
	}
	if r.point, err = strconv.Atoi(f[0]); err != nil || r.point < 0 || r.point >= points {
		return r, errBadRecord
	}
	switch f[1] {
	case "ok":
		if len(f) < 3+3*metrics {
			return r, errBadRecord
		}
		if r.reps, err = strconv.Atoi(f[2]); err != nil || r.reps < 0 {
			return r, errBadRecord
		}
		if nv := len(f) - 3 - 3*metrics; nv != 0 && (r.reps > math.MaxInt32/sim.NumSummary || nv != r.reps*sim.NumSummary) {
			return r, errBadRecord
		}
		r.stats = make([]metricStat, metrics)
		for m := range r.stats {
			s := &r.stats[m]
			var e1, e2, e3 error
			s.mean, e1 = strconv.ParseFloat(f[3+3*m], 64)
			s.sd, e2 = strconv.ParseFloat(f[4+3*m], 64)
			s.n, e3 = strconv.Atoi(f[5+3*m])
			if e1 != nil || e2 != nil || e3 != nil {
				return r, errBadRecord
			}
		}
		if vs := f[3+3*metrics:]; len(vs) > 0 {
			r.values = make([]float64, len(vs))
			for i, v := range vs {
				if r.values[i], err = strconv.ParseFloat(v, 64); err != nil {
					return r, errBadRecord
				}
			}
		}
	case "fail":
		if len(f) < 4 || len(f)%2 != 0 {
			return r, errBadRecord
		}
		for i := 2; i < len(f); i += 2 {
			rep, err := strconv.Atoi(f[i])
			if err != nil {
				return r, errBadRecord
			}
			r.fails = append(r.fails, failure{rep, f[i+1]})
		}
	default:
		return r, errBadRecord
	}
	return r, nil
}

// journalEntry locates one point's line in a journal file.
type journalEntry struct {
	off int64
	n   int32 // line length with its newline
}

// scanJournal reads the journal at path and calls fn for every valid
// record, in file order, with its place in the file. It stops at the
// first line that is torn or corrupt and returns the offset where the
// valid prefix ends. A missing file is an empty journal.
func scanJournal(path string, metrics, points int, fn func(r record, at journalEntry)) (int64, error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 1<<16)
	var off int64
	for {
		line, err := br.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			// A line longer than the buffer: read the rest.
			full := append([]byte(nil), line...)
			for errors.Is(err, bufio.ErrBufferFull) {
				line, err = br.ReadSlice('\n')
				full = append(full, line...)
			}
			line = full
		}
		if err == io.EOF {
			return off, nil // a torn last line (no newline) is dropped
		}
		if err != nil {
			return off, err
		}
		rec, derr := decodeRecord(line[:len(line)-1], metrics, points)
		if derr != nil {
			return off, nil
		}
		fn(rec, journalEntry{off, int32(len(line))})
		off += int64(len(line))
	}
}

// readEntry reads the record at e of the open journal f.
func readEntry(f *os.File, e journalEntry, metrics, points int) (record, error) {
	buf := make([]byte, e.n)
	if _, err := f.ReadAt(buf, e.off); err != nil {
		return record{}, err
	}
	return decodeRecord(buf[:len(buf)-1], metrics, points)
}

// nan is a shorthand for math.NaN.
func nan() float64 { return math.NaN() }
