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

// consts8 holds the kernel's constants broadcast to 8 lanes, built
// once (building them inside the loop puts scalar moves in it).
type consts8 struct {
	// integer
	s11, s27, s30, s31, s52, fracMask, oneBits, signBit, c1023, magicBits, mix1, mix2 archsimd.Uint64x8
	// float
	one_f, magic, log2e, ln2Hi, ln2Lo, lo700, hi700 archsimd.Float64x8
	e0, e1, e2, e3, e4, e5, e6                      archsimd.Float64x8
}

var k8 consts8

func initConsts8() {
	u := archsimd.BroadcastUint64x8
	f := archsimd.BroadcastFloat64x8
	k := &k8
	k.s11, k.s27, k.s30, k.s31, k.s52 = u(11), u(27), u(30), u(31), u(52)
	k.fracMask, k.oneBits, k.signBit, k.c1023 = u(1<<52-1), u(0x3ff0000000000000), u(1<<63), u(1023)
	k.magicBits = u(0x4338000000000000) // bits of 0x1.8p52
	k.mix1, k.mix2 = u(0xbf58476d1ce4e5b9), u(0x94d049bb133111eb)
	k.one_f, k.magic = f(1), f(0x1.8p52)
	k.log2e, k.ln2Hi, k.ln2Lo = f(1.4426950408889634), f(6.93147180369123816490e-01), f(1.90821492927058770002e-10)
	k.lo700, k.hi700 = f(-700), f(700)
	k.e0, k.e1, k.e2, k.e3 = f(1.0000000005541663), f(1.0000000363231765), f(0.4999999207982802), f(0.16666420169946367)
	k.e4, k.e5, k.e6 = f(0.04166822556692284), f(0.008374815798301793), f(0.0013836846134577057)
}

// mix8 is philox's SplitMix64 finalizer on 8 lanes.
func mix8(z archsimd.Uint64x8) archsimd.Uint64x8 {
	k := &k8
	z = z.Xor(z.ShiftRight(k.s30)).Mul(k.mix1)
	z = z.Xor(z.ShiftRight(k.s27)).Mul(k.mix2)
	return z.Xor(z.ShiftRight(k.s31))
}

// exp8 is philox.Exp on 8 lanes, operation for operation.
func exp8(x archsimd.Float64x8) archsimd.Float64x8 {
	k := &k8
	x = x.Min(k.hi700).Max(k.lo700)
	t := x.Mul(k.log2e).Add(k.magic)
	kk := t.Sub(k.magic)
	ki := t.AsUint64x8().Sub(k.magicBits)
	r := x.Sub(kk.Mul(k.ln2Hi)).Sub(kk.Mul(k.ln2Lo))
	r2 := r.Mul(r)
	r4 := r2.Mul(r2)
	p := k.e0.Add(r.Mul(k.e1)).Add(r2.Mul(k.e2.Add(r.Mul(k.e3)))).
		Add(r4.Mul(k.e4.Add(r.Mul(k.e5)).Add(r2.Mul(k.e6))))
	return p.Mul(ki.Add(k.c1023).ShiftLeft(k.s52).AsFloat64x8())
}

// zig8 is philox.ZigguratFast on 8 lanes of words: the normals of the words on the
// fast path, and the bits of the lanes that are (bit l for lane l). There
// is no gather: the words are stored in ws (which the slow path needs
// too), and each lane's pair of table entries (zigWK) is loaded as one
// 128-bit vector; the pairs are then assembled and unzipped into the
// widths and the bounds (scalar loads into an array loaded as a vector
// would stall on store forwarding, and scalar floating point, whose
// legacy encoding mixes badly with wide vectors, stays out of the loop).
//
// It is not inlined: inlined into range8's loop it made the kernel half
// as slow again (measured on AMD Zen 4).
//
//go:noinline
func zig8(w archsimd.Uint64x8, ws *[8]uint64) (z archsimd.Float64x8, ok uint8) {
	k := &k8
	w.Store(ws)
	var z4 archsimd.Uint64x4
	var z8 archsimd.Uint64x8
	// even: the pairs of lanes 0, 2, 4, 6; odd: of lanes 1, 3, 5, 7.
	even := z8.SetLo(z4.SetLo(archsimd.LoadUint64x2(&zigWK[uint8(ws[0])])).SetHi(archsimd.LoadUint64x2(&zigWK[uint8(ws[2])]))).
		SetHi(z4.SetLo(archsimd.LoadUint64x2(&zigWK[uint8(ws[4])])).SetHi(archsimd.LoadUint64x2(&zigWK[uint8(ws[6])])))
	odd := z8.SetLo(z4.SetLo(archsimd.LoadUint64x2(&zigWK[uint8(ws[1])])).SetHi(archsimd.LoadUint64x2(&zigWK[uint8(ws[3])]))).
		SetHi(z4.SetLo(archsimd.LoadUint64x2(&zigWK[uint8(ws[5])])).SetHi(archsimd.LoadUint64x2(&zigWK[uint8(ws[7])])))
	wt := even.InterleaveLoGrouped(odd).AsFloat64x8()
	kt := even.InterleaveHiGrouped(odd).AsFloat64x8()
	u := w.ShiftRight(k.s11).And(k.fracMask).Or(k.oneBits).AsFloat64x8().Sub(k.one_f)
	x := u.Mul(wt)
	z = x.AsUint64x8().Xor(w.And(k.signBit)).AsFloat64x8()
	return z, u.Less(kt).ToBits()
}

// patch8 replaces the lanes of zs whose bit is set in bad by the slow
// path (philox.ZigguratFrom) of official i+l's word ws[l]. It is scalar
// floating point: it clears the vector registers' upper halves first
// (after the call the loop reloads what it keeps in them).
//
//go:noinline
func patch8(tk uint64, i int, zs *[8]float64, ws *[8]uint64, bad uint8) {
	archsimd.ClearAVXUpperBits()
	for l := range zs {
		if bad>>l&1 != 0 {
			zs[l] = philox.ZigguratFrom(tk, uint64(i+l), ws[l])
		}
	}
}

// step8 is kernelConsts.step on 8 lanes.
func step8(c *vconsts8, z, d, h archsimd.Float64x8) (pr, h1, d1 archsimd.Float64x8) {
	k := &k8
	t := c.base.Add(c.wd.Mul(d)).Add(c.wh.Mul(h)).Add(c.sd.Mul(z))
	pr = k.one_f.Div(k.one_f.Add(exp8(c.zero.Sub(t))))
	s := pr.Mul(c.x)
	h1 = h.Add(c.gain.Mul(s).Mul(k.one_f.Sub(h)).Sub(c.decay.Mul(k.one_f.Sub(s)).Mul(h)))
	d1 = d.Add(c.rev.Mul(c.home.Sub(d)))
	diff := c.line.Sub(d1)
	diff = diff.Masked(diff.Less(c.bound).And(diff.Greater(c.negBound)))
	d1 = d1.Add(c.soc.Mul(diff))
	return pr, h1, d1
}

// vconsts8 are one organization's kernelConsts broadcast to 8 lanes.
type vconsts8 struct {
	base, wd, wh, sd, x, gain, decay, rev, home, line, bound, negBound, soc, zero archsimd.Float64x8
}

// range8 runs the kernel on slots lo..hi-1 with 8-lane vectors, 8
// officials at a time, the last block partial (its loads are zero-filled
// and only the slots in range are stored).
func range8(p *Population, c *kernelConsts, lo, hi int) {
	i := lo
	if i >= hi {
		return
	}
	f := archsimd.BroadcastFloat64x8
	vc := vconsts8{
		base: f(c.base), wd: f(c.wd), wh: f(c.wh), sd: f(c.sd), x: f(c.x), gain: f(c.gain), decay: f(c.decay),
		rev: f(c.rev), home: f(c.home), line: f(c.line), bound: f(c.bound), negBound: f(-c.bound), soc: f(c.soc),
	}
	// Counters of the officials' words: official n's is tk + (n+1)*gamma.
	var offs [8]uint64
	for l := range offs {
		offs[l] = c.noise + uint64(i+1+l)*gamma
	}
	ctr := archsimd.LoadUint64x8(&offs)
	g := uint64(gamma)
	stride := archsimd.BroadcastUint64x8(8 * g)
	var ws [8]uint64
	var zs [8]float64
	disp, habit, prop := p.Disp[:hi], p.Habit[:hi], p.Prop[:hi]
	for ; i+8 <= hi; i += 8 {
		z, ok := zig8(mix8(ctr), &ws)
		ctr = ctr.Add(stride)
		if ok != 0xff {
			z.Store(&zs)
			patch8(c.noise, i, &zs, &ws, ^ok)
			z = archsimd.LoadFloat64x8(&zs)
		}
		d := archsimd.LoadFloat64x8Slice(disp[i : i+8])
		h := archsimd.LoadFloat64x8Slice(habit[i : i+8])
		pr, h1, d1 := step8(&vc, z, d, h)
		pr.StoreSlice(prop[i : i+8])
		h1.StoreSlice(habit[i : i+8])
		d1.StoreSlice(disp[i : i+8])
	}
	if i < hi {
		z, ok := zig8(mix8(ctr), &ws)
		if bad := ^ok & (1<<(hi-i) - 1); bad != 0 {
			z.Store(&zs)
			patch8(c.noise, i, &zs, &ws, bad)
			z = archsimd.LoadFloat64x8(&zs)
		}
		d := archsimd.LoadFloat64x8SlicePart(disp[i:])
		h := archsimd.LoadFloat64x8SlicePart(habit[i:])
		pr, h1, d1 := step8(&vc, z, d, h)
		pr.StoreSlicePart(prop[i:])
		h1.StoreSlicePart(habit[i:])
		d1.StoreSlicePart(disp[i:])
	}
	archsimd.ClearAVXUpperBits()
}
