package philox

// Stream is a math/rand/v2 Source over consecutive draws of one (key,
// tick, official): its Uint64 values are Block64(k, At(tick, official, d))
// for d = 0, 1, 2, ..., first word then second. The zero Stream is the
// stream of the zero key at tick 0, official 0. A Stream is safe for one
// goroutine only; copying it forks it (the copy continues from the same
// place).
type Stream struct {
	key  Key
	ctr  Counter
	next uint64 // the second word of the last block, if have
	have bool
}

// NewStream returns the stream of key k for official official in tick
// tick, positioned at draw 0.
func NewStream(k Key, tick, official uint32) Stream {
	return Stream{key: k, ctr: At(tick, official, 0)}
}

// Seek positions s at the start of draw (block) d.
func (s *Stream) Seek(d uint64) {
	s.ctr[0], s.ctr[3] = uint32(d), uint32(d>>32)
	s.have = false
}

// Uint64 returns the next 64 random bits.
func (s *Stream) Uint64() uint64 {
	if s.have {
		s.have = false
		return s.next
	}
	a, b := Block64(s.key, s.ctr)
	s.ctr[0]++
	if s.ctr[0] == 0 {
		s.ctr[3]++
	}
	s.next, s.have = b, true
	return a
}
