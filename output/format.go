package output

import (
	"math"
	"strconv"
)

// FloatDigits is the number of significant digits of every float written
// to a CSV file. It is fixed so that the same results give the same bytes.
const FloatDigits = 10

// FormatFloat formats x for a CSV field, the one float format of the
// project's CSV files: 'g' with FloatDigits significant digits, NaN as the
// empty string, infinities as "+Inf" and "-Inf", negative zero as "-0"
// (sweep's CSV files, which write "0" for it, do not use it yet).
func FormatFloat(x float64) string {
	if math.IsNaN(x) {
		return ""
	}
	return strconv.FormatFloat(x, 'g', FloatDigits, 64)
}
