package scenarios

// DefaultRanks is the rank ladder used when a scenario names none:
// leadership counts eight times a junior official in the stance.
func DefaultRanks() []Rank {
	return []Rank{
		{Name: "junior", Share: 0.55, Weight: 1},
		{Name: "mid", Share: 0.27, Weight: 2},
		{Name: "senior", Share: 0.13, Weight: 4},
		{Name: "leadership", Share: 0.05, Weight: 8},
	}
}

// DefaultCoefficients returns the model's default coefficients; each is
// documented on its field of Coefficients.
func DefaultCoefficients() Coefficients {
	return Coefficients{
		Bias:                 0.3,
		WDisposition:         1.5,
		WHabit:               1.5,
		WStake:               2.5,
		WAttention:           1.0,
		WTension:             2.0,
		WAutonomy:            3.0,
		NoiseSD:              0.5,
		HabitGain:            0.03,
		HabitDecay:           0.01,
		Socialization:        0.02,
		ConfidenceBound:      0.6,
		DispositionReversion: 0.03,
		ExchangeRate:         0.02,
		ExchangeBoost:        0.5,
		BuildRate:            0.25,
		FallRate:             0.5,
		AttentionHold:        0.3,
		StakeHalf:            1,
		ResistMax:            0.8,
		ResistStake:          0.25,
		ResistRoutine:        1,
		ResistHabit:          0.5,
		TensionDecay:         0.08,
		CrisisDispositionCut: 0.3,
		InitiativeStep:       0.2,
		TenureMonths:         240,
		PromotionTournament:  3,
		AfghanBase:           0.3,
		AfghanGain:           0.6,
		AfghanRate:           0.05,
		AfghanStability:      0.3,
		WSuspicion:           2,
		SuspicionGain:        0.05,
		SuspicionDecay:       0.01,
		Sidelining:           0.5,
		RoutineGain:          0.02,
		RoutineDecay:         0.01,
		RoutineCarryover:     0.8,
		ExchangeRoutineBoost: 1,
		LobbyAttention:       0.02,
		CrisisAttentionCut:   0.3,
		ReactionDecay:        0.08,
		SuspendBase:          0.4,
		SuspendLobby:         0.6,
		SuspendAttention:     0.3,
		SuspendBarMax:        0.8,
		ResumeMargin:         0.05,
		Backing:              0.5,
		AllyOpposition:       0.5,
		TAPIAfghanLobby:      1,
		DiplomaticTension:    0.5,
	}
}

// DefaultMetricSettings returns the default probe settings and summary
// thresholds.
func DefaultMetricSettings() MetricSettings {
	return MetricSettings{
		ProbeEveryMonths:      12,
		ProbeHorizonMonths:    12,
		ProbeSeverity:         0.9,
		EntrenchmentThreshold: 0.5,
		RoutineThreshold:      0.5,
		InterestThreshold:     0.5,
		SetbackDepth:          0.03,
		RecoveredFraction:     0.9,
		SurvivalWindow:        12,
		SurvivalFraction:      0.5,
	}
}

// Default returns a scenario with every scalar default set and no actors.
// The loader decodes a file on top of it, so absent keys keep these values.
func Default() Scenario {
	return Scenario{
		Start:      Month(2010 * 12),
		TickMonths: 1,
		Horizon:    180,
		Runs:       200,
		Seed:       1,
		Ranks:      nil, // filled with DefaultRanks by Normalize when empty
		Levers: Levers{
			DefenseSales: DefenseSales{Size: 0.25, FollowOnYears: 10},
			USAttention:  Attention{Side: "washington", Level: -1, Decay: -1},
		},
		Initiatives: InitiativeProcess{RatePerYear: 0.5},
		Crises:      CrisisProcess{RatePerYear: 0.4, SeverityMean: 0.5, SeverityConcentration: 4, MilitarizedShare: 0.33},
		Model:       DefaultCoefficients(),
		Metrics:     DefaultMetricSettings(),
	}
}

// SetDefaults sets a side's defaults before its YAML is decoded onto it.
func (s *Side) SetDefaults() {
	s.Attention, s.AttentionFloor, s.AttentionDecay, s.InitiativeBoost = 0.5, 0.3, 0.04, 0.4
	s.ExecutiveWeight, s.CrisisReaction = 4, 1
}

// SetDefaults sets an organization's defaults.
func (o *Organization) SetDefaults() {
	o.Influence, o.AutonomySensitivity, o.Officials, o.DispositionSD = 1, 0.3, 60, 0.3
}

// SetDefaults sets a channel's defaults.
func (c *Channel) SetDefaults() {
	c.Capacity, c.StakeYield, c.StakePersistence, c.AutonomyDepth = 1, 0.1, 12, 0.2
	c.FreezeMilitarized, c.FreezeDiplomatic = 0.6, 0.1
}

// SetDefaults sets an event's defaults.
func (e *Event) SetDefaults() {
	e.Severity = 0.5
}

// Normalize fills list defaults that depend on the whole file (the rank
// ladder, "all" channel and side lists). Call it after decoding and before
// Validate.
func (s *Scenario) Normalize() {
	if len(s.Ranks) == 0 {
		s.Ranks = DefaultRanks()
	}
	for i := range s.Events {
		e := &s.Events[i]
		if len(e.Channels) == 0 {
			e.Channels = []string{"all"}
		}
		if len(e.Sides) == 0 {
			e.Sides = []string{"all"}
		}
		if e.Kind == EventCrisis && e.CrisisKind == "" {
			e.CrisisKind = CrisisMilitarized
		}
	}
}

// End returns the calendar month of the last tick.
func (s *Scenario) End() Month { return s.Start + Month(s.Horizon*s.TickMonths) }

// TickOf returns the first tick whose date is at or after month m (tick t
// covers the months after DateOf(t-1) up to DateOf(t), so an event of month
// m belongs to it). The result may be negative or beyond the horizon; with
// monthly ticks it is the month's distance from the start.
func (s *Scenario) TickOf(m Month) int {
	d := int(m - s.Start)
	if d <= 0 {
		return -(-d / s.TickMonths)
	}
	return (d + s.TickMonths - 1) / s.TickMonths
}

// DateOf returns the calendar month of tick t.
func (s *Scenario) DateOf(t int) Month { return s.Start + Month(t*s.TickMonths) }
