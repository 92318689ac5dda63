package scenarios

import (
	"fmt"
	"strconv"
	"strings"
)

// Month is a calendar month, counted as months since January of year 0
// (so 1997-05 is 1997*12+4). The zero value is January of year 0 and is
// treated as "unset" wherever a date is optional.
type Month int

// ParseMonth parses "YYYY-MM" (a year from 1000 to 9999 and a month from
// 01 to 12).
func ParseMonth(s string) (Month, error) {
	s = strings.TrimSpace(s)
	y, m, ok := strings.Cut(s, "-")
	if !ok || len(y) != 4 || len(m) != 2 {
		return 0, fmt.Errorf("date %q is not of the form YYYY-MM (for example 2008-08)", s)
	}
	yi, err1 := strconv.Atoi(y)
	mi, err2 := strconv.Atoi(m)
	if err1 != nil || err2 != nil || yi < 1000 || mi < 1 || mi > 12 {
		return 0, fmt.Errorf("date %q is not of the form YYYY-MM with a month from 01 to 12", s)
	}
	return Month(yi*12 + mi - 1), nil
}

// Year returns the calendar year.
func (m Month) Year() int { return int(m) / 12 }

// MonthOfYear returns the month from 1 to 12.
func (m Month) MonthOfYear() int { return int(m)%12 + 1 }

// String formats the month as YYYY-MM.
func (m Month) String() string { return fmt.Sprintf("%04d-%02d", m.Year(), m.MonthOfYear()) }

// IsZero reports whether the month is unset.
func (m Month) IsZero() bool { return m == 0 }

// DecimalYear returns the year as a real number at the start of the month,
// e.g. 2008-07 is 2008.5. Figures use it for their time axis.
func (m Month) DecimalYear() float64 { return float64(m) / 12 }

// MarshalYAML writes the month as YYYY-MM.
func (m Month) MarshalYAML() (any, error) { return m.String(), nil }
