package prim

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/mathext"
)

// Kind is how a factor's values are read.
type Kind int

const (
	// Continuous factors take real values; a box restricts them to an
	// interval.
	Continuous Kind = iota
	// Integer factors take integral values; a box restricts them to an
	// interval, and a peel removes at least one value.
	Integer
	// Categorical factors take codes 0, 1, 2, ... without order; a box
	// restricts them to a set of codes, and a peel removes one code.
	Categorical
)

// String returns "continuous", "integer" or "categorical".
func (k Kind) String() string {
	switch k {
	case Continuous:
		return "continuous"
	case Integer:
		return "integer"
	case Categorical:
		return "categorical"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Factor describes one column of the cases.
type Factor struct {
	// Name is used in error messages; empty means "factor N" (0-based).
	Name string
	// Kind says how the values are read.
	Kind Kind
}

// Objective is the score by which a peel is chosen.
type Objective int

const (
	// Density chooses the peel that leaves the highest density in the box
	// (Friedman and Fisher's original criterion).
	Density Objective = iota
	// Lenient1 chooses the peel with the highest gain in density per case
	// removed, the EMA Workbench's default (LENIENT1): it prefers small
	// peels, which matters when integer or categorical factors make some
	// peels much larger than Alpha.
	Lenient1
)

// Defaults of Settings.
const (
	DefaultAlpha   = 0.05 // share of the box peeled per step
	DefaultMinMass = 0.05 // smallest share of all cases a box may hold
)

// Settings tunes Find. The zero value is Friedman and Fisher's PRIM with
// alpha 0.05, no pasting, a minimum mass of 0.05, the Density objective,
// and the knee of the trajectory as the chosen box.
type Settings struct {
	// Alpha is the share of the cases in the box that a peel removes, in
	// (0, 0.5); zero means DefaultAlpha. At least one case (one value of an
	// integer factor) is removed.
	Alpha float64
	// Paste turns on pasting after peeling.
	Paste bool
	// PasteAlpha is the share of the cases in the box that a paste adds
	// at most, in (0, 0.5); zero means Alpha.
	PasteAlpha float64
	// MinMass is the smallest share of all cases a box may hold, in
	// [0, 1); zero means DefaultMinMass. A negative value is rejected.
	MinMass float64
	// Threshold, in (0, 1], picks the chosen box: the last step of the
	// trajectory whose density reaches it. Zero means choose the knee of
	// the trajectory instead.
	Threshold float64
	// Objective scores the candidate peels; zero means Density.
	Objective Objective
}

// Errors of Find; the returned errors wrap one of them.
var (
	// ErrNoCases means there are no cases.
	ErrNoCases = errors.New("prim: no cases")
	// ErrShape means a row, or the outcome vector, has the wrong length.
	ErrShape = errors.New("prim: wrong shape")
	// ErrValue means a factor value is not allowed (NaN or infinite; not
	// integral for an integer factor; not a code 0, 1, ... for a
	// categorical one).
	ErrValue = errors.New("prim: bad factor value")
	// ErrNoPositive means no case is of interest: there is nothing to find.
	ErrNoPositive = errors.New("prim: no case of interest")
	// ErrSettings means a Settings field is out of range.
	ErrSettings = errors.New("prim: bad settings")
)

// Limit is a box's restriction on one factor.
type Limit struct {
	// Min and Max bound a continuous or integer factor, both inclusive.
	Min, Max float64
	// Categories are the codes a categorical factor may take, ascending.
	Categories []int
}

// contains reports whether value v of a factor of kind k is within l.
func (l Limit) contains(k Kind, v float64) bool {
	if k == Categorical {
		_, ok := slices.BinarySearch(l.Categories, int(v))
		return ok
	}
	return v >= l.Min && v <= l.Max
}

// Step is one box of the peeling (and pasting) trajectory.
type Step struct {
	// Limits holds one Limit per factor.
	Limits []Limit
	// Restricted lists the factors whose limit is narrower than in the
	// initial box, ascending.
	Restricted []int
	// QuasiP holds, per factor, the quasi-p-value of its restriction (the
	// one-sided binomial test of Bryant and Lempert 2010, as in the EMA
	// Workbench), NaN for unrestricted factors.
	QuasiP []float64
	// N is the number of cases in the box and Positives the number of
	// cases of interest among them.
	N, Positives int
	// Coverage is Positives over all cases of interest, Density is
	// Positives over N, Mass is N over all cases.
	Coverage, Density, Mass float64
	// Pasted is true when this box was made by pasting, not peeling.
	Pasted bool
}

// Contains reports whether a case (one value per factor) is in the box.
func (s Step) Contains(factors []Factor, x []float64) bool {
	for j, f := range factors {
		if !s.Limits[j].contains(f.Kind, x[j]) {
			return false
		}
	}
	return true
}

// Result is the outcome of Find.
type Result struct {
	// Factors are the factors Find was given.
	Factors []Factor
	// Steps is the trajectory; Steps[0] is the initial box, which holds
	// every case. The density never decreases along it.
	Steps []Step
	// Chosen is the index in Steps of the chosen box: with a Threshold,
	// the last step whose density reaches it; otherwise, or when no step
	// reaches it, the knee.
	Chosen int
	// ThresholdMet tells whether Chosen came from the Threshold.
	ThresholdMet bool
}

// Box returns the chosen step.
func (r *Result) Box() Step { return r.Steps[r.Chosen] }

// finder holds the data of one Find call.
type finder struct {
	f       []Factor
	x       [][]float64
	y       []bool
	s       Settings
	initial []Limit
	total   int // cases of interest
}

// Find runs PRIM on the cases x (one row per case, one column per
// factor) with outcomes y (true for a case of interest). It returns an
// error wrapping one of the package's sentinels when the input is
// malformed or no case is of interest; when every case is of interest it
// returns the trivial trajectory of the initial box alone.
func Find(factors []Factor, x [][]float64, y []bool, s Settings) (*Result, error) {
	s, err := s.withDefaults()
	if err != nil {
		return nil, err
	}
	if err := check(factors, x, y); err != nil {
		return nil, err
	}
	fd := &finder{f: factors, x: x, y: y, s: s}
	for _, v := range y {
		if v {
			fd.total++
		}
	}
	if fd.total == 0 {
		return nil, fmt.Errorf("%w: none of the %d cases is of interest", ErrNoPositive, len(y))
	}
	fd.initial = fd.initialBox()
	box := slices.Clone(fd.initial)
	in := make([]int, len(x))
	for i := range in {
		in[i] = i
	}
	r := &Result{Factors: factors}
	r.Steps = append(r.Steps, fd.step(box, in, false))
	for {
		nb, ni, ok := fd.peel(box, in)
		if !ok {
			break
		}
		box, in = nb, ni
		r.Steps = append(r.Steps, fd.step(box, in, false))
	}
	if s.Paste {
		for {
			nb, ni, ok := fd.paste(box, in)
			if !ok {
				break
			}
			box, in = nb, ni
			r.Steps = append(r.Steps, fd.step(box, in, true))
		}
	}
	r.Chosen = knee(r.Steps)
	if s.Threshold > 0 {
		for i := len(r.Steps) - 1; i >= 0; i-- {
			if r.Steps[i].Density >= s.Threshold {
				r.Chosen, r.ThresholdMet = i, true
				break
			}
		}
	}
	return r, nil
}

func (s Settings) withDefaults() (Settings, error) {
	if s.Alpha == 0 {
		s.Alpha = DefaultAlpha
	}
	if s.PasteAlpha == 0 {
		s.PasteAlpha = s.Alpha
	}
	if s.MinMass == 0 {
		s.MinMass = DefaultMinMass
	}
	switch {
	case !(s.Alpha > 0 && s.Alpha < 0.5):
		return s, fmt.Errorf("%w: Alpha %v (allowed: above 0 and below 0.5)", ErrSettings, s.Alpha)
	case !(s.PasteAlpha > 0 && s.PasteAlpha < 0.5):
		return s, fmt.Errorf("%w: PasteAlpha %v (allowed: above 0 and below 0.5)", ErrSettings, s.PasteAlpha)
	case !(s.MinMass >= 0 && s.MinMass < 1):
		return s, fmt.Errorf("%w: MinMass %v (allowed: 0 to below 1)", ErrSettings, s.MinMass)
	case !(s.Threshold >= 0 && s.Threshold <= 1):
		return s, fmt.Errorf("%w: Threshold %v (allowed: 0 to 1)", ErrSettings, s.Threshold)
	case s.Objective != Density && s.Objective != Lenient1:
		return s, fmt.Errorf("%w: Objective %d (allowed: Density, Lenient1)", ErrSettings, int(s.Objective))
	}
	return s, nil
}

func factorName(f []Factor, j int) string {
	if f[j].Name != "" {
		return fmt.Sprintf("factor %q", f[j].Name)
	}
	return fmt.Sprintf("factor %d", j)
}

// check validates the shapes and values.
func check(f []Factor, x [][]float64, y []bool) error {
	if len(x) == 0 {
		return ErrNoCases
	}
	if len(f) == 0 {
		return fmt.Errorf("%w: no factors", ErrShape)
	}
	if len(y) != len(x) {
		return fmt.Errorf("%w: %d outcomes for %d cases", ErrShape, len(y), len(x))
	}
	for j, fj := range f {
		if fj.Kind < Continuous || fj.Kind > Categorical {
			return fmt.Errorf("%w: %s has kind %d (allowed: Continuous, Integer, Categorical)", ErrShape, factorName(f, j), int(fj.Kind))
		}
	}
	for i, row := range x {
		if len(row) != len(f) {
			return fmt.Errorf("%w: case %d has %d values, want %d (one per factor)", ErrShape, i, len(row), len(f))
		}
		for j, v := range row {
			var msg string
			switch {
			case math.IsNaN(v) || math.IsInf(v, 0):
				msg = "not a finite number"
			case f[j].Kind == Integer && v != math.Trunc(v):
				msg = "not an integer"
			case f[j].Kind == Categorical && (v != math.Trunc(v) || v < 0 || v > math.MaxInt32):
				msg = "not a category code 0, 1, 2, ..."
			default:
				continue
			}
			return fmt.Errorf("%w: case %d, %s (%v): %v is %s", ErrValue, i, factorName(f, j), f[j].Kind, v, msg)
		}
	}
	return nil
}

// initialBox returns the box spanned by all cases.
func (fd *finder) initialBox() []Limit {
	box := make([]Limit, len(fd.f))
	for j, f := range fd.f {
		if f.Kind == Categorical {
			seen := map[int]bool{}
			for _, row := range fd.x {
				seen[int(row[j])] = true
			}
			for c := range seen {
				box[j].Categories = append(box[j].Categories, c)
			}
			slices.Sort(box[j].Categories)
			continue
		}
		box[j].Min, box[j].Max = math.Inf(1), math.Inf(-1)
		for _, row := range fd.x {
			box[j].Min = math.Min(box[j].Min, row[j])
			box[j].Max = math.Max(box[j].Max, row[j])
		}
	}
	return box
}

// positives counts the cases of interest among the cases in.
func (fd *finder) positives(in []int) int {
	n := 0
	for _, i := range in {
		if fd.y[i] {
			n++
		}
	}
	return n
}

// step describes the box holding the cases in.
func (fd *finder) step(box []Limit, in []int, pasted bool) Step {
	n, pos := len(in), fd.positives(in)
	st := Step{
		Limits:    cloneBox(box),
		N:         n,
		Positives: pos,
		Coverage:  float64(pos) / float64(fd.total),
		Density:   float64(pos) / float64(n),
		Mass:      float64(n) / float64(len(fd.x)),
		Pasted:    pasted,
		QuasiP:    make([]float64, len(box)),
	}
	for j := range box {
		st.QuasiP[j] = math.NaN()
		if fd.restricted(box, j) {
			st.Restricted = append(st.Restricted, j)
		}
	}
	for _, u := range st.Restricted {
		relaxed := slices.Clone(box)
		relaxed[u] = fd.initial[u]
		tj, hj := 0, 0
		for i, row := range fd.x {
			if fd.inBox(relaxed, row) {
				tj++
				if fd.y[i] {
					hj++
				}
			}
		}
		st.QuasiP[u] = binomialUpper(pos, n, float64(hj)/float64(tj))
	}
	return st
}

// binomialUpper returns P(X >= k) for X binomial with n trials and
// success probability p, through the regularized incomplete beta
// function, which keeps small tail probabilities accurate.
func binomialUpper(k, n int, p float64) float64 {
	switch {
	case k <= 0:
		return 1
	case k > n:
		return 0
	case p >= 1:
		return 1
	case p <= 0:
		return 0
	}
	return mathext.RegIncBeta(float64(k), float64(n-k+1), p)
}

func cloneBox(box []Limit) []Limit {
	out := slices.Clone(box)
	for j := range out {
		out[j].Categories = slices.Clone(out[j].Categories)
	}
	return out
}

// restricted reports whether factor j's limit is narrower than initially.
func (fd *finder) restricted(box []Limit, j int) bool {
	if fd.f[j].Kind == Categorical {
		return len(box[j].Categories) < len(fd.initial[j].Categories)
	}
	return box[j].Min > fd.initial[j].Min || box[j].Max < fd.initial[j].Max
}

func (fd *finder) inBox(box []Limit, row []float64) bool {
	for j, f := range fd.f {
		if !box[j].contains(f.Kind, row[j]) {
			return false
		}
	}
	return true
}

// candidate is a possible peel or paste: the new box and the cases in it.
type candidate struct {
	box []Limit
	in  []int
}

// peel returns the best admissible peel of box, and false when no peel
// raises the density while keeping at least MinMass of the cases.
func (fd *finder) peel(box []Limit, in []int) ([]Limit, []int, bool) {
	var cands []candidate
	for j, f := range fd.f {
		if f.Kind == Categorical {
			if len(box[j].Categories) < 2 {
				continue
			}
			for _, c := range box[j].Categories {
				nb := cloneBox(box)
				nb[j].Categories = slices.DeleteFunc(nb[j].Categories, func(v int) bool { return v == c })
				cands = append(cands, candidate{nb, filter(in, func(i int) bool { return int(fd.x[i][j]) != c })})
			}
			continue
		}
		vals := make([]float64, len(in))
		for k, i := range in {
			vals[k] = fd.x[i][j]
		}
		slices.Sort(vals)
		k := max(1, int(fd.s.Alpha*float64(len(vals))))
		if k >= len(vals) {
			continue
		}
		// Lower side: keep x >= the k-th smallest value, or, if that
		// equals the smallest, the next distinct value.
		if lo, ok := cut(vals, k, false); ok {
			nb := cloneBox(box)
			nb[j].Min = lo
			cands = append(cands, candidate{nb, filter(in, func(i int) bool { return fd.x[i][j] >= lo })})
		}
		if hi, ok := cut(vals, k, true); ok {
			nb := cloneBox(box)
			nb[j].Max = hi
			cands = append(cands, candidate{nb, filter(in, func(i int) bool { return fd.x[i][j] <= hi })})
		}
	}
	n0 := len(in)
	d0 := float64(fd.positives(in)) / float64(n0)
	minN := fd.s.MinMass * float64(len(fd.x))
	best, bestScore := -1, math.Inf(-1)
	for c, cd := range cands {
		n := len(cd.in)
		if n == 0 || n >= n0 || float64(n) < minN {
			continue
		}
		d := float64(fd.positives(cd.in)) / float64(n)
		if d <= d0 {
			continue
		}
		score := d
		if fd.s.Objective == Lenient1 {
			score = (d - d0) / float64(n0-n)
		}
		if score > bestScore {
			best, bestScore = c, score
		}
	}
	if best < 0 {
		return nil, nil, false
	}
	return cands[best].box, cands[best].in, true
}

// cut returns the new bound of a peel of k cases from the sorted values:
// from the bottom (upper false) the k-th smallest value, the new minimum;
// from the top the k-th largest, the new maximum. When ties would make
// the peel remove nothing, it moves to the next distinct value; it
// reports false when all values are equal.
func cut(vals []float64, k int, upper bool) (float64, bool) {
	n := len(vals)
	at := func(i int) float64 {
		if upper {
			return vals[n-1-i]
		}
		return vals[i]
	}
	v := at(k)
	if v != at(0) {
		return v, true
	}
	for i := k + 1; i < n; i++ {
		if at(i) != v {
			return at(i), true
		}
	}
	return 0, false
}

func filter(in []int, keep func(int) bool) []int {
	out := make([]int, 0, len(in))
	for _, i := range in {
		if keep(i) {
			out = append(out, i)
		}
	}
	return out
}

// paste returns the best paste of box: widening one limit to take in at
// most PasteAlpha of the box's cases (one category of a categorical
// factor) from just outside it, and false when no paste raises the
// density.
func (fd *finder) paste(box []Limit, in []int) ([]Limit, []int, bool) {
	n0 := len(in)
	d0 := float64(fd.positives(in)) / float64(n0)
	k := max(1, int(fd.s.PasteAlpha*float64(n0)))
	var cands []candidate
	for j, f := range fd.f {
		// The cases outside the box on factor j only.
		var out []int
		for i, row := range fd.x {
			if !box[j].contains(f.Kind, row[j]) && fd.inBoxExcept(box, row, j) {
				out = append(out, i)
			}
		}
		if len(out) == 0 {
			continue
		}
		if f.Kind == Categorical {
			for _, c := range fd.initial[j].Categories {
				if slices.Contains(box[j].Categories, c) {
					continue
				}
				nb := cloneBox(box)
				nb[j].Categories = append(nb[j].Categories, c)
				slices.Sort(nb[j].Categories)
				add := filter(out, func(i int) bool { return int(fd.x[i][j]) == c })
				cands = append(cands, candidate{nb, merge(in, add)})
			}
			continue
		}
		var below, above []float64
		for _, i := range out {
			if v := fd.x[i][j]; v < box[j].Min {
				below = append(below, v)
			} else {
				above = append(above, v)
			}
		}
		if len(below) > 0 {
			slices.Sort(below)
			lo := below[max(0, len(below)-k)]
			nb := cloneBox(box)
			nb[j].Min = lo
			cands = append(cands, candidate{nb, merge(in, filter(out, func(i int) bool { return fd.x[i][j] >= lo && fd.x[i][j] < box[j].Min }))})
		}
		if len(above) > 0 {
			slices.Sort(above)
			hi := above[min(len(above), k)-1]
			nb := cloneBox(box)
			nb[j].Max = hi
			cands = append(cands, candidate{nb, merge(in, filter(out, func(i int) bool { return fd.x[i][j] <= hi && fd.x[i][j] > box[j].Max }))})
		}
	}
	best, bestD := -1, d0
	for c, cd := range cands {
		if d := float64(fd.positives(cd.in)) / float64(len(cd.in)); d > bestD {
			best, bestD = c, d
		}
	}
	if best < 0 {
		return nil, nil, false
	}
	return cands[best].box, cands[best].in, true
}

func (fd *finder) inBoxExcept(box []Limit, row []float64, skip int) bool {
	for j, f := range fd.f {
		if j != skip && !box[j].contains(f.Kind, row[j]) {
			return false
		}
	}
	return true
}

// merge returns the union of two disjoint sets of case indices, ascending.
func merge(a, b []int) []int {
	out := append(slices.Clone(a), b...)
	slices.Sort(out)
	return out
}

// knee returns the step farthest from the straight line joining the first
// and the last step in the (coverage, density) plane, both axes scaled to
// their range on the trajectory: where density stops being cheap in
// coverage. With fewer than three steps it returns the last.
func knee(steps []Step) int {
	last := len(steps) - 1
	if last < 2 {
		return last
	}
	cmin, cmax, dmin, dmax := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	for _, s := range steps {
		cmin, cmax = math.Min(cmin, s.Coverage), math.Max(cmax, s.Coverage)
		dmin, dmax = math.Min(dmin, s.Density), math.Max(dmax, s.Density)
	}
	scale := func(v, lo, hi float64) float64 {
		if hi == lo {
			return 0
		}
		return (v - lo) / (hi - lo)
	}
	x0, y0 := scale(steps[0].Coverage, cmin, cmax), scale(steps[0].Density, dmin, dmax)
	x1, y1 := scale(steps[last].Coverage, cmin, cmax), scale(steps[last].Density, dmin, dmax)
	dx, dy := x1-x0, y1-y0
	norm := math.Hypot(dx, dy)
	if norm == 0 {
		return last
	}
	best, bestDist := last, -1.0
	for i, s := range steps {
		x, y := scale(s.Coverage, cmin, cmax), scale(s.Density, dmin, dmax)
		// Distance on the upper side of the line (towards high coverage
		// and high density).
		dist := (dy*(x-x0) - dx*(y-y0)) / norm
		if dist > bestDist {
			best, bestDist = i, dist
		}
	}
	return best
}
