package agents

// Crisis kinds, indexing Channel.Freeze.
const (
	Militarized = 0
	Diplomatic  = 1
)

// Channel is the runtime state of an area of joint work.
type Channel struct {
	// Participants are organization indices; Links[i] is the index of the
	// stake held by Participants[i] in the engine's stake table.
	Participants []int
	// Capacity is the effective capacity this month: the channel's own
	// capacity times its lever, 0..1 (input).
	Capacity float64
	// Yield is the stake per month per participant at activity 1 (input).
	Yield float64
	// Persistence is the mean stake lifetime in ticks, >= 1, of eastern
	// (index 0, the buyers of defense sales) and western (index 1, the
	// sellers) participants (input).
	Persistence [2]float64
	// Freeze is the freeze sensitivity to a militarized (index
	// Militarized) and a diplomatic (index Diplomatic) crisis, 0..1.
	Freeze [2]float64
	// Depth is the autonomy depth, 0..1.
	Depth float64
	// Demand is extra support the west adds on its side (mil-to-mil
	// pressure), 0..1 (input).
	Demand float64
	// Exchanges marks channels whose work sends officials on exchanges
	// (mil-to-mil, border and counternarcotics).
	Exchanges bool
	// Suspended is true while some participating side's executive has
	// suspended the channel (input).
	Suspended bool
	// Backing is the support the east (index 0) and west (index 1)
	// executives add to their bloc's support, -1..1 (input).
	Backing [2]float64

	// Activity is the current activity level, 0..1.
	Activity float64
	// Target is the activity the least willing bloc supports.
	Target float64
	// Resistance is the influence-weighted mean of the participants'
	// resistance in this channel, 0..ResistMax (input, see
	// ChannelResistance).
	Resistance float64
}

// Support returns the influence-weighted mean stance of the channel's
// participants in each bloc (east, west). A bloc with no participants
// gives 0.
func Support(c *Channel, orgs []Org) (east, west float64) {
	// Each bloc's sums in participant order, in registers: an array
	// indexed by bloc would carry every addition through memory.
	var se, sw, we, ww float64
	for _, i := range c.Participants {
		o := &orgs[i]
		if o.Bloc == 0 {
			se += o.Influence * o.Stance
			we += o.Influence
		} else {
			sw += o.Influence * o.Stance
			ww += o.Influence
		}
	}
	if we > 0 {
		se /= we
	}
	if ww > 0 {
		sw /= ww
	}
	return se, sw
}

// Step moves the channel one tick toward its target: the capacity times
// the support of the least willing bloc (cooperation needs both; each
// bloc's support plus its executives' backing, the west's also plus its
// demand), times 1-k.AttentionHold*(1-attention), so that cooperation sags
// when executives look away. A suspended channel's target is 0. Activity
// builds slowly, at k.BuildRate*attention of the gap, and falls fast, at
// k.FallRate of the gap (Slovic's trust asymmetry). attention is the
// lowest executive attention among the channel's sides, 0..1.
func Step(c *Channel, orgs []Org, attention float64, k *Params) {
	hold, build, fall := k.AttentionHold, k.BuildRate, k.FallRate
	c.Target = 0
	if !c.Suspended {
		// (Only then: a suspended channel's target is 0 whatever the
		// blocs support, so neither support nor backing is read.)
		e, w := Support(c, orgs)
		e = clamp(e+c.Backing[0], 0, 1)
		w = clamp(w+c.Demand+c.Backing[1], 0, 1)
		c.Target = c.Capacity * min(e, w) * (1 - hold*(1-attention))
	}
	gap := c.Target - c.Activity
	if gap > 0 {
		c.Activity += build * attention * gap
	} else {
		c.Activity += fall * gap
	}
}

// ChannelResistance sets c.Resistance to the influence-weighted mean over
// its participants of Resistance(ResistInput(stake, routine, habit)),
// with each participant's stake and routine in this channel (stakes[i]
// and routines[i] belong to c.Participants[i]) and its organization's
// mean habit: a stake in another channel does not protect this one.
func ChannelResistance(c *Channel, orgs []Org, stakes, routines []float64, k *Params) {
	var s, w float64
	for i, oi := range c.Participants {
		o := &orgs[oi]
		s += o.Influence * Resistance(ResistInput(stakes[i], routines[i], o.HabitMean, k), k)
		w += o.Influence
	}
	c.Resistance = 0
	if w > 0 {
		c.Resistance = s / w
	}
}

// Shock applies a crisis of severity sev and kind (Militarized or
// Diplomatic): activity loses sev*Freeze[kind]*(1-Resistance) of itself.
// It returns the activity lost.
func Shock(c *Channel, sev float64, kind int) float64 {
	loss := c.Activity * sev * c.Freeze[kind] * (1 - c.Resistance)
	c.Activity -= loss
	return loss
}

// Boost applies a cooperation step of strength s: activity rises by s,
// but not above the channel's capacity. A suspended channel is not
// boosted.
func Boost(c *Channel, s float64) {
	if c.Suspended {
		return
	}
	c.Activity = max(c.Activity, min(c.Capacity, c.Activity+s))
}

// AccrueStake updates one participant's stake stock for a tick: it
// depreciates by stake/Persistence[bloc] and, unless the channel is
// suspended, gains Yield*Activity*mult, where mult scales the yield (the
// tick's months times Afghan stability for the TAPI pipeline).
func AccrueStake(stake float64, c *Channel, bloc int, mult float64) float64 {
	stake -= stake / c.Persistence[bloc]
	if !c.Suspended {
		stake += c.Yield * c.Activity * mult
	}
	return stake
}
