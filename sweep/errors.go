package sweep

import (
	"errors"

	"github.com/entrench/entrench/sim"
)

// Errors of Run, Resume and Merge; test them with errors.Is.
var (
	// ErrInterrupted is sim.ErrInterrupted, the project's one interruption
	// error: the context was cancelled; finished points are on disk and the
	// sweep can be resumed.
	ErrInterrupted = sim.ErrInterrupted
	// ErrUnfinished: the output folder holds an unfinished sweep.
	ErrUnfinished = errors.New("sweep: the folder holds an unfinished sweep")
	// ErrMismatch: a folder to resume or shards to merge come from a
	// different experiment, seed, replicate count or program version.
	ErrMismatch = errors.New("sweep: folders do not match")
	// ErrIncomplete: shards to merge are missing or unfinished.
	ErrIncomplete = errors.New("sweep: incomplete set of shards")
	// ErrSomeFailed: the sweep finished but some points failed (see
	// failures.csv).
	ErrSomeFailed = errors.New("sweep: some design points failed")
	// ErrBadManifest: a folder's sweep.json cannot be read or does not
	// add up (a shard outside 0..shards-1, point counts that do not fit
	// the design): it was edited or damaged.
	ErrBadManifest = errors.New("sweep: bad sweep.json")
	// ErrLocked: another session is running, resuming or merging in the
	// folder (see LockFile).
	ErrLocked = errors.New("sweep: the folder is locked")
)
