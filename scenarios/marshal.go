package scenarios

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Marshal writes s as YAML that Load reads back to a deeply equal
// Scenario, provided s is valid and normalized (as every loaded scenario
// is). Every field is written, defaults included, in schema order, so the
// output documents the complete set-up; unset dates, empty strings and
// empty lists are left out. Dates are written as "YYYY-MM".
func Marshal(s *Scenario) ([]byte, error) {
	n := encode(reflect.ValueOf(s).Elem())
	if n == nil {
		n = &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
	}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(n); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Hash returns the hex SHA-256 of Marshal's output: the content hash that
// identifies a scenario in run manifests. Two scenarios have the same hash
// exactly when they marshal the same. It returns "" if s cannot be
// marshaled, which does not happen for a valid scenario.
func Hash(s *Scenario) string {
	b, err := Marshal(s)
	if err != nil {
		return ""
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// encode builds the YAML node of v, or nil to leave it out.
func encode(v reflect.Value) *yaml.Node {
	t := v.Type()
	if t == monthType {
		m := Month(v.Int())
		if m.IsZero() {
			return nil
		}
		return scalar(strTag, m.String())
	}
	switch t.Kind() {
	case reflect.Struct:
		n := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
		for _, f := range structFields(t) {
			if c := encode(v.Field(f.index)); c != nil {
				n.Content = append(n.Content, scalar(strTag, f.key), c)
			}
		}
		if len(n.Content) == 0 {
			return nil
		}
		return n
	case reflect.Slice:
		if v.Len() == 0 {
			return nil
		}
		n := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
		if t.Elem().Kind() == reflect.String {
			n.Style = yaml.FlowStyle
		}
		for i := range v.Len() {
			c := encode(v.Index(i))
			if c == nil { // an element must keep its place
				c = empty(t.Elem())
			}
			n.Content = append(n.Content, c)
		}
		return n
	case reflect.Map:
		if v.Len() == 0 {
			return nil
		}
		n := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
		keys := make([]string, 0, v.Len())
		for _, k := range v.MapKeys() {
			keys = append(keys, k.String())
		}
		slices.Sort(keys)
		for _, k := range keys {
			n.Content = append(n.Content, scalar(strTag, k), encode(v.MapIndex(reflect.ValueOf(k))))
		}
		return n
	case reflect.String:
		if v.Len() == 0 {
			return nil
		}
		return scalar(strTag, v.String())
	case reflect.Float64:
		return float(v.Float())
	case reflect.Int:
		return scalar(intTag, strconv.FormatInt(v.Int(), 10))
	case reflect.Uint64:
		return scalar(intTag, strconv.FormatUint(v.Uint(), 10))
	case reflect.Bool:
		return scalar("!!bool", strconv.FormatBool(v.Bool()))
	}
	return nil
}

// empty is the node of a list element that encodes to nothing.
func empty(t reflect.Type) *yaml.Node {
	if t.Kind() == reflect.String {
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: strTag, Value: "", Style: yaml.DoubleQuotedStyle}
	}
	return &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Style: yaml.FlowStyle}
}

func scalar(tag, value string) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: value}
}

// float writes x so that it reads back exactly.
func float(x float64) *yaml.Node {
	switch {
	case math.IsNaN(x):
		return scalar(floatTag, ".nan")
	case math.IsInf(x, 1):
		return scalar(floatTag, ".inf")
	case math.IsInf(x, -1):
		return scalar(floatTag, "-.inf")
	}
	s := strconv.FormatFloat(x, 'g', -1, 64)
	if !strings.ContainsAny(s, ".e") {
		return scalar(intTag, s)
	}
	return scalar(floatTag, s)
}
