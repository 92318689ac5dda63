package calibrate

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/entrench/entrench/data/observed"
	"github.com/entrench/entrench/scenarios"
)

// FuzzLoad checks that Load never panics and that every error it returns
// is a list of positioned field errors wrapping a sentinel.
func FuzzLoad(f *testing.F) {
	files, _ := filepath.Glob("testdata/bad/*.yaml")
	files = append(files, "testdata/backcast.yaml", "testdata/tiny.yaml")
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	data, err := observed.Embedded()
	if err != nil {
		f.Fatal(err)
	}
	sentinels := []error{scenarios.ErrSyntax, scenarios.ErrUnknownKey, scenarios.ErrType, scenarios.ErrRange,
		scenarios.ErrRequired, scenarios.ErrDuplicate, scenarios.ErrReference, scenarios.ErrDate}
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := Load("fuzz.yaml", b, data)
		if err == nil {
			if c == nil || len(c.Params) == 0 || len(c.Targets) == 0 {
				t.Fatal("loaded an incomplete calibration")
			}
			return
		}
		var es scenarios.Errors
		if !errors.As(err, &es) || len(es) == 0 {
			t.Fatalf("error %T %v is not scenarios.Errors", err, err)
		}
		for _, e := range es {
			ok := false
			for _, s := range sentinels {
				ok = ok || errors.Is(e, s)
			}
			if !ok || e.File != "fuzz.yaml" {
				t.Fatalf("error %v: file %q, no sentinel", e, e.File)
			}
		}
	})
}
