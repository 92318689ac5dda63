package output

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"time"
)

// Manifest records how a set of output files was produced. The caller
// writes it first with Completed false (so an interrupted run is
// recognisable) and again at the end with Completed true.
type Manifest struct {
	// Scenario is the scenario's name.
	Scenario string `json:"scenario"`
	// ScenarioHash is the hex SHA-256 of the scenario as run (computed by
	// the caller).
	ScenarioHash string `json:"scenario_hash"`
	// Seed is the master seed.
	Seed uint64 `json:"seed"`
	// Runs is the number of replicates requested.
	Runs int `json:"runs"`
	// RunsCompleted is the number of replicates that succeeded.
	RunsCompleted int `json:"runs_completed"`
	// RunsFailed is the number of replicates that returned an error.
	RunsFailed int `json:"runs_failed"`
	// Workers is the number of parallel workers used.
	Workers int `json:"workers"`
	// Version is the program version.
	Version string `json:"version"`
	// Args are the arguments given to the command that wrote the folder,
	// without the program name (e.g. ["run", "baseline", "--runs", "500"]).
	Args []string `json:"args"`
	// Started is when the run began. Written in UTC, RFC 3339, to the
	// second.
	Started time.Time `json:"started"`
	// Finished is when the run ended; omitted while zero.
	Finished time.Time `json:"finished,omitzero"`
	// Completed is true once every requested replicate has been run and
	// every file written.
	Completed bool `json:"completed"`
	// Interrupted is true when the run was cancelled (a signal, a
	// deadline) before completion.
	Interrupted bool `json:"interrupted"`
	// Files lists the output files in the folder, by name.
	Files []string `json:"files"`
	// GoVersion is the Go toolchain that built the program. WriteManifest
	// fills in runtime.Version() when it is empty.
	GoVersion string `json:"go_version"`
	// Notes is free text.
	Notes string `json:"notes,omitempty"`
}

// WriteManifest writes m as indented JSON, with a trailing newline, to
// manifest.json in folder dir, atomically. Times are written in UTC,
// truncated to the second; m itself is not modified.
func WriteManifest(dir string, m *Manifest) error {
	c := *m
	c.Started = c.Started.UTC().Truncate(time.Second)
	if !c.Finished.IsZero() {
		c.Finished = c.Finished.UTC().Truncate(time.Second)
	}
	if c.GoVersion == "" {
		c.GoVersion = runtime.Version()
	}
	if c.Args == nil {
		c.Args = []string{}
	}
	if c.Files == nil {
		c.Files = []string{}
	}
	return WriteJSON(dir, ManifestFile, &c)
}

// WriteJSON writes v as JSON indented by two spaces, with a trailing
// newline, to the file name in folder dir, atomically (see AtomicFile).
// Manifests of every kind are written with it.
func WriteJSON(dir, name string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("output: %w", err)
	}
	b = append(b, '\n')
	return writeAtomic(dir, name, func(f *AtomicFile) error {
		_, err := f.Write(b)
		return err
	})
}

// ReadManifest reads manifest.json from folder dir.
func ReadManifest(dir string) (*Manifest, error) {
	path := filepath.Join(dir, ManifestFile)
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("output: %w", err)
	}
	var m Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("output: reading %s: %w", path, err)
	}
	return &m, nil
}
