package sweep

import (
	"bytes"
	"context"
	"fmt"
	"strconv"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/entrench/entrench/output"
)

// Grow enlarges the finished or unfinished sweep in folder dir to size n
// and finishes it: the base sample N of a sobol design or the number of
// trajectories of a morris design. Both designs are prefix-stable (point
// i is the same whatever the size), so the journal's points stay valid
// and only the new ones run; the result is the sweep an uninterrupted run
// at size n gives, byte for byte (sweep.json and the changed number in
// experiment.yaml aside). The folder must be unsharded (merge shards
// first). Its stored experiment.yaml gets the new size, and the manifest
// the new points and experiment ID.
func Grow(ctx context.Context, dir string, n int, opt Options) (*Report, error) {
	lock, err := lockFolder(dir, opt.Slurm)
	if err != nil {
		return nil, err
	}
	defer lock.release()
	e, m, err := loadFolder(dir, opt.Version)
	if err != nil {
		return nil, err
	}
	var key string
	var old int
	switch e.Design.Kind {
	case Sobol:
		key, old = "n", e.Design.N
	case Morris:
		key, old = "trajectories", e.Design.Trajectories
	default:
		return nil, fmt.Errorf("%w: a %s design cannot grow (its points depend on its size): only sobol and morris designs can", ErrMismatch, e.Design.Kind)
	}
	if m.Shards != 1 {
		return nil, fmt.Errorf("%w: %s is shard %d of %d: merge the shards, then grow the merged folder", ErrMismatch, dir, m.Shard, m.Shards)
	}
	if n <= old {
		return nil, fmt.Errorf("%w: the design has %s %d; growing needs a larger one, not %d", ErrMismatch, key, old, n)
	}
	src, err := setDesignKey(e.source, key, n)
	if err != nil {
		return nil, fmt.Errorf("sweep: grow %s: %w", dir, err)
	}
	g, err := Load(m.ExperimentFile, src, func(string) (string, []byte, error) { return m.ScenarioFile, e.scenarioData, nil })
	if err != nil {
		return nil, fmt.Errorf("sweep: grow %s to %s %d: %w", dir, key, n, err)
	}
	if g, err = g.WithReplicates(m.Replicates); err != nil {
		return nil, err
	}
	if err := output.WriteFileAtomic(dir, ExperimentCopy, g.source); err != nil {
		return nil, err
	}
	m.ExperimentID, m.Points = g.ID(), g.numPoints()
	m.ShardPoints = shardSize(m.Points, 0, 1)
	m.Completed, m.Outputs, m.Interrupted, m.Finished = false, false, false, time.Time{}
	m.Args = opt.Args
	opt.Shard, opt.Shards = 0, 1
	if err := writeManifest(dir, m); err != nil {
		return nil, err
	}
	return execute(ctx, g, dir, m, opt)
}

// setDesignKey returns the experiment text src with design.KEY set to n,
// comments and layout kept as far as the YAML encoder can.
func setDesignKey(src []byte, key string, n int) ([]byte, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		return nil, err
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, fmt.Errorf("the experiment is not a mapping")
	}
	top := doc.Content[0]
	for i := 0; i+1 < len(top.Content); i += 2 {
		if top.Content[i].Value != "design" || top.Content[i+1].Kind != yaml.MappingNode {
			continue
		}
		d := top.Content[i+1]
		for j := 0; j+1 < len(d.Content); j += 2 {
			if d.Content[j].Value == key {
				d.Content[j+1].Value, d.Content[j+1].Tag = strconv.Itoa(n), "!!int"
				var b bytes.Buffer
				enc := yaml.NewEncoder(&b)
				enc.SetIndent(2)
				if err := enc.Encode(&doc); err != nil {
					return nil, err
				}
				return b.Bytes(), enc.Close()
			}
		}
	}
	return nil, fmt.Errorf("the experiment has no design.%s", key)
}
