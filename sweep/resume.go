package sweep

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// loadFolder loads the experiment stored in a sweep folder and checks it
// against its manifest and the running version.
func loadFolder(dir, version string) (*Experiment, *Manifest, error) {
	m, err := ReadManifest(dir)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, nil, fmt.Errorf("%w: %s is not a sweep folder (no %s)", ErrMismatch, dir, ManifestFile)
		}
		return nil, nil, err
	}
	if err := m.Check(dir); err != nil {
		return nil, nil, err
	}
	if m.Version != version {
		return nil, nil, fmt.Errorf("%w: %s was written by entrench %s, this is %s; results could differ, so use the same version",
			ErrMismatch, dir, m.Version, version)
	}
	src, err := os.ReadFile(filepath.Join(dir, ExperimentCopy))
	if err != nil {
		return nil, nil, err
	}
	scen, err := os.ReadFile(filepath.Join(dir, ScenarioCopy))
	if err != nil {
		return nil, nil, err
	}
	e, err := Load(m.ExperimentFile, src, func(string) (string, []byte, error) { return m.ScenarioFile, scen, nil })
	if err != nil {
		return nil, nil, fmt.Errorf("sweep: the experiment stored in %s: %w", dir, err)
	}
	if e, err = e.WithReplicates(m.Replicates); err != nil {
		return nil, nil, err
	}
	if m.Design == External {
		d, err := os.ReadFile(filepath.Join(dir, DesignCopy))
		if err != nil {
			return nil, nil, err
		}
		if e, err = e.WithDesign(filepath.Join(dir, DesignCopy), d); err != nil {
			return nil, nil, fmt.Errorf("sweep: the design stored in %s: %w", dir, err)
		}
	}
	if e.ID() != m.ExperimentID {
		return nil, nil, fmt.Errorf("%w: the experiment stored in %s does not match its manifest", ErrMismatch, dir)
	}
	if e.numPoints() != m.Points {
		return nil, nil, fmt.Errorf("%w: %s: points is %d, but the experiment stored in %s has %d", ErrBadManifest, filepath.Join(dir, ManifestFile), m.Points, dir, e.numPoints())
	}
	return e, m, nil
}

// Resume finishes the sweep in folder dir (a shard's, or the whole
// design) and writes the outputs when it holds every point. The shard
// settings of opt are ignored: the folder's are used. Resuming a finished
// sweep rewrites its outputs. A folder whose sweep.json does not add up
// is refused (ErrBadManifest), as is one another session holds
// (ErrLocked).
func Resume(ctx context.Context, dir string, opt Options) (*Report, error) {
	if _, _, err := loadFolder(dir, opt.Version); err != nil {
		return nil, err
	}
	lock, err := lockFolder(dir, opt.Slurm)
	if err != nil {
		return nil, err
	}
	defer lock.release()
	// Load again under the lock: a session that just ended may have
	// changed the manifest.
	e, m, err := loadFolder(dir, opt.Version)
	if err != nil {
		return nil, err
	}
	opt.Shard, opt.Shards = m.Shard, m.Shards
	m.Args, m.Interrupted, m.Finished = opt.Args, false, time.Time{}
	if err := writeManifest(dir, m); err != nil {
		return nil, err
	}
	return execute(ctx, e, dir, m, opt)
}
