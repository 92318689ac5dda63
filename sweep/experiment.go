package sweep

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/entrench/entrench/lowdisc"
	"github.com/entrench/entrench/scenarios"
	"github.com/entrench/entrench/sim"
)

// Design kinds.
const (
	Grid   = "grid"   // full factorial grid of every factor's levels
	LHS    = "lhs"    // Latin hypercube sample of Design.Points points
	Sobol  = "sobol"  // Saltelli sample for Sobol indices, N(k+2) points
	Morris = "morris" // Morris trajectories, r(k+1) points
)

// Factor distributions.
const (
	Uniform    = "uniform"    // uniform on [min, max] (the default)
	LogUniform = "loguniform" // log-uniform on [min, max], min > 0
	Triangular = "triangular" // triangular on [min, max] with peak at mode
	Normal     = "normal"     // normal(mean, sd) truncated to [min, max]
)

// Limits on an experiment's size.
const (
	MaxPoints     = 10_000_000 // design points
	MaxReplicates = 1_000_000  // replicates per point
	MaxBootstrap  = 100_000    // bootstrap resamples
)

// Experiment is a batch study: a scenario, the factors varied over it, the
// design that picks the points, the replicates per point and the metrics
// analysed. It is the schema of an experiment YAML file; keys are the yaml
// tags. An Experiment returned by Load is validated and immutable, and is
// safe to share between goroutines.
type Experiment struct {
	// Name identifies the experiment in outputs and merges. Required;
	// letters, digits, '-', '_' and '.'.
	Name string `yaml:"name"`
	// Description is one or two sentences, shown by `entrench scenarios`.
	Description string `yaml:"description"`
	// Scenario is the base scenario: a built-in name such as "baseline",
	// or a file path, relative to the experiment file's folder. Required.
	Scenario string `yaml:"scenario"`
	// Set lists fixed overrides of the base scenario, "key.path=value",
	// applied before the factors (e.g. "horizon=120"). Not seed or runs:
	// the experiment's Seed and Replicates set those.
	Set []string `yaml:"set"`
	// Design chooses the design points.
	Design Design `yaml:"design"`
	// Factors are the scenario values varied, at least one.
	Factors []Factor `yaml:"factors"`
	// Replicates is the number of runs per design point, 1 to
	// MaxReplicates. Default 20.
	Replicates int `yaml:"replicates"`
	// Seed is the master seed of the simulation and of the design's
	// sampling. Zero (the default) means the scenario's seed.
	Seed uint64 `yaml:"seed"`
	// Metrics are the summary metrics analysed (sim.SummaryNames), the
	// first one ranking the points for the best and worst fan charts.
	// Default [final_cooperation].
	Metrics []string `yaml:"metrics"`

	file         string // the experiment file's name, for messages
	source       []byte // the experiment file's text
	scenarioFile string // the base scenario's file name, for messages
	scenarioData []byte // the base scenario's text
	base         *scenarios.Scenario
	sets         []scenarios.Override
	metricIdx    []int
	external     [][]float64 // an external design's points (WithDesign)
	designData   []byte      // the external design's text
}

// Design says how the design points are chosen.
type Design struct {
	// Kind is grid, lhs, sobol or morris. Required.
	Kind string `yaml:"kind"`
	// Points is the sample size of an lhs design, 2 to MaxPoints.
	Points int `yaml:"points"`
	// N is the base sample size of a sobol design, at least 2; the design
	// has N*(k+2) points for k factors (Saltelli 2010).
	N int `yaml:"n"`
	// Trajectories is the number r of Morris trajectories, at least 2; the
	// design has r*(k+1) points.
	Trajectories int `yaml:"trajectories"`
	// Levels is the number p of Morris levels, even and at least 2.
	// Default 4 (step 2/3 of the range).
	Levels int `yaml:"levels"`
	// Bootstrap is the number of bootstrap resamples for the confidence
	// intervals of Sobol and Morris indices, 0 (no intervals) to
	// MaxBootstrap. Default 500.
	Bootstrap int `yaml:"bootstrap"`
	// Confidence is the level of every interval, in (0, 1). Default 0.95.
	Confidence float64 `yaml:"confidence"`
	// Sequence is where a sobol design takes the rows of its matrices A
	// and B from: "sobol" (the default), a randomized Sobol' sequence
	// of dimension 2k (A the first k coordinates, B the last k; Joe-Kuo
	// direction numbers, package lowdisc), or "random", the pseudo-random
	// numbers of entrench before version 13's change (one PCG per row).
	// Both are prefix-stable: row j does not depend on N. Use N a power
	// of two with "sobol": its first 2^m rows are balanced. Only for
	// sobol designs.
	Sequence string `yaml:"sequence"`
	// Scramble is the randomization of the Sobol' sequence, drawn from
	// the design's own random stream under the experiment's seed: "owen"
	// (the default), Owen's nested uniform scrambling, or "shift", a
	// random digital shift. Only with sequence sobol.
	Scramble string `yaml:"scramble"`
	// Order is the highest order of the Sobol indices computed: 1 (the
	// default) for first-order and total indices, 2 to add second-order
	// indices S_ij (Saltelli 2002), which puts the matrices BA_i (B with
	// column i taken from A) in every row: the design then has N*(2k+2)
	// points instead of N*(k+2). Only for sobol designs.
	Order int `yaml:"order"`
}

// Sequences of a sobol design, and scramblings of the Sobol' sequence.
const (
	SequenceSobol  = "sobol"  // a randomized Sobol' sequence (the default)
	SequenceRandom = "random" // pseudo-random numbers, one PCG per row
	ScrambleOwen   = "owen"   // Owen's nested uniform scrambling (the default)
	ScrambleShift  = "shift"  // a random digital shift
)

// Factor is one scenario value varied by the design. Give either a range
// (min and max) or a list of values.
type Factor struct {
	// Name is the factor's column name in the outputs. Default: the last
	// key of Path, or the one before it when that is "value"
	// (levers.tapi_stake.value -> tapi_stake). Letters, digits, '_', '.'
	// and '-'; unique.
	Name string `yaml:"name"`
	// Path is the scenario key path the factor sets, as for --set, e.g.
	// levers.tapi_stake.value or channels.tapi.stake_yield. Required. Not
	// seed or runs, which the experiment's Seed and Replicates set.
	Path string `yaml:"path"`
	// Min and Max bound the factor's range, min < max (finite).
	Min float64 `yaml:"min"`
	Max float64 `yaml:"max"`
	// Levels is the number of evenly spaced levels from Min to Max in a
	// grid design, at least 2. Default 5. Only for grid designs.
	Levels int `yaml:"levels"`
	// Values lists the factor's values instead of a range. A grid takes
	// each; the other designs pick among them with equal probability.
	Values []float64 `yaml:"values"`
	// Distribution is how lhs, sobol and morris designs spread the
	// factor over [Min, Max]: uniform (default), loguniform, triangular
	// or normal. Grids always use evenly spaced levels.
	Distribution string `yaml:"distribution"`
	// Mode is the peak of a triangular distribution, in [Min, Max].
	Mode float64 `yaml:"mode"`
	// Mean and SD parametrize a normal distribution (truncated to [Min,
	// Max]); SD > 0.
	Mean float64 `yaml:"mean"`
	SD   float64 `yaml:"sd"`
	// Round, when positive, rounds every value to a multiple of it (1 for
	// counts such as levers.defense_sales.count). For a range the value is
	// the nearest multiple inside [Min, Max], of which there must be at
	// least two. Default 0: no rounding. A uniform factor with Round
	// takes each multiple in its range with equal probability (an integer
	// factor on [0, 4] with round 1 takes 0, 1, 2, 3 and 4 a fifth of the
	// time each), and Morris divides its effects by the step actually
	// taken between the rounded values.
	Round float64 `yaml:"round"`
	// Choices makes the factor categorical: each choice is a named
	// fragment of scenario, a list of overrides, and the design picks
	// among them with equal probability (a grid takes each). The factor's
	// value in points.csv is the choice's index, 0 to len-1. Give Name
	// and no Path, range or values.
	Choices []Choice `yaml:"choices"`

	choiceSets [][]scenarios.Override // the parsed overrides of each choice
}

// Choice is one value of a categorical factor: a named scenario fragment.
type Choice struct {
	// Name labels the choice in messages and the factor's documentation.
	// Required; letters, digits, '-', '_' and '.'.
	Name string `yaml:"name"`
	// Set lists the overrides the choice applies, "key.path=value", as
	// the experiment's set key (not seed or runs). At least one.
	Set []string `yaml:"set"`
}

// SetDefaults marks the optional numbers as absent (NaN) so that Load can
// tell "not given" from zero.
func (f *Factor) SetDefaults() {
	nan := math.NaN()
	f.Min, f.Max, f.Mode, f.Mean, f.SD = nan, nan, nan, nan, nan
}

func defaultExperiment() Experiment {
	return Experiment{
		Replicates: 20,
		Design:     Design{Levels: 4, Bootstrap: 500, Confidence: 0.95},
	}
}

// ScenarioResolver returns the file name (for messages) and text of the
// base scenario an experiment names in its scenario key.
type ScenarioResolver func(ref string) (file string, data []byte, err error)

// DirResolver resolves a scenario reference as a file relative to dir
// when such a file exists, and otherwise as a built-in scenario name.
func DirResolver(dir string) ScenarioResolver {
	return func(ref string) (string, []byte, error) {
		p := ref
		if !filepath.IsAbs(p) {
			p = filepath.Join(dir, ref)
		}
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			data, err := os.ReadFile(p)
			return p, data, err
		}
		if strings.HasSuffix(ref, ".yaml") || strings.HasSuffix(ref, ".yml") || strings.ContainsRune(ref, '/') {
			return "", nil, fmt.Errorf("%w: scenario file %s does not exist", scenarios.ErrReference, p)
		}
		data, err := scenarios.BuiltinSource(ref)
		if err != nil {
			return "", nil, err
		}
		return "builtin:" + ref + ".yaml", data, nil
	}
}

// LoadFile reads the experiment file at path and loads it with Load,
// resolving its scenario relative to the file's folder.
func LoadFile(path string) (*Experiment, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Load(path, data, DirResolver(filepath.Dir(path)))
}

// Load parses data, the text of the experiment file named file, strictly
// (as scenarios are loaded: unknown keys, wrong types and duplicates are
// errors), fills defaults, resolves and loads the base scenario with
// resolve (DirResolver(".") when nil), and validates everything,
// including that every factor's path and range are valid for the
// scenario. Its error is a scenarios.Errors of *scenarios.FieldError,
// positioned in file and wrapping the scenarios sentinels (ErrRange,
// ErrUnknownKey, ErrReference, ...).
func Load(file string, data []byte, resolve ScenarioResolver) (*Experiment, error) {
	if resolve == nil {
		resolve = DirResolver(".")
	}
	e := defaultExperiment()
	locate, err := scenarios.DecodeStrict(file, data, &e)
	if err != nil {
		return nil, err
	}
	v := &checker{file: file, locate: locate}
	e.file, e.source = file, append([]byte(nil), data...)
	e.check(v)
	if len(v.errs) == 0 {
		e.checkScenario(v, resolve)
	}
	if err := scenarios.SortErrors(v.errs); err != nil {
		return nil, err
	}
	return &e, nil
}

// checker collects positioned problems.
type checker struct {
	file   string
	locate scenarios.Locator
	errs   scenarios.Errors
}

func (v *checker) add(path string, sentinel error, format string, args ...any) {
	line, col := v.locate(path)
	v.errs = append(v.errs, &scenarios.FieldError{File: v.file, Line: line, Column: col, Path: path, Err: sentinel, Msg: fmt.Sprintf(format, args...)})
}

var validName = regexp.MustCompile(`^[A-Za-z0-9_.-]+$`)

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// check validates everything that does not need the scenario.
func (e *Experiment) check(v *checker) {
	switch {
	case e.Name == "":
		v.add("name", scenarios.ErrRequired, "a name is required")
	case !validName.MatchString(e.Name):
		v.add("name", scenarios.ErrRange, "%q: use letters, digits, '-', '_' and '.'", e.Name)
	}
	if e.Scenario == "" {
		v.add("scenario", scenarios.ErrRequired, "a scenario is required: a built-in name (see `entrench scenarios`) or a file")
	}
	for i, s := range e.Set {
		o, err := scenarios.ParseOverride(s)
		if err != nil {
			v.add(fmt.Sprintf("set[%d]", i), scenarios.ErrOverride, "%s", strings.TrimPrefix(err.Error(), scenarios.SetFile+": "))
			continue
		}
		if msg := reservedPath(o.Path); msg != "" {
			v.add(fmt.Sprintf("set[%d]", i), scenarios.ErrOverride, "%s", msg)
			continue
		}
		e.sets = append(e.sets, o)
	}
	if e.Replicates < 1 || e.Replicates > MaxReplicates {
		v.add("replicates", scenarios.ErrRange, "%d is out of range: must be from 1 to %d", e.Replicates, MaxReplicates)
	}
	e.checkMetrics(v)
	e.checkDesign(v)
	e.checkFactors(v)
	if e.Design.Kind == Sobol && e.Design.Sequence == SequenceSobol && 2*len(e.Factors) > lowdisc.MaxDim {
		v.add("factors", scenarios.ErrRange, "%d factors: a Sobol' sequence has at most %d coordinates, 2 per factor, so at most %d factors; use sequence: %s",
			len(e.Factors), lowdisc.MaxDim, lowdisc.MaxDim/2, SequenceRandom)
	}
	if len(v.errs) == 0 {
		if n := e.numPoints(); n < 1 || n > MaxPoints {
			v.add("design", scenarios.ErrRange, "the design has %d points: must be from 1 to %d", n, MaxPoints)
		}
	}
}

func (e *Experiment) checkMetrics(v *checker) {
	if len(e.Metrics) == 0 {
		e.Metrics = []string{sim.SummaryNames[sim.SumFinalCooperation]}
	}
	seen := map[string]int{}
	for i, m := range e.Metrics {
		p := fmt.Sprintf("metrics[%d]", i)
		j := slices.Index(sim.SummaryNames[:], m)
		switch {
		case j < 0:
			v.add(p, scenarios.ErrReference, "unknown metric %q; metrics: %s", m, strings.Join(sim.SummaryNames[:], ", "))
		case seen[m] > 0:
			v.add(p, scenarios.ErrDuplicate, "metric %q is listed twice", m)
		}
		seen[m]++
		e.metricIdx = append(e.metricIdx, j)
	}
}

func (e *Experiment) checkDesign(v *checker) {
	d := &e.Design
	kinds := []string{Grid, LHS, Sobol, Morris}
	if d.Kind == "" {
		v.add("design.kind", scenarios.ErrRequired, "a design kind is required: %s", strings.Join(kinds, ", "))
		return
	}
	if !slices.Contains(kinds, d.Kind) {
		v.add("design.kind", scenarios.ErrRange, "unknown design %q: must be one of %s", d.Kind, strings.Join(kinds, ", "))
		return
	}
	only := func(key string, set bool, kind string) {
		if set && d.Kind != kind {
			v.add("design."+key, scenarios.ErrUnknownKey, "%s is only for %s designs, not %s", key, kind, d.Kind)
		}
	}
	only("points", d.Points != 0, LHS)
	only("n", d.N != 0, Sobol)
	only("trajectories", d.Trajectories != 0, Morris)
	only("sequence", d.Sequence != "", Sobol)
	only("scramble", d.Scramble != "", Sobol)
	only("order", d.Order != 0, Sobol)
	switch d.Kind {
	case LHS:
		if d.Points < 2 || d.Points > MaxPoints {
			v.add("design.points", scenarios.ErrRange, "%d is out of range: an lhs design needs points from 2 to %d", d.Points, MaxPoints)
		}
	case Sobol:
		if d.N < 2 || d.N > MaxPoints {
			v.add("design.n", scenarios.ErrRange, "%d is out of range: a sobol design needs n from 2 to %d", d.N, MaxPoints)
		}
		switch d.Order {
		case 0:
			d.Order = 1
		case 1, 2:
		default:
			v.add("design.order", scenarios.ErrRange, "%d is out of range: order is 1 (first-order and total indices) or 2 (also second-order)", d.Order)
		}
		switch d.Sequence {
		case "":
			d.Sequence = SequenceSobol
		case SequenceSobol, SequenceRandom:
		default:
			v.add("design.sequence", scenarios.ErrRange, "unknown sequence %q: must be %s (the default) or %s", d.Sequence, SequenceSobol, SequenceRandom)
		}
		switch {
		case d.Scramble != "" && d.Sequence == SequenceRandom:
			v.add("design.scramble", scenarios.ErrUnknownKey, "scramble is only for sequence %s", SequenceSobol)
		case d.Scramble == "" && d.Sequence == SequenceSobol:
			d.Scramble = ScrambleOwen
		case d.Scramble == "", d.Scramble == ScrambleOwen, d.Scramble == ScrambleShift:
		default:
			v.add("design.scramble", scenarios.ErrRange, "unknown scramble %q: must be %s (the default) or %s", d.Scramble, ScrambleOwen, ScrambleShift)
		}
	case Morris:
		if d.Trajectories < 2 || d.Trajectories > MaxPoints {
			v.add("design.trajectories", scenarios.ErrRange, "%d is out of range: a morris design needs trajectories from 2 to %d", d.Trajectories, MaxPoints)
		}
		if d.Levels < 2 || d.Levels%2 != 0 || d.Levels > 1000 {
			v.add("design.levels", scenarios.ErrRange, "%d is out of range: morris levels must be even, from 2 to 1000", d.Levels)
		}
	}
	if d.Bootstrap < 0 || d.Bootstrap > MaxBootstrap {
		v.add("design.bootstrap", scenarios.ErrRange, "%d is out of range: must be from 0 to %d", d.Bootstrap, MaxBootstrap)
	}
	if !(d.Confidence > 0 && d.Confidence < 1) {
		v.add("design.confidence", scenarios.ErrRange, "%s is out of range: must be between 0 and 1, e.g. 0.95", formatValue(d.Confidence))
	}
}

// reservedPath explains why the scenario key path cannot be set by a
// factor or a set entry, or returns "" when it can: the experiment runs
// every point with its own seed and replicates (ScenarioAt), which would
// silently override such a value.
func reservedPath(path string) string {
	switch path {
	case "seed":
		return "the scenario's seed cannot be set by a factor or a set entry: every design point runs with the experiment's own seed key (default: the scenario's seed), which would override it; set seed: in the experiment instead (its replicates already draw independent random numbers)"
	case "runs":
		return "the scenario's runs cannot be set by a factor or a set entry: every design point runs the experiment's own replicates key (or --replicates), which would override it; set replicates: in the experiment instead"
	}
	return ""
}

// defaultName derives a factor's name from its path.
func defaultName(path string) string {
	keys := strings.Split(path, ".")
	for i := range keys {
		if j := strings.IndexByte(keys[i], '['); j >= 0 {
			keys[i] = keys[i][:j]
		}
	}
	n := keys[len(keys)-1]
	if n == "value" && len(keys) > 1 {
		n = keys[len(keys)-2]
	}
	return n
}

func (e *Experiment) checkFactors(v *checker) {
	if len(e.Factors) == 0 {
		v.add("factors", scenarios.ErrRequired, "at least one factor is required")
		return
	}
	names, paths := map[string]int{}, map[string]int{}
	for i := range e.Factors {
		f := &e.Factors[i]
		p := fmt.Sprintf("factors[%d]", i)
		if len(f.Choices) > 0 {
			e.checkChoices(v, f, p, names)
			continue
		}
		if f.Path == "" {
			v.add(p+".path", scenarios.ErrRequired, "a key path is required, e.g. levers.tapi_stake.value (or choices for a categorical factor)")
			continue
		}
		o, err := scenarios.ParseOverride(f.Path + "=0")
		if err != nil {
			v.add(p+".path", scenarios.ErrOverride, "%s", strings.TrimPrefix(err.Error(), scenarios.SetFile+": "))
			continue
		}
		if msg := reservedPath(o.Path); msg != "" {
			v.add(p+".path", scenarios.ErrOverride, "%s", msg)
			continue
		}
		if j, dup := paths[f.Path]; dup {
			v.add(p+".path", scenarios.ErrDuplicate, "path %s is already varied by factors[%d]", f.Path, j)
		}
		paths[f.Path] = i
		if f.Name == "" {
			f.Name = defaultName(f.Path)
		}
		if !validName.MatchString(f.Name) {
			v.add(p+".name", scenarios.ErrRange, "%q: use letters, digits, '-', '_' and '.'", f.Name)
		} else if j, dup := names[f.Name]; dup {
			v.add(p+".name", scenarios.ErrDuplicate, "name %q is already used by factors[%d]: give one of them another name", f.Name, j)
		}
		names[f.Name] = i
		e.checkFactor(v, f, p)
	}
}

// checkChoices validates a categorical factor: a name, no path, range or
// values, and at least two choices with valid names and overrides.
func (e *Experiment) checkChoices(v *checker, f *Factor, p string, names map[string]int) {
	i, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(p, "factors["), "]"))
	switch {
	case f.Name == "":
		v.add(p+".name", scenarios.ErrRequired, "a categorical factor (choices) needs a name")
	case !validName.MatchString(f.Name):
		v.add(p+".name", scenarios.ErrRange, "%q: use letters, digits, '-', '_' and '.'", f.Name)
	default:
		if j, dup := names[f.Name]; dup {
			v.add(p+".name", scenarios.ErrDuplicate, "name %q is already used by factors[%d]: give one of them another name", f.Name, j)
		}
		names[f.Name] = i
	}
	for _, k := range []struct {
		key string
		set bool
	}{{"path", f.Path != ""}, {"min", !math.IsNaN(f.Min)}, {"max", !math.IsNaN(f.Max)}, {"values", len(f.Values) > 0},
		{"distribution", f.Distribution != ""}, {"round", f.Round != 0}, {"levels", f.Levels != 0},
		{"mode", !math.IsNaN(f.Mode)}, {"mean", !math.IsNaN(f.Mean)}, {"sd", !math.IsNaN(f.SD)}} {
		if k.set {
			v.add(p+"."+k.key, scenarios.ErrUnknownKey, "%s cannot be combined with choices: each choice sets its own keys", k.key)
		}
	}
	if len(f.Choices) < 2 {
		v.add(p+".choices", scenarios.ErrRange, "a categorical factor needs at least two choices")
	}
	seen := map[string]int{}
	f.choiceSets = make([][]scenarios.Override, len(f.Choices))
	for c, ch := range f.Choices {
		cp := fmt.Sprintf("%s.choices[%d]", p, c)
		switch {
		case ch.Name == "":
			v.add(cp+".name", scenarios.ErrRequired, "a choice needs a name")
		case !validName.MatchString(ch.Name):
			v.add(cp+".name", scenarios.ErrRange, "%q: use letters, digits, '-', '_' and '.'", ch.Name)
		default:
			if j, dup := seen[ch.Name]; dup {
				v.add(cp+".name", scenarios.ErrDuplicate, "choice %q is already choices[%d]", ch.Name, j)
			}
			seen[ch.Name] = c
		}
		if len(ch.Set) == 0 {
			v.add(cp+".set", scenarios.ErrRequired, "a choice needs at least one override in set, e.g. [levers.tapi_stake.value=0.5]")
		}
		for j, s := range ch.Set {
			o, err := scenarios.ParseOverride(s)
			if err != nil {
				v.add(fmt.Sprintf("%s.set[%d]", cp, j), scenarios.ErrOverride, "%s", strings.TrimPrefix(err.Error(), scenarios.SetFile+": "))
				continue
			}
			if msg := reservedPath(o.Path); msg != "" {
				v.add(fmt.Sprintf("%s.set[%d]", cp, j), scenarios.ErrOverride, "%s", msg)
				continue
			}
			f.choiceSets[c] = append(f.choiceSets[c], o)
		}
	}
}

func (e *Experiment) checkFactor(v *checker, f *Factor, p string) {
	kind := e.Design.Kind
	if !(f.Round >= 0 && f.Round < math.Inf(1)) {
		v.add(p+".round", scenarios.ErrRange, "%s is out of range: must be a finite number of at least 0", formatValue(f.Round))
	}
	if f.Levels != 0 && kind != Grid {
		v.add(p+".levels", scenarios.ErrUnknownKey, "levels is only for grid designs (a %s design samples the range)", kind)
	}
	if len(f.Values) > 0 {
		for _, k := range []struct {
			key string
			set bool
		}{{"min", !math.IsNaN(f.Min)}, {"max", !math.IsNaN(f.Max)}, {"levels", f.Levels != 0}, {"distribution", f.Distribution != ""}} {
			if k.set {
				v.add(p+"."+k.key, scenarios.ErrUnknownKey, "%s cannot be combined with values", k.key)
			}
		}
		for j, x := range f.Values {
			if !finite(x) {
				v.add(fmt.Sprintf("%s.values[%d]", p, j), scenarios.ErrRange, "%s is not a finite number", formatValue(x))
			}
		}
		if kind != Grid && len(f.Values) < 2 {
			v.add(p+".values", scenarios.ErrRange, "a %s design needs at least two values", kind)
		}
		return
	}
	switch {
	case math.IsNaN(f.Min) || math.IsNaN(f.Max):
		v.add(p, scenarios.ErrRequired, "give min and max, or a list of values")
		return
	case !finite(f.Min) || !finite(f.Max) || f.Min >= f.Max:
		v.add(p+".max", scenarios.ErrRange, "the range [%s, %s] is empty: max must be greater than min", formatValue(f.Min), formatValue(f.Max))
		return
	}
	if f.Round > 0 && f.Round < math.Inf(1) {
		if lo, hi, ok := f.roundRange(); ok && hi-lo < 1 {
			which := "no multiple of it lies"
			if hi == lo {
				which = "only one multiple of it, " + formatValue(f.round(f.Min)) + ", lies"
			}
			v.add(p+".round", scenarios.ErrRange, "round %s: %s in [%s, %s], so the factor would not vary: lower round or widen the range",
				formatValue(f.Round), which, formatValue(f.Min), formatValue(f.Max))
		}
	}
	if kind == Grid {
		if f.Levels == 0 {
			f.Levels = DefaultGridLevels
		}
		if f.Levels < 2 || f.Levels > MaxPoints {
			v.add(p+".levels", scenarios.ErrRange, "%d is out of range: must be from 2 to %d", f.Levels, MaxPoints)
		}
		if f.Distribution != "" && f.Distribution != Uniform {
			v.add(p+".distribution", scenarios.ErrUnknownKey, "a grid takes evenly spaced levels; distributions are for lhs, sobol and morris designs")
		}
	}
	need := func(key string, x float64, what string) {
		if math.IsNaN(x) {
			v.add(p, scenarios.ErrRequired, "a %s distribution needs %s", f.Distribution, key)
		} else if !finite(x) {
			v.add(p+"."+key, scenarios.ErrRange, "%s is not a finite number", formatValue(x))
		} else if what != "" {
			v.add(p+"."+key, scenarios.ErrRange, "%s is out of range: %s", formatValue(x), what)
		}
	}
	unused := func(keys ...string) {
		for _, k := range keys {
			var x float64
			switch k {
			case "mode":
				x = f.Mode
			case "mean":
				x = f.Mean
			case "sd":
				x = f.SD
			}
			if !math.IsNaN(x) {
				v.add(p+"."+k, scenarios.ErrUnknownKey, "%s is not used by a %s distribution", k, orUniform(f.Distribution))
			}
		}
	}
	switch f.Distribution {
	case "", Uniform:
		unused("mode", "mean", "sd")
	case LogUniform:
		unused("mode", "mean", "sd")
		if f.Min <= 0 {
			v.add(p+".min", scenarios.ErrRange, "%s is out of range: a loguniform distribution needs min > 0", formatValue(f.Min))
		}
	case Triangular:
		unused("mean", "sd")
		if math.IsNaN(f.Mode) || !(f.Mode >= f.Min && f.Mode <= f.Max) {
			need("mode", f.Mode, "the mode must lie in [min, max]")
		}
	case Normal:
		unused("mode")
		if !finite(f.Mean) {
			need("mean", f.Mean, "")
		}
		if math.IsNaN(f.SD) || !(f.SD > 0 && f.SD < math.Inf(1)) {
			need("sd", f.SD, "sd must be greater than 0")
		} else if finite(f.Mean) {
			if _, _, _, _, ok := f.normalBounds(); !ok {
				z := math.Max((f.Min-f.Mean)/f.SD, (f.Mean-f.Max)/f.SD)
				what := fmt.Sprintf("its ends are %s sd from the mean", formatValue(math.Round(z*10)/10))
				if z <= 0 {
					what = "the range is too narrow for the sd"
				}
				v.add(p, scenarios.ErrRange, "a normal(mean %s, sd %s) truncated to [%s, %s] has too little probability in the range to sample (%s): widen the range, move the mean or raise the sd, or use a uniform distribution",
					formatValue(f.Mean), formatValue(f.SD), formatValue(f.Min), formatValue(f.Max), what)
			}
		}
	default:
		v.add(p+".distribution", scenarios.ErrRange, "unknown distribution %q: must be one of %s, %s, %s, %s", f.Distribution, Uniform, LogUniform, Triangular, Normal)
	}
}

func orUniform(d string) string {
	if d == "" {
		return Uniform
	}
	return d
}

// checkScenario resolves and loads the base scenario with the fixed
// overrides, then checks each factor at its extremes and inside its
// range, so that a bad path or range is reported before any run.
func (e *Experiment) checkScenario(v *checker, resolve ScenarioResolver) {
	file, data, err := resolve(e.Scenario)
	if err != nil {
		sentinel := scenarios.ErrReference
		if !errors.Is(err, scenarios.ErrReference) {
			sentinel = err
		}
		v.add("scenario", sentinel, "%s", strings.TrimPrefix(err.Error(), scenarios.ErrReference.Error()+": "))
		return
	}
	e.scenarioFile, e.scenarioData = file, data
	base, err := scenarios.Load(file, data, e.sets)
	if err != nil {
		var es scenarios.Errors
		if errors.As(err, &es) {
			for _, fe := range es {
				at := "scenario"
				if fe.File == scenarios.SetFile {
					at = "set"
					for i, o := range e.sets {
						if o.Path == fe.Path {
							at = fmt.Sprintf("set[%d]", i)
						}
					}
				}
				v.add(at, fe.Err, "the scenario is not valid: %s", fe.Error())
			}
		} else {
			v.add("scenario", scenarios.ErrReference, "%v", err)
		}
		return
	}
	if _, err := sim.Compile(base); err != nil {
		v.add("scenario", scenarios.ErrRange, "the scenario does not compile: %v", err)
		return
	}
	e.base = base
	if e.Seed == 0 {
		e.Seed = base.Seed
	}
	for i := range e.Factors {
		f := &e.Factors[i]
		p := fmt.Sprintf("factors[%d]", i)
		type probe struct {
			at string
			x  float64
		}
		var probes []probe
		if len(f.Choices) > 0 {
			for c, set := range f.choiceSets {
				ovs := append(slices.Clip(e.sets), set...)
				if _, err := scenarios.Load(file, data, ovs); err != nil {
					msg := err.Error()
					sentinel := error(scenarios.ErrRange)
					var es scenarios.Errors
					if errors.As(err, &es) && len(es) > 0 {
						msg, sentinel = es[0].Error(), es[0].Err
					}
					v.add(fmt.Sprintf("%s.choices[%d]", p, c), sentinel, "with choice %s the scenario is not valid: %s", f.Choices[c].Name, msg)
				}
			}
			continue
		}
		if len(f.Values) > 0 {
			for j, x := range f.Values {
				probes = append(probes, probe{fmt.Sprintf("%s.values[%d]", p, j), f.round(x)})
			}
		} else {
			probes = []probe{{p + ".min", f.Quantile(0)}, {p + ".max", f.Quantile(1)}, {p, f.Quantile(0.3719)}}
		}
		for _, pr := range probes {
			ovs := append(slices.Clip(e.sets), scenarios.Override{Path: f.Path, Value: formatValue(pr.x)})
			if _, err := scenarios.Load(file, data, ovs); err != nil {
				msg := err.Error()
				var es scenarios.Errors
				sentinel := error(scenarios.ErrRange)
				if errors.As(err, &es) && len(es) > 0 {
					msg, sentinel = es[0].Error(), es[0].Err
					if errors.Is(sentinel, scenarios.ErrUnknownKey) || errors.Is(sentinel, scenarios.ErrOverride) && !errors.Is(sentinel, scenarios.ErrType) {
						pr.at = p + ".path"
					}
				}
				hint := ""
				if strings.Contains(msg, "integer") && f.Round == 0 {
					hint = " (add round: 1 for a whole-number value)"
				}
				v.add(pr.at, sentinel, "with %s=%s the scenario is not valid: %s%s", f.Path, formatValue(pr.x), msg, hint)
				break
			}
		}
	}
}

// numPoints returns the number of design points.
func (e *Experiment) numPoints() int {
	k := len(e.Factors)
	switch e.Design.Kind {
	case Grid:
		n := 1
		for i := range e.Factors {
			l := e.Factors[i].gridLevels()
			if l == 0 || n > MaxPoints/l {
				return MaxPoints + 1
			}
			n *= l
		}
		return n
	case LHS:
		return e.Design.Points
	case Sobol:
		if e.Design.N > MaxPoints/e.sobolWidth() {
			return MaxPoints + 1
		}
		return e.Design.N * e.sobolWidth()
	case External:
		return len(e.external)
	case Morris:
		if e.Design.Trajectories > MaxPoints/(k+1) {
			return MaxPoints + 1
		}
		return e.Design.Trajectories * (k + 1)
	}
	return 0
}

// sobolWidth returns the number of points per row of a sobol design:
// A, B and the k AB_i, and the k BA_i with second-order indices.
func (e *Experiment) sobolWidth() int {
	if e.Design.Order == 2 {
		return 2*len(e.Factors) + 2
	}
	return len(e.Factors) + 2
}

// Points returns the number of design points.
func (e *Experiment) Points() int { return e.numPoints() }

// Source returns the text of the experiment file.
func (e *Experiment) Source() []byte { return e.source }

// File returns the experiment file's name as given to Load.
func (e *Experiment) File() string { return e.file }

// Base returns the base scenario with the fixed overrides applied. It
// must not be modified.
func (e *Experiment) Base() *scenarios.Scenario { return e.base }

// WithReplicates returns a copy of e with r replicates per point (r >= 1).
func (e *Experiment) WithReplicates(r int) (*Experiment, error) {
	if r < 1 || r > MaxReplicates {
		return nil, fmt.Errorf("%w: replicates %d out of range: must be from 1 to %d", scenarios.ErrRange, r, MaxReplicates)
	}
	c := *e
	c.Replicates = r
	return &c, nil
}

// ID is the identity of the study: a hex SHA-256 of the experiment and
// scenario texts, the replicates and the seed. Shards merge only when
// their IDs (and versions) agree.
func (e *Experiment) ID() string {
	h := sha256.New()
	fmt.Fprintf(h, "entrench-sweep-1\x00%d\x00%d\x00%d\x00", len(e.source), e.Replicates, e.Seed)
	h.Write(e.source)
	h.Write([]byte{0})
	h.Write(e.scenarioData)
	if e.external != nil {
		fmt.Fprintf(h, "\x00external\x00%d\x00", len(e.designData))
		h.Write(e.designData)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// formatValue writes x as the shortest text that reads back to the same
// float64, zero as "0" whatever its sign: factor values in overrides and
// points.csv, statistics in the journal (exactly, so that outputs do not
// depend on a journal's round trip) and numbers in messages. Statistics
// for a CSV file use output.FormatFloat instead.
func formatValue(x float64) string {
	if x == 0 {
		return "0" // not "-0"
	}
	return strconv.FormatFloat(x, 'g', -1, 64)
}

// overrides returns the scenario overrides of a design point with factor
// values x.
func (e *Experiment) overrides(x []float64) []scenarios.Override {
	ovs := make([]scenarios.Override, 0, len(e.sets)+len(x))
	ovs = append(ovs, e.sets...)
	for i, f := range e.Factors {
		if len(f.Choices) > 0 {
			c := min(max(int(x[i]), 0), len(f.choiceSets)-1)
			ovs = append(ovs, f.choiceSets[c]...)
			continue
		}
		ovs = append(ovs, scenarios.Override{Path: f.Path, Value: formatValue(x[i])})
	}
	return ovs
}

// ScenarioAt returns the scenario of the design point with factor values
// x, with the experiment's seed and replicates.
func (e *Experiment) ScenarioAt(x []float64) (*scenarios.Scenario, error) {
	sc, err := scenarios.Load(e.scenarioFile, e.scenarioData, e.overrides(x))
	if err != nil {
		return nil, err
	}
	sc.Seed = e.Seed
	sc.Runs = e.Replicates
	return sc, nil
}
