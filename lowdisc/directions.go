package lowdisc

import (
	_ "embed"
	"fmt"
	"strconv"
	"strings"
)

// joeKuo is the table of Joe and Kuo's new-joe-kuo-6.21201, first MaxDim
// dimensions; its header comment gives the source and the licence.
//
//go:embed new-joe-kuo-6.21201.txt
var joeKuo string

// MaxDim is the largest dimension a Sequence can have: the number of
// dimensions of the embedded direction-number table.
const MaxDim = 1111

// Bits is the number of binary digits of the sequence before
// randomization; a Sequence has 2^Bits points.
const Bits = 32

// polynomial is one row of the table: a primitive polynomial over GF(2)
// of degree s, x^s + c_1 x^(s-1) + ... + c_(s-1) x + 1, whose inner
// coefficients c_1..c_(s-1) are the bits of a (c_1 the highest), and the
// s initial direction numbers m_1..m_s (m_k odd and below 2^k).
type polynomial struct {
	s, a int
	m    []uint32
}

// table is the parsed joeKuo, indexed by dimension minus 2 (dimension 1
// has no polynomial). It is parsed once at package initialisation: the
// table is part of the program, so a malformed row is a build error
// caught by the tests, not user input.
var table = mustParse(joeKuo)

func mustParse(text string) []polynomial {
	t, err := parseTable(text)
	if err != nil {
		panic(err)
	}
	return t
}

// parseTable reads the Joe-Kuo text format: '#' comment lines, a header
// line starting with "d", then rows "d s a m_1 ... m_s" for d = 2, 3, ...
func parseTable(text string) ([]polynomial, error) {
	var t []polynomial
	for n, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || line[0] == '#' || line[0] == 'd' {
			continue
		}
		f := strings.Fields(line)
		v := make([]int, len(f))
		for i, s := range f {
			x, err := strconv.Atoi(s)
			if err != nil {
				return nil, fmt.Errorf("lowdisc: direction table line %d: %w", n+1, err)
			}
			v[i] = x
		}
		if len(v) < 4 || v[0] != len(t)+2 || v[1] < 1 || v[1] >= Bits || len(v) != 3+v[1] {
			return nil, fmt.Errorf("lowdisc: direction table line %d: malformed row %q", n+1, line)
		}
		p := polynomial{s: v[1], a: v[2], m: make([]uint32, v[1])}
		for k := range p.m {
			m := v[3+k]
			if m%2 == 0 || m >= 1<<(k+1) {
				return nil, fmt.Errorf("lowdisc: direction table line %d: m_%d = %d is not odd and below 2^%d", n+1, k+1, m, k+1)
			}
			p.m[k] = uint32(m)
		}
		t = append(t, p)
	}
	return t, nil
}

// directions returns the Bits direction numbers of dimension d (1-based),
// as left-aligned 32-bit integers: v[k] = m_(k+1) * 2^(31-k).
func directions(d int) [Bits]uint32 {
	var v [Bits]uint32
	if d == 1 {
		for k := range v {
			v[k] = 1 << (31 - k)
		}
		return v
	}
	p := table[d-2]
	m := make([]uint32, Bits)
	copy(m, p.m)
	// Bratley and Fox (1988), recurrence on the m_k:
	// m_k = 2 c_1 m_(k-1) ^ 4 c_2 m_(k-2) ^ ... ^ 2^s m_(k-s) ^ m_(k-s).
	for k := p.s; k < Bits; k++ {
		x := m[k-p.s] ^ m[k-p.s]<<p.s
		for i := 1; i < p.s; i++ {
			if (p.a>>(p.s-1-i))&1 == 1 {
				x ^= m[k-i] << i
			}
		}
		m[k] = x
	}
	for k := range v {
		v[k] = m[k] << (31 - k)
	}
	return v
}
