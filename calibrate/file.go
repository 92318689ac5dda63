package calibrate

import (
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/entrench/entrench/abc"
	"github.com/entrench/entrench/data/observed"
	"github.com/entrench/entrench/scenarios"
	"github.com/entrench/entrench/sim"
)

// DefaultScenario is the built-in scenario calibrated when the file names
// none: the historical backcast.
const DefaultScenario = "backcast-1997-2016"

// DefaultFitEnd is the last month of the default fit window: observations
// after it are out of sample.
const DefaultFitEnd = "2010-12"

// Statistic names.
const (
	YearlyMean = "yearly_mean"
	FallsBelow = "falls_below"
	RisesAbove = "rises_above"
)

// File is a calibration file as written. Every field documents its
// default; Load rejects values out of range with their position.
type File struct {
	// Scenario is a built-in scenario name or a scenario file (relative
	// to the calibration file's folder). Default DefaultScenario.
	Scenario string `yaml:"scenario"`
	// Parameters are the free parameters, at least one.
	Parameters []Parameter `yaml:"parameters"`
	// Targets are the observations fitted, at least one.
	Targets []Target `yaml:"targets"`
	// FitWindow bounds the observations that enter the distance.
	FitWindow Window `yaml:"fit_window"`
	// Algorithm holds the ABC-SMC settings.
	Algorithm Algorithm `yaml:"algorithm"`
}

// Parameter is one free parameter.
type Parameter struct {
	// Name identifies it in outputs and in observation models; letters,
	// digits, '_', '-' and '.'. Required, unique.
	Name string `yaml:"name"`
	// Key is the scenario key path the value is set at, as with --set
	// (e.g. model.build_rate or channels.nrc.capacity). Empty: an
	// observation-model parameter, which some target must use.
	Key string `yaml:"key"`
	// Prior is its prior distribution. Required.
	Prior Prior `yaml:"prior"`
}

// Prior is a prior distribution: dist is uniform (min, max), normal
// (mean, sd), lognormal (mean and sd of log x) or beta (alpha, beta);
// min and max truncate the three others. A prior on a scenario key must
// have its support inside the key's allowed range.
type Prior struct {
	// Dist is the family; the other fields its parameters, nil when not
	// given.
	Dist  string   `yaml:"dist"`
	Min   *float64 `yaml:"min"`
	Max   *float64 `yaml:"max"`
	Mean  *float64 `yaml:"mean"`
	SD    *float64 `yaml:"sd"`
	Alpha *float64 `yaml:"alpha"`
	Beta  *float64 `yaml:"beta"`
}

// Target links one observed series or fact to a model metric.
type Target struct {
	// Name labels the target in outputs. Default: the series or fact id.
	Name string `yaml:"name"`
	// Series is a series id of data/observed/series.csv; Fact a fact id
	// of facts.csv. Exactly one is required.
	Series string `yaml:"series"`
	Fact   string `yaml:"fact"`
	// Metric is a per-tick model metric, e.g. cooperation or channel.nrc.
	// Required.
	Metric string `yaml:"metric"`
	// Statistic is yearly_mean (series; the default), falls_below or
	// rises_above (facts).
	Statistic string `yaml:"statistic"`
	// Level is the threshold of falls_below and rises_above, in [0, 1].
	Level *float64 `yaml:"level"`
	// After is the month (YYYY-MM) after which falls_below and
	// rises_above look; required with them.
	After string `yaml:"after"`
	// Observation maps the statistic to the observed scale.
	Observation Observation `yaml:"observation"`
	// Weight multiplies the target's terms in the distance, >= 0.
	// Default 1.
	Weight *float64 `yaml:"weight"`
}

// Observation is the affine observation model intercept + slope * x +
// noise * N(0, 1).
type Observation struct {
	// Intercept and Slope are numbers or names of free parameters without
	// a key. Defaults 0 and 1.
	Intercept string `yaml:"intercept"`
	Slope     string `yaml:"slope"`
	// Noise is the standard deviation of the observation noise, >= 0, in
	// the observed unit (decimal years for facts). Default 0.
	Noise float64 `yaml:"noise"`
}

// Window is a range of months, YYYY-MM, both included.
type Window struct {
	// From defaults to the scenario's start; To to DefaultFitEnd.
	From string `yaml:"from"`
	To   string `yaml:"to"`
}

// Algorithm holds the ABC-SMC settings (see abc.Settings, whose defaults
// apply to zero values).
type Algorithm struct {
	// Particles per generation, >= 2. Default abc.DefaultParticles.
	Particles int `yaml:"particles"`
	// Quantile of the previous distances that sets the next tolerance, in
	// (0, 1). Default abc.DefaultQuantile.
	Quantile float64 `yaml:"quantile"`
	// MinTolerance stops after a generation at or below it. Default 0.
	MinTolerance float64 `yaml:"min_tolerance"`
	// MinAcceptance, in [0, 1), stops when acceptance would fall below.
	MinAcceptance float64 `yaml:"min_acceptance"`
	// MaxGenerations, counting generation 0. Default
	// abc.DefaultMaxGenerations.
	MaxGenerations int `yaml:"max_generations"`
	// MaxSimulations is the budget of simulations; 0: none.
	MaxSimulations int `yaml:"max_simulations"`
	// Replicates are the runs per simulation whose statistics are
	// averaged, 1 to 1000. Default 1.
	Replicates int `yaml:"replicates"`
	// Seed seeds every stream. Default 1.
	Seed *uint64 `yaml:"seed"`
	// Workers run simulations at once; 0: all cores. Results do not
	// depend on it.
	Workers int `yaml:"workers"`
	// Scale standardizes summaries: mad (default) or sd of the prior
	// predictive summaries, or noise, each summary's spread between two
	// simulations at the same parameters (abc.ScaleNoise).
	Scale string `yaml:"scale"`
	// Adjust post-processes the final generation: none (default) or
	// regression, the local-linear regression adjustment of Beaumont,
	// Zhang and Balding (2002) (abc.AdjustRegression). With regression,
	// posterior.csv holds the adjusted particles and
	// posterior-unadjusted.csv the final generation as it was.
	Adjust string `yaml:"adjust"`
}

// coef is an observation coefficient: a constant or a parameter index.
type coef struct {
	param int // -1: constant
	value float64
}

func (c coef) at(theta []float64) float64 {
	if c.param >= 0 {
		return theta[c.param]
	}
	return c.value
}

// Point is one observed value of a target, compared with the statistic
// computed over its date range.
type Point struct {
	// Date is the observation's month (January for a yearly value, for
	// which Yearly is true).
	Date   scenarios.Month
	Yearly bool
	// Observed is the observed value (a decimal year for a fact).
	Observed float64
	// InWindow is true when the point is fitted; false: out of sample.
	InWindow bool
	// ticks are the first and last tick (inclusive) averaged by
	// yearly_mean.
	t0, t1 int
}

// TargetSpec is a target resolved against the scenario and the data.
type TargetSpec struct {
	// Name, Metric, Statistic, Series and Fact are as in Target, with
	// the defaults filled in.
	Name, Metric, Statistic string
	Series, Fact            string
	// Level and After are the threshold and start month of falls_below
	// and rises_above.
	Level float64
	After scenarios.Month
	// Weight multiplies the target's terms in the distance; Noise is the
	// observation noise's standard deviation.
	Weight, Noise float64
	// Points are the observations within the run, in data order.
	Points []Point

	metric           int // index in the model's metrics
	intercept, slope coef
	afterTick        int // tick of After
}

// Calibration is a loaded, checked calibration file: the problem and
// settings ready for abc. It is read-only and safe for concurrent use.
type Calibration struct {
	// File is the calibration file's name as given to Load.
	File string
	// Spec is the file as decoded, defaults not filled in.
	Spec File
	// ScenarioName is the scenario's name; Base its compiled model with
	// the file's values.
	ScenarioName string
	Base         *sim.Model
	// Params are the free parameters with their priors, in file order;
	// Keys[i] is parameter i's scenario key path ("" for an observation
	// parameter).
	Params abc.Priors
	Keys   []string
	// Targets in file order.
	Targets []TargetSpec
	// From and To bound the fit window.
	From, To scenarios.Month
	// Settings are the abc settings (Dir, Workers and Progress are left
	// to the caller).
	Settings abc.Settings
	// Replicates per simulation.
	Replicates int

	scenarioFile string
	scenarioSrc  []byte
}

// LoadFile reads the calibration file at path and loads it with Load.
func LoadFile(path string, data *observed.Data) (*Calibration, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Load(path, b, data)
}

var nameRe = regexp.MustCompile(`^[A-Za-z0-9_.-]+$`)

// Load parses and checks the calibration file text b named file, against
// the observed data (observed.Embedded() when nil). A scenario named by a
// path is read relative to file's folder. Its error lists every problem
// found, as a scenarios.Errors of positioned *scenarios.FieldError.
func Load(file string, b []byte, data *observed.Data) (*Calibration, error) {
	root, err := parseYAML(file, b)
	if err != nil {
		return nil, scenarios.Errors{err.(*scenarios.FieldError)}
	}
	d := &decoder{file: file, pos: map[string]pos{}}
	var f File
	d.decode(root, reflect.ValueOf(&f).Elem(), "")
	if len(d.errs) > 0 {
		return nil, sorted(d.errs)
	}
	if data == nil {
		if data, err = observed.Embedded(); err != nil {
			return nil, err
		}
	}
	c := &Calibration{File: file, Spec: f}
	c.check(d, data)
	if len(d.errs) > 0 {
		return nil, sorted(d.errs)
	}
	return c, nil
}

func sorted(es scenarios.Errors) scenarios.Errors {
	slices.SortStableFunc(es, func(a, b *scenarios.FieldError) int {
		if a.Line != b.Line {
			return a.Line - b.Line
		}
		return a.Column - b.Column
	})
	return es
}

// check fills c from c.Spec, reporting problems to d.
func (c *Calibration) check(d *decoder, data *observed.Data) {
	f := &c.Spec
	if !c.loadScenario(d) {
		return
	}
	sc := c.Base.Scenario
	// Parameters.
	if len(f.Parameters) == 0 {
		d.errorf(nil, "parameters", scenarios.ErrRequired, "at least one free parameter is required")
	}
	index := map[string]int{}
	used := map[string]bool{}
	for i, p := range f.Parameters {
		path := fmt.Sprintf("parameters[%d]", i)
		switch _, dup := index[p.Name]; {
		case p.Name == "":
			d.errorf(nil, path+".name", scenarios.ErrRequired, "a parameter needs a name")
		case !nameRe.MatchString(p.Name):
			d.errorf(nil, path+".name", scenarios.ErrRange, "name %q may only hold letters, digits, '_', '-' and '.'", p.Name)
		case dup:
			d.errorf(nil, path+".name", scenarios.ErrDuplicate, "parameter %q appears twice", p.Name)
		}
		index[p.Name] = i
		pr, ok := c.prior(d, path+".prior", p.Prior)
		c.Params = append(c.Params, abc.Param{Name: p.Name, Prior: pr})
		c.Keys = append(c.Keys, p.Key)
		if ok && p.Key != "" {
			c.checkKey(d, path, p.Key, pr)
		}
	}
	// Fit window.
	c.From, c.To = sc.Start, sc.End()
	if f.FitWindow.From != "" {
		c.From = c.month(d, "fit_window.from", f.FitWindow.From)
	}
	to := f.FitWindow.To
	if to == "" {
		to = DefaultFitEnd
	}
	c.To = c.month(d, "fit_window.to", to)
	if c.To < c.From {
		d.errorf(nil, "fit_window", scenarios.ErrRange, "the window ends (%s) before it starts (%s)", c.To, c.From)
	}
	// Targets.
	if len(f.Targets) == 0 {
		d.errorf(nil, "targets", scenarios.ErrRequired, "at least one target is required")
	}
	names := map[string]bool{}
	fitted := 0
	for i, t := range f.Targets {
		ts, ok := c.target(d, fmt.Sprintf("targets[%d]", i), t, data, index, used)
		if !ok {
			continue
		}
		if names[ts.Name] {
			d.errorf(nil, fmt.Sprintf("targets[%d]", i), scenarios.ErrDuplicate, "target %q appears twice (give one a name)", ts.Name)
		}
		names[ts.Name] = true
		for _, p := range ts.Points {
			if p.InWindow {
				fitted++
			}
		}
		c.Targets = append(c.Targets, ts)
	}
	for i, p := range f.Parameters {
		if p.Key == "" && p.Name != "" && !used[p.Name] {
			d.errorf(nil, fmt.Sprintf("parameters[%d]", i), scenarios.ErrRequired, "parameter %q has no key and no observation model uses it: give it a scenario key path or use it as a target's intercept or slope", p.Name)
		}
	}
	if len(d.errs) == 0 && fitted == 0 {
		d.errorf(nil, "fit_window", scenarios.ErrRange, "no observation falls inside the fit window %s to %s", c.From, c.To)
	}
	c.algorithm(d)
}

// loadScenario loads the scenario the file names and compiles it.
func (c *Calibration) loadScenario(d *decoder) bool {
	name := c.Spec.Scenario
	if name == "" {
		name = DefaultScenario
	}
	var err error
	if strings.HasSuffix(name, ".yaml") || strings.HasSuffix(name, ".yml") || strings.ContainsRune(name, '/') {
		c.scenarioFile = name
		if !filepath.IsAbs(name) {
			c.scenarioFile = filepath.Join(filepath.Dir(c.File), name)
		}
		c.scenarioSrc, err = os.ReadFile(c.scenarioFile)
	} else {
		c.scenarioFile = "builtin:" + name + ".yaml"
		c.scenarioSrc, err = scenarios.BuiltinSource(name)
	}
	if err != nil {
		d.errorf(nil, "scenario", scenarios.ErrReference, "%v", err)
		return false
	}
	sc, err := scenarios.Load(c.scenarioFile, c.scenarioSrc, nil)
	if err != nil {
		d.errorf(nil, "scenario", scenarios.ErrReference, "scenario %s does not load: %v", name, err)
		return false
	}
	if c.Base, err = sim.Compile(sc); err != nil {
		d.errorf(nil, "scenario", scenarios.ErrReference, "scenario %s does not compile: %v", name, err)
		return false
	}
	c.ScenarioName = sc.Name
	return true
}

func (c *Calibration) month(d *decoder, path, s string) scenarios.Month {
	m, err := scenarios.ParseMonth(s)
	if err != nil {
		d.errorf(nil, path, scenarios.ErrDate, "%v", err)
	}
	return m
}

// prior builds the abc prior of a Prior.
func (c *Calibration) prior(d *decoder, path string, p Prior) (abc.Prior, bool) {
	if p.Dist == "" {
		d.errorf(nil, path+".dist", scenarios.ErrRequired, "a prior needs dist: uniform, normal, lognormal or beta")
		return abc.Prior{}, false
	}
	kind, err := abc.ParseKind(p.Dist)
	if err != nil {
		d.errorf(nil, path+".dist", scenarios.ErrRange, "unknown distribution %q (allowed: uniform, normal, lognormal, beta)", p.Dist)
		return abc.Prior{}, false
	}
	need := map[abc.Kind][2]string{abc.Uniform: {"min", "max"}, abc.Normal: {"mean", "sd"}, abc.LogNormal: {"mean", "sd"}, abc.Beta: {"alpha", "beta"}}[kind]
	get := map[string]*float64{"min": p.Min, "max": p.Max, "mean": p.Mean, "sd": p.SD, "alpha": p.Alpha, "beta": p.Beta}
	ok := true
	for _, k := range need {
		if get[k] == nil {
			d.errorf(nil, path+"."+k, scenarios.ErrRequired, "a %s prior needs %s and %s", kind, need[0], need[1])
			ok = false
		}
	}
	for k, v := range get {
		if v != nil && !slices.Contains(need[:], k) && k != "min" && k != "max" {
			d.errorf(nil, path+"."+k, scenarios.ErrUnknownKey, "a %s prior takes %s and %s (and min, max to truncate), not %s", kind, need[0], need[1], k)
			ok = false
		}
	}
	if !ok {
		return abc.Prior{}, false
	}
	pr, err := abc.NewPrior(kind, *get[need[0]], *get[need[1]])
	if err == nil && kind != abc.Uniform && (p.Min != nil || p.Max != nil) {
		lo, hi := math.Inf(-1), math.Inf(1)
		if p.Min != nil {
			lo = *p.Min
		}
		if p.Max != nil {
			hi = *p.Max
		}
		pr, err = pr.Truncate(lo, hi)
	}
	if err != nil {
		d.errorf(nil, path, scenarios.ErrRange, "%s", strings.TrimPrefix(err.Error(), "abc: bad prior: "))
		return abc.Prior{}, false
	}
	return pr, true
}

// Support returns the interval holding every draw of p (abc.Prior.Support).
func Support(p abc.Prior) (lo, hi float64) { return p.Support() }

// checkKey checks that the key path exists in the scenario schema and
// that both ends of the prior's support are allowed values there.
func (c *Calibration) checkKey(d *decoder, path, key string, pr abc.Prior) {
	if _, err := scenarios.ParseOverride(key + "=0"); err != nil {
		d.errorf(nil, path+".key", scenarios.ErrRange, "%v", err)
		return
	}
	lo, hi := Support(pr)
	for _, x := range []float64{lo, hi} {
		where := ftoa(x)
		if math.IsInf(x, 0) {
			where = "is unbounded " + map[bool]string{true: "below", false: "above"}[x < 0] + ", and " + ftoa(math.Copysign(1e300, x))
			x = math.Copysign(1e300, x)
		} else {
			where = "reaches " + where + ", which"
		}
		_, err := c.scenario([]scenarios.Override{{Path: key, Value: ftoa(x)}})
		if err == nil {
			continue
		}
		var es scenarios.Errors
		if !errors.As(err, &es) || len(es) == 0 {
			d.errorf(nil, path+".key", scenarios.ErrRange, "%v", err)
			return
		}
		if errors.Is(es[0], scenarios.ErrOverride) {
			d.errorf(nil, path+".key", scenarios.ErrUnknownKey, "%s", es[0].Msg)
			return
		}
		d.errorf(nil, path+".key", scenarios.ErrRange, "the prior's support %s %s does not allow (%s: %s); narrow the prior or truncate it with min and max", where, key, es[0].Path, es[0].Msg)
		return
	}
}

// scenario loads the calibrated scenario with overrides.
func (c *Calibration) scenario(ovs []scenarios.Override) (*scenarios.Scenario, error) {
	return scenarios.Load(c.scenarioFile, c.scenarioSrc, ovs)
}

func ftoa(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }
