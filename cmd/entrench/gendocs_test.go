package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// repoRoot is the repository root, seen from this package's folder (where
// go test runs).
const repoRoot = "../.."

// TestDocsUpToDate regenerates every generated document in memory and
// compares it with the committed file: a flag's help, a schema comment, a
// default or a lever changed without `make docs` fails here.
func TestDocsUpToDate(t *testing.T) {
	files, err := generateDocs(repoRoot)
	if err != nil {
		t.Fatalf("generating the docs: %v", err)
	}
	for _, p := range sortedPaths(files) {
		got, err := os.ReadFile(filepath.Join(repoRoot, p))
		switch {
		case os.IsNotExist(err):
			t.Errorf("%s is missing: run `make docs` and commit the result", p)
		case err != nil:
			t.Fatal(err)
		case !bytes.Equal(got, files[p]):
			t.Errorf("%s is stale (first difference at line %d): run `make docs` and commit the result", p, firstDiffLine(got, files[p]))
		}
	}
	for _, dir := range []string{cliDocDir, manDir} {
		ents, err := os.ReadDir(filepath.Join(repoRoot, dir))
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range ents {
			if _, ok := files[dir+"/"+e.Name()]; !ok {
				t.Errorf("%s/%s is no longer generated: run `make docs`, which removes it", dir, e.Name())
			}
		}
	}
}

// firstDiffLine returns the 1-based line where a and b first differ.
func firstDiffLine(a, b []byte) int {
	la, lb := strings.Split(string(a), "\n"), strings.Split(string(b), "\n")
	for i := range min(len(la), len(lb)) {
		if la[i] != lb[i] {
			return i + 1
		}
	}
	return min(len(la), len(lb)) + 1
}

// TestGendocsCommand writes the docs into a copy of the inputs through the
// hidden command and checks that gendocs is hidden from the help.
func TestGendocsCommand(t *testing.T) {
	root := t.TempDir()
	for _, dir := range []string{"scenarios", "sweep", "docs"} {
		if err := os.MkdirAll(filepath.Join(root, dir), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range []string{"scenarios/schema.go", "sweep/experiment.go", "docs/ODD.md"} {
		data, err := os.ReadFile(filepath.Join(repoRoot, f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(root, f), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// A stale page of a removed command must go.
	if err := os.MkdirAll(filepath.Join(root, manDir), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, manDir, "entrench-gone.1"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	if code := execute(t.Context(), []string{"gendocs", root}, &out, &errb); code != exitOK {
		t.Fatalf("gendocs: exit %d: %s", code, errb.String())
	}
	for _, f := range []string{"docs/man/entrench-run.1", "docs/reference/cli/entrench_run.md", "docs/reference/scenario.md", "docs/reference/experiment.md"} {
		if _, err := os.Stat(filepath.Join(root, f)); err != nil {
			t.Errorf("gendocs did not write %s: %v", f, err)
		}
	}
	if _, err := os.Stat(filepath.Join(root, manDir, "entrench-gone.1")); !os.IsNotExist(err) {
		t.Errorf("gendocs left a page of a removed command: %v", err)
	}
	out.Reset()
	execute(t.Context(), []string{"--help"}, &out, &errb)
	if strings.Contains(out.String(), "gendocs") {
		t.Errorf("gendocs shows in the help:\n%s", out.String())
	}
}
