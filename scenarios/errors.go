package scenarios

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Sentinel errors: every *FieldError wraps one of them, so callers can ask
// errors.Is(err, ErrRange) of anything Load, Validate or SetPath returns.
var (
	ErrSyntax     = errors.New("scenarios: YAML syntax error")
	ErrUnknownKey = errors.New("scenarios: unknown key")
	ErrType       = errors.New("scenarios: wrong type")
	ErrRange      = errors.New("scenarios: value out of range")
	ErrRequired   = errors.New("scenarios: required value missing")
	ErrDuplicate  = errors.New("scenarios: duplicate")
	ErrReference  = errors.New("scenarios: unknown reference")
	ErrDate       = errors.New("scenarios: bad date")
	ErrOverride   = errors.New("scenarios: bad override")
)

// SetFile is the File of errors caused by an override rather than by the
// scenario file.
const SetFile = "--set"

// A FieldError is one problem found in a scenario, with its place.
type FieldError struct {
	// File is the file name given to Load, "builtin:NAME.yaml" for a
	// built-in, SetFile ("--set") for a problem in an override, or empty
	// for a scenario built in Go.
	File string
	// Line and Column locate the offending node, counting from 1. They are
	// 0 when unknown: for a scenario built in Go, for an override, and for
	// the column of some YAML syntax errors.
	Line, Column int
	// Path is the key path of the offending value, e.g.
	// organizations[3].influence; empty for a syntax error.
	Path string
	// Msg describes the problem.
	Msg string
	// Err is the sentinel the error wraps (ErrRange etc.). For an
	// override whose path cannot be followed it is an error wrapping both
	// ErrOverride and the cause (ErrUnknownKey, ErrType), so errors.Is
	// matches either.
	Err error
}

// Error formats the error as file:line:col: path: message, leaving out the
// parts that are unknown or empty.
func (e *FieldError) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
		if e.Line > 0 {
			fmt.Fprintf(&b, ":%d", e.Line)
			if e.Column > 0 {
				fmt.Fprintf(&b, ":%d", e.Column)
			}
		}
		b.WriteString(": ")
	} else if e.Line > 0 {
		fmt.Fprintf(&b, "line %d: ", e.Line)
	}
	if e.Path != "" {
		b.WriteString(e.Path)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Unwrap returns the sentinel.
func (e *FieldError) Unwrap() error { return e.Err }

// Errors is a list of problems, sorted by line then column. Load and
// Validate return all the problems they find as an Errors.
type Errors []*FieldError

// Error returns one problem per line.
func (es Errors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// Unwrap returns the elements, so that errors.Is and errors.As look at each.
func (es Errors) Unwrap() []error {
	errs := make([]error, len(es))
	for i, e := range es {
		errs[i] = e
	}
	return errs
}

// sort orders the problems by line then column; override problems (line 0)
// come first, and ties keep the order they were found in.
func (es Errors) sort() {
	slices.SortStableFunc(es, func(a, b *FieldError) int {
		if a.Line != b.Line {
			return a.Line - b.Line
		}
		return a.Column - b.Column
	})
}

// err returns es as an error, or nil when there are no problems.
func (es Errors) err() error {
	if len(es) == 0 {
		return nil
	}
	es.sort()
	return es
}

// suggest returns the allowed word nearest to s by edit distance, if it is
// near enough to be a likely typo.
func suggest(s string, allowed []string) (string, bool) {
	best, bestD := "", -1
	for _, a := range allowed {
		d := editDistance(strings.ToLower(s), strings.ToLower(a))
		if bestD < 0 || d < bestD {
			best, bestD = a, d
		}
	}
	limit := max(1, min(3, len(s)/3))
	return best, bestD >= 0 && bestD <= limit
}

// didYouMean formats the suggestion and the allowed words for a message.
func didYouMean(s string, allowed []string, what string) string {
	var b strings.Builder
	if best, ok := suggest(s, allowed); ok {
		fmt.Fprintf(&b, " (did you mean %q?)", best)
	}
	if len(allowed) == 0 {
		fmt.Fprintf(&b, "; there are no %s", what)
	} else {
		fmt.Fprintf(&b, "; %s: %s", what, strings.Join(allowed, ", "))
	}
	return b.String()
}

// editDistance is the optimal string alignment distance between a and b:
// insertions, deletions, substitutions and transpositions of adjacent
// runes each cost 1.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}
