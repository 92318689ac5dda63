package lab

import (
	"errors"
	"fmt"
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/entrench/entrench/scenarios"
)

// uploadPrefix marks an uploaded scenario in the scenario field.
const uploadPrefix = "upload:"

// setPrefix names the checkbox that turns a Keep lever on.
const setPrefix = "set:"

// settings are what a page asks for. Values holds every lever of the
// table by path, -1 for a Keep lever left to the side's own setting.
type settings struct {
	Scenario string
	Values   map[string]float64
	Runs     int
	Seed     uint64
}

// source is a scenario file the lab can load: a built-in or an upload.
type source struct {
	choice string // the scenario field's value
	file   string // the file name errors are positioned in
	data   []byte
}

// errNoScenario is returned for a scenario choice the server does not
// know.
var errNoScenario = errors.New("lab: unknown scenario")

// source finds the scenario file of a choice.
func (s *Server) source(choice string) (source, error) {
	if id, ok := strings.CutPrefix(choice, uploadPrefix); ok {
		u := s.upload(id)
		if u == nil {
			return source{}, fmt.Errorf("%w: the uploaded scenario is gone (the server keeps the last %d uploads); upload it again", errNoScenario, maxUploads)
		}
		return source{choice: choice, file: u.file, data: u.data}, nil
	}
	data, err := scenarios.BuiltinSource(choice)
	if err != nil {
		return source{}, fmt.Errorf("%w: %v", errNoScenario, err)
	}
	return source{choice: choice, file: "builtin:" + choice + ".yaml", data: data}, nil
}

// load loads the unmodified scenario of a choice and checks it against
// the lab's caps (checkScenario).
func (s *Server) load(choice string) (*scenarios.Scenario, source, []string) {
	src, err := s.source(choice)
	if err != nil {
		return nil, src, []string{err.Error()}
	}
	sc, err := scenarios.Load(src.file, src.data, nil)
	if err != nil {
		return nil, src, problems(err)
	}
	if probs := s.checkScenario(sc); len(probs) > 0 {
		return nil, src, probs
	}
	return sc, src, nil
}

// officials returns the officials of a scenario, summed over its
// organizations.
func officials(sc *scenarios.Scenario) int64 {
	var n int64
	for _, o := range sc.Organizations {
		n += int64(o.Officials)
	}
	return n
}

// checkScenario checks a scenario against the caps that do not depend on
// the replicates: its horizon, its officials, and the work of the
// smallest run the lab allows (MinRuns pairs of it against itself). The
// work is only computed within the first two caps, so it cannot overflow.
func (s *Server) checkScenario(sc *scenarios.Scenario) []string {
	var probs []string
	if sc.Horizon > s.cfg.MaxHorizon {
		probs = append(probs, fmt.Sprintf("horizon: %d ticks is longer than this lab allows (%d); shorten the scenario or run it with `entrench run`", sc.Horizon, s.cfg.MaxHorizon))
	}
	if n := officials(sc); n > int64(s.cfg.MaxOfficials) {
		probs = append(probs, fmt.Sprintf("organizations: %s officials in all is more than this lab allows (%s); use fewer or smaller organizations, or run it with `entrench run`", grouped(n), grouped(int64(s.cfg.MaxOfficials))))
	}
	if len(probs) == 0 {
		if p := s.checkWork(sc, sc, MinRuns); p != "" {
			probs = append(probs, p)
		}
	}
	return probs
}

// work returns the official-updates of runs pairs of a against b.
func work(a, b *scenarios.Scenario, runs int) int64 {
	return (officials(a)*int64(a.Horizon) + officials(b)*int64(b.Horizon)) * int64(runs)
}

// fitRuns returns the most pairs of a against b within the work cap.
func (s *Server) fitRuns(a, b *scenarios.Scenario) int {
	per := work(a, b, 1)
	if per <= 0 {
		return s.cfg.MaxRuns
	}
	return int(min(s.cfg.MaxWork/per, int64(s.cfg.MaxRuns)))
}

// checkWork checks the work of runs pairs of a against b, both within
// the horizon and officials caps, against the work cap, and says what
// would fit.
func (s *Server) checkWork(a, b *scenarios.Scenario, runs int) string {
	w := work(a, b, runs)
	if w <= s.cfg.MaxWork {
		return ""
	}
	var sum string
	if oa, ob := officials(a), officials(b); oa == ob && a.Horizon == b.Horizon {
		sum = fmt.Sprintf("%s officials × %d ticks × %s pairs × 2 runs", grouped(oa), a.Horizon, grouped(int64(runs)))
	} else {
		sum = fmt.Sprintf("(%s officials × %d ticks + %s × %d) × %s pairs", grouped(oa), a.Horizon, grouped(ob), b.Horizon, grouped(int64(runs)))
	}
	msg := fmt.Sprintf("work: %s = %s official-updates is more than this lab allows (%s)", sum, grouped(w), grouped(s.cfg.MaxWork))
	if fit := s.fitRuns(a, b); fit >= MinRuns {
		return msg + fmt.Sprintf("; ask for at most %s pairs, or run it with `entrench run`", grouped(int64(fit)))
	}
	return msg + fmt.Sprintf(" even at %d pairs; use a shorter horizon or fewer officials, or run it with `entrench run`", MinRuns)
}

// grouped writes n with thousands separators, e.g. 2,000,000,000.
func grouped(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// defaults returns the settings a page starts with: the scenario's own.
func (s *Server) defaults(choice string, sc *scenarios.Scenario) settings {
	// A large scenario starts with the most pairs that fit the work cap
	// (load has checked that MinRuns fit).
	runs := max(MinRuns, min(s.cfg.StartRuns, s.fitRuns(sc, sc)))
	set := settings{Scenario: choice, Values: make(map[string]float64, len(levers)), Runs: runs, Seed: sc.Seed}
	for _, l := range levers {
		set.Values[l.Path] = l.Value(sc)
	}
	return set
}

// parseSettings reads and checks the settings of a form. A lever field
// that is absent keeps the scenario's value; a Keep lever whose slider is
// sent without its set: checkbox keeps the side's own setting (-1). It
// returns the unmodified scenario, its source, and the problems found.
func (s *Server) parseSettings(form url.Values) (settings, *scenarios.Scenario, source, []string) {
	choice := strings.TrimSpace(form.Get("scenario"))
	if choice == "" {
		return settings{}, nil, source{}, []string{"scenario: choose a scenario"}
	}
	sc, src, probs := s.load(choice)
	if sc == nil {
		return settings{}, nil, src, probs
	}
	set := s.defaults(choice, sc)
	for _, l := range levers {
		raw, sent := form[l.Path]
		_, on := form[setPrefix+l.Path]
		if !sent {
			continue
		}
		if l.Keep && !on {
			set.Values[l.Path] = -1
			continue
		}
		x, err := strconv.ParseFloat(strings.TrimSpace(raw[0]), 64)
		if err != nil {
			probs = append(probs, fmt.Sprintf("%s: %q is not a number", l.Label, raw[0]))
			continue
		}
		if err := l.Check(x); err != nil {
			probs = append(probs, err.Error())
			continue
		}
		set.Values[l.Path] = x
	}
	if v := strings.TrimSpace(form.Get("runs")); v != "" {
		n, err := strconv.Atoi(v)
		switch {
		case err != nil:
			probs = append(probs, fmt.Sprintf("replicates: %q is not a whole number", v))
		case n < MinRuns || n > s.cfg.MaxRuns:
			probs = append(probs, fmt.Sprintf("replicates: %d is out of range: must be from %d to %d (fewer than %d pairs give no useful interval)", n, MinRuns, s.cfg.MaxRuns, MinRuns))
		default:
			set.Runs = n
		}
	}
	if v := strings.TrimSpace(form.Get("seed")); v != "" {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			probs = append(probs, fmt.Sprintf("seed: %q is not a whole number from 0 to %d", v, uint64(math.MaxUint64)))
		} else {
			set.Seed = n
		}
	}
	return set, sc, src, probs
}

// overrides returns the override of every lever whose value differs from
// the scenario's, in table order.
func (set settings) overrides(sc *scenarios.Scenario) []scenarios.Override {
	var ovs []scenarios.Override
	for _, l := range levers {
		if x, ok := set.Values[l.Path]; ok && x != l.Value(sc) {
			ovs = append(ovs, scenarios.Override{Path: l.Path, Value: formatValue(x)})
		}
	}
	return ovs
}

// build returns the pair the lab compares: A, the scenario as chosen, and
// B, the scenario with the lever overrides applied through the loader (so
// B passes the same validation as a file with those values), both with the
// settings' replicates and seed. B is named after A with "-lab".
func (s *Server) build(set settings, a *scenarios.Scenario, src source) (*scenarios.Scenario, *scenarios.Scenario, []string) {
	ovs := set.overrides(a)
	b, err := scenarios.Load(src.file, src.data, ovs)
	if err != nil {
		return nil, nil, problems(err)
	}
	a.Runs, a.Seed = set.Runs, set.Seed
	b.Runs, b.Seed = set.Runs, set.Seed
	b.Name = a.Name + "-lab"
	changes := make([]string, len(ovs))
	for i, o := range ovs {
		l, _ := leverByPath(o.Path)
		changes[i] = fmt.Sprintf("%s %s (was %s)", l.leverKey(), o.Value, formatValue(l.Value(a)))
	}
	if len(changes) == 0 {
		b.Description = fmt.Sprintf("%s unchanged.", a.Name)
	} else {
		b.Description = fmt.Sprintf("%s with %s.", a.Name, strings.Join(changes, ", "))
	}
	if err := b.Validate(); err != nil {
		return nil, nil, problems(err)
	}
	// The levers may change B's size (an override of the horizon, say):
	// check it as a scenario, then the pair's work at the replicates asked.
	if probs := s.checkScenario(b); len(probs) > 0 {
		return nil, nil, probs
	}
	if p := s.checkWork(a, b, set.Runs); p != "" {
		return nil, nil, []string{p}
	}
	return a, b, nil
}

// problems turns a loader error into one message per problem. Problems in
// an override name the lever rather than "--set".
func problems(err error) []string {
	var es scenarios.Errors
	if !errors.As(err, &es) {
		return []string{err.Error()}
	}
	out := make([]string, 0, len(es))
	for _, e := range es {
		if e.File == scenarios.SetFile {
			label := e.Path
			if l, ok := leverByPath(e.Path); ok {
				label = l.Label + " (" + e.Path + ")"
			}
			out = append(out, label+": "+e.Msg)
			continue
		}
		out = append(out, e.Error())
	}
	return slices.Compact(out)
}

// formatValue writes x as the shortest decimal that reads back exactly.
func formatValue(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }
