package abc

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// FuzzGenerationFile feeds arbitrary bytes to the generation file parser:
// it must never panic, and a file it accepts must be usable as the
// previous generation of a step.
func FuzzGenerationFile(f *testing.F) {
	c := conjugate{n: 5, priorVar: 1}
	p := c.problem(f, 0.2)
	s := Settings{Particles: 4, Seed: 1, MaxGenerations: 2, Workers: 1, Dir: f.TempDir()}
	r, err := Run(context.Background(), p, s)
	if err != nil {
		f.Fatal(err)
	}
	for _, t := range []int{0, 1} {
		b, err := os.ReadFile(filepath.Join(s.Dir, GenerationFile(t)))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, t)
		// Round trip: the file holds the generation exactly.
		g, err := decodeGeneration("x", b, t, p, s)
		if err != nil {
			f.Fatal(err)
		}
		if t == 1 && !reflect.DeepEqual(g, r.Final) {
			f.Fatal("generation 1 does not round-trip through its file")
		}
	}
	f.Add([]byte(`{"format":"entrench-abc/1"}`), 0)
	f.Fuzz(func(t *testing.T, b []byte, gen int) {
		g, err := decodeGeneration("x", b, gen, p, s)
		if err != nil {
			return
		}
		st, err := NewStep(p, s, g)
		if err != nil {
			t.Fatalf("accepted generation refused by NewStep: %v", err)
		}
		if _, err := st.Evaluate(context.Background(), 0, 3, 1); err != nil {
			t.Fatalf("accepted generation cannot be stepped from: %v", err)
		}
	})
}
