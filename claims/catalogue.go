package claims

// The catalogue: every claim, and every test with its measure,
// comparison, placebo, direction and minimum effect, fixed here before any
// run. Scenario names and placebo switches are Model 2's
// (docs/design/model2.md §3's placebo map), kept in this one file.

// Built-in scenarios the catalogue uses.
const (
	Baseline    = "baseline"
	CrisisProne = "crisis-prone"
	Attention   = "attention-wanes"
	Mil2Mil     = "mil2mil-push"
	TAPIOnly    = "tapi-only"
	BorderOnly  = "border-only"
	DefenseOnly = "defense-sales-only"
	ThreeStakes = "three-stakes"
	Backcast    = "backcast-1997-2016"
	MemoLevers  = "memo-levers-2010"
)

// Placebo switches (Model 2): each turns one mechanism off and keeps the
// capacity (channels, levers) as it is.
var (
	// InertStakes: stakes accrue and are reported but give no logit term,
	// no resistance, no lobbying and no attention push.
	InertStakes = []string{"model.inert_stakes=true"}
	// InertRoutines: routines accrue but give no carry-over to recruits and
	// no resistance.
	InertRoutines = []string{"model.inert_routines=true"}
	// UniformFreeze: every channel freezes, per crisis kind, at the mean
	// sensitivity of the scenario's channels.
	UniformFreeze = []string{"crises.uniform_freeze=true"}
	// NoTAPIReach cuts the TAPI stake's lobbying for the Afghan channels.
	NoTAPIReach = []string{"model.tapi_afghan_lobby=0"}
	// NoSuspicion removes suspicion from the officials' propensity.
	NoSuspicion = []string{"model.w_suspicion=0"}
	// NoSidelining leaves only the passive effect of promotion by
	// alignment.
	NoSidelining = []string{"model.sidelining=0"}
	// NoAttention removes executive attention from the officials'
	// propensity, the channels' targets and the suspension bar.
	NoAttention = []string{"model.w_attention=0", "model.attention_hold=0", "model.suspend_attention=0"}
)

// Claim numbers: MODEL.md's five, then the backcast and the memo's 2010
// counterfactual.
const (
	ClaimEpisodic = 1 + iota
	ClaimRoutines
	ClaimMilToMil
	ClaimStakes
	ClaimMoreStakes
	ClaimBackcast
	ClaimCounterfactual
)

// ClaimTexts are the claims, by number from 1, as MODEL.md words them.
var ClaimTexts = []string{
	`Cooperation has been episodic, "two steps forward, one step back": it collapses at each crisis and when US attention wanes.`,
	`Cooperation is institutionalized only when it lives "inside the minds and behavior patterns" of bureaucratic actors: as routine, not declaration.`,
	`Military-to-military programs will not do it soon: Russian officers fear loss of autonomy, exchange participants are sidelined, and pushing harder hardens suspicion.`,
	`What can do it is stakes held by many domestic actors: Gazprom in TAPI (reaching the Afghan work), border and counternarcotics work, defense sales.`,
	`The more domestic actors hold such stakes, the more resistant cooperation becomes to crisis shocks, "even while high-level diplomacy and military-to-military programs stall".`,
	`Backcast 1997-2016: cooperation freezes at Kosovo 1999 and Georgia 2008 and comes back within one to two years, without scheduled recoveries; after 2014 it does not come back.`,
	`The memo's counterfactual: the three stakes switched on from 2010 make the 2014 fall smaller, against the same crisis draws.`,
}

// Minimum effects that matter, with their reasons (declared once, used by
// several tests).
const (
	minDrawdown     = 0.03 // relative drawdown: metrics.setback_depth, the smallest fall the model counts as a setback
	whyDrawdown     = "0.03 = metrics.setback_depth: a smaller difference does not avoid a setback"
	minEntrench     = 0.05 // probe entrenchment: model2.md §7's TestProbeStakesEntrench bar
	whyEntrench     = "5 points of cooperation kept a year after a Crimea-size probe (model2.md §7's bar); less is not worth a policy"
	minRecovery     = 3 // months: a quarter
	whyRecovery     = "a quarter: monthly ticks and event timing blur anything shorter"
	minStance       = 0.02
	whyStance       = "2 points of the 0-1 stance: below that an organization's monthly noise dominates"
	minPromoted     = 0.01
	whyPromoted     = "1 point of the promoted ranks: about one senior officer in a hundred"
	maxNoGain       = 0.02
	whyNoGain       = "'will not do it': the gain must stay below 2 points (the upper end of the interval)"
	minGap          = 0.1
	whyGap          = "political channels must lose a tenth of their level more than practical work for a stall to show"
	minPracticalGap = 0.02
	whyPracticalGap = "2 points of practical activity kept under a diplomatic crisis"
)

// Catalogue returns every test, claim by claim, in a fixed order.
func Catalogue() []Test {
	base := Scenario{Name: Baseline}
	ref := func(name string) Scenario { return Scenario{Name: name, Ref: Militarized} }
	dip := func(name string) Scenario { return Scenario{Name: name, Ref: Diplomatic} }
	bc := Scenario{Name: Backcast}
	var ts []Test

	// 1. Episodic.
	ts = append(ts,
		Test{ID: "1.setbacks", Claim: ClaimEpisodic, A: Scenario{Name: CrisisProne},
			Measure:   summaryMeasure("setbacks", "Setbacks over the run", "count"),
			Direction: Increase, Bound: 3, Why: "at least one setback per five years of the 15-year run: repeated, not one fall"},
		Test{ID: "1.ratchet", Claim: ClaimEpisodic, A: Scenario{Name: CrisisProne},
			Measure:   summaryMeasure("ratchet_ratio", "Ratchet ratio (net over gross change)", "ratio"),
			Direction: Band, BandLo: 0.2, BandHi: 0.5, Why: "1/3 is two steps forward, one back; the band is 1.5 to 3 steps forward per step back"},
		Test{ID: "1.no_entrenchment", Claim: ClaimEpisodic, A: Scenario{Name: CrisisProne},
			Measure:   summaryMeasure("mean_entrenchment", "Mean probe entrenchment", "share"),
			Direction: Decrease, Bound: 0.5, Why: "below metrics.entrenchment_threshold: less than half survives the probe"},
		Test{ID: "1.attention", Claim: ClaimEpisodic, A: base, B: Scenario{Name: Attention},
			Measure: summaryMeasure("setbacks", "Setbacks over the run", "count"),
			Placebo: NoAttention, Mechanism: "attention off (no logit term, no hold on targets, no suspension bar)",
			Direction: Increase, Bound: 0.5, Why: "half a setback more per 15-year run"},
	)
	// 2. Routines.
	ts = append(ts,
		Test{ID: "2.entrenchment.baseline", Claim: ClaimRoutines, A: ref(Baseline),
			Measure: entrenchmentMeasure(SharedChannels), Placebo: InertRoutines, Mechanism: "inert routines",
			Direction: Increase, Bound: minEntrench, Why: whyEntrench},
		Test{ID: "2.drawdown.baseline", Claim: ClaimRoutines, A: ref(Baseline),
			Measure: drawdownMeasure(SharedChannels), Placebo: InertRoutines, Mechanism: "inert routines",
			Direction: Decrease, Bound: -minDrawdown, Why: whyDrawdown},
		Test{ID: "2.entrenchment.three_stakes", Claim: ClaimRoutines, A: ref(ThreeStakes),
			Measure: entrenchmentMeasure(SharedChannels), Placebo: InertRoutines, Mechanism: "inert routines",
			Direction: Increase, Bound: minEntrench, Why: whyEntrench},
	)
	// 3. Mil-to-mil.
	m2m := Scenario{Name: Mil2Mil}
	ts = append(ts,
		Test{ID: "3.suspicion", Claim: ClaimMilToMil, A: base, B: m2m,
			Measure: summaryMeasure("mean_ru_military_stance", "Mean Russian military stance", "0-1"),
			Placebo: NoSuspicion, Mechanism: "no suspicion in the propensity",
			Direction: Decrease, Bound: -minStance, Why: whyStance},
		Test{ID: "3.sidelining", Claim: ClaimMilToMil, A: base, B: m2m,
			Measure: summaryMeasure("exchanged_promoted_share", "Exchanged officials among the promoted", "share"),
			Placebo: NoSidelining, Mechanism: "no sidelining (passive alignment only)",
			Direction: Decrease, Bound: -minPromoted, Why: whyPromoted},
		Test{ID: "3.no_entrenchment_gain", Claim: ClaimMilToMil, A: base, B: m2m,
			Measure:   entrenchmentMeasure(SharedChannels),
			Direction: Decrease, Bound: maxNoGain, Why: whyNoGain},
		Test{ID: "3.no_mil2mil_gain", Claim: ClaimMilToMil, A: base, B: m2m,
			Measure:   meanSeriesMeasure("channel.mil2mil", "Mean mil-to-mil activity"),
			Direction: Decrease, Bound: maxNoGain, Why: whyNoGain},
	)
	// 4. Each stake against the baseline, under a militarized reference
	// crisis, against inert stakes.
	for _, s := range []string{TAPIOnly, BorderOnly, DefenseOnly} {
		ts = append(ts,
			Test{ID: "4." + s + ".drawdown", Claim: ClaimStakes, A: ref(Baseline), B: ref(s),
				Measure: drawdownMeasure(SharedChannels), Placebo: InertStakes, Mechanism: "inert stakes",
				Direction: Decrease, Bound: -minDrawdown, Why: whyDrawdown},
			Test{ID: "4." + s + ".entrenchment", Claim: ClaimStakes, A: ref(Baseline), B: ref(s),
				Measure: entrenchmentMeasure(SharedChannels), Placebo: InertStakes, Mechanism: "inert stakes",
				Direction: Increase, Bound: minEntrench, Why: whyEntrench},
		)
	}
	ts = append(ts, Test{ID: "4.tapi_reaches_afghan", Claim: ClaimStakes, A: ref(Baseline), B: ref(TAPIOnly),
		Measure: entrenchmentMeasure(SharedAfghan), Placebo: NoTAPIReach, Mechanism: "TAPI stake does not lobby for the Afghan channels",
		Direction: Increase, Bound: 0.03, Why: "3 points of the Afghan work kept: the memo's link (energy stake backs the Afghan effort)"})
	// 5. More stakes; practical work while diplomacy stalls.
	for _, s := range []string{TAPIOnly, BorderOnly, DefenseOnly} {
		ts = append(ts, Test{ID: "5.more_than_" + s, Claim: ClaimMoreStakes, A: ref(s), B: ref(ThreeStakes),
			Measure: drawdownMeasure(SharedChannels), Placebo: InertStakes, Mechanism: "inert stakes",
			Direction: Decrease, Bound: -minDrawdown, Why: whyDrawdown})
	}
	ts = append(ts,
		Test{ID: "5.diplomacy_stalls", Claim: ClaimMoreStakes, A: dip(ThreeStakes),
			Measure: diplomacyGapMeasure(), Placebo: UniformFreeze, Mechanism: "equal freeze sensitivities",
			Direction: Increase, Bound: minGap, Why: whyGap},
		Test{ID: "5.practical_holds", Claim: ClaimMoreStakes, A: dip(Baseline), B: dip(ThreeStakes),
			Measure: drawdownMeasure(SharedPractical), Placebo: InertStakes, Mechanism: "inert stakes",
			Direction: Decrease, Bound: -minPracticalGap, Why: whyPracticalGap},
	)
	// 6. Backcast.
	kosovo, georgia := mustMonth("1999-03"), mustMonth("2008-08")
	const whyBand = "memo: back 'within one to two years' (history 4-12 months to the Council resuming); the band adds half a year either side"
	ts = append(ts,
		Test{ID: "6.kosovo_fall", Claim: ClaimBackcast, A: bc,
			Measure:   eventMeasure("fall_kosovo_1999", "Cooperation lost in the month of Kosovo (1999-03)", "share", kosovo, fall),
			Direction: Increase, Bound: 0.2, Why: "a freeze: a fifth of cooperation lost in the month"},
		Test{ID: "6.georgia_fall", Claim: ClaimBackcast, A: bc,
			Measure:   eventMeasure("fall_georgia_2008", "Cooperation lost in the month of Georgia (2008-08)", "share", georgia, fall),
			Direction: Increase, Bound: 0.2, Why: "a freeze: a fifth of cooperation lost in the month"},
		Test{ID: "6.kosovo_recovery", Claim: ClaimBackcast, A: bc,
			Measure:   eventMeasure("recovery_kosovo", "Months to regain 90% of the loss after Kosovo", "months", kosovo, lossRecovery(RecoveredFraction)),
			Direction: Band, BandLo: 6, BandHi: 30, Why: whyBand},
		Test{ID: "6.georgia_recovery", Claim: ClaimBackcast, A: bc,
			Measure:   eventMeasure("recovery_georgia", "Months to regain 90% of the loss after Georgia", "months", georgia, lossRecovery(RecoveredFraction)),
			Direction: Band, BandLo: 6, BandHi: 30, Why: whyBand},
		Test{ID: "6.georgia_recovery_noreset", Claim: ClaimBackcast, A: Scenario{Name: Backcast, Variant: NoReset},
			Measure:   eventMeasure("recovery_georgia", "Months to regain 90% of the loss after Georgia, without the 2009 reset rows", "months", georgia, lossRecovery(RecoveredFraction)),
			Direction: Band, BandLo: 6, BandHi: 30, Why: whyBand},
		Test{ID: "6.no_return_after_2014", Claim: ClaimBackcast, A: bc,
			Measure:   levelRatioMeasure("level_2016_12_over_2014_02", "Cooperation in 2016-12 over 2014-02", mustMonth("2014-02"), mustMonth("2016-12")),
			Direction: Decrease, Bound: 0.5, Why: "history: practical cooperation stayed suspended; not even half came back"},
	)
	// 7. The memo's counterfactual.
	ts = append(ts,
		Test{ID: "7.crimea_drawdown", Claim: ClaimCounterfactual, A: bc, B: Scenario{Name: MemoLevers},
			Measure: drawdownAtMeasure("crimea_2014", mustMonth("2014-03"), SharedChannels), Placebo: InertStakes, Mechanism: "inert stakes",
			Direction: Decrease, Bound: -minDrawdown, Why: whyDrawdown},
		Test{ID: "7.entrenchment", Claim: ClaimCounterfactual, A: bc, B: Scenario{Name: MemoLevers},
			Measure: entrenchmentMeasure(SharedChannels), Placebo: InertStakes, Mechanism: "inert stakes",
			Direction: Increase, Bound: minEntrench, Why: whyEntrench},
	)
	return ts
}
