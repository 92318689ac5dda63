package scenarios

import (
	"reflect"
	"strconv"
	"strings"
)

// Range is the plausible range of one behavioural coefficient: the
// interval a modeler could defend for it, over which the claims'
// robustness draws (entrench claims --robustness) vary it.
type Range struct {
	// Key is the coefficient's YAML key path, e.g. "model.resist_stake",
	// as --set takes it.
	Key string
	// Lo and Hi bound the range, Lo < Hi, in the coefficient's unit.
	Lo, Hi float64
	// Integer marks a whole-number coefficient: a draw is rounded.
	Integer bool
	// Reason says where the range comes from (L: literature, M: a
	// modelling choice) in one line.
	Reason string
}

// Value returns the coefficient at position u (0..1) of the range, as an
// override value: Lo + u·(Hi−Lo), rounded for an Integer coefficient.
func (r Range) Value(u float64) string {
	x := r.Lo + u*(r.Hi-r.Lo)
	if r.Integer {
		return strconv.Itoa(int(x + 0.5))
	}
	return strconv.FormatFloat(x, 'g', 6, 64)
}

// coefficientRanges are the plausible ranges, by key. Model 2's rows come
// from docs/design/model2.md §3; a row whose key the schema does not have
// (yet) is kept and skipped by CoefficientRanges.
var coefficientRanges = []Range{
	{Key: "model.bias", Lo: -0.5, Hi: 1, Reason: "M: officials lean from mildly against to mildly for cooperation with everything else neutral"},
	{Key: "model.w_disposition", Lo: 0.5, Hi: 3, Reason: "M: disposition matters, from a third to twice the habit weight"},
	{Key: "model.w_habit", Lo: 0.5, Hi: 3, Reason: "L: Macy & Flache 2002 habit as reinforcement; weight M"},
	{Key: "model.w_stake", Lo: 0.5, Hi: 4, Reason: "M: memo §4 stakes move officials; from weak to the strongest term"},
	{Key: "model.w_attention", Lo: 0.2, Hi: 2, Reason: "M: executive attention shifts officials, never dominates"},
	{Key: "model.w_tension", Lo: 0.5, Hi: 4, Reason: "M: crisis tension depresses propensity (Slovic 1993 asymmetry)"},
	{Key: "model.w_autonomy", Lo: 1, Hi: 5, Reason: "M: memo §3 autonomy fears; at least as strong as habit"},
	{Key: "model.noise_sd", Lo: 0.2, Hi: 1, Reason: "M: idiosyncratic monthly noise, small to as large as the disposition term"},
	{Key: "model.habit_gain", Lo: 0.01, Hi: 0.08, Reason: "L: Bush-Mosteller learning rates of a few percent a month"},
	{Key: "model.habit_decay", Lo: 0.003, Hi: 0.03, Reason: "M: habit half-life 2 to 19 years without work"},
	{Key: "model.socialization", Lo: 0.005, Hi: 0.05, Reason: "L: Deffuant bounded confidence; rate M"},
	{Key: "model.confidence_bound", Lo: 0.3, Hi: 1.2, Reason: "L: Hegselmann-Krause radius; a sixth to over half the disposition scale"},
	{Key: "model.disposition_reversion", Lo: 0.01, Hi: 0.08, Reason: "M: memory of a crisis fades in 9 months to 6 years"},
	{Key: "model.exchange_rate", Lo: 0.005, Hi: 0.05, Reason: "M: a few per cent of juniors on exchange a month at full activity"},
	{Key: "model.exchange_boost", Lo: 0.2, Hi: 0.8, Reason: "M: an exchange closes a fifth to most of the gap to full habit"},
	{Key: "model.build_rate", Lo: 0.1, Hi: 0.4, Reason: "L: Slovic 1993 trust builds slowly; below fall_rate's lower end"},
	{Key: "model.attention_hold", Lo: 0.1, Hi: 0.6, Reason: "M: memo §1 cooperation sags 'when US attention waned'"},
	{Key: "model.fall_rate", Lo: 0.4, Hi: 0.8, Reason: "L: Slovic 1993 trust falls fast; above build_rate's upper end"},
	{Key: "model.stake_half", Lo: 0.5, Hi: 2, Reason: "M: the stake index is one half at half to twice a year's yield"},
	{Key: "model.resist_max", Lo: 0.5, Hi: 0.95, Reason: "M: a crisis always bites (MODEL.md 'must still cut'), model2.md §3"},
	{Key: "model.resist_stake", Lo: 0.05, Hi: 1, Reason: "L: Pierson 2000 increasing returns; value M, model2.md §3"},
	{Key: "model.resist_routine", Lo: 0, Hi: 3, Reason: "L: Goldstein & Freeman 1991 routine; value M, model2.md §3"},
	{Key: "model.resist_habit", Lo: 0, Hi: 2, Reason: "M: kept from Model 1, model2.md §3"},
	{Key: "model.tension_decay", Lo: 0.03, Hi: 0.2, Reason: "M: crisis tension half-life 3 to 23 months"},
	{Key: "model.crisis_disposition_cut", Lo: 0.1, Hi: 0.6, Reason: "M: a severity-1 crisis costs a twentieth to a third of the disposition scale"},
	{Key: "model.initiative_step", Lo: 0.1, Hi: 0.4, Reason: "M: an initiative adds a tenth to two fifths of full activity"},
	{Key: "model.tenure_months", Lo: 120, Hi: 360, Reason: "L: careers of 10 to 30 years in a post grade"},
	{Key: "model.promotion_tournament", Lo: 1, Hi: 6, Integer: true, Reason: "M: 1 = promotion ignores alignment; up to 6 candidates"},
	{Key: "model.afghan_base", Lo: 0.1, Hi: 0.5, Reason: "M: Afghan stability without cooperation, weak to middling"},
	{Key: "model.afghan_gain", Lo: 0.3, Hi: 0.7, Reason: "M: full Afghan cooperation adds a third to most of the scale"},
	{Key: "model.afghan_rate", Lo: 0.02, Hi: 0.1, Reason: "M: stability adjusts over 10 months to 3 years"},
	{Key: "model.afghan_stability", Lo: 0.2, Hi: 0.4, Reason: "M: starting stability around afghan_base"},
	{Key: "model.w_suspicion", Lo: 0, Hi: 4, Reason: "M: comparable to w_autonomy; memo §3 'hardens suspicion', model2.md §3"},
	{Key: "model.suspicion_gain", Lo: 0.01, Hi: 0.2, Reason: "M; repulsive bounded confidence for the sign, model2.md §3"},
	{Key: "model.suspicion_decay", Lo: 0.003, Hi: 0.03, Reason: "M: 'decays over years', half-life 2-19 y, model2.md §3"},
	{Key: "model.sidelining", Lo: 0, Hi: 1, Reason: "L: Axelrod 1986 metanorm; 0 = passive only, model2.md §3"},
	{Key: "model.routine_gain", Lo: 0.005, Hi: 0.05, Reason: "L: Tolbert & Zucker 1996 stages over years; value M, model2.md §3"},
	{Key: "model.routine_decay", Lo: 0.002, Hi: 0.03, Reason: "M: routine half-life about 6 y without work, model2.md §3"},
	{Key: "model.routine_carryover", Lo: 0, Hi: 1, Reason: "M: recruits learn the SOP; 0 = no carry-over, model2.md §3"},
	{Key: "model.exchange_routine_boost", Lo: 0, Hi: 3, Reason: "M: doubles routine growth at 2%/month exchanges, model2.md §3"},
	{Key: "model.lobby_attention", Lo: 0, Hi: 0.1, Reason: "M: attention rises with stakeholder lobbying, model2.md §3"},
	{Key: "model.crisis_attention_cut", Lo: 0, Hi: 1, Reason: "L: Jones & Baumgartner 2005 attention displaced; value M, model2.md §3"},
	{Key: "model.reaction_decay", Lo: 0.03, Hi: 0.2, Reason: "M: as tension_decay; half-life 3-23 months, model2.md §3"},
	{Key: "model.suspend_base", Lo: 0, Hi: 0.5, Reason: "M: Georgia suspends nrc and it resumes in 7-11 months, model2.md §3"},
	{Key: "model.suspend_lobby", Lo: 0.2, Hi: 1.5, Reason: "M, model2.md §3"},
	{Key: "model.suspend_attention", Lo: 0, Hi: 0.6, Reason: "M: memo 'when US attention waned', model2.md §3"},
	{Key: "model.suspend_bar_max", Lo: 0.6, Hi: 0.95, Reason: "M: stakes raise the bar, never to 1, model2.md §3"},
	{Key: "model.resume_margin", Lo: 0, Hi: 0.2, Reason: "M: hysteresis against flicker, model2.md §3"},
	{Key: "model.backing", Lo: 0, Hi: 1, Reason: "M, model2.md §3"},
	{Key: "model.ally_opposition", Lo: 0, Hi: 1, Reason: "M: allied pressure on Paris over Mistral, model2.md §3"},
	{Key: "model.tapi_afghan_lobby", Lo: 0, Hi: 1, Reason: "L: memo §4 TAPI ties Gazprom to Afghan security; 0 cuts the link, model2.md §3"},
	{Key: "model.diplomatic_tension", Lo: 0.2, Hi: 1, Reason: "M, model2.md §3"},
}

// AllCoefficientRanges returns every range of the table, including rows
// for keys the schema does not have.
func AllCoefficientRanges() []Range {
	return append([]Range(nil), coefficientRanges...)
}

// CoefficientRanges returns the ranges of the numeric fields of
// Coefficients, in the table's order: the dimensions of a robustness draw.
func CoefficientRanges() []Range {
	have := NumericCoefficientKeys()
	var rs []Range
	for _, r := range coefficientRanges {
		if have[r.Key] {
			rs = append(rs, r)
		}
	}
	return rs
}

// NumericCoefficientKeys returns the key paths ("model.<yaml key>") of the
// numeric (float or int) fields of Coefficients; booleans are switches,
// not coefficients, and have no range.
func NumericCoefficientKeys() map[string]bool {
	keys := map[string]bool{}
	t := reflect.TypeFor[Coefficients]()
	for i := range t.NumField() {
		f := t.Field(i)
		switch f.Type.Kind() {
		case reflect.Float64, reflect.Int:
			name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
			keys["model."+name] = true
		}
	}
	return keys
}
