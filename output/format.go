package output

import (
	"math"
	"strconv"
)

// FloatDigits is the number of significant digits of every float written
// to a CSV file. It is fixed so that the same results give the same bytes.
const FloatDigits = 10

// formatFloat formats x for a CSV field: 'g' with FloatDigits significant
// digits, NaN as the empty string, infinities as "+Inf" and "-Inf".
func formatFloat(x float64) string {
	if math.IsNaN(x) {
		return ""
	}
	return strconv.FormatFloat(x, 'g', FloatDigits, 64)
}
