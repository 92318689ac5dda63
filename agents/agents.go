package agents

import (
	"math"
	"math/rand/v2"
)

// Params are the parameters of the officials' and channels' rules, with
// every rate already converted to one tick (the engine compiles them once
// from the scenario's coefficients; see docs/ODD.md, section 7). Rates are
// shares of a gap closed per tick, 0..1; weights are logit weights, >= 0.
// The zero value switches every rule off and is of no use to a model.
type Params struct {
	// Bias is the constant of the propensity logit.
	Bias float64
	// WDisposition, WHabit, WStake, WAttention, WTension, WAutonomy and
	// WSuspicion are the logit weights of disposition, habit, stake index,
	// attention, tension (subtracted), autonomy threat (subtracted) and
	// suspicion (subtracted).
	WDisposition, WHabit, WStake, WAttention, WTension, WAutonomy, WSuspicion float64
	// NoiseSD is the standard deviation of the logit noise per tick.
	NoiseSD float64
	// HabitGain and HabitDecay are the habit's learning and decay rates per
	// tick.
	HabitGain, HabitDecay float64
	// Socialization is the rate per tick at which dispositions move toward
	// the leadership line within ConfidenceBound (disposition units, 0..2).
	Socialization, ConfidenceBound float64
	// DispositionReversion is the rate per tick at which dispositions
	// drift back toward the recruiting mean.
	DispositionReversion float64
	// StakeHalf is the stake stock at which the stake index is one half
	// (> 0).
	StakeHalf float64
	// ResistMax caps resistance (0..1); ResistStake, ResistRoutine and
	// ResistHabit weigh stake, routine and habit in resistance's input x
	// (see Resistance).
	ResistMax, ResistStake, ResistRoutine, ResistHabit float64
	// InertStakes makes stakes inert: no logit term, no resistance, no
	// lobbying interest, no attention push (a placebo). InertRoutines
	// makes routines inert: no carry-over, no resistance.
	InertStakes, InertRoutines bool
	// RoutineGain and RoutineDecay are the routine's growth rate at full
	// activity and decay rate per tick; ExchangeRoutineBoost is the growth
	// per unit of the share of juniors exchanged in the tick;
	// RoutineCarryover is the share of the organization's routine a recruit
	// starts with as habit, 0..1.
	RoutineGain, RoutineDecay, ExchangeRoutineBoost, RoutineCarryover float64
	// SuspicionGain and SuspicionDecay are the suspicion's growth rate under
	// full pressure and its decay rate per tick.
	SuspicionGain, SuspicionDecay float64
	// Sidelining is the metanorm: the promotion penalty (propensity units)
	// of an exchange participant, times max(0, 1-2*line), 0..1.
	Sidelining float64
	// ExchangeRate is the expected share of juniors sent on an exchange per
	// tick at full activity; ExchangeBoost the share of the gap to full
	// habit an exchange gives.
	ExchangeRate, ExchangeBoost float64
	// BuildRate and FallRate are the shares of the gap to a higher (at full
	// attention) or lower channel target closed per tick; AttentionHold is
	// how much of the target depends on attention, 0..1.
	BuildRate, FallRate, AttentionHold float64
	// CrisisDispositionCut is the disposition a crisis of severity 1 takes
	// from officials with no resistance, 0..2.
	CrisisDispositionCut float64
	// PromotionTournament is the number of candidates drawn for a
	// promotion, >= 1.
	PromotionTournament int
	// TenureTicks is the mean career length in ticks.
	TenureTicks float64

	// Executives (see Executive): ReactionDecay is the share of crisis
	// reaction lost per tick; LobbyAttention the attention gained per tick
	// per unit of stakeholder lobbying; CrisisAttentionCut the share of
	// attention a crisis of severity 1 takes.
	ReactionDecay, LobbyAttention, CrisisAttentionCut float64
	// The suspension bar is min(SuspendBarMax, SuspendBase +
	// SuspendLobby*net + SuspendAttention*attention); a suspension is
	// lifted when the reaction falls ResumeMargin below the bar.
	SuspendBase, SuspendLobby, SuspendAttention, SuspendBarMax, ResumeMargin float64
	// Backing is the support per unit of net lobbying a bloc's executives
	// add to a channel; AllyOpposition the weight of an organization's
	// opposition in allied capitals; TAPIAfghanLobby the share of an
	// organization's energy stake that counts as interest in the Afghan
	// channels.
	Backing, AllyOpposition, TAPIAfghanLobby float64
}

// Staffing is what hiring and promotion need besides the population and
// the organization: the parameters, the current tick and the actors'
// generator (owned by the caller's goroutine).
type Staffing struct {
	Params *Params
	// Now is the current tick.
	Now int
	Rng *rand.Rand
	// TenureLog is TenureLog(Params.TenureTicks), which Recruit's tenure
	// draw divides by, when the caller has computed it once; 0 means not
	// given, and each draw computes it (the same value).
	TenureLog float64
}

// Population holds every official of a world in flat slices (structure of
// arrays), so the monthly update walks memory in order. Officials are
// stored in slots: each organization owns a contiguous range of slots, and
// inside it each rank owns a contiguous sub-range, lowest rank first. A
// promotion moves an official's data to a higher slot. A Population is not
// safe for concurrent use.
type Population struct {
	// Disp is each official's disposition toward cooperation, -1..1.
	Disp []float64
	// Habit is each official's habit of cooperating, 0..1.
	Habit []float64
	// Prop is each official's propensity to cooperate this month, 0..1.
	Prop []float64
	// RetireAt is the tick at which the official retires.
	RetireAt []int32
	// Exchanged marks officials who took part in an exchange (mil-to-mil,
	// border or counternarcotics).
	Exchanged []bool
}

// Resize makes room for n officials, reusing memory where it can.
func (p *Population) Resize(n int) {
	if cap(p.Disp) < n {
		p.Disp = make([]float64, n)
		p.Habit = make([]float64, n)
		p.Prop = make([]float64, n)
		p.RetireAt = make([]int32, n)
		p.Exchanged = make([]bool, n)
		return
	}
	p.Disp, p.Habit, p.Prop = p.Disp[:n], p.Habit[:n], p.Prop[:n]
	p.RetireAt, p.Exchanged = p.RetireAt[:n], p.Exchanged[:n]
}

// move copies the official in slot from into slot to.
func (p *Population) move(to, from int) {
	p.Disp[to], p.Habit[to], p.Prop[to] = p.Disp[from], p.Habit[from], p.Prop[from]
	p.RetireAt[to], p.Exchanged[to] = p.RetireAt[from], p.Exchanged[from]
}

// Org is the runtime state of one organization (a bureaucratic actor).
// Fields marked "input" are set by the engine before UpdateOfficials each
// month; the others are outputs of the rules in this package.
type Org struct {
	// Side is the index of the organization's side; Bloc is 0 (east) or
	// 1 (west).
	Side, Bloc int
	// Influence is the domestic influence weight (> 0).
	Influence float64
	// Sensitivity is the autonomy sensitivity, 0..1.
	Sensitivity float64
	// Military marks eastern or western military organizations.
	Military bool
	// RankLo and RankHi delimit each rank's slots in the Population.
	RankLo, RankHi []int
	// RankWeight is each rank's weight in the stance; WeightSum is the sum
	// of weights over all slots.
	RankWeight []float64
	WeightSum  float64
	// DispMean and DispSD are the recruits' disposition distribution.
	DispMean, DispSD float64
	// NextRetire is the earliest RetireAt among the organization's
	// officials, kept by Turnover so that it skips organizations where
	// nobody retires (most of them, most ticks). 0, the zero value, means
	// unknown: Turnover then scans every slot. Whoever writes RetireAt
	// outside Recruit and Turnover must set it to 0.
	NextRetire int

	// Attention is the side's executive attention, 0..1 (input).
	Attention float64
	// Threat is the autonomy threat the organization feels, 0..1 (input).
	Threat float64
	// Engagement is the mean activity of the channels it takes part in,
	// 0..1 (input).
	Engagement float64
	// Stake is the organization's stake stock, summed over channels, in
	// stake units (input, kept by the engine).
	Stake float64
	// EnergyStake is the part of Stake held in energy channels (input).
	EnergyStake float64
	// Routine is the mean of the organization's routines over its enabled
	// channels, 0..1 (input, kept by the engine): it seeds recruits' habit
	// and adds to resistance.
	Routine float64
	// Suspicion is the organization's suspicion of Western intent, 0..1;
	// only eastern military organizations move it (UpdateSuspicion).
	Suspicion float64

	// Stance is the rank-weighted mean propensity of its officials, 0..1.
	Stance float64
	// HabitMean is the rank-weighted mean habit, 0..1.
	HabitMean float64
	// Line is the leadership line: the mean propensity of the top rank.
	Line float64
	// Resistance is how much of a crisis cut the organization resists,
	// 0..ResistMax, from its stake, routine and habit.
	Resistance float64
	// Base is the part of the propensity logit shared by all its officials
	// (bias, stake, attention, tension, threat, suspicion), as of the last
	// update.
	Base float64

	// rankSums holds, for each of the first maxRankSums ranks, the sums
	// of propensity and habit over the rank's slots, in slot order, as of
	// the organization's last aggregation (Aggregate, or
	// UpdateOfficialsReference's): Reaggregate takes the ranks that have
	// not changed since from here.
	rankSums [maxRankSums][2]float64
}

// maxRankSums is how many ranks' sums Org keeps for Reaggregate: the
// default ladder's four (more would lengthen every Org, which the tick's
// passes over organizations stride through); with a longer ladder
// Reaggregate sums every rank again.
const maxRankSums = 4

// SetBase computes the shared part of the propensity logit from the
// organization's inputs and the crisis tension.
func SetBase(o *Org, tension float64, k *Params) {
	stake := 0.0
	if !k.InertStakes {
		stake = k.WStake * StakeIndex(o.Stake, k.StakeHalf)
	}
	o.Base = k.Bias + stake + k.WAttention*o.Attention -
		k.WTension*tension - k.WAutonomy*o.Threat - k.WSuspicion*o.Suspicion
}

// Evaluate sets every official's propensity from the current logit
// without noise and without changing habit or disposition, then
// aggregates: the initial state at tick 0.
func Evaluate(p *Population, o *Org, tension float64, k *Params) {
	SetBase(o, tension, k)
	lo, hi := o.Slots()
	for i := lo; i < hi; i++ {
		p.Prop[i] = Logistic(o.Base + k.WDisposition*p.Disp[i] + k.WHabit*p.Habit[i])
	}
	Aggregate(p, o, k)
}

// Slots returns the first slot and one past the last slot of the org.
func (o *Org) Slots() (lo, hi int) { return o.RankLo[0], o.RankHi[len(o.RankHi)-1] }

// StakeIndex maps a stake stock to 0..1: stake/(stake+half).
func StakeIndex(stake, half float64) float64 { return stake / (stake + half) }

// Resistance is k.ResistMax*x/(1+x): zero at x = 0, half of ResistMax
// at x = 1, rising toward ResistMax but never reaching it, so that a
// crisis always bites (it does not saturate near 1 as Model 1's
// 1-exp(-x) did). x is ResistInput's weighted sum of stake, routine and
// habit (Pierson's increasing returns; Goldstein and Freeman's routines).
func Resistance(x float64, k *Params) float64 {
	if x <= 0 {
		return 0
	}
	return k.ResistMax * x / (1 + x)
}

// ResistInput is resistance's input x = ResistStake*stake +
// ResistRoutine*routine + ResistHabit*habit, leaving out the stake term
// with InertStakes and the routine term with InertRoutines.
func ResistInput(stake, routine, habit float64, k *Params) float64 {
	x := k.ResistHabit * habit
	if !k.InertStakes {
		x += k.ResistStake * stake
	}
	if !k.InertRoutines {
		x += k.ResistRoutine * routine
	}
	return x
}

// Logistic is 1/(1+exp(-z)).
func Logistic(z float64) float64 { return 1 / (1 + math.Exp(-z)) }

// finish sets the organization's aggregates from the rank-weighted sums of
// propensity and habit and the top rank's mean propensity.
func finish(o *Org, psum, hsum, top float64, k *Params) {
	o.Stance = psum / o.WeightSum
	o.HabitMean = hsum / o.WeightSum
	o.Line = top
	o.Resistance = Resistance(ResistInput(o.Stake, o.Routine, o.HabitMean, k), k)
}

// Aggregate recomputes Stance, HabitMean, Line and Resistance from the
// officials without changing them (used at tick 0, after each update and
// after turnover).
func Aggregate(p *Population, o *Org, k *Params) { aggregate(p, o, k, len(o.RankLo)-1) }

// Reaggregate is Aggregate, with the same bits, for an organization
// whose officials of ranks above top have not changed since its last
// aggregation (Aggregate, Reaggregate or UpdateOfficialsReference): it
// sums ranks 0..top again and takes the sums of the ranks above from that
// aggregation. Turnover's cascades change only ranks up to the highest
// rank where someone retired (TurnoverRanks).
func Reaggregate(p *Population, o *Org, k *Params, top int) {
	if len(o.RankLo) > maxRankSums {
		top = len(o.RankLo) - 1
	}
	aggregate(p, o, k, top)
}

// aggregate is Reaggregate without the check of the ranks kept.
func aggregate(p *Population, o *Org, k *Params, top int) {
	var psum, hsum, line float64
	last := len(o.RankLo) - 1
	for r, w := range o.RankWeight {
		lo, hi := o.RankLo[r], o.RankHi[r]
		var rp, rh float64
		if r <= top {
			// Sums in slot order, over subslices of equal length so that
			// the loop needs no bounds checks.
			prop := p.Prop[lo:hi]
			habit := p.Habit[lo:hi][:len(prop)]
			for i, x := range prop {
				rp += x
				rh += habit[i]
			}
			if r < maxRankSums {
				o.rankSums[r] = [2]float64{rp, rh}
			}
		} else {
			rp, rh = o.rankSums[r][0], o.rankSums[r][1]
		}
		psum += w * rp
		hsum += w * rh
		if r == last && hi > lo {
			line = rp / float64(hi-lo)
		}
	}
	finish(o, psum, hsum, line, k)
}

// Recruit fills slot i with a new official: disposition drawn from the
// organization's distribution (clamped to -1..1), a habit of
// RoutineCarryover times the organization's routine (none with
// InertRoutines: routines survive turnover, the people do not), not
// exchanged,
// a propensity from the organization's current shared logit (o.Base),
// and a retirement tick drawn from a geometric tenure with mean
// s.Params.TenureTicks, counted from tick s.Now.
func Recruit(p *Population, o *Org, i int, s Staffing) {
	d := o.DispMean + o.DispSD*s.Rng.NormFloat64()
	p.Disp[i] = clamp(d, -1, 1)
	h := 0.0
	if !s.Params.InertRoutines {
		h = clamp(s.Params.RoutineCarryover*o.Routine, 0, 1)
	}
	p.Habit[i] = h
	p.Exchanged[i] = false
	p.Prop[i] = Logistic(o.Base + s.Params.WDisposition*p.Disp[i] + s.Params.WHabit*h)
	p.RetireAt[i] = int32(s.Now + 1 + tenure(s.Params.TenureTicks, s.TenureLog, s.Rng))
}

// Tenure draws a geometric number of ticks on {0, 1, ...} with success
// probability 1/mean, so its mean is mean-1; Recruit adds the tick of
// hiring, making a career last mean ticks on average.
func Tenure(mean float64, rng *rand.Rand) int { return tenure(mean, 0, rng) }

// Tenure is Tenure(s.Params.TenureTicks, s.Rng), dividing by s.TenureLog
// when it is given.
func (s Staffing) Tenure() int { return tenure(s.Params.TenureTicks, s.TenureLog, s.Rng) }

// TenureLog is log(1-1/mean), the log of the probability that a career of
// mean length mean goes on another tick, by which Tenure divides; 0 for
// mean <= 1, where Tenure draws nothing.
func TenureLog(mean float64) float64 {
	if mean <= 1 {
		return 0
	}
	return math.Log1p(-1 / mean)
}

// tenure is Tenure with TenureLog(mean) given as logq (0: not given,
// computed here).
func tenure(mean, logq float64, rng *rand.Rand) int {
	if mean <= 1 {
		return 0
	}
	if logq == 0 {
		logq = TenureLog(mean)
	}
	// Inverse CDF of the geometric distribution on {0, 1, ...} with
	// success probability 1/mean.
	u := 1 - rng.Float64() // (0, 1]
	n := math.Floor(math.Log(u) / logq)
	if n > 1e6 {
		n = 1e6
	}
	return int(n)
}

// Turnover retires every official of o whose retirement tick has come
// (s.Now or earlier), and fills each vacancy by promotion: a tournament of
// size s.Params.PromotionTournament among the rank below picks the
// candidate with the lowest PromotionScore (ties to the first drawn), the
// winner moves up, and the vacancy cascades down to the lowest rank, where
// a recruit is hired. It returns the number of retirements. Officials out
// of line with the leadership rise more slowly (passive alignment), and a
// leadership against cooperation also penalizes exchange participants
// (active sidelining, a metanorm). It keeps o.NextRetire, and returns 0
// at once, drawing nothing, while that is after s.Now.
func Turnover(p *Population, o *Org, s Staffing) int {
	n, _ := TurnoverRanks(p, o, s)
	return n
}

// TurnoverRanks is Turnover, returning also the highest rank where an
// official retired (0 when nobody did): the cascades that fill the
// vacancies change officials of that rank and below only (see
// Reaggregate).
func TurnoverRanks(p *Population, o *Org, s Staffing) (n, top int) {
	if o.NextRetire > s.Now {
		return 0, 0
	}
	// next becomes the new NextRetire: the smallest RetireAt seen at each
	// slot once it is visited, and each recruit's. That covers every
	// official: one who survives is seen at its slot (promotions only
	// take officials from lower, already visited slots) and every other
	// is a recruit.
	next := int32(math.MaxInt32)
	lo, hi := o.Slots()
	// retire is p.RetireAt up to hi, held in a local so the loop needs no
	// bounds checks (fillVacancy writes through the same array).
	retire := p.RetireAt[:hi]
	now := int32(max(math.MinInt32, min(s.Now, math.MaxInt32))) // s.Now as RetireAt holds it
	for i := lo; ; i++ {
		// The inner loops, with no call in them, keep their variables in
		// registers while they pass over the officials who stay: first
		// eight at a time, while none of the eight is due (their minimum,
		// a tree of independent mins, is after now), then one by one up
		// to the next who is due (in the eight that stopped the first
		// loop) or to the end. Slots from i on are as they were before
		// this call (fillVacancy writes only at i and below), so the
		// minimum taken here is the minimum of what stays there.
		for i+8 <= len(retire) {
			b := retire[i : i+8 : i+8]
			m := min(min(min(b[0], b[1]), min(b[2], b[3])), min(min(b[4], b[5]), min(b[6], b[7])))
			if m <= now {
				break
			}
			next = min(next, m)
			i += 8
		}
		for i < len(retire) && retire[i] > now {
			next = min(next, retire[i])
			i++
		}
		if i == len(retire) {
			break
		}
		n++
		hired, r := fillVacancy(p, o, i, s)
		top = max(top, r)
		next = min(next, retire[hired], retire[i])
	}
	o.NextRetire = int(next)
	return n, top
}

// fillVacancy fills slot i by promotion from the rank below, recursively,
// and returns the slot where the cascade hired a recruit and the rank of
// slot i.
func fillVacancy(p *Population, o *Org, i int, s Staffing) (hired, rank int) {
	rank = o.rankOf(i)
	// i moves down a rank at each step (the winner comes from the rank
	// below).
	for r := rank; ; r-- {
		if r == 0 {
			Recruit(p, o, i, s)
			return i, rank
		}
		clo, chi := o.RankLo[r-1], o.RankHi[r-1]
		if chi <= clo {
			Recruit(p, o, i, s)
			return i, rank
		}
		best, bestDist := -1, math.Inf(1)
		for t := 0; t < s.Params.PromotionTournament; t++ {
			j := clo + s.Rng.IntN(chi-clo)
			d := PromotionScore(p.Prop[j], o.Line, p.Exchanged[j], s.Params.Sidelining)
			if d < bestDist {
				best, bestDist = j, d
			}
		}
		// The candidate comes from a lower slot, which Turnover has
		// already visited, so their retirement tick is in the future.
		p.move(i, best)
		i = best
	}
}

// PromotionScore is a candidate's score in a promotion tournament, lowest
// wins: the distance of its propensity prop from the leadership line, plus
// for exchange participants sidelining*max(0, 1-2*line), the metanorm of
// a leadership against cooperation (Axelrod 1986). With sidelining 0 only
// passive alignment remains.
func PromotionScore(prop, line float64, exchanged bool, sidelining float64) float64 {
	d := math.Abs(prop - line)
	if exchanged {
		d += sidelining * max(0, 1-2*line)
	}
	return d
}

func (o *Org) rankOf(i int) int {
	for r := range o.RankLo {
		if i >= o.RankLo[r] && i < o.RankHi[r] {
			return r
		}
	}
	return 0
}

// Exchange sends junior officials of o on exchanges (mil-to-mil, border or
// counternarcotics work): the expected
// number this tick is k.ExchangeRate*activity*juniors (the fraction is
// drawn), each picked at random among the lowest rank, marked Exchanged and
// gaining k.ExchangeBoost of the gap to full habit (joint work becomes a
// habit that fades only slowly). It returns how many went.
func Exchange(p *Population, o *Org, activity float64, k *Params, rng *rand.Rand) int {
	rate, boost := k.ExchangeRate, k.ExchangeBoost
	lo, hi := o.RankLo[0], o.RankHi[0]
	if hi <= lo {
		return 0
	}
	e := rate * activity * float64(hi-lo)
	n := int(e)
	if rng.Float64() < e-float64(n) {
		n++
	}
	for j := 0; j < n; j++ {
		i := lo + rng.IntN(hi-lo)
		p.Exchanged[i] = true
		p.Habit[i] += boost * (1 - p.Habit[i])
	}
	return n
}

// CutDispositions applies a crisis of severity sev to o's officials: each
// loses sev*k.CrisisDispositionCut*(1-resistance) of disposition (floored
// at -1). Stakeholders lobby to keep work going, so resistance shrinks the
// cut.
func CutDispositions(p *Population, o *Org, sev float64, k *Params) {
	loss := sev * k.CrisisDispositionCut * (1 - o.Resistance)
	lo, hi := o.Slots()
	cutRange(p.Disp[lo:hi], loss)
}

// cutScalar sets each d of disp to max(-1, d-loss), NaN and signed zeros
// included, in a compare the compiler makes cheaper than max's; four at a
// time, so the loop takes one branch back per four officials. The vector
// builds (cut_simd.go) do the same in vectors of 8 or 4, with the same
// bits.
func cutScalar(disp []float64, loss float64) {
	i := 0
	for ; i+4 <= len(disp); i += 4 {
		d := disp[i : i+4 : i+4]
		a, b, c, e := d[0]-loss, d[1]-loss, d[2]-loss, d[3]-loss
		if a < -1 {
			a = -1
		}
		if b < -1 {
			b = -1
		}
		if c < -1 {
			c = -1
		}
		if e < -1 {
			e = -1
		}
		d[0], d[1], d[2], d[3] = a, b, c, e
	}
	for ; i < len(disp); i++ {
		if d := disp[i] - loss; d < -1 {
			disp[i] = -1
		} else {
			disp[i] = d
		}
	}
}

func clamp(x, lo, hi float64) float64 {
	if x < lo {
		return lo
	}
	if x > hi {
		return hi
	}
	return x
}

// UpdateRoutine returns an organization's routine in one channel after a
// tick: r + gain*activity*(1-r) + boost*exchanged*(1-r) - decay*r, where
// exchanged is the share of its juniors sent on an exchange in the channel
// in the tick (habitualization and sedimentation, Tolbert and Zucker 1996).
// The result stays in 0..1 for rates in 0..1.
func UpdateRoutine(r, activity, exchanged float64, k *Params) float64 {
	grow := k.RoutineGain*activity + k.ExchangeRoutineBoost*exchanged
	return clamp(r+grow*(1-r)-k.RoutineDecay*r, 0, 1)
}

// UpdateSuspicion returns an eastern military organization's suspicion
// after a tick: m + gain*pressure*(1-m) - decay*m, where pressure is the
// West's mil-to-mil pressure times the channels' depth (capped at 1).
// Pressure today hardens tomorrow; suspicion fades over years.
func UpdateSuspicion(m, pressure float64, k *Params) float64 {
	return clamp(m+k.SuspicionGain*pressure*(1-m)-k.SuspicionDecay*m, 0, 1)
}
