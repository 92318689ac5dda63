package sweep

import "time"

// Options configure Run, Resume and Merge. The zero value runs the whole
// design on all cores with figures.
type Options struct {
	// Workers is the number of design points computed at once; zero or
	// less means runtime.NumCPU(). Each point runs its replicates in one
	// goroutine, so a sweep of many points keeps every core busy.
	Workers int
	// Shard and Shards select the design points i with i mod Shards ==
	// Shard, 0 <= Shard < Shards. Shards 0 or 1 runs every point. A shard
	// writes its points only; Merge makes the outputs.
	Shard, Shards int
	// Version is the program version recorded in the manifest. Resume and
	// Merge refuse folders written by another version, since results may
	// differ.
	Version string
	// Args is the command line, for the manifest.
	Args []string
	// NoFigures skips the figures.
	NoFigures bool
	// ExportSALib, for a sobol design, also writes the design and its
	// outputs for SALib (Herman and Usher 2017) in SALib's row order:
	// SALibProblemFile, SALibSampleFile and one SALibOutputPrefix file per
	// metric; see ExportSALib. False (the default) writes none; other
	// designs ignore it.
	ExportSALib bool
	// Progress, if not nil, is called from one goroutine after every
	// finished point with the points done (in this shard, including
	// earlier sessions) and the shard's total.
	Progress func(done, total int)
	// CheckpointInterval and CheckpointPoints say how often a running
	// sweep rewrites sweep.json with its progress: after a point, once
	// this much time or this many points have passed since the last
	// time. Zero means DefaultCheckpointInterval and
	// DefaultCheckpointPoints; a negative value checkpoints after every
	// point.
	CheckpointInterval time.Duration
	CheckpointPoints   int
	// Slurm identifies the Slurm job the session runs in, recorded in the
	// folder's LockFile so that a requeued job can take over its own
	// stale lock. The zero value means not under Slurm.
	Slurm SlurmJob
}

// Default checkpoint spacing of Options.
const (
	DefaultCheckpointInterval = 30 * time.Second
	DefaultCheckpointPoints   = 1000
)

// checkpointEvery returns the checkpoint spacing of opt, defaults filled
// in.
func (opt Options) checkpointEvery() (time.Duration, int) {
	d, n := opt.CheckpointInterval, opt.CheckpointPoints
	switch {
	case d == 0:
		d = DefaultCheckpointInterval
	case d < 0:
		d = 0
	}
	switch {
	case n == 0:
		n = DefaultCheckpointPoints
	case n < 0:
		n = 1
	}
	return d, n
}

// SlurmJob identifies a Slurm job incarnation: the job id
// ($SLURM_JOB_ID) and how often it was requeued ($SLURM_RESTART_COUNT).
// Both are empty outside Slurm; the caller reads them from the
// environment.
type SlurmJob struct {
	ID, Restart string
}

// Report says what a Run, Resume or Merge did.
type Report struct {
	// Dir is the sweep folder.
	Dir string
	// Points is the number of points of the shard (all points when
	// unsharded or merged).
	Points int
	// Done counts finished points, including earlier sessions; Failed
	// those of them that failed; Ran those computed in this session.
	Done, Failed, Ran int
	// Outputs is true when points.csv and the other outputs were written.
	Outputs bool
	// Files lists the output files written.
	Files []string
	// Elapsed is the time this session took.
	Elapsed time.Duration
	// Busy is the summed wall time the workers spent computing points in
	// this session; Busy / (Workers * Elapsed) is the share of the time
	// the workers were busy (1 when no worker ever waited for work).
	Busy time.Duration
	// Workers is the number of point workers used.
	Workers int
}
