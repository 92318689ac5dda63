package sweep

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/entrench/entrench/output"
)

// Merge combines the shard folders dirs of one sharded sweep into folder
// out and writes the outputs, byte-identical to those of the unsharded
// run (sweep.json aside). It refuses, with an error wrapping ErrMismatch,
// shards of different experiments, seeds, replicate counts or versions,
// wrapping ErrIncomplete, a set with a shard missing, repeated or
// unfinished, and, wrapping ErrBadManifest, a shard whose sweep.json does
// not add up. Like Run, it refuses an out folder holding an unfinished
// sweep (ErrUnfinished) or in use by another session (ErrLocked), and
// replaces a finished one.
func Merge(ctx context.Context, dirs []string, out string, opt Options) (*Report, error) {
	start := time.Now()
	sh, err := readShards(dirs, opt.Version)
	if err != nil {
		return nil, err
	}
	rep := &Report{Dir: out, Points: sh.e.numPoints()}
	paths, err := sh.scanJournals(rep)
	if err != nil {
		return nil, err
	}
	lock, err := openMergeFolder(dirs, out, opt.Slurm)
	if err != nil {
		return nil, err
	}
	defer lock.release()
	if err := copyInputs(dirs[0], out); err != nil {
		return nil, err
	}
	if err := sortJournal(out, paths, len(sh.e.Metrics), rep.Points, nil); err != nil {
		return nil, err
	}
	return finishMerge(ctx, sh, out, opt, rep, start)
}

// shardSet is a complete, consistent set of shard folders of one sweep.
type shardSet struct {
	dirs      []string
	manifests []*Manifest // by folder
	first     *Manifest   // the first folder's
	e         *Experiment // loaded from the first folder
}

// readShards reads and checks the manifests of the shard folders dirs:
// each must add up, all must come from the same experiment, seed,
// replicates, version (also this program's) and split, and every shard
// must be there once and finished.
func readShards(dirs []string, version string) (*shardSet, error) {
	if len(dirs) == 0 {
		return nil, fmt.Errorf("%w: no shard folders given", ErrIncomplete)
	}
	sh := &shardSet{dirs: dirs, manifests: make([]*Manifest, len(dirs))}
	seen := map[int]string{}
	for i, d := range dirs {
		m, err := ReadManifest(d)
		if err != nil {
			if errors.Is(err, os.ErrNotExist) {
				return nil, fmt.Errorf("%w: %s is not a sweep folder (no %s)", ErrMismatch, d, ManifestFile)
			}
			return nil, err
		}
		if err := m.Check(d); err != nil {
			return nil, err
		}
		sh.manifests[i] = m
		if sh.first == nil {
			sh.first = m
			if sh.e, _, err = loadFolder(d, version); err != nil {
				return nil, err
			}
		}
		if err := sh.matches(d, m, version); err != nil {
			return nil, err
		}
		if prev, dup := seen[m.Shard]; dup {
			return nil, fmt.Errorf("%w: shard %d/%d is given twice: %s and %s", ErrIncomplete, m.Shard, m.Shards, prev, d)
		}
		seen[m.Shard] = d
		if !m.Completed {
			return nil, fmt.Errorf("%w: shard %d/%d in %s is unfinished (%d of %d points): finish it with `entrench sweep --resume %s`",
				ErrIncomplete, m.Shard, m.Shards, d, m.PointsDone, m.ShardPoints, d)
		}
	}
	if err := missingShards(seen, sh.first.Shards); err != nil {
		return nil, err
	}
	return sh, nil
}

// matches checks that the manifest m of shard folder d belongs with the
// first shard's.
func (sh *shardSet) matches(d string, m *Manifest, version string) error {
	first := sh.first
	where := fmt.Sprintf("%s (shard %d/%d) and %s (shard %d/%d)", sh.dirs[0], first.Shard, first.Shards, d, m.Shard, m.Shards)
	switch {
	case m.Experiment != first.Experiment:
		return fmt.Errorf("%w: %s come from different experiments: %s and %s", ErrMismatch, where, first.Experiment, m.Experiment)
	case m.Seed != first.Seed:
		return fmt.Errorf("%w: %s were run with different seeds: %d and %d", ErrMismatch, where, first.Seed, m.Seed)
	case m.Replicates != first.Replicates:
		return fmt.Errorf("%w: %s were run with different replicates: %d and %d", ErrMismatch, where, first.Replicates, m.Replicates)
	case m.Version != first.Version || m.Version != version:
		return fmt.Errorf("%w: %s were written by different versions: %s and %s (this program is %s)", ErrMismatch, where, first.Version, m.Version, version)
	case m.ExperimentID != first.ExperimentID:
		return fmt.Errorf("%w: %s come from different definitions of experiment %s (the experiment or scenario file changed)", ErrMismatch, where, m.Experiment)
	case m.Shards != first.Shards:
		return fmt.Errorf("%w: %s split the design differently: into %d and %d shards", ErrMismatch, where, first.Shards, m.Shards)
	case m.Points != first.Points:
		return fmt.Errorf("%w: %s: points is %d, but the experiment has %d", ErrBadManifest, filepath.Join(d, ManifestFile), m.Points, first.Points)
	}
	return nil
}

// missingShards reports, wrapping ErrIncomplete, the shards of 0..shards-1
// not in seen, naming the first few (shards may be huge).
func missingShards(seen map[int]string, shards int) error {
	if len(seen) >= shards {
		return nil
	}
	var missing []string
	for k := 0; k < shards && len(missing) < 10; k++ {
		if _, ok := seen[k]; !ok {
			missing = append(missing, fmt.Sprintf("%d/%d", k, shards))
		}
	}
	if n := shards - len(seen); n > len(missing) {
		missing = append(missing, fmt.Sprintf("and %d more", n-len(missing)))
	}
	return fmt.Errorf("%w: shards %s are missing (have %d of %d)", ErrIncomplete, strings.Join(missing, ", "), len(seen), shards)
}

// scanJournals scans every shard's journal, which must hold exactly its
// shard's points, counts the points and failures in rep and returns the
// journals' paths.
func (sh *shardSet) scanJournals(rep *Report) ([]string, error) {
	e := sh.e
	var paths []string
	for i, d := range sh.dirs {
		m := sh.manifests[i]
		path := filepath.Join(d, JournalFile)
		count := 0
		bad := -1
		if _, err := scanJournal(path, len(e.Metrics), rep.Points, func(r record, _ journalEntry) {
			if r.point%m.Shards != m.Shard {
				bad = r.point
			}
			count++
			if !r.ok() {
				rep.Failed++
			}
		}); err != nil {
			return nil, err
		}
		if bad >= 0 {
			return nil, fmt.Errorf("%w: %s holds point %d, which is not in shard %d/%d", ErrMismatch, d, bad, m.Shard, m.Shards)
		}
		if count != m.ShardPoints {
			return nil, fmt.Errorf("%w: %s holds %d of its %d points: finish it with `entrench sweep --resume %s`", ErrIncomplete, d, count, m.ShardPoints, d)
		}
		rep.Done += count
		paths = append(paths, path)
	}
	return paths, nil
}

// openMergeFolder creates the merge output folder out, which must not be
// one of the shard folders dirs, locks it and readies it (prepareFolder).
func openMergeFolder(dirs []string, out string, slurm SlurmJob) (*folderLock, error) {
	if err := os.MkdirAll(out, 0o755); err != nil {
		return nil, err
	}
	for _, d := range dirs {
		if same, _ := sameDir(d, out); same {
			return nil, fmt.Errorf("sweep: the merge output %s must not be one of the shard folders", out)
		}
	}
	lock, err := lockFolder(out, slurm)
	if err != nil {
		return nil, err
	}
	if err := prepareFolder(out); err != nil {
		lock.release()
		return nil, err
	}
	return lock, nil
}

// copyInputs copies the experiment and scenario files of folder src to
// folder out.
func copyInputs(src, out string) error {
	for _, name := range []string{ExperimentCopy, ScenarioCopy, DesignCopy} {
		b, err := os.ReadFile(filepath.Join(src, name))
		if name == DesignCopy && errors.Is(err, os.ErrNotExist) {
			continue // not an external design
		}
		if err != nil {
			return err
		}
		if err := output.WriteFileAtomic(out, name, b); err != nil {
			return err
		}
	}
	return nil
}

// finishMerge writes the outputs and the manifest of the merged folder
// out, whose journal is sorted.
func finishMerge(ctx context.Context, sh *shardSet, out string, opt Options, rep *Report, start time.Time) (*Report, error) {
	m := *sh.first
	m.Shard, m.Shards, m.ShardPoints = 0, 1, rep.Points
	m.PointsDone, m.PointsFailed = rep.Done, rep.Failed
	m.Args, m.Started, m.Completed = opt.Args, start, true
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	m.Workers = workers
	files, err := writeOutputs(ctx, sh.e, out, opt)
	rep.Files = files
	if err != nil {
		return rep, err
	}
	rep.Outputs, m.Outputs, m.Files = true, true, files
	m.Finished = time.Now()
	if err := writeManifest(out, &m); err != nil {
		return rep, err
	}
	rep.Elapsed = time.Since(start)
	if rep.Failed > 0 {
		return rep, fmt.Errorf("%w: %d of %d points failed; see %s", ErrSomeFailed, rep.Failed, rep.Points, filepath.Join(out, "failures.csv"))
	}
	return rep, nil
}

// sameDir reports whether a and b are the same folder.
func sameDir(a, b string) (bool, error) {
	sa, err := os.Stat(a)
	if err != nil {
		return false, err
	}
	sb, err := os.Stat(b)
	if err != nil {
		return false, err
	}
	return os.SameFile(sa, sb), nil
}
