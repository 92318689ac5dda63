package scenarios

// This file is the scenario schema: the Go types a scenario YAML file decodes
// into. Every field documents its unit, range and default. A key absent from
// the file keeps the default set by Default (for the scenario) or by the
// element's SetDefaults method (for list elements); Validate rejects values
// outside the documented ranges.

// Scenario is one complete model set-up: who the actors are, which channels
// link them, which levers are pulled when, and the crisis climate.
type Scenario struct {
	// Name identifies the scenario in outputs. Required; letters, digits,
	// '-', '_' and '.'.
	Name string `yaml:"name"`
	// Description is one or two sentences shown by `entrench scenarios`.
	Description string `yaml:"description"`
	// Start is the calendar month of tick 0, "YYYY-MM". Default 2010-01.
	Start Month `yaml:"start"`
	// TickMonths is the length of one tick in months, 1 to 12. Default 1
	// (monthly). Rates given "per month" are per tick when ticks are
	// longer only through the model's own scaling (see docs/ODD.md).
	TickMonths int `yaml:"tick_months"`
	// Horizon is the number of ticks simulated after tick 0, 1 to 2400.
	// Default 180 (15 years of months).
	Horizon int `yaml:"horizon"`
	// Runs is the number of Monte Carlo replicates, 1 to 10,000,000.
	// Default 200.
	Runs int `yaml:"runs"`
	// Seed is the master seed from which every random stream is derived.
	// Default 1.
	Seed uint64 `yaml:"seed"`
	// Ranks is the rank ladder shared by all organizations, lowest first.
	// Default: junior, mid, senior, leadership (see DefaultRanks).
	Ranks []Rank `yaml:"ranks"`
	// Sides are the capitals. At least one in each bloc.
	Sides []Side `yaml:"sides"`
	// Organizations are the bureaucratic actors. At least two.
	Organizations []Organization `yaml:"organizations"`
	// Channels are the areas of joint work. At least one.
	Channels []Channel `yaml:"channels"`
	// Levers are the policy settings that students and modelers turn.
	Levers Levers `yaml:"levers"`
	// Initiatives are random summits and diplomatic initiatives that raise
	// executive attention.
	Initiatives InitiativeProcess `yaml:"initiatives"`
	// Crises is the random crisis process.
	Crises CrisisProcess `yaml:"crises"`
	// Events are dated scheduled events, in any order.
	Events []Event `yaml:"events"`
	// Model holds the behavioural coefficients.
	Model Coefficients `yaml:"model"`
	// Metrics holds the thresholds used to summarize runs.
	Metrics MetricSettings `yaml:"metrics"`
}

// Rank is one step of the rank ladder.
type Rank struct {
	// Name of the rank, e.g. "senior". Required, unique.
	Name string `yaml:"name"`
	// Share is the fraction of each organization's officials at this rank,
	// greater than 0; shares are normalized to sum to 1.
	Share float64 `yaml:"share"`
	// Weight is the weight of an official of this rank in the
	// organization's stance, greater than 0. Seniors count most.
	Weight float64 `yaml:"weight"`
}

// Bloc names: cooperation needs both blocs.
const (
	BlocEast = "east" // Russia
	BlocWest = "west" // the United States and European capitals
)

// Side is a capital with an executive whose attention to cooperation rises
// with initiatives and decays over time.
type Side struct {
	// Name of the side, e.g. "moscow". Required, unique.
	Name string `yaml:"name"`
	// Bloc is "east" or "west". Required.
	Bloc string `yaml:"bloc"`
	// Attention is the executive's attention to cooperation at tick 0,
	// 0 to 1. Default 0.5.
	Attention float64 `yaml:"attention"`
	// AttentionFloor is the level attention decays toward, 0 to 1.
	// Default 0.3.
	AttentionFloor float64 `yaml:"attention_floor"`
	// AttentionDecay is the fraction of the gap to the floor closed per
	// month, 0 to 1. Default 0.04 (half-life about 17 months).
	AttentionDecay float64 `yaml:"attention_decay"`
	// InitiativeBoost is the fraction of the remaining gap to full
	// attention that an initiative closes, 0 to 1. Default 0.4.
	InitiativeBoost float64 `yaml:"initiative_boost"`
	// ExecutiveWeight is the executive's own influence in the
	// denominator of its net lobbying (influence units, > 0 and at most
	// 100): the larger, the less its organizations' lobbying moves it.
	// Plausible range 1 to 10. Default 4.
	ExecutiveWeight float64 `yaml:"executive_weight"`
	// CrisisReaction is the executive's hawkishness: the share of a
	// crisis's freeze (severity times the channel's freeze sensitivity)
	// that becomes crisis reaction, 0 to 1. Plausible range 0.3 to 1.
	// Default 1.
	CrisisReaction float64 `yaml:"crisis_reaction"`
}

// Organization kinds.
const (
	KindMilitary    = "military"
	KindSecurity    = "security"
	KindEnergy      = "energy"
	KindIndustry    = "industry"
	KindDiplomatic  = "diplomatic"
	KindExecutive   = "executive"
	KindLegislature = "legislature"
)

// OrganizationKinds lists the allowed organization kinds.
var OrganizationKinds = []string{KindMilitary, KindSecurity, KindEnergy, KindIndustry, KindDiplomatic, KindExecutive, KindLegislature}

// Organization is a bureaucratic actor made of officials.
type Organization struct {
	// Name, e.g. "gazprom". Required, unique.
	Name string `yaml:"name"`
	// Side is the name of the organization's side. Required.
	Side string `yaml:"side"`
	// Kind is one of OrganizationKinds. Required.
	Kind string `yaml:"kind"`
	// Influence is the organization's weight in domestic politics,
	// greater than 0 and at most 100. Default 1.
	Influence float64 `yaml:"influence"`
	// AutonomySensitivity is how strongly the organization's officials
	// react to threats to its autonomy, 0 to 1. Default 0.3.
	AutonomySensitivity float64 `yaml:"autonomy_sensitivity"`
	// Officials is the number of officials, 4 to 100,000. Default 60.
	Officials int `yaml:"officials"`
	// Disposition is the mean initial disposition of officials toward
	// cooperation, -1 (hostile) to 1 (keen). Default 0.
	Disposition float64 `yaml:"disposition"`
	// DispositionSD is the standard deviation of initial dispositions and
	// of recruits' dispositions, 0 to 1. Default 0.3.
	DispositionSD float64 `yaml:"disposition_sd"`
	// Opposes are channel names the organization lobbies against (the US
	// Congress against the Mistral sale). It lobbies its own executive and,
	// at model.ally_opposition weight, allied executives. Default none.
	Opposes []string `yaml:"opposes"`
	// Description is a free-text note.
	Description string `yaml:"description"`
}

// Channel kinds. Levers act on channels by kind, and the kind sets some
// rules: every kind but energy is joint work (it counts in its
// participants' engagement and builds their routine); an energy channel
// (a pipeline investment) yields only a commercial stake, tied to Afghan
// stability.
const (
	ChanMilToMil          = "mil_to_mil"
	ChanAfghanTransit     = "afghan_transit"
	ChanCounternarcotics  = "counternarcotics"
	ChanBorderSecurity    = "border_security"
	ChanEnergy            = "energy"
	ChanDefenseIndustrial = "defense_industrial"
	ChanPolitical         = "political"
)

// ChannelKinds lists the allowed channel kinds.
var ChannelKinds = []string{ChanMilToMil, ChanAfghanTransit, ChanCounternarcotics, ChanBorderSecurity, ChanEnergy, ChanDefenseIndustrial, ChanPolitical}

// Channel is an area of joint work between organizations of both blocs.
type Channel struct {
	// Name, e.g. "tapi". Required, unique among channels.
	Name string `yaml:"name"`
	// Kind is one of ChannelKinds. Required.
	Kind string `yaml:"kind"`
	// Participants are organization names; at least one from each bloc.
	Participants []string `yaml:"participants"`
	// Activity is the activity level at tick 0, 0 to 1. Default 0.
	Activity float64 `yaml:"activity"`
	// Capacity is the highest activity the channel can reach when fully
	// enabled by its lever, 0 to 1. Default 1.
	Capacity float64 `yaml:"capacity"`
	// StakeYield is the stake (in stake units: one unit is a month of
	// full activity's worth of revenue, contracts, budgets or careers)
	// that each participant gains per month at activity 1, 0 to 10.
	// Default 0.1.
	StakeYield float64 `yaml:"stake_yield"`
	// StakePersistence is the mean lifetime of a stake in months, 1 to
	// 1200: a joint exercise a few months, a pipeline or follow-on
	// contract years. Default 12.
	StakePersistence float64 `yaml:"stake_persistence"`
	// FreezeMilitarized is the share of activity a militarized crisis of
	// severity 1 freezes when participants have no resistance, 0 to 1.
	// Default 0.6. (Replaces Model 1's freeze_sensitivity.)
	FreezeMilitarized float64 `yaml:"freeze_militarized"`
	// FreezeDiplomatic is the same for a diplomatic crisis, 0 to 1:
	// diplomatic crises barely touch practical work. Default 0.1.
	FreezeDiplomatic float64 `yaml:"freeze_diplomatic"`
	// AutonomyDepth is how deep the channel cuts into participants'
	// autonomy, 0 (trade) to 1 (joint command). Default 0.2.
	AutonomyDepth float64 `yaml:"autonomy_depth"`
	// Description is a free-text note.
	Description string `yaml:"description"`
}

// Lever is a policy setting that takes Value from the month From on (from
// the start when From is unset) and Before until then.
type Lever struct {
	// Value is the lever's setting once on; see the lever for its unit.
	Value float64 `yaml:"value"`
	// Before is the setting before From. Default 0.
	Before float64 `yaml:"before"`
	// From is the month the lever switches to Value, "YYYY-MM". Unset:
	// from the start.
	From Month `yaml:"from"`
	// Description is a free-text note (source, rationale).
	Description string `yaml:"description"`
}

// DefenseSales is the defense-industrial lever: Russian purchases of
// European defense equipment (the Mistral ships, the German training
// centre) with follow-on contracts for parts and training.
type DefenseSales struct {
	// Count is the number of major contracts, 0 to 20. Default 0.
	Count int `yaml:"count"`
	// Size is the size of each contract as a fraction of full channel
	// capacity, 0 to 1. Default 0.25. Capacity is min(1, Count*Size).
	Size float64 `yaml:"size"`
	// FollowOnYears is how long follow-on contracts keep the stake alive,
	// in years, 0 to 50. It replaces the defense-industrial channels'
	// stake persistence when positive. Default 10.
	FollowOnYears float64 `yaml:"follow_on_years"`
	// From is the month the sales start, "YYYY-MM". Unset: from the start.
	From Month `yaml:"from"`
	// Description is a free-text note.
	Description string `yaml:"description"`
}

// Attention is the US attention lever: it overrides the attention floor and
// decay of one side (Washington by default) from a date.
type Attention struct {
	// Side is the side the lever acts on. Default "washington".
	Side string `yaml:"side"`
	// Level is the attention floor, 0 to 1, or -1 to keep the side's own.
	// Default -1.
	Level float64 `yaml:"level"`
	// Decay is the fraction of the gap to the floor closed per month, 0 to
	// 1, or -1 to keep the side's own. Default -1.
	Decay float64 `yaml:"decay"`
	// From is the month the override starts. Unset: from the start.
	From Month `yaml:"from"`
	// Description is a free-text note.
	Description string `yaml:"description"`
}

// Levers are the policy settings of MODEL.md. Each acts on channels of a
// kind by scaling their capacity, or on the environment.
type Levers struct {
	// TAPIStake is Gazprom's stake in the TAPI pipeline, 0 to 1: it scales
	// the capacity of energy channels. Default 0 (off).
	TAPIStake Lever `yaml:"tapi_stake"`
	// NDNTransit is the Northern Distribution Network transit volume as a
	// share of full demand, 0 to 1: it scales the capacity of
	// afghan_transit channels. Default 0.
	NDNTransit Lever `yaml:"ndn_transit"`
	// BorderCooperation is the intensity of border-security and
	// counternarcotics cooperation (exchanges, joint conferences, raids),
	// 0 to 1: it scales the capacity of border_security and
	// counternarcotics channels. Default 0.
	BorderCooperation Lever `yaml:"border_cooperation"`
	// DefenseSales scales the capacity of defense_industrial channels.
	DefenseSales DefenseSales `yaml:"defense_sales"`
	// Mil2MilPressure is how hard the West presses deep
	// military-to-military ties, 0 to 1: it raises the West's demand in
	// mil_to_mil channels and the autonomy threat felt by eastern
	// participants. Default 0.
	Mil2MilPressure Lever `yaml:"mil2mil_pressure"`
	// USAttention overrides Washington's attention floor and decay.
	USAttention Attention `yaml:"us_attention"`
}

// InitiativeProcess is the random arrival of summits and initiatives.
type InitiativeProcess struct {
	// RatePerYear is the Poisson arrival rate per year, 0 to 24. Default
	// 0.5. An initiative raises every side's attention by its boost.
	RatePerYear float64 `yaml:"rate_per_year"`
}

// CrisisProcess is the random arrival of crises.
type CrisisProcess struct {
	// RatePerYear is the Poisson arrival rate per year, 0 to 24.
	// Default 0.4 (about six in 15 years).
	RatePerYear float64 `yaml:"rate_per_year"`
	// SeverityMean is the mean of the Beta-distributed severity, strictly
	// between 0 and 1. Default 0.5.
	SeverityMean float64 `yaml:"severity_mean"`
	// SeverityConcentration is the Beta distribution's alpha+beta, 0.5 to
	// 1000: larger is less variable. Default 4.
	SeverityConcentration float64 `yaml:"severity_concentration"`
	// From is the month random crises start. Unset: from the start.
	From Month `yaml:"from"`
	// Until is the last month random crises can arrive. Unset: no end.
	Until Month `yaml:"until"`
	// MilitarizedShare is the probability that a random crisis is
	// militarized rather than diplomatic, 0 to 1. Default 0.33 (three of
	// nine distinct crises 1999-2014: Kosovo, Georgia, Crimea).
	MilitarizedShare float64 `yaml:"militarized_share"`
	// UniformFreeze, when true, gives every channel, for each crisis kind,
	// the mean freeze sensitivity of the scenario's channels (a placebo:
	// same average freeze, no differentiation). Default false.
	UniformFreeze bool `yaml:"uniform_freeze"`
}

// Event kinds.
const (
	EventCrisis     = "crisis"     // X: a crisis shock
	EventInitiative = "initiative" // C: a cooperation step
	EventLever      = "lever"      // a lever switched at a date
	EventAttention  = "attention"  // a new administration resets attention
	// EventSuspension and EventResumption are not scheduled: the engine
	// records them when an executive suspends or resumes a channel.
	EventSuspension = "suspension"
	EventResumption = "resumption"
	// EventRecovery was Model 1's scheduled recovery. Model 2 removed it
	// (recoveries come out of the model): the loader rejects it. The name
	// is kept so that readers of old event logs can still classify it.
	EventRecovery = "recovery"
)

// EventKinds lists the event kinds a scenario may schedule.
var EventKinds = []string{EventCrisis, EventInitiative, EventLever, EventAttention}

// Crisis kinds.
const (
	CrisisMilitarized = "militarized" // Kosovo 1999, Georgia 2008, Crimea 2014
	CrisisDiplomatic  = "diplomatic"  // Iraq 2003, Libya 2011, Snowden 2013
)

// CrisisKinds lists the allowed crisis kinds.
var CrisisKinds = []string{CrisisMilitarized, CrisisDiplomatic}

// Event is a dated scheduled event.
type Event struct {
	// Date is the month the event fires, "YYYY-MM". Required; must fall in
	// the simulated period.
	Date Month `yaml:"date"`
	// Name is a short label for figures, e.g. "Georgia war". Required.
	Name string `yaml:"name"`
	// Kind is one of EventKinds. Required.
	Kind string `yaml:"kind"`
	// Channels are the channel names the event touches, or ["all"].
	// Default ["all"]. Ignored by lever events.
	Channels []string `yaml:"channels"`
	// Severity is the crisis severity (crisis), the strength of the step
	// (initiative), or the level the sides' attention is reset to
	// (attention: a new administration), 0 to 1. Default 0.5.
	Severity float64 `yaml:"severity"`
	// CrisisKind is a crisis event's kind, one of CrisisKinds. Crisis
	// events only; a crisis event without it is militarized.
	CrisisKind string `yaml:"crisis_kind"`
	// Sides are the sides whose attention an initiative raises, or an
	// attention event resets, or ["all"]. Default ["all"].
	Sides []string `yaml:"sides"`
	// Set holds lever settings for a lever event, keyed by lever path
	// (see LeverSpecs). Required for lever events.
	Set map[string]float64 `yaml:"set"`
	// Source is a one-line source note.
	Source string `yaml:"source"`
}

// Coefficients are the behavioural coefficients of the model. Their
// equations are in docs/ODD.md, section 7 (submodels).
type Coefficients struct {
	// Bias is the constant of the officials' propensity logit. Default 0.3.
	Bias float64 `yaml:"bias"`
	// WDisposition is the logit weight of disposition (-1..1), >= 0.
	// Default 1.5.
	WDisposition float64 `yaml:"w_disposition"`
	// WHabit is the logit weight of habit (0..1), >= 0. Default 1.5.
	WHabit float64 `yaml:"w_habit"`
	// WStake is the logit weight of the organization's stake index
	// (0..1), >= 0. Default 2.5.
	WStake float64 `yaml:"w_stake"`
	// WAttention is the logit weight of the side's executive attention
	// (0..1), >= 0. Default 1.0.
	WAttention float64 `yaml:"w_attention"`
	// WTension is the logit weight of crisis tension (0..1), >= 0; it
	// enters with a minus sign. Default 2.0.
	WTension float64 `yaml:"w_tension"`
	// WAutonomy is the logit weight of the autonomy threat (0..1), >= 0;
	// it enters with a minus sign. Default 3.0.
	WAutonomy float64 `yaml:"w_autonomy"`
	// NoiseSD is the standard deviation of the officials' logit noise per
	// month, 0 to 5. Default 0.5.
	NoiseSD float64 `yaml:"noise_sd"`
	// HabitGain is the Bush-Mosteller learning rate of habit under
	// participation, per month, 0 to 1. Default 0.03.
	HabitGain float64 `yaml:"habit_gain"`
	// HabitDecay is the rate habit decays without participation, per month,
	// 0 to 1. Default 0.01.
	HabitDecay float64 `yaml:"habit_decay"`
	// Socialization is the rate dispositions move toward the leadership
	// line when within ConfidenceBound of it, per month, 0 to 1.
	// Default 0.02.
	Socialization float64 `yaml:"socialization"`
	// ConfidenceBound is the bounded-confidence radius in disposition
	// units, 0 to 2. Default 0.6.
	ConfidenceBound float64 `yaml:"confidence_bound"`
	// DispositionReversion is the rate at which dispositions drift back
	// toward their organization's recruiting mean, per month, 0 to 1: the
	// memory of a crisis fades. Default 0.03 (half-life about 2 years).
	DispositionReversion float64 `yaml:"disposition_reversion"`
	// ExchangeRate is the expected share of an organization's junior
	// officials sent on a mil-to-mil exchange per month at full activity,
	// 0 to 1. Default 0.02.
	ExchangeRate float64 `yaml:"exchange_rate"`
	// ExchangeBoost is the share of the gap to full habit that an exchange
	// participant gains, 0 to 1. Default 0.5.
	ExchangeBoost float64 `yaml:"exchange_boost"`
	// BuildRate is the fraction of the gap to a higher target that channel
	// activity closes per month at full attention, 0 to 1. Default 0.25.
	BuildRate float64 `yaml:"build_rate"`
	// AttentionHold is how much of a channel's target depends on executive
	// attention, 0 to 1: the target is scaled by 1-hold*(1-attention), so
	// with waning attention cooperation sags even without a crisis.
	// Default 0.3.
	AttentionHold float64 `yaml:"attention_hold"`
	// FallRate is the fraction of the gap to a lower target closed per
	// month, 0 to 1; at least BuildRate ("fall fast"). Default 0.5.
	FallRate float64 `yaml:"fall_rate"`
	// StakeHalf is the stake stock at which the stake index is one half,
	// > 0. Default 1.
	StakeHalf float64 `yaml:"stake_half"`
	// ResistMax is the highest resistance, the share of a crisis cut that
	// stakes, routines and habit can absorb: resistance is
	// resist_max*x/(1+x) with x the weighted sum below. 0 to 0.99;
	// plausible 0.5 to 0.95. Default 0.8 (a crisis always bites).
	ResistMax float64 `yaml:"resist_max"`
	// ResistStake is the weight of a stake unit in x, >= 0; plausible
	// 0.05 to 1. Default 0.25 (x = 1 at four stake-months).
	ResistStake float64 `yaml:"resist_stake"`
	// ResistRoutine is the weight of routine (0..1) in x, >= 0; plausible
	// 0 to 3. Default 1.
	ResistRoutine float64 `yaml:"resist_routine"`
	// ResistHabit is the weight of mean habit (0..1) in x, >= 0;
	// plausible 0 to 2. Default 0.5.
	ResistHabit float64 `yaml:"resist_habit"`
	// TensionDecay is the fraction of crisis tension that dissipates per
	// month, 0 to 1. Default 0.08.
	TensionDecay float64 `yaml:"tension_decay"`
	// CrisisDispositionCut is the disposition lost by officials of touched
	// organizations in a crisis of severity 1 with no resistance, 0 to 2.
	// Default 0.3.
	CrisisDispositionCut float64 `yaml:"crisis_disposition_cut"`
	// InitiativeStep is the activity an initiative or recovery event of
	// strength 1 adds to the channels it touches (up to their target
	// capacity), 0 to 1. Default 0.2.
	InitiativeStep float64 `yaml:"initiative_step"`
	// TenureMonths is the mean time an official serves before retiring, in
	// months, 12 to 1200. Default 240.
	TenureMonths float64 `yaml:"tenure_months"`
	// PromotionTournament is how many candidates compete for a vacancy;
	// the one closest to the leadership line wins. 1 means promotion
	// ignores alignment. 1 to 16. Default 3.
	PromotionTournament int `yaml:"promotion_tournament"`
	// AfghanBase is Afghan stability with no Afghan cooperation, 0 to 1.
	// Default 0.3.
	AfghanBase float64 `yaml:"afghan_base"`
	// AfghanGain is the stability added by full Afghan cooperation
	// (transit, counternarcotics, border), 0 to 1. Default 0.6.
	AfghanGain float64 `yaml:"afghan_gain"`
	// AfghanRate is the fraction of the gap to target stability closed per
	// month, 0 to 1. Default 0.05.
	AfghanRate float64 `yaml:"afghan_rate"`
	// AfghanStability is Afghan stability at tick 0, 0 to 1. Default 0.3.
	AfghanStability float64 `yaml:"afghan_stability"`

	// WSuspicion is the logit weight of an organization's suspicion
	// (0..1), >= 0, entering with a minus sign; plausible 0 to 4.
	// Default 2.
	WSuspicion float64 `yaml:"w_suspicion"`
	// SuspicionGain is the share of the gap to full suspicion that an
	// eastern military organization closes per month under full Western
	// pressure times depth, 0 to 1; plausible 0.01 to 0.2. Default 0.05.
	SuspicionGain float64 `yaml:"suspicion_gain"`
	// SuspicionDecay is the share of suspicion lost per month, 0 to 1;
	// plausible 0.003 to 0.03. Default 0.01 (half-life about 6 years).
	SuspicionDecay float64 `yaml:"suspicion_decay"`
	// Sidelining is the metanorm's strength: the promotion penalty, in
	// propensity units, of an exchange participant under a leadership
	// line of 0 (scaled by max(0, 1-2*line)), 0 to 1. 0 leaves only
	// promotion by alignment. Default 0.5.
	Sidelining float64 `yaml:"sidelining"`
	// RoutineGain is the share of the gap to full routine an organization
	// closes per month in a channel at activity 1, 0 to 1; plausible
	// 0.005 to 0.05. Default 0.02.
	RoutineGain float64 `yaml:"routine_gain"`
	// RoutineDecay is the share of routine lost per month, 0 to 1;
	// plausible 0.002 to 0.03. Default 0.01.
	RoutineDecay float64 `yaml:"routine_decay"`
	// RoutineCarryover is the share of its organization's routine a recruit
	// starts with as habit, 0 to 1. Default 0.8.
	RoutineCarryover float64 `yaml:"routine_carryover"`
	// ExchangeRoutineBoost is the routine growth per unit of the share of
	// an organization's juniors exchanged in the month, 0 to 10;
	// plausible 0 to 3. Default 1.
	ExchangeRoutineBoost float64 `yaml:"exchange_routine_boost"`
	// LobbyAttention is the share of the gap to full attention closed per
	// month per unit of stakeholder lobbying, 0 to 1; plausible 0 to 0.1.
	// Default 0.02.
	LobbyAttention float64 `yaml:"lobby_attention"`
	// CrisisAttentionCut is the share of every executive's attention a
	// crisis of severity 1 takes, 0 to 1. Default 0.3.
	CrisisAttentionCut float64 `yaml:"crisis_attention_cut"`
	// ReactionDecay is the share of an executive's crisis reaction that
	// fades per month, 0 to 1; plausible 0.03 to 0.2. Default 0.08.
	ReactionDecay float64 `yaml:"reaction_decay"`
	// SuspendBase is the suspension bar with no lobbying and no
	// attention, 0 to 1; plausible 0 to 0.5. Default 0.4.
	SuspendBase float64 `yaml:"suspend_base"`
	// SuspendLobby is the bar added per unit of net lobbying (-1..1),
	// >= 0; plausible 0.2 to 1.5. Default 0.6.
	SuspendLobby float64 `yaml:"suspend_lobby"`
	// SuspendAttention is the bar added per unit of executive attention,
	// >= 0; plausible 0 to 0.6. Default 0.3.
	SuspendAttention float64 `yaml:"suspend_attention"`
	// SuspendBarMax caps the bar, 0 to 1; plausible 0.6 to 0.95: stakes
	// raise the bar, never to 1. Default 0.8.
	SuspendBarMax float64 `yaml:"suspend_bar_max"`
	// ResumeMargin is how far below the bar the reaction must fall before
	// a suspension is lifted, 0 to 1; plausible 0 to 0.2. Default 0.05.
	ResumeMargin float64 `yaml:"resume_margin"`
	// Backing is the support a bloc's executives add to a channel per unit
	// of their mean net lobbying, 0 to 1. Default 0.5.
	Backing float64 `yaml:"backing"`
	// AllyOpposition is the weight of an organization's opposition in
	// allied capitals (same bloc, other side), 0 to 1. Default 0.5.
	AllyOpposition float64 `yaml:"ally_opposition"`
	// TAPIAfghanLobby is the share of an organization's energy stake it
	// counts as interest in the Afghan channels (TAPI needs Afghan
	// security), 0 to 1; 0 cuts the link. Default 1.
	TAPIAfghanLobby float64 `yaml:"tapi_afghan_lobby"`
	// DiplomaticTension is the tension and disposition cut of a diplomatic
	// crisis relative to a militarized one of the same severity, 0 to 1;
	// plausible 0.2 to 1. Default 0.5.
	DiplomaticTension float64 `yaml:"diplomatic_tension"`
	// FollowOnSeller, when true, gives the Western sellers of defense
	// channels the buyers' follow-on persistence too (Model 1's symmetric
	// rule; a placebo). Default false.
	FollowOnSeller bool `yaml:"follow_on_seller"`
	// InertStakes, when true, makes stakes inert (a placebo): they accrue
	// and are reported, but enter no logit, resistance, lobbying or
	// attention push. Default false.
	InertStakes bool `yaml:"inert_stakes"`
	// InertRoutines, when true, makes routines inert (a placebo): they
	// accrue and are reported, but give no carry-over and no resistance.
	// Default false.
	InertRoutines bool `yaml:"inert_routines"`
}

// MetricSettings are the settings of the stress probe that measures
// entrenchment and the thresholds of the summary metrics. A zero field is
// rejected or means what its comment says; Default sets every documented
// default.
type MetricSettings struct {
	// ProbeEveryMonths is the interval between stress probes, in months,
	// 0 to 120: a probe runs at every tick whose month count from the
	// start is a multiple of it, and always at the last tick. 0 switches
	// the probe off (every probe series is 0 and the probe summaries are
	// undefined). Default 12.
	ProbeEveryMonths int `yaml:"probe_every_months"`
	// ProbeHorizonMonths is how long each probe runs the copied world
	// forward after its reference crisis, in months, 1 to 60. Default 12.
	ProbeHorizonMonths int `yaml:"probe_horizon_months"`
	// ProbeSeverity is the severity of the probe's militarized reference
	// crisis on every channel, 0 to 1. Default 0.9 (Crimea-size).
	ProbeSeverity float64 `yaml:"probe_severity"`
	// EntrenchmentThreshold is the share of activity a probe must keep
	// for cooperation to count as entrenched ("time to entrenchment"),
	// 0 to 1. Default 0.5.
	EntrenchmentThreshold float64 `yaml:"entrenchment_threshold"`
	// RoutineThreshold is the routine an organization must reach to count
	// in the routine index, 0 to 1. Default 0.5.
	RoutineThreshold float64 `yaml:"routine_threshold"`
	// InterestThreshold is the stake index stake/(stake+stake_half) an
	// organization must reach to count in the interest index, 0 to 1.
	// Default 0.5 (a stake of stake_half).
	InterestThreshold float64 `yaml:"interest_threshold"`
	// SetbackDepth is the smallest fall of the cooperation level from its
	// running peak that counts as a setback, 0 to 1. Default 0.03.
	SetbackDepth float64 `yaml:"setback_depth"`
	// RecoveredFraction is the share of a setback's loss that must be
	// regained for it to count as recovered, 0 to 1. Default 0.9.
	RecoveredFraction float64 `yaml:"recovered_fraction"`
	// SurvivalWindow is how many months after a crisis survival is judged,
	// 1 to 120. Default 12.
	SurvivalWindow int `yaml:"survival_window"`
	// SurvivalFraction is the share of its pre-crisis level cooperation
	// must keep throughout the window to have survived, 0 to 1.
	// Default 0.5.
	SurvivalFraction float64 `yaml:"survival_fraction"`
}
