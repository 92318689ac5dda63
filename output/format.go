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
// empty string, infinities as "+Inf" and "-Inf", and negative zero as
// "-0" (the sign is kept: a mean of tiny negative values that rounds to
// zero still says which side it came from).
func FormatFloat(x float64) string {
	if math.IsNaN(x) {
		return ""
	}
	return strconv.FormatFloat(x, 'g', FloatDigits, 64)
}
