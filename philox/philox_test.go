package philox

import (
	"math/rand/v2"
	"testing"
)

// TestBlockKnownAnswers checks Block against the three "philox4x32 10"
// rows of Random123's known-answer file: DEShawResearch/random123,
// tests/kat_vectors (blob cafa286d, unchanged since commit d8a0c25e,
// 2021-01-17). Each row is counter[4] key[2] expected[4].
func TestBlockKnownAnswers(t *testing.T) {
	tests := []struct {
		name string
		ctr  Counter
		key  Key
		want [4]uint32
	}{
		{"zeros", Counter{0, 0, 0, 0}, Key{0, 0}, [4]uint32{0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8}},
		{"ones", Counter{0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff}, Key{0xffffffff, 0xffffffff},
			[4]uint32{0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd}},
		{"pi", Counter{0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344}, Key{0xa4093822, 0x299f31d0},
			[4]uint32{0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Block(tt.key, tt.ctr); got != tt.want {
				t.Errorf("Block(%08x, %08x) = %08x, want %08x", tt.key, tt.ctr, got, tt.want)
			}
			a, b := Block64(tt.key, tt.ctr)
			w := tt.want
			if a != uint64(w[0])|uint64(w[1])<<32 || b != uint64(w[2])|uint64(w[3])<<32 {
				t.Errorf("Block64 = %016x %016x, want the words of %08x", a, b, w)
			}
		})
	}
}

// TestAtLayout pins the counter layout the package documents.
func TestAtLayout(t *testing.T) {
	got := At(7, 11, 0x0000000500000003)
	if want := (Counter{3, 11, 7, 5}); got != want {
		t.Errorf("At(7, 11, 5<<32|3) = %v, want %v", got, want)
	}
}

// TestStreamMatchesBlocks checks that a Stream yields exactly the words of
// consecutive blocks, across the carry from word 0 into word 3 of the
// counter, and that Seek and copying behave as documented.
func TestStreamMatchesBlocks(t *testing.T) {
	k := NewKey(1, 2, 3, 4)
	const tick, off = 9, 1234
	start := uint64(1<<32 - 3) // crosses the 32-bit carry
	s := NewStream(k, tick, off)
	s.Seek(start)
	for d := start; d < start+8; d++ {
		a, b := Block64(k, At(tick, off, d))
		if g := s.Uint64(); g != a {
			t.Fatalf("draw %d word 0: stream %016x, block %016x", d, g, a)
		}
		if d == start+3 {
			fork := s // a copy continues from the same place
			if fork.Uint64() != b {
				t.Fatalf("forked stream diverged at draw %d", d)
			}
		}
		if g := s.Uint64(); g != b {
			t.Fatalf("draw %d word 1: stream %016x, block %016x", d, g, b)
		}
	}
	// A Seek drops a half-used block.
	s.Uint64()
	s.Seek(start)
	a, _ := Block64(k, At(tick, off, start))
	if g := s.Uint64(); g != a {
		t.Errorf("after Seek: %016x, want %016x", g, a)
	}
}

var _ rand.Source = (*Stream)(nil)

// TestStreamAsSource checks that a *Stream drives math/rand/v2 without
// allocating, and that two generators on one stream position agree.
func TestStreamAsSource(t *testing.T) {
	s := NewStream(NewKey(5, 0, 0, 1), 0, 0)
	r := rand.New(&s)
	s2 := NewStream(NewKey(5, 0, 0, 1), 0, 0)
	r2 := rand.New(&s2)
	for i := 0; i < 100; i++ {
		if a, b := r.NormFloat64(), r2.NormFloat64(); a != b {
			t.Fatalf("draw %d: %v != %v", i, a, b)
		}
	}
	if n := testing.AllocsPerRun(100, func() { _ = r.Float64() + r.NormFloat64() }); n != 0 {
		t.Errorf("rand.Rand over a Stream: %v allocations per draw, want 0", n)
	}
}

// TestNewKeyDistinct checks that neighbouring (seed, point, replicate,
// purpose) give distinct keys over a grid, that each input matters, and
// that NewKey is a pure function.
func TestNewKeyDistinct(t *testing.T) {
	seen := make(map[Key][4]int)
	for seed := 0; seed < 16; seed++ {
		for point := 0; point < 16; point++ {
			for rep := 0; rep < 64; rep++ {
				for p := 0; p < 4; p++ {
					k := NewKey(uint64(seed), point, rep, uint64(p))
					if prev, ok := seen[k]; ok {
						t.Fatalf("NewKey%v = NewKey%v = %08x", [4]int{seed, point, rep, p}, prev, k)
					}
					seen[k] = [4]int{seed, point, rep, p}
				}
			}
		}
	}
	if NewKey(42, 1, 2, 3) != NewKey(42, 1, 2, 3) {
		t.Error("NewKey is not a pure function")
	}
}

// TestPure checks that draws do not depend on what was drawn before: the
// same (key, counter) asked in a different order gives the same values.
func TestPure(t *testing.T) {
	k := NewKey(3, 1, 4, 2)
	const n = 64
	var fwd [n][2]float64
	for i := 0; i < n; i++ {
		fwd[i][0], fwd[i][1] = NormalPair(k, At(uint32(i%5), uint32(i), uint64(i)))
	}
	for i := n - 1; i >= 0; i-- {
		a, b := NormalPair(k, At(uint32(i%5), uint32(i), uint64(i)))
		if a != fwd[i][0] || b != fwd[i][1] {
			t.Fatalf("draw %d differs when drawn in reverse order", i)
		}
	}
}

// TestZeroAllocs checks that the draw functions do not allocate.
func TestZeroAllocs(t *testing.T) {
	k := NewKey(1, 0, 0, 2)
	var sink float64
	n := testing.AllocsPerRun(1000, func() {
		a, b := Uniforms(k, At(1, 2, 3))
		c, d := NormalPair(k, At(1, 2, 4))
		sink += a + b + c + d + Exp(a) + Uniform(k, Counter{}) + Normal(k, Counter{})
	})
	if n != 0 {
		t.Errorf("%v allocations per call, want 0", n)
	}
	_ = sink
}

// TestBlock64x2 checks that the lockstep pair equals two single blocks, on
// the known-answer inputs and on neighbouring counters.
func TestBlock64x2(t *testing.T) {
	k := NewKey(9, 8, 7, 6)
	cs := []Counter{{}, {0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff}, At(1, 2, 3), At(1, 3, 3), At(2, 2, 1<<40)}
	for _, c := range cs {
		for _, d := range cs {
			a0, a1, b0, b1 := Block64x2(k, c, d)
			w0, w1 := Block64(k, c)
			v0, v1 := Block64(k, d)
			if a0 != w0 || a1 != w1 || b0 != v0 || b1 != v1 {
				t.Errorf("Block64x2(%v, %v) differs from two Block64 calls", c, d)
			}
		}
	}
}
