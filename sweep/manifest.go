package sweep

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/entrench/entrench/output"
)

// Files of a sweep folder besides the outputs.
const (
	ManifestFile   = "sweep.json"      // the sweep's manifest
	ExperimentCopy = "experiment.yaml" // the experiment file, as run
	ScenarioCopy   = "scenario.yaml"   // the base scenario file, as run
)

// Manifest is the content of sweep.json: what a sweep folder holds and
// where it stands. It is written when the sweep starts, rewritten while it
// runs (when a point finishes Options.CheckpointInterval or
// CheckpointPoints after the last rewrite) so that an interrupted folder shows its
// progress, and when it stops.
type Manifest struct {
	// Experiment is the experiment's name and ExperimentID its identity
	// (Experiment.ID: texts, replicates and seed).
	Experiment   string `json:"experiment"`
	ExperimentID string `json:"experiment_id"`
	// ExperimentFile and ScenarioFile are the names the experiment and
	// base scenario were loaded from; their texts are in ExperimentCopy
	// and ScenarioCopy.
	ExperimentFile string `json:"experiment_file"`
	ScenarioFile   string `json:"scenario_file"`
	// Scenario is the base scenario's name.
	Scenario string `json:"scenario"`
	// Design is the design kind; Factors and Metrics name the columns.
	Design  string   `json:"design"`
	Factors []string `json:"factors"`
	Metrics []string `json:"metrics"`
	// Points is the number of design points of the whole design.
	Points int `json:"points"`
	// Replicates per point and the master Seed.
	Replicates int    `json:"replicates"`
	Seed       uint64 `json:"seed"`
	// Shard and Shards: this folder holds the points i with i mod Shards
	// == Shard; ShardPoints counts them.
	Shard       int `json:"shard"`
	Shards      int `json:"shards"`
	ShardPoints int `json:"shard_points"`
	// PointsDone counts the shard's finished points, PointsFailed those of
	// them that failed; while the sweep runs they may lag behind the
	// journal by up to a checkpoint.
	PointsDone   int `json:"points_done"`
	PointsFailed int `json:"points_failed"`
	// Provenance says which program and command wrote the folder, when,
	// and how far it got: Completed is true once every point of the shard
	// is done, Workers and Args are those of the last session, Finished is
	// zero while the sweep runs.
	output.Provenance
	// Outputs is true once the outputs (points.csv and the rest) are
	// written.
	Outputs bool `json:"outputs"`
}

func writeManifest(dir string, m *Manifest) error {
	c := *m
	c.Provenance = c.Provenance.Normalized()
	return output.WriteJSON(dir, ManifestFile, &c)
}

// ReadManifest reads sweep.json from folder dir.
func ReadManifest(dir string) (*Manifest, error) {
	b, err := os.ReadFile(filepath.Join(dir, ManifestFile))
	if err != nil {
		return nil, err
	}
	var m Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrBadManifest, filepath.Join(dir, ManifestFile), err)
	}
	return &m, nil
}

// Check reports, wrapping ErrBadManifest, whether the manifest read from
// folder dir adds up: 1 <= Points <= MaxPoints, Shards >= 1, 0 <= Shard <
// Shards, ShardPoints the number of points of that shard, 0 <=
// PointsFailed <= PointsDone <= ShardPoints and Replicates in range.
// Resume and Merge check every manifest, so that an edited or damaged
// sweep.json is refused rather than trusted.
func (m *Manifest) Check(dir string) error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: %s: %s; the file was edited or damaged: restore it (shard K of N has shard K, shards N), or run the sweep again into another folder",
			ErrBadManifest, filepath.Join(dir, ManifestFile), fmt.Sprintf(format, args...))
	}
	switch {
	case m.Points < 1 || m.Points > MaxPoints:
		return bad("points is %d: must be from 1 to %d", m.Points, MaxPoints)
	case m.Shards < 1:
		return bad("shards is %d: must be at least 1", m.Shards)
	case m.Shard < 0 || m.Shard >= m.Shards:
		return bad("shard is %d: must be from 0 to shards-1 = %d", m.Shard, m.Shards-1)
	case m.ShardPoints != shardSize(m.Points, m.Shard, m.Shards):
		return bad("shard_points is %d: shard %d of %d of a %d-point design has %d", m.ShardPoints, m.Shard, m.Shards, m.Points, shardSize(m.Points, m.Shard, m.Shards))
	case m.PointsDone < 0 || m.PointsDone > m.ShardPoints:
		return bad("points_done is %d: must be from 0 to shard_points = %d", m.PointsDone, m.ShardPoints)
	case m.PointsFailed < 0 || m.PointsFailed > m.PointsDone:
		return bad("points_failed is %d: must be from 0 to points_done = %d", m.PointsFailed, m.PointsDone)
	case m.Replicates < 1 || m.Replicates > MaxReplicates:
		return bad("replicates is %d: must be from 1 to %d", m.Replicates, MaxReplicates)
	}
	return nil
}
