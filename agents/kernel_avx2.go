//go:build goexperiment.simd && amd64

// kernel_avx512.go and kernel_avx2.go are one code at two widths: keep
// them in step (they differ only in the width, the 64-bit multiply, the
// integer conversion and the interleave). TestKernelBitIdentical holds
// both to the scalar twin's bits.

package agents

import "simd/archsimd"

// consts4 holds the kernel's constants broadcast to 4 lanes, built
// once (building them inside the loop puts scalar moves in it).
type consts4 struct {
	// integer
	s11, s27, s30, s31, s32, s52, s63, one, three, fracMask, sqrt2Frac, c1023, magicBits, mix1, mix2 archsimd.Uint64x4
	mix1lo, mix1hi, mix2lo, mix2hi                                                                   archsimd.Uint32x8 // the multipliers' halves, in the even 32-bit lanes
	low32, two52                                                                                     archsimd.Uint64x4
	// float
	one_f, two, half, m2, inv53, magic, log2e, ln2Hi, ln2Lo, lo700, hi700 archsimd.Float64x4
	e0, e1, e2, e3, e4, e5, e6                                            archsimd.Float64x4
	lg1, lg2, lg3, lg4, lg5, lg6, lg7                                     archsimd.Float64x4
	s1, s2, s3, s4, s5, s6, s7, c1, c2, c3, c4, c5, c6, c7, four, halfPi  archsimd.Float64x4
	two52f, two32                                                         archsimd.Float64x4
}

var k4 consts4

func initConsts4() {
	u := archsimd.BroadcastUint64x4
	f := archsimd.BroadcastFloat64x4
	k := &k4
	k.s11, k.s27, k.s30, k.s31, k.s32, k.s52, k.s63 = u(11), u(27), u(30), u(31), u(32), u(52), u(63)
	k.one, k.three, k.fracMask, k.sqrt2Frac, k.c1023 = u(1), u(3), u(1<<52-1), u(0x6a09e667f3bcd), u(1023)
	k.magicBits = u(0x4338000000000000) // bits of 0x1.8p52
	k.mix1, k.mix2 = u(0xbf58476d1ce4e5b9), u(0x94d049bb133111eb)
	w := archsimd.BroadcastUint64x4
	k.mix1lo, k.mix1hi = w(0xbf58476d1ce4e5b9&0xffffffff).AsUint32x8(), w(0xbf58476d1ce4e5b9>>32).AsUint32x8()
	k.mix2lo, k.mix2hi = w(0x94d049bb133111eb&0xffffffff).AsUint32x8(), w(0x94d049bb133111eb>>32).AsUint32x8()
	k.low32, k.two52 = w(0xffffffff), w(0x4330000000000000)
	k.one_f, k.two, k.half, k.m2, k.inv53, k.magic = f(1), f(2), f(0.5), f(-2), f(0x1p-53), f(0x1.8p52)
	k.log2e, k.ln2Hi, k.ln2Lo = f(1.4426950408889634), f(6.93147180369123816490e-01), f(1.90821492927058770002e-10)
	k.lo700, k.hi700 = f(-700), f(700)
	k.e0, k.e1, k.e2, k.e3 = f(1.0000000005541663), f(1.0000000363231765), f(0.4999999207982802), f(0.16666420169946367)
	k.e4, k.e5, k.e6 = f(0.04166822556692284), f(0.008374815798301793), f(0.0013836846134577057)
	k.lg1, k.lg2, k.lg3 = f(6.666666666666735130e-01), f(3.999999999940941908e-01), f(2.857142874366239149e-01)
	k.lg4, k.lg5, k.lg6, k.lg7 = f(2.222219843214978396e-01), f(1.818357216161805012e-01), f(1.531383769920937332e-01), f(1.479819860511658591e-01)
	k.s1, k.s2, k.s3, k.s4 = f(-1.0/6), f(1.0/120), f(-1.0/5040), f(1.0/362880)
	k.s5, k.s6, k.s7 = f(-1.0/39916800), f(1.0/6227020800), f(-1.0/1307674368000)
	k.c1, k.c2, k.c3, k.c4 = f(1.0/24), f(-1.0/720), f(1.0/40320), f(-1.0/3628800)
	k.c5, k.c6, k.c7 = f(1.0/479001600), f(-1.0/87178291200), f(1.0/20922789888000)
	k.four, k.halfPi = f(4), f(1.5707963267948966)
	k.two52f, k.two32 = f(0x1p52), f(0x1p32)
}

// mix4 is philox's SplitMix64 finalizer on 4 lanes.
func mix4(z archsimd.Uint64x4) archsimd.Uint64x4 {
	k := &k4
	z = mul4(z.Xor(z.ShiftRight(k.s30)), k.mix1lo, k.mix1hi)
	z = mul4(z.Xor(z.ShiftRight(k.s27)), k.mix2lo, k.mix2hi)
	return z.Xor(z.ShiftRight(k.s31))
}

// exp4 is philox.Exp on 4 lanes, operation for operation.
func exp4(x archsimd.Float64x4) archsimd.Float64x4 {
	k := &k4
	x = x.Min(k.hi700).Max(k.lo700)
	t := x.Mul(k.log2e).Add(k.magic)
	kk := t.Sub(k.magic)
	ki := t.AsUint64x4().Sub(k.magicBits)
	r := x.Sub(kk.Mul(k.ln2Hi)).Sub(kk.Mul(k.ln2Lo))
	r2 := r.Mul(r)
	r4 := r2.Mul(r2)
	p := k.e0.Add(r.Mul(k.e1)).Add(r2.Mul(k.e2.Add(r.Mul(k.e3)))).
		Add(r4.Mul(k.e4.Add(r.Mul(k.e5)).Add(r2.Mul(k.e6))))
	return p.Mul(ki.Add(k.c1023).ShiftLeft(k.s52).AsFloat64x4())
}

// logPos4 is philox's logPos on 4 lanes.
func logPos4(x archsimd.Float64x4) archsimd.Float64x4 {
	k := &k4
	bits := x.AsUint64x4()
	frac := bits.And(k.fracMask)
	big := k.sqrt2Frac.Sub(frac).ShiftRight(k.s63)
	// k = exponent - 1023 + big, converted exactly by the magic constant
	// (|k| < 2^51): bits(1.5*2^52) + k is the float 1.5*2^52 + k.
	kf := bits.ShiftRight(k.s52).Sub(k.c1023).Add(big).Add(k.magicBits).AsFloat64x4().Sub(k.magic)
	f := frac.Or(k.c1023.Sub(big).ShiftLeft(k.s52)).AsFloat64x4().Sub(k.one_f)
	s := f.Div(k.two.Add(f))
	s2 := s.Mul(s)
	s4 := s2.Mul(s2)
	t1 := s2.Mul(k.lg1.Add(s4.Mul(k.lg3.Add(s4.Mul(k.lg5.Add(s4.Mul(k.lg7)))))))
	t2 := s4.Mul(k.lg2.Add(s4.Mul(k.lg4.Add(s4.Mul(k.lg6)))))
	r := t1.Add(t2)
	hfsq := k.half.Mul(f.Mul(f))
	return kf.Mul(k.ln2Hi).Sub(hfsq.Sub(s.Mul(hfsq.Add(r)).Add(kf.Mul(k.ln2Lo))).Sub(f))
}

// sinCos2Pi4 is philox's sinCos2Pi on 4 lanes.
func sinCos2Pi4(v archsimd.Float64x4) (sin, cos archsimd.Float64x4) {
	k := &k4
	t := v.Mul(k.four)
	tm := t.Add(k.magic)
	q := tm.Sub(k.magic)
	n := tm.AsUint64x4().And(k.three)
	x := t.Sub(q).Mul(k.halfPi)
	z := x.Mul(x)
	z2 := z.Mul(z)
	z4 := z2.Mul(z2)
	ps := k.s1.Add(z.Mul(k.s2)).Add(z2.Mul(k.s3.Add(z.Mul(k.s4)))).
		Add(z4.Mul(k.s5.Add(z.Mul(k.s6)).Add(z2.Mul(k.s7))))
	pc := k.c1.Add(z.Mul(k.c2)).Add(z2.Mul(k.c3.Add(z.Mul(k.c4)))).
		Add(z4.Mul(k.c5.Add(z.Mul(k.c6)).Add(z2.Mul(k.c7))))
	sn := x.Add(x.Mul(z).Mul(ps))
	cs := k.one_f.Sub(k.half.Mul(z)).Add(z2.Mul(pc))
	swap := n.And(k.one).Equal(k.one)
	s0 := cs.Merge(sn, swap).AsUint64x4()
	c0 := sn.Merge(cs, swap).AsUint64x4()
	s0 = s0.Xor(n.ShiftRight(k.one).ShiftLeft(k.s63))
	c0 = c0.Xor(n.Xor(n.ShiftRight(k.one)).And(k.one).ShiftLeft(k.s63))
	return s0.AsFloat64x4(), c0.AsFloat64x4()
}

// boxMuller4 is philox.BoxMuller on 4 lanes of word pairs (a, b).
func boxMuller4(a, b archsimd.Uint64x4) (z0, z1 archsimd.Float64x4) {
	k := &k4
	u := cvt4(a.ShiftRight(k.s11).Add(k.one)).Mul(k.inv53)
	v := cvt4(b.ShiftRight(k.s11)).Mul(k.inv53)
	r := k.m2.Mul(logPos4(u)).Sqrt()
	s, c := sinCos2Pi4(v)
	return r.Mul(c), r.Mul(s)
}

// step4 is kernelConsts.step on 4 lanes.
func step4(c *vconsts4, z, d, h archsimd.Float64x4) (pr, h1, d1 archsimd.Float64x4) {
	k := &k4
	t := c.base.Add(c.wd.Mul(d)).Add(c.wh.Mul(h)).Add(c.sd.Mul(z))
	pr = k.one_f.Div(k.one_f.Add(exp4(c.zero.Sub(t))))
	s := pr.Mul(c.x)
	h1 = h.Add(c.gain.Mul(s).Mul(k.one_f.Sub(h)).Sub(c.decay.Mul(k.one_f.Sub(s)).Mul(h)))
	d1 = d.Add(c.rev.Mul(c.home.Sub(d)))
	diff := c.line.Sub(d1)
	diff = diff.Masked(diff.Less(c.bound).And(diff.Greater(c.negBound)))
	d1 = d1.Add(c.soc.Mul(diff))
	return pr, h1, d1
}

// vconsts4 are one organization's kernelConsts broadcast to 4 lanes.
type vconsts4 struct {
	base, wd, wh, sd, x, gain, decay, rev, home, line, bound, negBound, soc, zero archsimd.Float64x4
}

// range4 runs the kernel on slots lo..hi-1 with 4-lane vectors,
// 8 officials (4 Box-Muller pairs) at a time, the last block partial
// (its loads are zero-filled and only the slots in range are stored); a
// leading odd slot goes to the scalar twin.
func range4(p *Population, c *kernelConsts, lo, hi int) {
	i := lo
	if i < hi && i&1 == 1 {
		scalarRange(p, c, i, i+1)
		i++
	}
	if i >= hi {
		return
	}
	f := archsimd.BroadcastFloat64x4
	vc := vconsts4{
		base: f(c.base), wd: f(c.wd), wh: f(c.wh), sd: f(c.sd), x: f(c.x), gain: f(c.gain), decay: f(c.decay),
		rev: f(c.rev), home: f(c.home), line: f(c.line), bound: f(c.bound), negBound: f(-c.bound), soc: f(c.soc),
	}
	// Counters of the pairs' first words: word n = i + 2l is
	// tk + (n+1)*gamma; the second word adds gamma.
	var offs [4]uint64
	for l := range offs {
		offs[l] = c.noise + uint64(i+2*l+1)*gamma
	}
	ca := archsimd.LoadUint64x4(&offs)
	g64 := uint64(gamma)
	g := archsimd.BroadcastUint64x4(g64)
	stride := archsimd.BroadcastUint64x4(uint64(8) * g64)
	disp, habit, prop := p.Disp[:hi], p.Habit[:hi], p.Prop[:hi]
	for ; i+8 <= hi; i += 8 {
		z0, z1 := boxMuller4(mix4(ca), mix4(ca.Add(g)))
		ca = ca.Add(stride)
		// Officials i..i+7 in order: z0 and z1 of pair l are officials
		// i+2l and i+2l+1.
		il, ih := z0.AsUint64x4().InterleaveLoGrouped(z1.AsUint64x4()), z0.AsUint64x4().InterleaveHiGrouped(z1.AsUint64x4())
		za := il.Select128FromPair(0, 2, ih).AsFloat64x4()
		zb := il.Select128FromPair(1, 3, ih).AsFloat64x4()
		for half, z := range [2]archsimd.Float64x4{za, zb} {
			j := i + half*4
			d := archsimd.LoadFloat64x4Slice(disp[j : j+4])
			h := archsimd.LoadFloat64x4Slice(habit[j : j+4])
			pr, h1, d1 := step4(&vc, z, d, h)
			pr.StoreSlice(prop[j : j+4])
			h1.StoreSlice(habit[j : j+4])
			d1.StoreSlice(disp[j : j+4])
		}
	}
	if i < hi {
		z0, z1 := boxMuller4(mix4(ca), mix4(ca.Add(g)))
		// Officials i..i+7 in order: z0 and z1 of pair l are officials
		// i+2l and i+2l+1.
		il, ih := z0.AsUint64x4().InterleaveLoGrouped(z1.AsUint64x4()), z0.AsUint64x4().InterleaveHiGrouped(z1.AsUint64x4())
		za := il.Select128FromPair(0, 2, ih).AsFloat64x4()
		zb := il.Select128FromPair(1, 3, ih).AsFloat64x4()
		for half, z := range [2]archsimd.Float64x4{za, zb} {
			j := i + half*4
			if j >= hi {
				break
			}
			d := archsimd.LoadFloat64x4SlicePart(disp[j:])
			h := archsimd.LoadFloat64x4SlicePart(habit[j:])
			pr, h1, d1 := step4(&vc, z, d, h)
			pr.StoreSlicePart(prop[j:])
			h1.StoreSlicePart(habit[j:])
			d1.StoreSlicePart(disp[j:])
		}
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

// cvt4 converts integers below 2^53 to float64 exactly (AVX2 has no
// VCVTUQQ2PD): each 32-bit half by the 2^52 trick, then hi*2^32 + lo,
// exact because the sum has at most 53 bits.
func cvt4(x archsimd.Uint64x4) archsimd.Float64x4 {
	k := &k4
	hi := x.ShiftRight(k.s32).Or(k.two52).AsFloat64x4().Sub(k.two52f)
	lo := x.And(k.low32).Or(k.two52).AsFloat64x4().Sub(k.two52f)
	return hi.Mul(k.two32).Add(lo)
}
