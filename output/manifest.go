package output

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"time"
)

// Provenance is the bookkeeping every manifest of the project carries,
// whatever it describes (a run or compare folder, a sweep folder): which
// program wrote it, with which command, when, how far it got and which
// files it holds. Manifest and the sweep's manifest embed it, so its keys
// appear inline in their JSON.
type Provenance struct {
	// Workers is the number of parallel workers used (by the last session,
	// for folders written over several sessions).
	Workers int `json:"workers"`
	// Version is the program version.
	Version string `json:"version"`
	// Args are the arguments given to the command that wrote the folder,
	// without the program name (e.g. ["run", "baseline", "--runs", "500"]).
	Args []string `json:"args"`
	// Started is when the work began. Written in UTC, RFC 3339, to the
	// second.
	Started time.Time `json:"started"`
	// Finished is when the work (or its last session) ended; omitted
	// while zero.
	Finished time.Time `json:"finished,omitzero"`
	// Completed is true once all the work has been done and every file
	// written.
	Completed bool `json:"completed"`
	// Interrupted is true when the work was cancelled (a signal, a
	// deadline) before completion.
	Interrupted bool `json:"interrupted"`
	// Files lists the output files in the folder, by name.
	Files []string `json:"files"`
	// GoVersion is the Go toolchain that built the program; Normalized
	// fills in runtime.Version() when it is empty.
	GoVersion string `json:"go_version"`
}

// Normalized returns a copy of p as it is written: times in UTC truncated
// to the second, the Go version filled in, and empty lists instead of nil
// ones (so the JSON shows [] rather than null).
func (p Provenance) Normalized() Provenance {
	p.Started = p.Started.UTC().Truncate(time.Second)
	if !p.Finished.IsZero() {
		p.Finished = p.Finished.UTC().Truncate(time.Second)
	}
	if p.GoVersion == "" {
		p.GoVersion = runtime.Version()
	}
	if p.Args == nil {
		p.Args = []string{}
	}
	if p.Files == nil {
		p.Files = []string{}
	}
	return p
}

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
	Provenance
	// Notes is free text.
	Notes string `json:"notes,omitempty"`
}

// WriteManifest writes m as indented JSON, with a trailing newline, to
// manifest.json in folder dir, atomically. Times are written in UTC,
// truncated to the second; m itself is not modified.
func WriteManifest(dir string, m *Manifest) error {
	c := *m
	c.Provenance = c.Provenance.Normalized()
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
	return WriteFileAtomic(dir, name, append(b, '\n'))
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
