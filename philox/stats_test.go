package philox

import (
	"math"
	"os"
	"testing"
)

// The statistical tests run at reduced size by default (2^23 uniforms and
// 2^23 normals, about a second) and at 2^28 of each with ENTRENCH_FULL set
// (make test-full).
//
// Tolerances. Every check is a test of a statistic whose distribution under
// a correct generator is known, rejected at two-sided probability below
// 2e-9 (|z| > 6 for the normal approximations, p < 1e-9 per side for the
// exact Poisson and the KS bounds). There are fewer than 100 checks, so by
// the union bound a correct generator fails the suite with probability
// below 2e-7. At the reduced size a z bound of 6 still detects a moment
// off by 6 standard errors: a mean off by 6e-4 of a uniform's spread, a
// lag correlation of 2e-3.

func full() bool { return os.Getenv("ENTRENCH_FULL") != "" }

// draws is the number of uniforms and of normals each test examines.
func draws() int {
	if full() {
		return 1 << 28
	}
	return 1 << 23
}

const (
	zMax     = 6    // two-sided P(|Z| > 6) = 1.97e-9
	tailProb = 1e-9 // per-side rejection probability of the exact tests
)

// moments accumulates sums of (x - centre)^j, j = 1..4, for a
// distribution whose raw central moments m[j] (j = 0..8) are known.
type moments struct {
	name   string
	centre float64
	m      [9]float64 // known E[(x-centre)^j]
	s      [5]float64
	n      float64
}

func (a *moments) add(x float64) {
	y := x - a.centre
	y2 := y * y
	a.s[1] += y
	a.s[2] += y2
	a.s[3] += y2 * y
	a.s[4] += y2 * y2
	a.n++
}

// check tests each sample moment against its expectation: the mean of n
// iid values of (x-c)^j has variance (m[2j] - m[j]^2)/n.
func (a *moments) check(t *testing.T) {
	t.Helper()
	names := [5]string{"", "mean", "variance", "skewness (third moment)", "kurtosis (fourth moment)"}
	for j := 1; j <= 4; j++ {
		got := a.s[j] / a.n
		se := math.Sqrt((a.m[2*j] - a.m[j]*a.m[j]) / a.n)
		z := (got - a.m[j]) / se
		t.Logf("%s %s: %.6g (want %.6g, z = %+.2f)", a.name, names[j], got, a.m[j], z)
		if math.Abs(z) > zMax {
			t.Errorf("%s %s = %.8g, want %.8g +- %.3g (z = %.2f)", a.name, names[j], got, a.m[j], zMax*se, z)
		}
	}
}

// uniformMoments returns E[(u-1/2)^j] for u uniform on [0,1): (1/2)^j/(j+1)
// for even j, 0 for odd.
func uniformMoments() (m [9]float64) {
	for j := 0; j <= 8; j += 2 {
		m[j] = math.Pow(0.5, float64(j)) / float64(j+1)
	}
	return m
}

// normalMoments returns E[z^j] for a standard normal: (j-1)!! for even j.
func normalMoments() (m [9]float64) {
	m[0] = 1
	for j := 2; j <= 8; j += 2 {
		m[j] = m[j-2] * float64(j-1)
	}
	return m
}

// ksBins is the resolution of the binned Kolmogorov-Smirnov test.
const ksBins = 1 << 20

// ks accumulates a binned empirical CDF of values mapped to [0,1) by the
// hypothesised CDF. The statistic is taken at the 2^20 bin edges only, so
// it is at most the exact KS statistic D and the test keeps its level (it
// can only reject less often); it loses power only for deviations narrower
// than a bin, 1e-6, far below the critical D >= 2e-4 at 2^28 draws. It
// needs 4 MB whatever the number of draws, where the exact test would sort
// 2 GB at full size.
type ks struct {
	count []uint32
	n     int
}

func newKS() *ks { return &ks{count: make([]uint32, ksBins)} }

func (k *ks) add(u float64) {
	i := int(u * ksBins)
	if i >= ksBins { // u rounded up to 1
		i = ksBins - 1
	}
	k.count[i]++
	k.n++
}

// stat returns sqrt(n) times the largest distance between the empirical and
// the uniform CDF at the bin edges.
func (k *ks) stat() float64 {
	d, cum := 0.0, 0
	for i, c := range k.count {
		lo := float64(cum)/float64(k.n) - float64(i)/ksBins
		cum += int(c)
		hi := float64(cum)/float64(k.n) - float64(i+1)/ksBins
		d = max(d, math.Abs(lo), math.Abs(hi))
	}
	return math.Sqrt(float64(k.n)) * d
}

// ksCritical is x with P(sqrt(n) D > x) = tailProb for the asymptotic
// Kolmogorov distribution, whose tail is 2 exp(-2x^2) to within 1e-15 at
// this level: x = sqrt(ln(2/p)/2) = 3.27.
var ksCritical = math.Sqrt(math.Log(2/tailProb) / 2)

// normalCDF is the standard normal CDF.
func normalCDF(z float64) float64 { return 0.5 * math.Erfc(-z/math.Sqrt2) }

// TestUniformStream tests the uniforms of consecutive draws of one stream:
// moments, KS against U[0,1), and lag-1..8 autocorrelations.
func TestUniformStream(t *testing.T) {
	n := draws()
	s := NewStream(NewKey(1, 0, 0, 2), 0, 0)
	mo := moments{name: "uniform", centre: 0.5, m: uniformMoments()}
	k := newKS()
	lags := newLags(8)
	for i := 0; i < n; i++ {
		u := Uniform53(s.Uint64())
		mo.add(u)
		k.add(u)
		lags.add(u - 0.5)
	}
	mo.check(t)
	if d := k.stat(); d > ksCritical {
		t.Errorf("uniform KS: sqrt(n) D = %.3f > %.3f", d, ksCritical)
	} else {
		t.Logf("uniform KS: sqrt(n) D = %.3f (critical %.3f)", d, ksCritical)
	}
	lags.check(t, "uniform", 1.0/12)
}

// lags accumulates sum y_i y_{i+k} for k = 1..K over a centred sequence.
type lags struct {
	ring []float64
	sum  []float64
	n    int
}

func newLags(k int) *lags { return &lags{ring: make([]float64, k), sum: make([]float64, k+1)} }

func (l *lags) add(y float64) {
	K := len(l.ring)
	for k := 1; k <= K && k <= l.n; k++ {
		l.sum[k] += y * l.ring[(l.n-k)%K]
	}
	l.ring[l.n%K] = y
	l.n++
}

// check tests each lag correlation r_k = mean(y_i y_{i+k})/variance. For
// iid values the products are uncorrelated with variance variance^2, so
// sqrt(n-k) r_k is asymptotically standard normal.
func (l *lags) check(t *testing.T, name string, variance float64) {
	t.Helper()
	for k := 1; k < len(l.sum); k++ {
		m := float64(l.n - k)
		r := l.sum[k] / m / variance
		if z := r * math.Sqrt(m); math.Abs(z) > zMax {
			t.Errorf("%s lag-%d correlation %.3g (z = %.2f)", name, k, r, z)
		} else {
			t.Logf("%s lag-%d correlation %.3g (z = %+.2f)", name, k, r, z)
		}
	}
}

// TestNormals tests the normals of consecutive draws: moments (mean 0,
// variance 1, skewness 0, kurtosis 3), KS against the normal CDF, lag
// correlations, the independence of the two normals of a pair (and of
// their squares), and the counts beyond 4, 5 and 6 sigma on each side
// against their Poisson expectations. The KS test is also run on the same
// normals scaled by 1.02, and must reject them: the test has the power it
// claims.
func TestNormals(t *testing.T) {
	key := NewKey(2, 0, 0, 2)
	checkNormals(t, func(d int) (float64, float64) { return NormalPair(key, At(0, 0, uint64(d))) })
}

// checkNormals runs TestNormals' checks on draws() normals from pair(d),
// d = 0, 1, ...
func checkNormals(t *testing.T, pair func(d int) (float64, float64)) {
	n := draws()
	mo := moments{name: "normal", centre: 0, m: normalMoments()}
	k, kWide := newKS(), newKS()
	lags := newLags(8)
	var pairProd, sqProd float64
	thresholds := []float64{4, 5, 6}
	above := make([]int, len(thresholds))
	below := make([]int, len(thresholds))
	for d := 0; d < n/2; d++ {
		z0, z1 := pair(d)
		pairProd += z0 * z1
		sqProd += (z0*z0 - 1) * (z1*z1 - 1)
		for _, z := range [2]float64{z0, z1} {
			mo.add(z)
			k.add(normalCDF(z))
			kWide.add(normalCDF(1.02 * z))
			lags.add(z)
			for i, a := range thresholds {
				if z > a {
					above[i]++
				} else if z < -a {
					below[i]++
				}
			}
		}
	}
	mo.check(t)
	if d := k.stat(); d > ksCritical {
		t.Errorf("normal KS: sqrt(n) D = %.3f > %.3f", d, ksCritical)
	} else {
		t.Logf("normal KS: sqrt(n) D = %.3f (critical %.3f)", d, ksCritical)
	}
	if d := kWide.stat(); d <= ksCritical {
		t.Errorf("normal KS does not reject N(0, 1.02^2): sqrt(n) D = %.3f <= %.3f", d, ksCritical)
	}
	lags.check(t, "normal", 1)

	// Within a pair: E[z0 z1] = 0 with variance 1, E[(z0^2-1)(z1^2-1)] = 0
	// with variance 2*2 = 4.
	pairs := float64(n / 2)
	for _, c := range []struct {
		name          string
		sum, variance float64
	}{{"z0*z1", pairProd, 1}, {"(z0^2-1)(z1^2-1)", sqProd, 4}} {
		z := c.sum / pairs / math.Sqrt(c.variance/pairs)
		t.Logf("pair %s: z = %+.2f", c.name, z)
		if math.Abs(z) > zMax {
			t.Errorf("pair %s mean %.3g (z = %.2f): the two normals of a pair are dependent", c.name, c.sum/pairs, z)
		}
	}

	for i, a := range thresholds {
		lambda := float64(n) * 0.5 * math.Erfc(a/math.Sqrt2)
		for _, c := range []struct {
			side string
			obs  int
		}{{">", above[i]}, {"<-", below[i]}} {
			lo, hi := poissonTails(c.obs, lambda)
			t.Logf("z %s%g: %d (expected %.1f; P(X<=obs) = %.3g, P(X>=obs) = %.3g)", c.side, a, c.obs, lambda, lo, hi)
			if lo < tailProb || hi < tailProb {
				t.Errorf("z %s%g: %d draws, expected %.1f (Poisson tails %.3g, %.3g)", c.side, a, c.obs, lambda, lo, hi)
			}
		}
	}
}

// poissonTails returns P(X <= obs) and P(X >= obs) for X Poisson(lambda).
// The tail counts are binomial(n, p) with p < 1e-4, which the Poisson
// approximates to relative error about p.
func poissonTails(obs int, lambda float64) (lo, hi float64) {
	pmf := func(j int) float64 {
		lg, _ := math.Lgamma(float64(j + 1))
		return math.Exp(float64(j)*math.Log(lambda) - lambda - lg)
	}
	for j := 0; j <= obs; j++ {
		lo += pmf(j)
	}
	hi = 1 - lo + pmf(obs)
	return min(lo, 1), max(hi, 0)
}

// TestIndependence tests pairs of draws that differ by one step in one
// coordinate: the correlation of their uniforms (sqrt(n) r is standard
// normal) and a 16x16 chi-square on the pairs (255 degrees of freedom,
// turned into a z value by the Wilson-Hilferty cube root), which also sees
// non-linear dependence. The pairs are disjoint, so the cells are
// multinomial.
func TestIndependence(t *testing.T) {
	base := NewKey(3, 1, 2, 2)
	word0 := func(k Key, c Counter) float64 { a, _ := Block64(k, c); return Uniform53(a) }
	cases := []struct {
		name string
		pair func(i int) (float64, float64)
	}{
		{"adjacent officials", func(i int) (float64, float64) {
			return word0(base, At(7, uint32(2*i), 5)), word0(base, At(7, uint32(2*i+1), 5))
		}},
		{"adjacent ticks", func(i int) (float64, float64) {
			return word0(base, At(uint32(2*i), 3, 1)), word0(base, At(uint32(2*i+1), 3, 1))
		}},
		{"adjacent draws", func(i int) (float64, float64) {
			return word0(base, At(2, 9, uint64(2*i))), word0(base, At(2, 9, uint64(2*i+1)))
		}},
		{"draws 2^32 apart", func(i int) (float64, float64) {
			return word0(base, At(2, uint32(i), 0)), word0(base, At(2, uint32(i), 1<<32))
		}},
		{"two words of a block", func(i int) (float64, float64) {
			a, b := Block64(base, At(4, 4, uint64(i)))
			return Uniform53(a), Uniform53(b)
		}},
		{"adjacent raw keys", func(i int) (float64, float64) {
			return word0(Key{uint32(2 * i), 0}, Counter{}), word0(Key{uint32(2*i + 1), 0}, Counter{})
		}},
		{"adjacent replicates (NewKey)", func(i int) (float64, float64) {
			return word0(NewKey(3, 0, 2*i, 2), At(0, 0, 0)), word0(NewKey(3, 0, 2*i+1, 2), At(0, 0, 0))
		}},
		{"adjacent purposes (NewKey)", func(i int) (float64, float64) {
			return word0(NewKey(3, 0, i, 2), At(0, 0, 0)), word0(NewKey(3, 0, i, 3), At(0, 0, 0))
		}},
	}
	checkPairs(t, cases)
}

// checkPairs runs TestIndependence's checks on each case's draws()/4
// pairs of uniforms.
func checkPairs(t *testing.T, cases []struct {
	name string
	pair func(i int) (float64, float64)
}) {
	n := draws() / 4
	const cells = 16
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var grid [cells][cells]int
			var prod float64
			for i := 0; i < n; i++ {
				a, b := c.pair(i)
				prod += (a - 0.5) * (b - 0.5)
				grid[int(a*cells)][int(b*cells)]++
			}
			r := prod / float64(n) * 12
			if z := r * math.Sqrt(float64(n)); math.Abs(z) > zMax {
				t.Errorf("correlation %.3g (z = %.2f)", r, z)
			}
			want := float64(n) / (cells * cells)
			chi2 := 0.0
			for i := range grid {
				for j := range grid[i] {
					d := float64(grid[i][j]) - want
					chi2 += d * d / want
				}
			}
			z := wilsonHilferty(chi2, cells*cells-1)
			t.Logf("correlation %.3g, chi-square %.1f on %d df (z = %+.2f)", r, chi2, cells*cells-1, z)
			if math.Abs(z) > zMax {
				t.Errorf("chi-square %.1f on %d df (z = %.2f)", chi2, cells*cells-1, z)
			}
		})
	}
}

// wilsonHilferty maps a chi-square value with df degrees of freedom to an
// approximately standard normal z: (x/df)^(1/3) is nearly normal with mean
// 1 - 2/(9 df) and variance 2/(9 df).
func wilsonHilferty(x float64, df int) float64 {
	v := 2 / (9 * float64(df))
	return (math.Cbrt(x/float64(df)) - (1 - v)) / math.Sqrt(v)
}

// TestStatsNotVacuous feeds the checks a sequence with a known defect (each
// uniform repeated, lag-1 correlation 1/2, and rounded down to a 2^-4 grid,
// KS distance 1/16) and requires that they notice.
func TestStatsNotVacuous(t *testing.T) {
	const n = 1 << 16
	s := NewStream(NewKey(4, 0, 0, 2), 0, 0)
	k := newKS()
	l := newLags(1)
	for i := 0; i < n/2; i++ {
		u := math.Floor(Uniform53(s.Uint64())*16) / 16
		for range 2 {
			k.add(u)
			l.add(u - 0.5)
		}
	}
	if d := k.stat(); d <= ksCritical {
		t.Errorf("KS misses a 2^-4 grid: sqrt(n) D = %.3f", d)
	}
	if r := l.sum[1] / float64(n-1) * 12; r*math.Sqrt(n-1) <= zMax {
		t.Errorf("lag test misses repeated values: r = %.3g", r)
	}
	if lo, hi := poissonTails(30, 10); hi >= tailProb*1e3 || lo < 0.99 {
		t.Errorf("poissonTails(30, 10) = %.3g, %.3g; want P(X>=30) about 7e-8", lo, hi)
	}
	if z := wilsonHilferty(255+6*math.Sqrt(2*255)*1.3, 255); z <= zMax {
		t.Errorf("wilsonHilferty misses an inflated chi-square: z = %.2f", z)
	}
}
