package output

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"strconv"

	"github.com/entrench/entrench/sim"
)

// Names of the files written by this package.
const (
	RunsFile       = "runs.csv"
	EventsFile     = "events.csv"
	FailuresFile   = "failures.csv"
	TimeseriesFile = "timeseries.csv"
	ManifestFile   = "manifest.json"
)

// csvBuffer is the buffer size of each streamed CSV file, in bytes.
const csvBuffer = 1 << 16

// RunWriter streams one row per run to runs.csv, one row per fired event
// to events.csv and one row per failed run to failures.csv. Memory use does
// not grow with the number of runs. It implements sim's Sink: the engine
// calls Consume in replicate order from one goroutine. Rows are written in
// the order Consume is called.
//
// The files, all with a header row (columns after the optional leading
// "point" column, which holds RunResult.Point and is present only when the
// writer was made with point true):
//
//	runs.csv:     replicate, then sim.SummaryNames in order
//	              (final_cooperation, ..., exchanged_promoted_share);
//	              an undefined (NaN) summary is an empty field.
//	events.csv:   replicate,tick,date,kind,name,scheduled,severity,
//	              cooperation_before,cooperation_after
//	              (date is YYYY-MM, scheduled is true or false).
//	failures.csv: replicate,error
//
// A failed run (RunResult.Err != nil) appears only in failures.csv. Floats
// use FloatDigits significant digits. The files appear under their names
// only on a successful Close; Abort (or a failed Close) leaves no file.
type RunWriter struct {
	point     bool
	files     [3]*AtomicFile
	csvs      [3]*csv.Writer
	rec       []string
	err       error
	closed    bool
	completed int
	failed    int
}

const (
	fileRuns = iota
	fileEvents
	fileFailures
)

var runFileNames = [3]string{RunsFile, EventsFile, FailuresFile}

// NewRunWriter starts runs.csv, events.csv and failures.csv in folder dir,
// which must exist. If point is true every file gets a leading "point"
// column (for design sweeps).
func NewRunWriter(dir string, point bool) (*RunWriter, error) {
	w := &RunWriter{point: point}
	headers := [3][]string{
		append([]string{"replicate"}, sim.SummaryNames[:]...),
		{"replicate", "tick", "date", "kind", "name", "scheduled", "severity", "cooperation_before", "cooperation_after"},
		{"replicate", "error"},
	}
	for i, name := range runFileNames {
		f, err := CreateAtomic(dir, name)
		if err != nil {
			w.Abort()
			return nil, err
		}
		w.files[i] = f
		w.csvs[i] = csv.NewWriter(bufio.NewWriterSize(f, csvBuffer))
		h := headers[i]
		if point {
			h = append([]string{"point"}, h...)
		}
		if err := w.csvs[i].Write(h); err != nil {
			w.Abort()
			return nil, err
		}
	}
	return w, nil
}

// Files returns the names of the files the writer produces, in a fixed
// order, for the manifest.
func (w *RunWriter) Files() []string { return append([]string(nil), runFileNames[:]...) }

// Completed returns the number of successful runs consumed so far.
func (w *RunWriter) Completed() int { return w.completed }

// Failed returns the number of failed runs consumed so far.
func (w *RunWriter) Failed() int { return w.failed }

// Consume writes one run's rows. It keeps nothing of r. After the first
// write error every call returns that error.
func (w *RunWriter) Consume(r *sim.RunResult) error {
	if w.closed {
		return ErrClosed
	}
	if w.err != nil {
		return w.err
	}
	if r.Err != nil {
		w.failed++
		w.write(fileFailures, append(w.start(r), r.Err.Error()))
		return w.err
	}
	w.completed++
	row := w.start(r)
	for _, x := range r.Summary {
		row = append(row, FormatFloat(x))
	}
	w.write(fileRuns, row)
	for i := range r.Events {
		if w.err != nil {
			break
		}
		e := &r.Events[i]
		w.write(fileEvents, append(w.start(r), strconv.Itoa(e.Tick), e.Date.String(), e.Kind, e.Name,
			strconv.FormatBool(e.Scheduled), FormatFloat(e.Severity),
			FormatFloat(e.CooperationBefore), FormatFloat(e.CooperationAfter)))
	}
	return w.err
}

// start returns the reusable record holding the leading columns of r's
// rows: point (if enabled) and replicate.
func (w *RunWriter) start(r *sim.RunResult) []string {
	w.rec = w.rec[:0]
	if w.point {
		w.rec = append(w.rec, strconv.Itoa(r.Point))
	}
	return append(w.rec, strconv.Itoa(r.Replicate))
}

// write writes one record to file i, keeping the first error.
func (w *RunWriter) write(i int, rec []string) {
	w.rec = rec // keep a grown buffer for the next row
	if err := w.csvs[i].Write(rec); err != nil && w.err == nil {
		w.err = fmt.Errorf("output: writing %s: %w", w.files[i].Name(), err)
	}
}

// Close flushes the three files and moves them into place. If any write
// failed, Close removes them all and returns the first error. Close after
// Close or Abort returns ErrClosed.
func (w *RunWriter) Close() error {
	if w.closed {
		return ErrClosed
	}
	for i, c := range w.csvs {
		c.Flush()
		if err := c.Error(); err != nil && w.err == nil {
			w.err = fmt.Errorf("output: writing %s: %w", w.files[i].Name(), err)
		}
	}
	if w.err != nil {
		w.Abort()
		return w.err
	}
	w.closed = true
	var errs []error
	for _, f := range w.files {
		errs = append(errs, f.Commit())
	}
	return errors.Join(errs...)
}

// Abort removes the temporary files; no output file appears. It is a
// no-op after Close, so it can be deferred.
func (w *RunWriter) Abort() {
	w.closed = true
	for _, f := range w.files {
		if f != nil {
			f.Abort()
		}
	}
}
