package agents

import "math"

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
	// Persistence is the mean stake lifetime in months, >= 1 (input).
	Persistence float64
	// Freeze is the freeze sensitivity, 0..1.
	Freeze float64
	// Depth is the autonomy depth, 0..1.
	Depth float64
	// Demand is extra support the west adds on its side (mil-to-mil
	// pressure), 0..1 (input).
	Demand float64

	// Activity is the current activity level, 0..1.
	Activity float64
	// Target is the activity the least willing bloc supports.
	Target float64
	// Resistance is the influence-weighted mean resistance of its
	// participants, 0..1.
	Resistance float64
}

// Support returns the influence-weighted mean stance of the channel's
// participants in each bloc (east, west). A bloc with no participants
// gives 0.
func Support(c *Channel, orgs []Org) (east, west float64) {
	var s, w [2]float64
	for _, i := range c.Participants {
		o := &orgs[i]
		s[o.Bloc] += o.Influence * o.Stance
		w[o.Bloc] += o.Influence
	}
	for b := range s {
		if w[b] > 0 {
			s[b] /= w[b]
		}
	}
	return s[0], s[1]
}

// Step moves the channel one tick toward its target: the capacity times
// the support of the least willing bloc (cooperation needs both), times
// 1-k.AttentionHold*(1-attention), so that cooperation sags when
// executives look away. Activity builds slowly, at k.BuildRate*attention
// of the gap, and falls fast, at k.FallRate of the gap (Slovic's trust
// asymmetry). attention is the lowest executive attention among the
// channel's sides, 0..1.
func Step(c *Channel, orgs []Org, attention float64, k *Params) {
	hold, build, fall := k.AttentionHold, k.BuildRate, k.FallRate
	e, w := Support(c, orgs)
	w = math.Min(1, w+c.Demand)
	c.Target = c.Capacity * math.Min(e, w) * (1 - hold*(1-attention))
	gap := c.Target - c.Activity
	if gap > 0 {
		c.Activity += build * attention * gap
	} else {
		c.Activity += fall * gap
	}
	c.Resistance = resistance(c, orgs)
}

func resistance(c *Channel, orgs []Org) float64 {
	var s, w float64
	for _, i := range c.Participants {
		s += orgs[i].Influence * orgs[i].Resistance
		w += orgs[i].Influence
	}
	if w == 0 {
		return 0
	}
	return s / w
}

// Shock applies a crisis of severity sev: activity loses
// sev*freeze*(1-resistance) of itself. It returns the activity lost.
func Shock(c *Channel, orgs []Org, sev float64) float64 {
	c.Resistance = resistance(c, orgs)
	loss := c.Activity * sev * c.Freeze * (1 - c.Resistance)
	c.Activity -= loss
	return loss
}

// Boost applies a cooperation step of strength s: activity rises by s,
// but not above the channel's capacity.
func Boost(c *Channel, s float64) {
	c.Activity = math.Max(c.Activity, math.Min(c.Capacity, c.Activity+s))
}

// AccrueStake updates one participant's stake stock for a month: it
// depreciates by stake/persistence and gains yield*activity*mult, where
// mult scales the yield (Afghan stability for the TAPI pipeline, 1
// otherwise).
func AccrueStake(stake float64, c *Channel, mult float64) float64 {
	return stake - stake/c.Persistence + c.Yield*c.Activity*mult
}
