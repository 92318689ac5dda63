package calibrate

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/entrench/entrench/scenarios"
)

// TestLoadBad loads every file of testdata/bad and checks the first
// error's position, key path, sentinel and message.
func TestLoadBad(t *testing.T) {
	tests := []struct {
		file       string
		line, col  int
		path       string
		sentinel   error
		msgContain string
	}{
		{"unknown-key.yaml", 6, 1, "algoritm", scenarios.ErrUnknownKey, `unknown key "algoritm"`},
		{"bad-prior.yaml", 3, 52, "parameters[0].prior.dist", scenarios.ErrRange, `unknown distribution "gamma"`},
		{"out-of-range.yaml", 4, 10, "parameters[0].key", scenarios.ErrRange, "reaches 1.4"},
		{"unbounded.yaml", 4, 10, "parameters[0].key", scenarios.ErrRange, "unbounded below"},
		{"unknown-series.yaml", 5, 13, "targets[0].series", scenarios.ErrReference, `did you mean "icews_coop_share_USA_RUS"`},
		{"unknown-metric.yaml", 6, 13, "targets[0].metric", scenarios.ErrReference, `no metric "channel.nrc"`},
		{"wrong-type.yaml", 3, 66, "parameters[0].prior.min", scenarios.ErrType, "want a number"},
		{"unused-obs-param.yaml", 4, 5, "parameters[1]", scenarios.ErrRequired, "no observation model uses it"},
		{"fact-no-level.yaml", 6, 5, "targets[1].level", scenarios.ErrRequired, "needs a level"},
		{"bad-key.yaml", 3, 20, "parameters[0].key", scenarios.ErrUnknownKey, `did you mean "build_rate"`},
		{"syntax.yaml", 2, 0, "", scenarios.ErrSyntax, ""},
		{"bad-algorithm.yaml", 6, 12, "algorithm", scenarios.ErrRange, "particles is 1"},
		{"empty-window.yaml", 6, 13, "fit_window", scenarios.ErrRange, "no observation falls inside"},
		{"bad-adjust.yaml", 6, 36, "algorithm.adjust", scenarios.ErrRange, `unknown adjustment "loclinear" (allowed: none, regression)`},
		{"bad-scale.yaml", 6, 35, "algorithm.scale", scenarios.ErrRange, `unknown scale "nois" (allowed: mad, sd, noise)`},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			path := filepath.Join("testdata", "bad", tt.file)
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			_, err = Load(path, b, nil)
			if err == nil {
				t.Fatal("no error")
			}
			if !errors.Is(err, tt.sentinel) {
				t.Errorf("error %v does not wrap %v", err, tt.sentinel)
			}
			var es scenarios.Errors
			if !errors.As(err, &es) || len(es) == 0 {
				t.Fatalf("error %T is not scenarios.Errors", err)
			}
			e := es[0]
			if e.File != path || e.Line != tt.line || e.Column != tt.col || e.Path != tt.path || !strings.Contains(e.Msg, tt.msgContain) {
				t.Errorf("first error %q\n at %s:%d:%d %q, want %s:%d:%d %q containing %q", e.Msg, e.File, e.Line, e.Column, e.Path, path, tt.line, tt.col, tt.path, tt.msgContain)
			}
		})
	}
}

// TestLoadExample loads the README-ready example and checks what it
// resolves to.
func TestLoadExample(t *testing.T) {
	c, err := LoadFile("testdata/backcast.yaml", nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Params) < 8 {
		t.Errorf("%d free parameters, want >= 8", len(c.Params))
	}
	obs, _, names := c.Summaries()
	// ICEWS 2002-2010 and the two NRC facts are fitted.
	if len(obs) != 11 || names[0] != "icews_coop_share_USA_RUS@2002" || names[8] != "icews_coop_share_USA_RUS@2010" {
		t.Errorf("fitted summaries %v", names)
	}
	out := 0
	for _, p := range c.Targets[0].Points {
		if !p.InWindow {
			out++
		}
	}
	if out != 4 {
		t.Errorf("%d out-of-sample ICEWS points, want 4 (2011-2014)", out)
	}
}
