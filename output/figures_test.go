package output

import (
	"bytes"
	"encoding/xml"
	"errors"
	"flag"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/entrench/entrench/scenarios"
	"github.com/entrench/entrench/sim"
)

var figDir = flag.String("figdir", "", "also write the test figures to this folder, for a look")

func TestWriteFigures(t *testing.T) {
	a, sc := synthAggregate(t, 400, 181)
	dir := t.TempDir()
	if *figDir != "" {
		dir = *figDir
	}
	files, err := WriteFigures(dir, a, sc)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"cooperation_fan.png", "cooperation_fan.svg",
		"entrenchment_fan.png", "entrenchment_fan.svg",
		"channels.png", "channels.svg",
		"sides.png", "sides.svg",
	}
	if !slices.Equal(files, want) {
		t.Fatalf("files = %q, want %q", files, want)
	}
	for _, name := range files {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if len(b) < 1000 {
			t.Errorf("%s: only %d bytes", name, len(b))
		}
		switch filepath.Ext(name) {
		case ".png":
			img, err := png.Decode(bytes.NewReader(b))
			if err != nil {
				t.Errorf("%s: %v", name, err)
				continue
			}
			if sz := img.Bounds().Size(); sz.X != 1200 || sz.Y != 675 {
				t.Errorf("%s: size %v, want 1200x675", name, sz)
			}
		case ".svg":
			if !bytes.Contains(b, []byte("<svg")) || !bytes.HasSuffix(bytes.TrimSpace(b), []byte("</svg>")) {
				t.Errorf("%s: not a complete SVG document", name)
			}
			d := xml.NewDecoder(bytes.NewReader(b))
			for {
				if _, err := d.Token(); err == io.EOF {
					break
				} else if err != nil {
					t.Errorf("%s: bad XML: %v", name, err)
					break
				}
			}
		}
	}
	assertNoTemp(t, dir)
}

func TestFiguresErrors(t *testing.T) {
	sc := synthScenario(t)
	empty := sim.NewAggregate(synthMetrics, synthDates(24))
	full, _ := synthAggregate(t, 3, 24)
	tests := []struct {
		name string
		run  func() error
		want error // nil: any error
	}{
		{"fan of empty aggregate", func() error { _, err := FanChart(empty, "cooperation", "", "", nil); return err }, ErrNoRuns},
		{"median chart of empty aggregate", func() error { _, err := MedianChart(empty, "channel.", "", "", nil); return err }, ErrNoRuns},
		{"figures of empty aggregate", func() error { _, err := WriteFigures(t.TempDir(), empty, sc); return err }, ErrNoRuns},
		{"unknown metric", func() error { _, err := FanChart(full, "nonsense", "", "", nil); return err }, nil},
		{"unknown prefix", func() error { _, err := MedianChart(full, "nonsense.", "", "", nil); return err }, nil},
		{"missing folder", func() error { _, err := WriteFigures(filepath.Join(t.TempDir(), "nope"), full, sc); return err }, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.run()
			if err == nil {
				t.Fatal("no error")
			}
			if tt.want != nil && !errors.Is(err, tt.want) {
				t.Fatalf("error %v, want %v", err, tt.want)
			}
		})
	}
}

func TestMarkersFromScenario(t *testing.T) {
	sc := synthScenario(t)
	slices.Reverse(sc.Events)
	ms := MarkersFromScenario(sc)
	if len(ms) != len(sc.Events) {
		t.Fatalf("%d markers for %d events", len(ms), len(sc.Events))
	}
	for i := 1; i < len(ms); i++ {
		if ms[i].Date < ms[i-1].Date {
			t.Fatalf("markers not in date order: %v before %v", ms[i-1].Date, ms[i].Date)
		}
	}
	if ms[0].Label != "Reset summit" || ms[0].Kind != scenarios.EventInitiative {
		t.Errorf("first marker %+v", ms[0])
	}
}

func TestYearTicks(t *testing.T) {
	tests := []struct {
		name     string
		min, max float64
		labels   []string
	}{
		{"five years", 2010, 2015, []string{"2010", "2011", "2012", "2013", "2014", "2015"}},
		{"fifteen years", 2010, 2025, []string{"2010", "2012", "2014", "2016", "2018", "2020", "2022", "2024"}},
		{"forty years", 1991.5, 2031, []string{"1995", "2000", "2005", "2010", "2015", "2020", "2025", "2030"}},
		{"one year", 2010, 2011, []string{"2010", "2011"}},
		{"within a year", 2010.2, 2010.8, []string{"2010-04", "2010-07", "2010-10"}},
		{"no tick", 2010.55, 2010.7, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var labels []string
			for _, tk := range (YearTicks{}).Ticks(tt.min, tt.max) {
				if tk.Value < tt.min-1e-9 || tk.Value > tt.max+1e-9 {
					t.Errorf("tick %v outside [%v, %v]", tk.Value, tt.min, tt.max)
				}
				if tk.Label != "" {
					labels = append(labels, tk.Label)
				}
			}
			if !slices.Equal(labels, tt.labels) {
				t.Errorf("labels %q, want %q", labels, tt.labels)
			}
		})
	}
}

// assertNoTemp fails if dir holds a temporary file of an AtomicFile.
func assertNoTemp(t *testing.T, dir string) {
	t.Helper()
	tmps, _ := filepath.Glob(filepath.Join(dir, ".*.tmp"))
	if len(tmps) > 0 {
		t.Errorf("temporary files left: %q", tmps)
	}
}
