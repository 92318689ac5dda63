package sweep

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/entrench/entrench/scenarios"
)

// External is the design kind of an experiment run on an external design
// (WithDesign): the points are the rows of a CSV file.
const External = "external"

// DesignCopy is the external design as run, kept in the sweep folder so
// that Resume and Merge use the same points.
const DesignCopy = "design.csv"

// ErrDesign is wrapped by the errors of an external design file.
var ErrDesign = errors.New("sweep: bad design file")

// DesignError is a problem in an external design file, positioned like
// encoding/csv's ParseError: Line and Column are 1-based (Column counts
// fields, not bytes). It wraps ErrDesign and, for a value outside a
// factor's range, scenarios.ErrRange.
type DesignError struct {
	File         string
	Line, Column int
	Msg          string
	Err          error
}

// Error implements error: "FILE:LINE:COLUMN: message".
func (e *DesignError) Error() string {
	return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Column, e.Msg)
}

// Unwrap returns ErrDesign and the more specific sentinel, if any.
func (e *DesignError) Unwrap() []error {
	if e.Err == nil {
		return []error{ErrDesign}
	}
	return []error{ErrDesign, e.Err}
}

// WithDesign returns a copy of e that runs the design in data, the text of
// the CSV file named file, instead of its own: a header naming every
// factor once (in any order; other columns, such as a point number, are
// ignored) and one row per design point. Every value must be a number in
// its factor's range [min, max], one of its values, or a choice index 0
// to len-1; values are used as given (not rounded). The copy's design
// kind is External; its ID covers the design.
func (e *Experiment) WithDesign(file string, data []byte) (*Experiment, error) {
	r := csv.NewReader(bytes.NewReader(data))
	r.ReuseRecord = false
	pos := func(line, col int, sentinel error, format string, args ...any) error {
		return &DesignError{File: file, Line: line, Column: col, Msg: fmt.Sprintf(format, args...), Err: sentinel}
	}
	head, err := r.Read()
	if err == io.EOF {
		return nil, pos(1, 1, nil, "the design is empty: want a header naming the factors (%s) and one row per point", strings.Join(e.factorNames(), ", "))
	}
	if err != nil {
		return nil, csvErr(file, err)
	}
	cols := make([]int, len(e.Factors)) // column of each factor
	for i := range cols {
		cols[i] = -1
	}
	for c, h := range head {
		h = strings.TrimSpace(h)
		i := slices.IndexFunc(e.Factors, func(f Factor) bool { return f.Name == h })
		if i < 0 {
			continue
		}
		if cols[i] >= 0 {
			return nil, pos(1, c+1, scenarios.ErrDuplicate, "factor %s is already column %d", h, cols[i]+1)
		}
		cols[i] = c
	}
	for i, c := range cols {
		if c < 0 {
			return nil, pos(1, 1, scenarios.ErrRequired, "no column for factor %s: the header must name every factor (%s)", e.Factors[i].Name, strings.Join(e.factorNames(), ", "))
		}
	}
	var rows [][]float64
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, csvErr(file, err)
		}
		line, _ := r.FieldPos(0)
		x := make([]float64, len(e.Factors))
		for i, c := range cols {
			f := &e.Factors[i]
			s := strings.TrimSpace(rec[c])
			v, err := strconv.ParseFloat(s, 64)
			if err != nil || !finite(v) {
				return nil, pos(line, c+1, scenarios.ErrType, "factor %s: %q is not a finite number", f.Name, s)
			}
			if msg := f.allows(v); msg != "" {
				return nil, pos(line, c+1, scenarios.ErrRange, "factor %s: %s is out of range: %s", f.Name, formatValue(v), msg)
			}
			x[i] = v
		}
		rows = append(rows, x)
		if len(rows) > MaxPoints {
			return nil, pos(line, 1, scenarios.ErrRange, "more than %d points", MaxPoints)
		}
	}
	if len(rows) == 0 {
		return nil, pos(2, 1, scenarios.ErrRequired, "the design has a header but no points")
	}
	c := *e
	c.Design.Kind = External
	c.external = rows
	c.designData = append([]byte(nil), data...)
	return &c, nil
}

// csvErr positions an encoding/csv error.
func csvErr(file string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &DesignError{File: file, Line: pe.Line, Column: pe.Column, Msg: pe.Err.Error()}
	}
	return &DesignError{File: file, Line: 1, Column: 1, Msg: err.Error()}
}

// allows returns "" when v is a value the factor can take in an external
// design, or what it can take.
func (f *Factor) allows(v float64) string {
	switch {
	case len(f.Choices) > 0:
		if v != math.Trunc(v) || v < 0 || int(v) >= len(f.Choices) {
			names := make([]string, len(f.Choices))
			for i, c := range f.Choices {
				names[i] = fmt.Sprintf("%d (%s)", i, c.Name)
			}
			return "a choice index: " + strings.Join(names, ", ")
		}
	case len(f.Values) > 0:
		if !slices.Contains(f.Values, v) {
			vs := make([]string, len(f.Values))
			for i, x := range f.Values {
				vs[i] = formatValue(x)
			}
			return "one of the factor's values " + strings.Join(vs, ", ")
		}
	case v < f.Min || v > f.Max:
		return fmt.Sprintf("the factor's range is [%s, %s]", formatValue(f.Min), formatValue(f.Max))
	}
	return ""
}

func (e *Experiment) factorNames() []string {
	names := make([]string, len(e.Factors))
	for i, f := range e.Factors {
		names[i] = f.Name
	}
	return names
}
