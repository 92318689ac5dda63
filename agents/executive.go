package agents

// Executive is one capital's executive: its attention to cooperation, its
// crisis reaction and net lobbying for each channel, and its suspensions.
// Slices are indexed by channel; entries for channels the side does not
// take part in stay 0 (false). An Executive is not safe for concurrent
// use.
type Executive struct {
	// Attention is the executive's attention to cooperation, 0..1.
	Attention float64
	// Reaction is the crisis reaction per channel, 0..1: raised by crises
	// (CrisisReaction), fading at ReactionDecay per tick.
	Reaction []float64
	// Net is the net lobbying per channel, -1..1, recomputed each tick
	// (NetLobbying).
	Net []float64
	// Suspended marks the channels this executive has suspended.
	Suspended []bool
	// Weight is the executive's own influence in the denominator of net
	// lobbying (> 0), and ReactionScale its hawkishness, 0..1 (inputs).
	Weight, ReactionScale float64
}

// Resize makes room for n channels and clears every entry.
func (e *Executive) Resize(n int) {
	if cap(e.Reaction) < n {
		e.Reaction, e.Net, e.Suspended = make([]float64, n), make([]float64, n), make([]bool, n)
	}
	e.Reaction, e.Net, e.Suspended = e.Reaction[:n], e.Net[:n], e.Suspended[:n]
	clear(e.Reaction)
	clear(e.Net)
	clear(e.Suspended)
}

// DecayReactions lets every crisis reaction fade by k.ReactionDecay.
func DecayReactions(e *Executive, k *Params) {
	// The factor in a local: with k read through a pointer the compiler
	// cannot tell the stores from k, and would load and subtract each time.
	kept, r := 1-k.ReactionDecay, e.Reaction
	for c := range r {
		r[c] *= kept
	}
}

// DecayReactionsOf is DecayReactions over the listed channels only: the
// channels the executive's side takes part in, whose reactions alone
// crises raise (an Executive's other entries stay 0, and 0 times the
// factor would leave them so).
func DecayReactionsOf(e *Executive, channels []int, k *Params) {
	kept, r := 1-k.ReactionDecay, e.Reaction
	for _, c := range channels {
		r[c] *= kept
	}
}

// UpdateAttention moves attention a tick toward its floor at rate (the
// share of the gap closed per tick) and pushes it up by
// k.LobbyAttention*lobby*(1-attention), where lobby is the stakeholders'
// push (LobbyPush).
func UpdateAttention(e *Executive, floor, rate, lobby float64, k *Params) {
	a := e.Attention
	e.Attention = clamp(a+rate*(floor-a)+k.LobbyAttention*lobby*(1-a), 0, 1)
}

// LobbyPush is the stakeholders' push on side's executive: the sum over
// the side's organizations of influence times stake index, over the
// side's influence plus the executive's weight. It is 0 with InertStakes.
func LobbyPush(orgs []Org, side int, weight float64, k *Params) float64 {
	if k.InertStakes {
		return 0
	}
	var s, w float64
	for i := range orgs {
		o := &orgs[i]
		if o.Side != side {
			continue
		}
		s += o.Influence * StakeIndex(o.Stake, k.StakeHalf)
		w += o.Influence
	}
	return s / (w + weight)
}

// LobbyPushOf is LobbyPush over a precomputed list: members are the
// indices in orgs of the side's organizations, in increasing order, and
// denom is the side's influence (their influences summed in that order)
// plus the executive's weight. It gives LobbyPush's bits without scanning
// every organization.
func LobbyPushOf(orgs []Org, members []int, denom float64, k *Params) float64 {
	if k.InertStakes {
		return 0
	}
	var s float64
	for _, i := range members {
		o := &orgs[i]
		s += o.Influence * StakeIndex(o.Stake, k.StakeHalf)
	}
	return s / denom
}

// Interest is an organization's interest in a channel, 0..1: the stake
// index of its stake in the channel plus, for Afghan channels,
// k.TAPIAfghanLobby times its energy stake (TAPI revenue needs Afghan
// security). It is 0 with InertStakes.
func Interest(stake, energyStake float64, afghan bool, k *Params) float64 {
	if k.InertStakes {
		return 0
	}
	if afghan {
		stake += k.TAPIAfghanLobby * energyStake
	}
	if stake <= 0 {
		return 0
	}
	return StakeIndex(stake, k.StakeHalf)
}

// The builtin min and max in this package's rules stand for math.Min and
// math.Max: the same results (NaN and signed zeros included), inline.

// Opposition is an organization's opposition to a channel, 0..1: 1 if it
// opposes the channel outright, plus, if it takes part (in), its
// suspicion times the channel's depth.
func Opposition(opposes, in bool, suspicion, depth float64) float64 {
	x := 0.0
	if opposes {
		x = 1
	}
	if in {
		x += suspicion * depth
	}
	return min(1, x)
}

// NetLobbying is the net lobbying on side's executive for one channel,
// -1..1: over the side's organizations, influence times (interest -
// opposition), plus, over allied organizations (same bloc, other side),
// k.AllyOpposition times influence times minus their opposition; all over
// the side's influence plus the executive's weight. interest and
// opposition are indexed like orgs.
func NetLobbying(orgs []Org, side, bloc int, interest, opposition []float64, weight float64, k *Params) float64 {
	var s, w float64
	for i := range orgs {
		o := &orgs[i]
		if o.Side == side {
			s += o.Influence * (interest[i] - opposition[i])
			w += o.Influence
		} else if o.Bloc == bloc {
			s -= k.AllyOpposition * o.Influence * opposition[i]
		}
	}
	return clamp(s/(w+weight), -1, 1)
}

// LobbyTerm is one term of an executive's net lobbying on a channel (see
// NetLobbying): organization Org's, as a member of the side (Ally false)
// or as an allied organization (same bloc, other side).
type LobbyTerm struct {
	Org int
	// Weight is the organization's influence for a member, and
	// AllyOpposition times its influence (that product, as NetLobbying
	// takes it) for an ally.
	Weight float64
	Ally   bool
}

// NetLobbyingTerms is NetLobbying over a precomputed list of terms, in
// increasing order of Org, and denom, the side's influence (its
// organizations' influences summed in their order) plus the executive's
// weight. Given every term of NetLobbying's sum, or every term that is not
// exactly 0 (an ally with no opposition, a member with neither interest
// nor opposition), it gives NetLobbying's bits: adding or subtracting a
// positive zero leaves the sum as it is, since the sum, starting at +0,
// is never -0.
func NetLobbyingTerms(terms []LobbyTerm, interest, opposition []float64, denom float64) float64 {
	// (Resliced to interest's length: once interest[t.Org] is checked,
	// opposition[t.Org] needs no check of its own.)
	opposition = opposition[:len(interest)]
	var s float64
	for _, t := range terms {
		if t.Ally {
			s -= t.Weight * opposition[t.Org]
		} else {
			s += t.Weight * (interest[t.Org] - opposition[t.Org])
		}
	}
	return clamp(s/denom, -1, 1)
}

// Bar is the suspension bar for a channel with net lobbying net under
// attention a: min(SuspendBarMax, SuspendBase + SuspendLobby*net +
// SuspendAttention*a). Stakes raise it, never above the cap, so a large
// enough reaction can always suspend.
func Bar(net, a float64, k *Params) float64 {
	return min(k.SuspendBarMax, k.SuspendBase+k.SuspendLobby*net+k.SuspendAttention*a)
}

// CrisisReaction raises the reaction to channel c by a crisis of severity
// sev hitting it with freeze sensitivity freeze: X += sev*freeze*
// ReactionScale*(1-X).
func CrisisReaction(e *Executive, c int, sev, freeze float64) {
	x := e.Reaction[c]
	e.Reaction[c] = x + sev*freeze*e.ReactionScale*(1-x)
}

// CutAttention takes sev*k.CrisisAttentionCut of the executive's
// attention: crises pull executives away from cooperation.
func CutAttention(e *Executive, sev float64, k *Params) {
	e.Attention *= 1 - sev*k.CrisisAttentionCut
}

// Decide makes the executive's decision on channel c: it suspends the
// channel when its reaction exceeds the bar, and lifts a suspension when
// the reaction has fallen ResumeMargin below it. It returns +1 for a new
// suspension, -1 for a resumption and 0 for no change.
func Decide(e *Executive, c int, k *Params) int {
	bar := Bar(e.Net[c], e.Attention, k)
	x := e.Reaction[c]
	if !e.Suspended[c] {
		if x > bar {
			e.Suspended[c] = true
			return 1
		}
		return 0
	}
	if x < bar-k.ResumeMargin {
		e.Suspended[c] = false
		return -1
	}
	return 0
}
