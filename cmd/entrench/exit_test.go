package main

import (
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"testing"

	"github.com/entrench/entrench/output"
	"github.com/entrench/entrench/sim"
)

// TestExitCodes checks that errors are classified by their type: cobra's
// own errors before a command runs are usage errors, and an error's text
// does not matter.
func TestExitCodes(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		want int
	}{
		{"unknown command", []string{"frobnicate"}, exitUsage},
		{"unknown flag", []string{"run", "--frobnicate"}, exitUsage},
		{"flag needs an argument", []string{"run", "--runs"}, exitUsage},
		{"bad flag value", []string{"run", "--runs", "many"}, exitUsage},
		{"too many arguments", []string{"run", "a", "b"}, exitUsage},
		{"too few arguments", []string{"compare"}, exitUsage},
		{"bad setting", []string{"run", "tiny", "--runs", "-1"}, exitUsage},
		{"unknown scenario", []string{"validate", "no-such-scenario"}, exitUsage},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if code, _, stderr := run(t, tc.args...); code != tc.want {
				t.Errorf("%q: exit %d, want %d (%s)", tc.args, code, tc.want, stderr)
			}
		})
	}
	for _, tc := range []struct {
		err  error
		want int
	}{
		{nil, exitOK},
		{errors.New("accepts 1 arg, requires an unknown flag"), exitError}, // text is not a type
		{usageErr(errors.New("anything")), exitUsage},
		{fmt.Errorf("claims: %w", usageErr(errors.New("x"))), exitUsage},
		{fmt.Errorf("stopped: %w", sim.ErrInterrupted), exitInterrupted},
		{&codeError{exitSomeFailed, errors.New("some failed")}, exitSomeFailed},
	} {
		if got := exitCode(tc.err); got != tc.want {
			t.Errorf("exitCode(%v) = %d, want %d", tc.err, got, tc.want)
		}
	}
}

// TestManifestRecordsCommandArgs checks that the manifest records the
// arguments given to the command, not the process's os.Args (which, in a
// test, are the test binary's).
func TestManifestRecordsCommandArgs(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	args := []string{"run", "tiny", "--runs", "3", "--set", "horizon=24", "--quiet", "--no-figures", "--out", dir}
	if code, _, stderr := run(t, args...); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	m, err := output.ReadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(m.Args, args) {
		t.Errorf("manifest args %q, want %q", m.Args, args)
	}
}
