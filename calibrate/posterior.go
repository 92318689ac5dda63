package calibrate

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"

	"github.com/entrench/entrench/output"
	"github.com/entrench/entrench/scenarios"
	"github.com/entrench/entrench/sim"
)

// ErrPosterior is wrapped by the errors of a posterior file that cannot be
// used.
var ErrPosterior = errors.New("calibrate: bad posterior")

// Posterior is a calibration's final population, read back from its
// output folder to run a posterior ensemble.
type Posterior struct {
	// Names and Keys are the parameters and their scenario key paths (""
	// for observation parameters, which an ensemble ignores).
	Names, Keys []string
	// Particles[i] holds one value per parameter; Weights[i] its weight.
	Particles [][]float64
	Weights   []float64
}

// ReadPosterior reads posterior.csv at path and the parameters' keys from
// manifest.json in the same folder (both written by Run).
func ReadPosterior(path string) (*Posterior, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrPosterior, err)
	}
	defer f.Close()
	mb, err := os.ReadFile(filepath.Join(filepath.Dir(path), output.ManifestFile))
	if err != nil {
		return nil, fmt.Errorf("%w: %s needs the calibration's manifest beside it for the parameters' keys: %w", ErrPosterior, path, err)
	}
	var man Manifest
	if err := json.Unmarshal(mb, &man); err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrPosterior, filepath.Join(filepath.Dir(path), output.ManifestFile), err)
	}
	r := csv.NewReader(f)
	head, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrPosterior, path, err)
	}
	np := len(head) - 2
	if np < 1 || head[np] != "weight" || head[np+1] != "distance" || np != len(man.Parameters) {
		return nil, fmt.Errorf("%w: %s: header %v does not match the %d parameters of its manifest (want the parameters, weight, distance)", ErrPosterior, path, head, len(man.Parameters))
	}
	p := &Posterior{}
	for i, info := range man.Parameters {
		if head[i] != info.Name {
			return nil, fmt.Errorf("%w: %s: column %d is %q, the manifest says %q", ErrPosterior, path, i+1, head[i], info.Name)
		}
		p.Names, p.Keys = append(p.Names, info.Name), append(p.Keys, info.Key)
	}
	for {
		rec, err := r.Read()
		if err != nil {
			if errors.Is(err, io.EOF) {
				break
			}
			return nil, fmt.Errorf("%w: %s: %w", ErrPosterior, path, err)
		}
		line, _ := r.FieldPos(0)
		th := make([]float64, np)
		for k := range th {
			if th[k], err = strconv.ParseFloat(rec[k], 64); err != nil || math.IsNaN(th[k]) || math.IsInf(th[k], 0) {
				return nil, fmt.Errorf("%w: %s:%d: %s is %q, want a finite number", ErrPosterior, path, line, head[k], rec[k])
			}
		}
		w, err := strconv.ParseFloat(rec[np], 64)
		if err != nil || !(w >= 0) || math.IsInf(w, 0) {
			return nil, fmt.Errorf("%w: %s:%d: weight %q, want a finite number >= 0", ErrPosterior, path, line, rec[np])
		}
		p.Particles, p.Weights = append(p.Particles, th), append(p.Weights, w)
	}
	if len(p.Particles) == 0 {
		return nil, fmt.Errorf("%w: %s has no particles", ErrPosterior, path)
	}
	return p, nil
}

// Overrides returns the scenario overrides that set particle i.
func (p *Posterior) Overrides(i int) []scenarios.Override {
	var ovs []scenarios.Override
	for k, key := range p.Keys {
		if key != "" {
			ovs = append(ovs, scenarios.Override{Path: key, Value: ftoa(p.Particles[i][k])})
		}
	}
	return ovs
}

// Ensemble returns base with the posterior attached (see
// sim.Model.WithPosterior): compile turns a particle's overrides into its
// model (the caller loads base's scenario with its own overrides, then
// these, and gives it base's seed and runs).
func (p *Posterior) Ensemble(base *sim.Model, compile func([]scenarios.Override) (*sim.Model, error)) (*sim.Model, error) {
	models := make([]*sim.Model, len(p.Particles))
	for i := range models {
		m, err := compile(p.Overrides(i))
		if err != nil {
			return nil, fmt.Errorf("%w: particle %d: %w", ErrPosterior, i+1, err)
		}
		models[i] = m
	}
	return base.WithPosterior(models, p.Weights)
}
