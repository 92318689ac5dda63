package output

import (
	"math"
	"strconv"
)

// FloatDigits is the number of significant digits of every float written
// to a CSV file. It is fixed so that the same results give the same bytes.
const FloatDigits = 10

// FormatFloat formats x for a CSV field, as every CSV writer of the
// project does (run, compare, sweep): 'g' with FloatDigits significant
// digits, NaN as the empty string, infinities as "+Inf" and "-Inf",
// negative zero as "-0".
func FormatFloat(x float64) string {
	if math.IsNaN(x) {
		return ""
	}
	return strconv.FormatFloat(x, 'g', FloatDigits, 64)
}
