// Package observed provides the observed series and dated facts of this
// folder (see README.md for their sources), embedded in the program, for
// calibration.
package observed

import (
	"bytes"
	_ "embed"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/entrench/entrench/scenarios"
)

//go:embed series.csv
var seriesCSV []byte

//go:embed facts.csv
var factsCSV []byte

// ErrData is wrapped by the errors of a malformed data file.
var ErrData = errors.New("observed: bad data file")

// Point is one observed value of a series.
type Point struct {
	// Date is the month of the value; for a yearly value (Yearly true) it
	// is January of that year.
	Date   scenarios.Month
	Yearly bool
	Value  float64
	// Uncertainty is the standard error where the source allows one to
	// be computed, NaN otherwise.
	Uncertainty float64
	Unit        string
	Source      string
}

// Fact is one dated fact.
type Fact struct {
	ID      string
	Date    scenarios.Month
	Kind    string // suspension, resumption, contract, ...
	Channel string // the model's channel kind, e.g. political
	Source  string
}

// Data holds series by id (points in file order, which is by date within
// a series) and facts by id. It is read-only once built.
type Data struct {
	Series map[string][]Point
	Facts  map[string]Fact
}

// Embedded returns the data of this folder as compiled into the program.
func Embedded() (*Data, error) {
	return Parse(seriesCSV, factsCSV)
}

// Parse reads the series.csv and facts.csv formats described in README.md.
func Parse(series, facts []byte) (*Data, error) {
	d := &Data{Series: map[string][]Point{}, Facts: map[string]Fact{}}
	err := readCSV("series.csv", series, []string{"date", "series", "value", "unit", "uncertainty", "source_id", "note"}, func(line int, r []string) error {
		m, yearly, err := parseDate(r[0])
		if err != nil {
			return err
		}
		v, err := strconv.ParseFloat(r[2], 64)
		if err != nil {
			return fmt.Errorf("value %q is not a number", r[2])
		}
		u := math.NaN()
		if r[4] != "" {
			if u, err = strconv.ParseFloat(r[4], 64); err != nil {
				return fmt.Errorf("uncertainty %q is not a number", r[4])
			}
		}
		d.Series[r[1]] = append(d.Series[r[1]], Point{Date: m, Yearly: yearly, Value: v, Uncertainty: u, Unit: r[3], Source: r[5]})
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = readCSV("facts.csv", facts, []string{"date", "fact_id", "kind", "channel", "value", "source_id", "note"}, func(line int, r []string) error {
		m, yearly, err := parseDate(r[0])
		if err != nil {
			return err
		}
		if yearly {
			return fmt.Errorf("fact date %q must be a month YYYY-MM", r[0])
		}
		if _, dup := d.Facts[r[1]]; dup {
			return fmt.Errorf("fact %q appears twice", r[1])
		}
		d.Facts[r[1]] = Fact{ID: r[1], Date: m, Kind: r[2], Channel: r[3], Source: r[5]}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return d, nil
}

// parseDate reads YYYY (yearly) or YYYY-MM.
func parseDate(s string) (scenarios.Month, bool, error) {
	if len(s) == 4 {
		y, err := strconv.Atoi(s)
		if err != nil {
			return 0, false, fmt.Errorf("date %q is not YYYY or YYYY-MM", s)
		}
		return scenarios.Month(y * 12), true, nil
	}
	m, err := scenarios.ParseMonth(s)
	if err != nil {
		return 0, false, fmt.Errorf("date %q is not YYYY or YYYY-MM", s)
	}
	return m, false, nil
}

func readCSV(name string, b []byte, header []string, row func(line int, r []string) error) error {
	r := csv.NewReader(bytes.NewReader(b))
	r.FieldsPerRecord = len(header)
	h, err := r.Read()
	if err != nil {
		return fmt.Errorf("%w: %s: %w", ErrData, name, err)
	}
	if strings.Join(h, ",") != strings.Join(header, ",") {
		return fmt.Errorf("%w: %s: header %q, want %q", ErrData, name, strings.Join(h, ","), strings.Join(header, ","))
	}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%w: %s: %w", ErrData, name, err)
		}
		line, _ := r.FieldPos(0)
		if err := row(line, rec); err != nil {
			return fmt.Errorf("%w: %s:%d: %w", ErrData, name, line, err)
		}
	}
}
