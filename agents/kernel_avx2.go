//go:build goexperiment.simd && amd64

// kernel_avx512.go and kernel_avx2.go are one code at two widths: keep
// them in step (they differ only in the width, the 64-bit multiply and
// the assembly of the table entries). TestKernelBitIdentical holds both
// to the scalar twin's bits.

package agents

import (
	"simd/archsimd"

	"github.com/entrench/entrench/philox"
)

// consts4 holds the kernel's constants broadcast to 4 lanes, built
// once (building them inside the loop puts scalar moves in it).
type consts4 struct {
	// integer
	s11, s27, s30, s31, s32, s52, fracMask, oneBits, signBit, c1023, magicBits archsimd.Uint64x4
	mix1lo, mix1hi, mix2lo, mix2hi                                             archsimd.Uint32x8 // the multipliers' halves, in the even 32-bit lanes
	// float
	one_f, magic, nlog2e, ln2, lo700, hi700, absMask archsimd.Float64x4
	q0, q1, q2, q3, q4, q5, q6                       archsimd.Float64x4
}

var k4 consts4

func initConsts4() {
	u := archsimd.BroadcastUint64x4
	f := archsimd.BroadcastFloat64x4
	k := &k4
	k.s11, k.s27, k.s30, k.s31, k.s32, k.s52 = u(11), u(27), u(30), u(31), u(32), u(52)
	k.fracMask, k.oneBits, k.signBit, k.c1023 = u(1<<52-1), u(0x3ff0000000000000), u(1<<63), u(1023)
	k.magicBits = u(0x4338000000000000) // bits of 0x1.8p52
	k.mix1lo, k.mix1hi = u(0xbf58476d1ce4e5b9&0xffffffff).AsUint32x8(), u(0xbf58476d1ce4e5b9>>32).AsUint32x8()
	k.mix2lo, k.mix2hi = u(0x94d049bb133111eb&0xffffffff).AsUint32x8(), u(0x94d049bb133111eb>>32).AsUint32x8()
	k.one_f, k.magic = f(1), f(0x1.8p52)
	k.nlog2e, k.ln2 = f(expNlog2e), f(expLn2)
	k.lo700, k.hi700 = f(-700), f(700)
	k.absMask = u(1<<63 - 1).AsFloat64x4()
	k.q0, k.q1, k.q2, k.q3 = f(expQ0), f(expQ1), f(expQ2), f(expQ3)
	k.q4, k.q5, k.q6 = f(expQ4), f(expQ5), f(expQ6)
}

// mix4 is philox's SplitMix64 finalizer on 4 lanes.
func mix4(z archsimd.Uint64x4) archsimd.Uint64x4 {
	k := &k4
	z = mul4(z.Xor(z.ShiftRight(k.s30)), k.mix1lo, k.mix1hi)
	z = mul4(z.Xor(z.ShiftRight(k.s27)), k.mix2lo, k.mix2hi)
	return z.Xor(z.ShiftRight(k.s31))
}

// logistic4 is 1/(1+e^-t) on 4 lanes, with e^-t as expParts computes
// it and the 1 added in an FMA, operation for operation as step.
func logistic4(t archsimd.Float64x4) archsimd.Float64x4 {
	k := &k4
	t = t.Min(k.hi700).Max(k.lo700)
	m := t.MulAdd(k.nlog2e, k.magic)
	kk := m.Sub(k.magic)
	ki := m.AsUint64x4().Sub(k.magicBits)
	y := kk.MulAdd(k.ln2, t)
	y2 := y.Mul(y)
	y4 := y2.Mul(y2)
	p := y4.MulAdd(y2.MulAdd(k.q6, y.MulAdd(k.q5, k.q4)), y2.MulAdd(y.MulAdd(k.q3, k.q2), y.MulAdd(k.q1, k.q0)))
	return k.one_f.Div(p.MulAdd(ki.Add(k.c1023).ShiftLeft(k.s52).AsFloat64x4(), k.one_f))
}

// zig4 is philox.ZigguratFast on 4 lanes of words: the normals of the words on the
// fast path, and the bits of the lanes that are (bit l for lane l). There
// is no gather: the words are stored in ws (which the slow path needs
// too), and each lane's pair of table entries (zigWK) is loaded as one
// 128-bit vector; the pairs are then assembled and unzipped into the
// widths and the bounds (see zig8).
//
// It is not inlined: inlined into range4's loop it made the kernel half
// as slow again (measured on AMD Zen 4).
//
//go:noinline
func zig4(w archsimd.Uint64x4, ws *[4]uint64) (z archsimd.Float64x4, ok uint8) {
	k := &k4
	w.Store(ws)
	var z4 archsimd.Uint64x4
	// even: the pairs of lanes 0 and 2; odd: of lanes 1 and 3.
	even := z4.SetLo(archsimd.LoadUint64x2(&zigWK[ws[0]&(philox.ZigguratLayers-1)])).SetHi(archsimd.LoadUint64x2(&zigWK[ws[2]&(philox.ZigguratLayers-1)]))
	odd := z4.SetLo(archsimd.LoadUint64x2(&zigWK[ws[1]&(philox.ZigguratLayers-1)])).SetHi(archsimd.LoadUint64x2(&zigWK[ws[3]&(philox.ZigguratLayers-1)]))
	wt := even.InterleaveLoGrouped(odd).AsFloat64x4()
	kt := even.InterleaveHiGrouped(odd).AsFloat64x4()
	u := w.ShiftRight(k.s11).And(k.fracMask).Or(k.oneBits).AsFloat64x4().Sub(k.one_f)
	x := u.Mul(wt)
	z = x.AsUint64x4().Xor(w.And(k.signBit)).AsFloat64x4()
	return z, u.Less(kt).ToBits()
}

// patch4 replaces the lanes of zs whose bit is set in bad by the slow
// path (philox.ZigguratFrom) of official i+l's word ws[l]. It is scalar
// floating point: it clears the vector registers' upper halves first
// (after the call the loop reloads what it keeps in them).
//
//go:noinline
func patch4(tk uint64, i int, zs *[4]float64, ws *[4]uint64, bad uint8) {
	archsimd.ClearAVXUpperBits()
	for l := range zs {
		if bad>>l&1 != 0 {
			zs[l] = philox.ZigguratFrom(tk, uint64(i+l), ws[l])
		}
	}
}

// step4 is kernelConsts.step on 4 lanes.
func step4(c *vconsts4, z, d, h archsimd.Float64x4) (pr, h1, d1 archsimd.Float64x4) {
	k := &k4
	pr = logistic4(c.sd.MulAdd(z, c.wh.MulAdd(h, c.wd.MulAdd(d, c.base))))
	h1 = h.MulAdd(pr.MulAdd(c.xc, c.keep), pr.Mul(c.gx))
	d1 = d.MulAdd(c.stay, c.pull)
	diff := c.line.Sub(d1)
	in := diff.AsUint64x4().And(k.absMask.AsUint64x4()).AsFloat64x4().Less(c.bound)
	d1 = c.soc.MulAdd(diff.Masked(in), d1)
	return pr, h1, d1
}

// vconsts4 are one organization's kernelConsts broadcast to 4 lanes.
type vconsts4 struct {
	base, wd, wh, sd, gx, xc, keep, stay, pull, line, bound, soc archsimd.Float64x4
}

// range4 runs the kernel on slots lo..hi-1 with 4-lane vectors, 4
// officials at a time, the last block partial (its loads are zero-filled
// and only the slots in range are stored).
func range4(p *Population, c *kernelConsts, lo, hi int) {
	i := lo
	if i >= hi {
		return
	}
	f := archsimd.BroadcastFloat64x4
	c.derive()
	vc := vconsts4{
		base: f(c.base), wd: f(c.wd), wh: f(c.wh), sd: f(c.sd), gx: f(c.gx), xc: f(c.xc), keep: f(c.keep),
		stay: f(c.stay), pull: f(c.pull), line: f(c.line), bound: f(c.bound), soc: f(c.soc),
	}
	// Counters of the officials' words: official n's is tk + (n+1)*gamma.
	var offs [4]uint64
	for l := range offs {
		offs[l] = c.noise + uint64(i+1+l)*gamma
	}
	ctr := archsimd.LoadUint64x4(&offs)
	g := uint64(gamma)
	stride := archsimd.BroadcastUint64x4(4 * g)
	var ws [4]uint64
	var zs [4]float64
	disp, habit, prop := p.Disp[:hi], p.Habit[:hi], p.Prop[:hi]
	for ; i+4 <= hi; i += 4 {
		z, ok := zig4(mix4(ctr), &ws)
		ctr = ctr.Add(stride)
		if ok != 0xf {
			z.Store(&zs)
			patch4(c.noise, i, &zs, &ws, ^ok)
			z = archsimd.LoadFloat64x4(&zs)
		}
		d := archsimd.LoadFloat64x4Slice(disp[i : i+4])
		h := archsimd.LoadFloat64x4Slice(habit[i : i+4])
		pr, h1, d1 := step4(&vc, z, d, h)
		pr.StoreSlice(prop[i : i+4])
		h1.StoreSlice(habit[i : i+4])
		d1.StoreSlice(disp[i : i+4])
	}
	if i < hi {
		z, ok := zig4(mix4(ctr), &ws)
		if bad := ^ok & (1<<(hi-i) - 1); bad != 0 {
			z.Store(&zs)
			patch4(c.noise, i, &zs, &ws, bad)
			z = archsimd.LoadFloat64x4(&zs)
		}
		d := archsimd.LoadFloat64x4SlicePart(disp[i:])
		h := archsimd.LoadFloat64x4SlicePart(habit[i:])
		pr, h1, d1 := step4(&vc, z, d, h)
		pr.StoreSlicePart(prop[i:])
		h1.StoreSlicePart(habit[i:])
		d1.StoreSlicePart(disp[i:])
	}
	archsimd.ClearAVXUpperBits()
}

// mul4 is the 64-bit product x*m mod 2^64 from three 32-bit products
// (AVX2 has no VPMULLQ): lo*lo + (hi(x)*lo(m) + lo(x)*hi(m))<<32, with
// mlo and mhi the halves of m in the even 32-bit lanes.
func mul4(x archsimd.Uint64x4, mlo, mhi archsimd.Uint32x8) archsimd.Uint64x4 {
	k := &k4
	xl := x.AsUint32x8()
	xh := x.ShiftRight(k.s32).AsUint32x8()
	cross := xh.MulEvenWiden(mlo).Add(xl.MulEvenWiden(mhi))
	return xl.MulEvenWiden(mlo).Add(cross.ShiftLeft(k.s32))
}
