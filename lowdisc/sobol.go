package lowdisc

import (
	"errors"
	"fmt"
	"math/bits"
	"math/rand/v2"
)

// Randomization says how a Sequence's points are randomized.
type Randomization int

const (
	// Unscrambled is the plain Sobol' sequence, as published: deterministic,
	// starting at the origin. It gives no error estimate by replication.
	Unscrambled Randomization = iota
	// DigitalShift XORs every coordinate with one random 64-bit word per
	// coordinate (a random digital shift in base 2). Each point is uniform
	// on [0,1)^d, the net structure is kept, and it is cheap; the error
	// converges no faster than the unscrambled sequence's.
	DigitalShift
	// Owen is Owen's nested uniform scrambling, to Bits digits, followed by
	// uniform random digits below them (which the scrambling of the deeper
	// levels would give). Each point is uniform on [0,1)^d, the net
	// structure is kept, and for smooth integrands the variance falls as
	// O(N^-3 (log N)^(d-1)) (Owen 1997). The permutation of every node of
	// the digit tree is a hash of the node under a key drawn per
	// coordinate, so no table is stored and point i stays a pure function
	// of i.
	Owen
)

// String returns "unscrambled", "digital-shift" or "owen".
func (r Randomization) String() string {
	switch r {
	case Unscrambled:
		return "unscrambled"
	case DigitalShift:
		return "digital-shift"
	case Owen:
		return "owen"
	}
	return fmt.Sprintf("Randomization(%d)", int(r))
}

// Errors of NewSobol.
var (
	// ErrDim means the dimension is below 1 or above MaxDim.
	ErrDim = errors.New("lowdisc: dimension out of range")
	// ErrRandomization means the Randomization is not one of the constants.
	ErrRandomization = errors.New("lowdisc: unknown randomization")
	// ErrNoRand means a randomized sequence was asked for without a
	// generator to draw its randomization from.
	ErrNoRand = errors.New("lowdisc: randomized sequence needs a *rand.Rand")
)

// Sequence is a Sobol' sequence of fixed dimension and randomization. Its
// methods only read it, so one Sequence may be used by many goroutines at
// once; an Iter is for one goroutine only.
type Sequence struct {
	dim  int
	r    Randomization
	v    [][Bits]uint32 // direction numbers, by coordinate
	keys []uint64       // shift (DigitalShift) or hash key (Owen), by coordinate
}

// NewSobol returns the Sobol' sequence of dimension dim (1 to MaxDim) with
// randomization r. A randomized sequence draws one uint64 per coordinate
// from rng, in coordinate order, and nothing after; rng may be nil when r
// is Unscrambled.
func NewSobol(dim int, r Randomization, rng *rand.Rand) (*Sequence, error) {
	if dim < 1 || dim > MaxDim {
		return nil, fmt.Errorf("%w: %d (allowed 1 to %d)", ErrDim, dim, MaxDim)
	}
	if r < Unscrambled || r > Owen {
		return nil, fmt.Errorf("%w: %d", ErrRandomization, int(r))
	}
	if r != Unscrambled && rng == nil {
		return nil, fmt.Errorf("%w (randomization %v)", ErrNoRand, r)
	}
	s := &Sequence{dim: dim, r: r, v: make([][Bits]uint32, dim)}
	for j := range s.v {
		s.v[j] = directions(j + 1)
	}
	if r != Unscrambled {
		s.keys = make([]uint64, dim)
		for j := range s.keys {
			s.keys[j] = rng.Uint64()
		}
	}
	return s, nil
}

// Dim returns the number of coordinates of a point.
func (s *Sequence) Dim() int { return s.dim }

// Randomization returns the sequence's randomization.
func (s *Sequence) Randomization() Randomization { return s.r }

// digits returns the unrandomized digits of coordinate j of point i: the
// XOR of the direction numbers selected by the bits of i's Gray code.
func (s *Sequence) digits(i uint32, j int) uint32 {
	g := i ^ i>>1
	var x uint32
	v := &s.v[j]
	for g != 0 {
		k := bits.TrailingZeros32(g)
		x ^= v[k]
		g &= g - 1
	}
	return x
}

// Point writes point i (0 to 2^32-1) into dst and returns it; dst is
// allocated when shorter than Dim. Every coordinate is in [0, 1).
func (s *Sequence) Point(i uint32, dst []float64) []float64 {
	if len(dst) < s.dim {
		dst = make([]float64, s.dim)
	}
	dst = dst[:s.dim]
	for j := range dst {
		dst[j] = s.value(j, s.digits(i, j))
	}
	return dst
}

// Points returns the n points from start on, one slice per point. It
// returns an error when the range passes point 2^32-1.
func (s *Sequence) Points(start uint32, n int) ([][]float64, error) {
	if n < 0 || uint64(start)+uint64(n) > 1<<Bits {
		return nil, fmt.Errorf("lowdisc: points %d to %d+%d: a sequence has 2^%d points", start, start, n, Bits)
	}
	out := make([][]float64, n)
	it := s.Iter(start)
	for k := range out {
		out[k], _ = it.Next(nil)
	}
	return out, nil
}

// value randomizes the digits x of coordinate j and maps them to [0, 1).
func (s *Sequence) value(j int, x uint32) float64 {
	switch s.r {
	case DigitalShift:
		return unit(uint64(x)<<32 ^ s.keys[j])
	case Owen:
		return unit(owen(x, s.keys[j]))
	}
	return float64(x) * 0x1p-32
}

// unit maps the top 53 bits of u to [0, 1).
func unit(u uint64) float64 { return float64(u>>11) * 0x1p-53 }

// owen applies nested uniform scrambling to the Bits digits x under key
// and appends 32 uniform digits below them. The digit k (k = 0 the most
// significant) is flipped when the hash of its node in the binary digit
// tree, 1<<k | (the k digits above it), has its top bit set: each node
// has its own independent random permutation of {0, 1}, as the nested
// scrambling requires. The low digits hash the full node 1<<32 | x.
func owen(x uint32, key uint64) uint64 {
	y := x
	for k := 0; k < Bits; k++ {
		node := uint64(1)<<k | uint64(x)>>(Bits-k)
		if mix(key, node)>>63 == 1 {
			y ^= 1 << (Bits - 1 - k)
		}
	}
	low := mix(key, uint64(1)<<Bits|uint64(x)) >> 32
	return uint64(y)<<32 | low
}

// mix hashes node under key with the SplitMix64 finalizer (Steele, Lea
// and Flood 2014), a bijection of its input with full avalanche.
func mix(key, node uint64) uint64 {
	z := key + node*0x9e3779b97f4a7c15
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}

// Iter walks a Sequence in order with Gray-code updates: one XOR per
// coordinate and point instead of one per bit of the index. It gives the
// same values as Point. An Iter is for one goroutine only.
type Iter struct {
	s    *Sequence
	next uint64 // index of the next point; 1<<Bits when exhausted
	x    []uint32
}

// Iter returns an iterator whose first point is point start.
func (s *Sequence) Iter(start uint32) *Iter {
	it := &Iter{s: s, next: uint64(start), x: make([]uint32, s.dim)}
	for j := range it.x {
		it.x[j] = s.digits(start, j)
	}
	return it
}

// Next writes the next point into dst (allocated when shorter than Dim)
// and returns it, with false once all 2^32 points have been given.
func (it *Iter) Next(dst []float64) ([]float64, bool) {
	if it.next >= 1<<Bits {
		return dst, false
	}
	s := it.s
	if len(dst) < s.dim {
		dst = make([]float64, s.dim)
	}
	dst = dst[:s.dim]
	for j, x := range it.x {
		dst[j] = s.value(j, x)
	}
	// Gray code of i+1 differs from that of i in the bit of i+1's lowest
	// set bit.
	it.next++
	if it.next < 1<<Bits {
		k := bits.TrailingZeros64(it.next)
		for j := range it.x {
			it.x[j] ^= s.v[j][k]
		}
	}
	return dst, true
}
