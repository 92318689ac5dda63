package scenarios

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// validNameRE is the syntax of the scenario's name and of the names of
// ranks, sides, organizations and channels.
var validNameRE = regexp.MustCompile(`^[A-Za-z0-9_.-]+$`)

// all is the name events use for every channel or every side; no channel
// or side may take it.
const all = "all"

// Validate checks every documented range and the rules that tie the parts
// of a scenario together:
//   - required fields are set, and the names of the scenario, ranks, sides,
//     organizations and channels use letters, digits, '_', '-' and '.'
//     only and are unique within their list ("all" is reserved);
//   - at least one side in each bloc, two organizations and one channel;
//   - every organization's side exists, every channel's participants are
//     organizations spanning both blocs, every event's channels and sides
//     exist (or are "all"), every lever event sets only the lever paths of LeverSpecs, and the
//     side of us_attention exists when its level or decay is used;
//   - kinds and blocs are among the allowed values, events fall within
//     [Start, End()], and FallRate is at least BuildRate.
//
// Validate expects a normalized scenario (see Normalize), except that
// empty event channel and side lists are read as "all". Its error is an
// Errors listing every problem, with key paths but no positions; Load
// returns the same problems positioned in the file.
func (s *Scenario) Validate() error {
	return s.validate("", nil, nil).err()
}

// validator collects the problems of a scenario.
type validator struct {
	file  string
	place func(path string) (file string, line, col int) // nil: no positions
	// broken reports whether the decoder already found a problem inside
	// the list at a path, so that names it holds may be missing; nil when
	// validating a scenario built in Go.
	broken func(list string) bool
	errs   Errors
}

// known is the set of names of a list's elements, with each name's index.
type known struct {
	list string
	what string
	idx  map[string]int
	// complete is false when an element has no name.
	complete bool
	// sorted holds the names in order, for messages; filled on first use.
	sorted []string
}

func (s *Scenario) validate(file string, place func(string) (string, int, int), broken func(string) bool) Errors {
	v := &validator{file: file, place: place, broken: broken}
	s.check(v)
	return v.errs
}

func (v *validator) add(path string, sentinel error, format string, args ...any) {
	e := &FieldError{File: v.file, Path: path, Msg: fmt.Sprintf(format, args...), Err: sentinel}
	if v.place != nil {
		e.File, e.Line, e.Column = v.place(path)
	}
	v.errs = append(v.errs, e)
}

// at names the line of path for messages that point at a second place.
func (v *validator) at(path string) string {
	if v.place != nil {
		if _, line, _ := v.place(path); line > 0 {
			return fmt.Sprintf("%s, line %d", path, line)
		}
	}
	return path
}

func num(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

// within checks lo <= x <= hi; it rejects NaN.
func (v *validator) within(path string, x, lo, hi float64) {
	if !(x >= lo && x <= hi) {
		v.add(path, ErrRange, "%s is out of range: must be from %s to %s", num(x), num(lo), num(hi))
	}
}

// intWithin checks lo <= x <= hi.
func (v *validator) intWithin(path string, x, lo, hi int) {
	if x < lo || x > hi {
		v.add(path, ErrRange, "%d is out of range: must be from %d to %d", x, lo, hi)
	}
}

// positive checks 0 < x <= hi (hi may be +Inf, meaning only finiteness).
func (v *validator) positive(path string, x, hi float64) {
	switch {
	case !(x > 0 && x <= hi) && math.IsInf(hi, 1):
		v.add(path, ErrRange, "%s is out of range: must be a finite number greater than 0", num(x))
	case !(x > 0 && x <= hi):
		v.add(path, ErrRange, "%s is out of range: must be greater than 0 and at most %s", num(x), num(hi))
	}
}

// nonNegative checks 0 <= x < +Inf.
func (v *validator) nonNegative(path string, x float64) {
	if !(x >= 0 && x < math.Inf(1)) {
		v.add(path, ErrRange, "%s is out of range: must be a finite number of at least 0", num(x))
	}
}

// finite checks that x is neither NaN nor infinite.
func (v *validator) finite(path string, x float64) {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		v.add(path, ErrRange, "%s is not a finite number", num(x))
	}
}

// month checks that a set month is one ParseMonth can read back.
func (v *validator) month(path string, m Month, required bool) {
	switch {
	case m.IsZero() && required:
		v.add(path, ErrRequired, "a date YYYY-MM is required")
	case !m.IsZero() && (m < Month(1000*12) || m > Month(9999*12+11)):
		v.add(path, ErrDate, "month %d is outside the years 1000 to 9999", int(m))
	}
}

// name checks a required name's syntax.
func (v *validator) name(path, name string) {
	switch {
	case name == "":
		v.add(path, ErrRequired, "a name is required")
	case !validNameRE.MatchString(name):
		v.add(path, ErrRange, "name %q may only hold letters, digits, '_', '-' and '.'", name)
	}
}

func (v *validator) isBroken(list string) bool { return v.broken != nil && v.broken(list) }

// names checks the names of a list's elements and returns them.
func (v *validator) names(list string, n int, nameOf func(int) string, what string, reserved bool) *known {
	idx := make(map[string]int, n)
	complete := true
	for i := range n {
		p, name := indexPath(list, i)+".name", nameOf(i)
		v.name(p, name)
		if name == "" {
			complete = false
			continue
		}
		if reserved && name == all {
			v.add(p, ErrRange, "%q is reserved (events use it for every %s)", all, what)
			continue
		}
		if first, dup := idx[name]; dup {
			v.add(p, ErrDuplicate, "duplicate %s name %q (first at %s)", what, name, v.at(indexPath(list, first)+".name"))
			continue
		}
		idx[name] = i
	}
	return &known{list: list, what: what, idx: idx, complete: complete}
}

// enum checks that x is one of allowed.
func (v *validator) enum(path, x string, allowed []string, what string) {
	switch {
	case x == "":
		v.add(path, ErrRequired, "a %s is required; %ss: %s", what, what, joinComma(allowed))
	case !slices.Contains(allowed, x):
		v.add(path, ErrRange, "unknown %s %q%s", what, x, didYouMean(x, allowed, what+"s"))
	}
}

// ref checks that name is one of k. It stays silent about a name missing
// from a list the decoder could not read whole.
func (v *validator) ref(path, name string, k *known) bool {
	if name == "" {
		v.add(path, ErrRequired, "the %s name is required", k.what)
		return false
	}
	if _, ok := k.idx[name]; !ok {
		if k.complete && !v.isBroken(k.list) {
			v.add(path, ErrReference, "unknown %s %q%s", k.what, name, v.didYouMean(name, k))
		}
		return false
	}
	return true
}

// didYouMean is didYouMean over the names of k; past maxProblems problems
// it says nothing, since those will not be shown and a large list would
// make each suggestion costly.
func (v *validator) didYouMean(name string, k *known) string {
	if len(v.errs) >= maxProblems {
		return ""
	}
	if k.sorted == nil {
		k.sorted = sortedKeys(k.idx)
	}
	return didYouMean(name, k.sorted, k.what+"s")
}

// refsOrAll checks a list of names that may instead be ["all"].
func (v *validator) refsOrAll(path string, names []string, k *known) {
	seen := make(map[string]bool, len(names))
	for j, name := range names {
		p := indexPath(path, j)
		if name == all {
			if len(names) > 1 {
				v.add(p, ErrRange, "%q must be the only %s when used", all, k.what)
			}
			continue
		}
		v.ref(p, name, k)
		if seen[name] {
			v.add(p, ErrDuplicate, "%s %q is listed twice", k.what, name)
		}
		seen[name] = true
	}
}

func (s *Scenario) check(v *validator) {
	v.name("name", s.Name)
	v.month("start", s.Start, true)
	v.intWithin("tick_months", s.TickMonths, 1, 12)
	v.intWithin("horizon", s.Horizon, 1, 2400)
	v.intWithin("runs", s.Runs, 1, 10_000_000)
	if s.TickMonths >= 1 && s.Horizon >= 1 && !s.Start.IsZero() && s.End() > Month(9999*12+11) {
		v.add("horizon", ErrRange, "the run would end in %d, after the year 9999: shorten horizon or tick_months", s.End().Year())
	}

	if len(s.Ranks) == 0 {
		v.add("ranks", ErrRequired, "at least one rank is required (Normalize fills the default ladder)")
	}
	v.names("ranks", len(s.Ranks), func(i int) string { return s.Ranks[i].Name }, "rank", false)
	for i, r := range s.Ranks {
		p := indexPath("ranks", i)
		v.positive(p+".share", r.Share, math.Inf(1))
		v.positive(p+".weight", r.Weight, math.Inf(1))
	}

	sides := v.names("sides", len(s.Sides), func(i int) string { return s.Sides[i].Name }, "side", true)
	blocs := []string{BlocEast, BlocWest}
	hasBloc := map[string]bool{}
	for i, sd := range s.Sides {
		p := indexPath("sides", i)
		v.enum(p+".bloc", sd.Bloc, blocs, "bloc")
		hasBloc[sd.Bloc] = true
		v.within(p+".attention", sd.Attention, 0, 1)
		v.within(p+".attention_floor", sd.AttentionFloor, 0, 1)
		v.within(p+".attention_decay", sd.AttentionDecay, 0, 1)
		v.within(p+".initiative_boost", sd.InitiativeBoost, 0, 1)
		v.positive(p+".executive_weight", sd.ExecutiveWeight, 100)
		v.within(p+".crisis_reaction", sd.CrisisReaction, 0, 1)
	}
	for _, b := range blocs {
		if !hasBloc[b] && !v.isBroken("sides") {
			v.add("sides", ErrRequired, "no side in bloc %q: cooperation needs at least one side in each bloc", b)
		}
	}

	if len(s.Organizations) < 2 {
		v.add("organizations", ErrRequired, "at least two organizations are required, got %d", len(s.Organizations))
	}
	orgs := v.names("organizations", len(s.Organizations), func(i int) string { return s.Organizations[i].Name }, "organization", false)
	// Every side needs an organization (its willingness is their
	// stance). Checked only when every organization names a known side,
	// so that a misspelt side is reported once, where it is misspelt.
	hasOrg := map[string]bool{}
	sidesKnown := true
	for _, o := range s.Organizations {
		hasOrg[o.Side] = true
		found := false
		for _, sd := range s.Sides {
			found = found || sd.Name == o.Side
		}
		sidesKnown = sidesKnown && found
	}
	for i, sd := range s.Sides {
		if sidesKnown && sd.Name != "" && (sd.Bloc == BlocEast || sd.Bloc == BlocWest) && !hasOrg[sd.Name] && len(s.Organizations) >= 2 {
			v.add(indexPath("sides", i)+".name", ErrReference, "side %q has no organizations: give it one or remove it", sd.Name)
		}
	}
	for i, o := range s.Organizations {
		p := indexPath("organizations", i)
		v.ref(p+".side", o.Side, sides)
		v.enum(p+".kind", o.Kind, OrganizationKinds, "kind")
		v.positive(p+".influence", o.Influence, 100)
		v.within(p+".autonomy_sensitivity", o.AutonomySensitivity, 0, 1)
		v.intWithin(p+".officials", o.Officials, 4, 100_000)
		if o.Officials >= 4 && o.Officials < len(s.Ranks) {
			v.add(p+".officials", ErrRange, "%d officials cannot fill the %d ranks: every rank needs at least one official", o.Officials, len(s.Ranks))
		}
		v.within(p+".disposition", o.Disposition, -1, 1)
		v.within(p+".disposition_sd", o.DispositionSD, 0, 1)
	}

	if len(s.Channels) == 0 {
		v.add("channels", ErrRequired, "at least one channel is required")
	}
	blocOf := make(map[string]string, len(s.Sides)) // side name -> bloc
	for _, sd := range s.Sides {
		if _, ok := blocOf[sd.Name]; !ok {
			blocOf[sd.Name] = sd.Bloc
		}
	}
	channels := v.names("channels", len(s.Channels), func(i int) string { return s.Channels[i].Name }, "channel", true)
	for i, c := range s.Channels {
		p := indexPath("channels", i)
		v.enum(p+".kind", c.Kind, ChannelKinds, "kind")
		s.checkParticipants(v, p+".participants", c.Participants, orgs, blocOf, hasBloc[BlocEast] && hasBloc[BlocWest])
		v.within(p+".activity", c.Activity, 0, 1)
		v.within(p+".capacity", c.Capacity, 0, 1)
		v.within(p+".stake_yield", c.StakeYield, 0, 10)
		v.within(p+".stake_persistence", c.StakePersistence, 1, 1200)
		v.within(p+".freeze_militarized", c.FreezeMilitarized, 0, 1)
		v.within(p+".freeze_diplomatic", c.FreezeDiplomatic, 0, 1)
		v.within(p+".autonomy_depth", c.AutonomyDepth, 0, 1)
	}

	for i, o := range s.Organizations {
		p := indexPath("organizations", i) + ".opposes"
		seen := map[string]bool{}
		for j, name := range o.Opposes {
			if name == "all" {
				v.add(indexPath(p, j), ErrReference, `"all" is not allowed here: name the channels the organization opposes`)
				continue
			}
			v.ref(indexPath(p, j), name, channels)
			if seen[name] {
				v.add(indexPath(p, j), ErrDuplicate, "channel %q is listed twice", name)
			}
			seen[name] = true
		}
	}

	s.checkLevers(v, sides)

	v.checkLever("initiatives.rate_per_year", "initiatives.rate_per_year", s.Initiatives.RatePerYear)
	cr := s.Crises
	v.checkLever("crises.rate_per_year", "crises.rate_per_year", cr.RatePerYear)
	v.checkLever("crises.severity_mean", "crises.severity_mean", cr.SeverityMean)
	v.within("crises.severity_concentration", cr.SeverityConcentration, 0.5, 1000)
	v.checkLever("crises.militarized_share", "crises.militarized_share", cr.MilitarizedShare)
	v.month("crises.from", cr.From, false)
	v.month("crises.until", cr.Until, false)
	if !cr.From.IsZero() && !cr.Until.IsZero() && cr.Until < cr.From {
		v.add("crises.until", ErrDate, "%s is before crises.from %s", cr.Until, cr.From)
	}
	if !cr.Until.IsZero() && !s.Start.IsZero() && cr.Until < s.Start {
		v.add("crises.until", ErrDate, "%s is before the start %s: random crises would never arrive; set crises.rate_per_year: 0 instead", cr.Until, s.Start)
	}

	s.checkEvents(v, sides, channels)
	s.Model.check(v)
	s.Metrics.check(v)
}

// checkParticipants checks that a channel's participants exist, are not
// repeated, and span both blocs.
// The bloc check is left out when the scenario lacks a bloc (reported on
// its own).
func (s *Scenario) checkParticipants(v *validator, path string, names []string, orgs *known, blocOf map[string]string, bothBlocs bool) {
	has := map[string]bool{}
	seen := make(map[string]bool, len(names))
	ok := true
	for j, name := range names {
		p := indexPath(path, j)
		if !v.ref(p, name, orgs) {
			ok = false
			continue
		}
		if seen[name] {
			v.add(p, ErrDuplicate, "organization %q is listed twice", name)
		}
		seen[name] = true
		b, found := blocOf[s.Organizations[orgs.idx[name]].Side]
		if !found {
			ok = false // the organization's own side is reported
		}
		has[b] = true
	}
	switch {
	case len(names) == 0:
		v.add(path, ErrRequired, "participants are required: organizations of both blocs, east and west")
	case ok && bothBlocs && !(has[BlocEast] && has[BlocWest]):
		missing := BlocEast
		if has[BlocEast] {
			missing = BlocWest
		}
		v.add(path, ErrReference, "participants must span both blocs: none is of a %s side", missing)
	}
}

// checkLever checks the value x of the lever with lever path key (see
// LeverSpecs) at the key path path, against the registry's range.
func (v *validator) checkLever(path, key string, x float64) {
	i, ok := LeverIndex(key)
	if !ok {
		v.add(path, ErrUnknownKey, "unknown lever path %q%s", key, didYouMean(key, LeverKeys(), "lever paths"))
		return
	}
	if msg := leverTable[i].Check(x); msg != "" {
		v.add(path, ErrRange, "%s", msg)
	}
}

func (s *Scenario) checkLevers(v *validator, sides *known) {
	l := s.Levers
	for _, lv := range []struct {
		key string
		l   Lever
	}{
		{"tapi_stake", l.TAPIStake}, {"ndn_transit", l.NDNTransit},
		{"border_cooperation", l.BorderCooperation}, {"mil2mil_pressure", l.Mil2MilPressure},
	} {
		p := "levers." + lv.key
		v.checkLever(p+".value", lv.key, lv.l.Value)
		v.checkLever(p+".before", lv.key, lv.l.Before)
		v.month(p+".from", lv.l.From, false)
	}
	ds := l.DefenseSales
	v.checkLever("levers.defense_sales.count", "defense_sales.count", float64(ds.Count))
	v.checkLever("levers.defense_sales.size", "defense_sales.size", ds.Size)
	v.checkLever("levers.defense_sales.follow_on_years", "defense_sales.follow_on_years", ds.FollowOnYears)
	v.month("levers.defense_sales.from", ds.From, false)

	a := l.USAttention
	v.checkLever("levers.us_attention.level", "us_attention.level", a.Level)
	v.checkLever("levers.us_attention.decay", "us_attention.decay", a.Decay)
	v.month("levers.us_attention.from", a.From, false)
	used := a.Level >= 0 || a.Decay >= 0
	for _, e := range s.Events {
		if e.Kind == EventLever {
			_, level := e.Set["us_attention.level"]
			_, decay := e.Set["us_attention.decay"]
			used = used || level || decay
		}
	}
	if used {
		v.ref("levers.us_attention.side", a.Side, sides)
	}
}

func (s *Scenario) checkEvents(v *validator, sides, channels *known) {
	end := s.End()
	// The period is only known when its ends are (their problems are
	// reported on their own).
	periodOK := !s.Start.IsZero() && s.TickMonths >= 1 && s.TickMonths <= 12 && s.Horizon >= 1 && s.Horizon <= 2400
	for i, e := range s.Events {
		p := indexPath("events", i)
		v.month(p+".date", e.Date, true)
		if periodOK && !e.Date.IsZero() && (e.Date < s.Start || e.Date > end) {
			v.add(p+".date", ErrDate, "%s is outside the simulated period %s to %s", e.Date, s.Start, end)
		}
		if e.Name == "" {
			v.add(p+".name", ErrRequired, "a name is required")
		}
		if e.Kind == EventRecovery {
			v.add(p+".kind", ErrRange, "recovery events were removed in Model 2: recoveries come out of the model; use an initiative for a dated cooperation step")
		} else {
			v.enum(p+".kind", e.Kind, EventKinds, "kind")
		}
		switch {
		case e.Kind == EventCrisis && e.CrisisKind != "": // empty: militarized
			v.enum(p+".crisis_kind", e.CrisisKind, CrisisKinds, "crisis kind")
		case e.CrisisKind != "":
			v.add(p+".crisis_kind", ErrRange, "only crisis events have a crisis_kind (this event's kind is %q)", e.Kind)
		}
		v.refsOrAll(p+".channels", e.Channels, channels)
		v.within(p+".severity", e.Severity, 0, 1)
		v.refsOrAll(p+".sides", e.Sides, sides)
		switch {
		case e.Kind == EventLever && len(e.Set) == 0:
			v.add(p+".set", ErrRequired, "a lever event must set at least one lever; lever paths: %s", joinComma(LeverKeys()))
		case e.Kind != EventLever && len(e.Set) > 0:
			v.add(p+".set", ErrRange, "only lever events set levers (this event's kind is %q)", e.Kind)
		}
		for _, key := range sortedKeys(e.Set) {
			kp := joinPath(p+".set", key)
			v.checkLever(kp, key, e.Set[key])
		}
	}
}

func (c *Coefficients) check(v *validator) {
	const p = "model."
	v.finite(p+"bias", c.Bias)
	for _, w := range []struct {
		key string
		x   float64
	}{
		{"w_disposition", c.WDisposition}, {"w_habit", c.WHabit}, {"w_stake", c.WStake},
		{"w_attention", c.WAttention}, {"w_tension", c.WTension}, {"w_autonomy", c.WAutonomy},
		{"resist_stake", c.ResistStake}, {"resist_habit", c.ResistHabit}, {"resist_routine", c.ResistRoutine},
		{"w_suspicion", c.WSuspicion}, {"suspend_lobby", c.SuspendLobby}, {"suspend_attention", c.SuspendAttention},
	} {
		v.nonNegative(p+w.key, w.x)
	}
	v.within(p+"noise_sd", c.NoiseSD, 0, 5)
	v.within(p+"habit_gain", c.HabitGain, 0, 1)
	v.within(p+"habit_decay", c.HabitDecay, 0, 1)
	v.within(p+"socialization", c.Socialization, 0, 1)
	v.within(p+"confidence_bound", c.ConfidenceBound, 0, 2)
	v.within(p+"exchange_rate", c.ExchangeRate, 0, 1)
	v.within(p+"exchange_boost", c.ExchangeBoost, 0, 1)
	v.within(p+"build_rate", c.BuildRate, 0, 1)
	v.within(p+"attention_hold", c.AttentionHold, 0, 1)
	v.within(p+"fall_rate", c.FallRate, 0, 1)
	if c.FallRate < c.BuildRate {
		v.add(p+"fall_rate", ErrRange, "%s is below build_rate %s: cooperation must fall at least as fast as it builds", num(c.FallRate), num(c.BuildRate))
	}
	v.positive(p+"stake_half", c.StakeHalf, math.Inf(1))
	v.within(p+"tension_decay", c.TensionDecay, 0, 1)
	v.within(p+"crisis_disposition_cut", c.CrisisDispositionCut, 0, 2)
	v.within(p+"initiative_step", c.InitiativeStep, 0, 1)
	v.within(p+"tenure_months", c.TenureMonths, 12, 1200)
	v.intWithin(p+"promotion_tournament", c.PromotionTournament, 1, 16)
	v.within(p+"afghan_base", c.AfghanBase, 0, 1)
	v.within(p+"afghan_gain", c.AfghanGain, 0, 1)
	v.within(p+"afghan_rate", c.AfghanRate, 0, 1)
	v.within(p+"afghan_stability", c.AfghanStability, 0, 1)
	v.within(p+"resist_max", c.ResistMax, 0, 0.99)
	for _, r := range []struct {
		key string
		x   float64
	}{
		{"suspicion_gain", c.SuspicionGain}, {"suspicion_decay", c.SuspicionDecay}, {"sidelining", c.Sidelining},
		{"routine_gain", c.RoutineGain}, {"routine_decay", c.RoutineDecay}, {"routine_carryover", c.RoutineCarryover},
		{"lobby_attention", c.LobbyAttention}, {"crisis_attention_cut", c.CrisisAttentionCut},
		{"reaction_decay", c.ReactionDecay}, {"suspend_base", c.SuspendBase}, {"suspend_bar_max", c.SuspendBarMax},
		{"resume_margin", c.ResumeMargin}, {"backing", c.Backing}, {"ally_opposition", c.AllyOpposition},
		{"tapi_afghan_lobby", c.TAPIAfghanLobby}, {"diplomatic_tension", c.DiplomaticTension},
	} {
		v.within(p+r.key, r.x, 0, 1)
	}
	v.within(p+"exchange_routine_boost", c.ExchangeRoutineBoost, 0, 10)
}

func (m *MetricSettings) check(v *validator) {
	const p = "metrics."
	v.intWithin(p+"probe_every_months", m.ProbeEveryMonths, 0, 120)
	v.intWithin(p+"probe_horizon_months", m.ProbeHorizonMonths, 1, 60)
	v.within(p+"probe_severity", m.ProbeSeverity, 0, 1)
	v.within(p+"entrenchment_threshold", m.EntrenchmentThreshold, 0, 1)
	v.within(p+"routine_threshold", m.RoutineThreshold, 0, 1)
	v.within(p+"interest_threshold", m.InterestThreshold, 0, 1)
	v.within(p+"setback_depth", m.SetbackDepth, 0, 1)
	v.within(p+"recovered_fraction", m.RecoveredFraction, 0, 1)
	v.intWithin(p+"survival_window", m.SurvivalWindow, 1, 120)
	v.within(p+"survival_fraction", m.SurvivalFraction, 0, 1)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func joinComma(s []string) string { return strings.Join(s, ", ") }
