package philox

import (
	"math"
	"testing"
)

// TestWordIsSplitMix64 pins Word to SplitMix64's published sequence: from
// seed 1234567 its first outputs are 6457827717110365317,
// 3203168211198807973 and 9817491932198370423 (the reference values of
// Vigna's splitmix64.c as quoted by the xoshiro test suites).
func TestWordIsSplitMix64(t *testing.T) {
	want := []uint64{6457827717110365317, 3203168211198807973, 9817491932198370423, 4593380528125082431, 16408922859458223821}
	for n, w := range want {
		if g := Word(1234567, uint64(n)); g != w {
			t.Errorf("Word(1234567, %d) = %d, want %d", n, g, w)
		}
	}
}

// TestOfficialNormal checks the addressing: official o's draw d is the
// ziggurat normal of word o + d<<48, a pure function of (key, tick,
// official, draw) that depends on each.
func TestOfficialNormal(t *testing.T) {
	tk := TickKey(NewKey(1, 2, 3, 2), 17)
	seen := map[float64]bool{}
	for _, o := range []uint32{0, 1, 6, 7, 1001} {
		for _, d := range []uint32{0, 3} {
			want := ZigguratNormal(tk, uint64(o)+uint64(d)<<48)
			if g := OfficialNormal(tk, o, d); g != want || math.IsNaN(g) || seen[g] {
				t.Errorf("OfficialNormal(official %d, draw %d) = %v, want %v, not seen before", o, d, g, want)
			}
			seen[want] = true
		}
	}
	if TickKey(NewKey(1, 2, 3, 2), 17) != tk || TickKey(NewKey(1, 2, 3, 2), 18) == tk || TickKey(NewKey(1, 2, 4, 2), 17) == tk {
		t.Error("TickKey is not a pure function of (key, tick) that depends on both")
	}
}

// TestCounterUniforms runs TestUniformStream's checks on consecutive
// words of one tick.
func TestCounterUniforms(t *testing.T) {
	n := draws()
	tk := TickKey(NewKey(1, 0, 0, 2), 5)
	mo := moments{name: "uniform", centre: 0.5, m: uniformMoments()}
	k := newKS()
	lags := newLags(8)
	for i := 0; i < n; i++ {
		u := Uniform53(Word(tk, uint64(i)))
		mo.add(u)
		k.add(u)
		lags.add(u - 0.5)
	}
	mo.check(t)
	if d := k.stat(); d > ksCritical {
		t.Errorf("uniform KS: sqrt(n) D = %.3f > %.3f", d, ksCritical)
	}
	lags.check(t, "uniform", 1.0/12)
}

// TestCounterNormals runs TestNormals' checks on the officials' normals
// of one tick, in official order (pairs of officials 2j, 2j+1).
func TestCounterNormals(t *testing.T) {
	tk := TickKey(NewKey(2, 0, 0, 2), 1)
	checkNormals(t, func(d int) (float64, float64) {
		return OfficialNormal(tk, uint32(2*d), 0), OfficialNormal(tk, uint32(2*d+1), 0)
	})
}

// TestCounterIndependence runs TestIndependence's checks on neighbouring
// officials, pairs, ticks, draws and keys of the kernel's generator.
func TestCounterIndependence(t *testing.T) {
	base := NewKey(3, 1, 2, 2)
	u := func(tk, n uint64) float64 { return Uniform53(Word(tk, n)) }
	tk := TickKey(base, 7)
	checkPairs(t, []struct {
		name string
		pair func(i int) (float64, float64)
	}{
		{"the two words of a pair", func(i int) (float64, float64) { return u(tk, uint64(4*i)), u(tk, uint64(4*i+1)) }},
		{"adjacent pairs", func(i int) (float64, float64) { return u(tk, uint64(4*i)), u(tk, uint64(4*i+2)) }},
		{"adjacent ticks", func(i int) (float64, float64) {
			return u(TickKey(base, uint32(2*i)), 3), u(TickKey(base, uint32(2*i+1)), 3)
		}},
		{"draws 2^32 apart", func(i int) (float64, float64) { return u(tk, uint64(i)), u(tk, uint64(i)+1<<32) }},
		{"adjacent replicates (NewKey)", func(i int) (float64, float64) {
			return u(TickKey(NewKey(3, 0, 2*i, 2), 1), 0), u(TickKey(NewKey(3, 0, 2*i+1, 2), 1), 0)
		}},
		{"adjacent purposes (NewKey)", func(i int) (float64, float64) {
			return u(TickKey(NewKey(3, 0, i, 2), 1), 0), u(TickKey(NewKey(3, 0, i, 4), 1), 0)
		}},
		{"official normals 2j, 2j+1 (as uniforms)", func(i int) (float64, float64) {
			return normalCDF(OfficialNormal(tk, uint32(2*i), 0)), normalCDF(OfficialNormal(tk, uint32(2*i+1), 0))
		}},
	})
}
