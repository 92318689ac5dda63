package calibrate

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/entrench/entrench/scenarios"
)

// The errors of Load are those of scenario files: a scenarios.Errors of
// *scenarios.FieldError, each positioned in the calibration file and
// wrapping one of the scenarios sentinels (ErrSyntax, ErrUnknownKey,
// ErrType, ErrRange, ErrRequired, ErrDuplicate, ErrReference, ErrDate).

// maxNodes bounds the values decoded, so that aliases cannot blow a small
// file up; real calibration files have a few hundred.
const maxNodes = 1 << 16

// pos is where a key path's value is in the file.
type pos struct{ line, col int }

// decoder decodes a YAML tree onto Go values strictly, recording the
// position of every key path and the problems found.
type decoder struct {
	file   string
	pos    map[string]pos
	errs   scenarios.Errors
	visits int
}

func (d *decoder) errorf(n *yaml.Node, path string, sentinel error, format string, a ...any) {
	e := &scenarios.FieldError{File: d.file, Path: path, Err: sentinel, Msg: fmt.Sprintf(format, a...)}
	if n != nil {
		e.Line, e.Column = n.Line, n.Column
	} else {
		e.Line, e.Column = d.place(path)
	}
	d.errs = append(d.errs, e)
}

// place returns the position of path, or of its nearest ancestor present
// in the file.
func (d *decoder) place(path string) (int, int) {
	for {
		if p, ok := d.pos[path]; ok {
			return p.line, p.col
		}
		if path == "" {
			return 0, 0
		}
		i := strings.LastIndexAny(path, ".[")
		if i < 0 {
			path = ""
		} else {
			path = path[:i]
		}
	}
}

// parseYAML reads the single YAML document of data.
func parseYAML(file string, data []byte) (*yaml.Node, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, &scenarios.FieldError{File: file, Err: scenarios.ErrSyntax, Msg: "the file is empty"}
		}
		line := 0
		msg := strings.TrimPrefix(err.Error(), "yaml: ")
		if rest, ok := strings.CutPrefix(msg, "line "); ok {
			if num, tail, ok := strings.Cut(rest, ": "); ok {
				if l, err := strconv.Atoi(num); err == nil {
					line, msg = l, tail
				}
			}
		}
		return nil, &scenarios.FieldError{File: file, Line: line, Err: scenarios.ErrSyntax, Msg: msg}
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		return nil, &scenarios.FieldError{File: file, Line: extra.Line, Err: scenarios.ErrSyntax, Msg: "a calibration file holds one YAML document; found a second"}
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		n := &doc
		if len(doc.Content) > 0 {
			n = doc.Content[0]
		}
		return nil, &scenarios.FieldError{File: file, Line: n.Line, Column: n.Column, Err: scenarios.ErrType, Msg: "the file must be a mapping of keys (scenario, parameters, targets, ...)"}
	}
	return doc.Content[0], nil
}

func joinKey(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// decode decodes n onto v (a struct, slice, pointer, string or number).
func (d *decoder) decode(n *yaml.Node, v reflect.Value, path string) {
	if d.visits++; d.visits > maxNodes {
		if d.visits == maxNodes+1 {
			d.errorf(n, path, scenarios.ErrRange, "the file holds more than %d values (aliases expanding too far?)", maxNodes)
		}
		return
	}
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	d.pos[path] = pos{n.Line, n.Column}
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return // null keeps the default
	}
	switch v.Kind() {
	case reflect.Pointer:
		x := reflect.New(v.Type().Elem())
		d.decode(n, x.Elem(), path)
		v.Set(x)
	case reflect.Struct:
		if n.Kind != yaml.MappingNode {
			d.errorf(n, path, scenarios.ErrType, "want a mapping of keys (%s), got %s", strings.Join(keysOf(v.Type()), ", "), describe(n))
			return
		}
		seen := map[string]bool{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, val := n.Content[i], n.Content[i+1]
			p := joinKey(path, k.Value)
			f, ok := fieldByKey(v, k.Value)
			if !ok {
				d.errorf(k, p, scenarios.ErrUnknownKey, "unknown key %q (allowed: %s)", k.Value, strings.Join(keysOf(v.Type()), ", "))
				continue
			}
			if seen[k.Value] {
				d.errorf(k, p, scenarios.ErrDuplicate, "key %q appears twice", k.Value)
				continue
			}
			seen[k.Value] = true
			d.decode(val, f, p)
		}
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			d.errorf(n, path, scenarios.ErrType, "want a list, got %s", describe(n))
			return
		}
		s := reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
		for i, e := range n.Content {
			d.decode(e, s.Index(i), fmt.Sprintf("%s[%d]", path, i))
		}
		v.Set(s)
	default:
		if n.Kind != yaml.ScalarNode {
			d.errorf(n, path, scenarios.ErrType, "want %s, got %s", kindName(v.Kind()), describe(n))
			return
		}
		d.scalar(n, v, path)
	}
}

func (d *decoder) scalar(n *yaml.Node, v reflect.Value, path string) {
	s := n.Value
	switch v.Kind() {
	case reflect.String:
		v.SetString(s)
	case reflect.Float64:
		x, err := strconv.ParseFloat(strings.ReplaceAll(s, "_", ""), 64)
		if err != nil || (n.Tag != "!!float" && n.Tag != "!!int") {
			d.errorf(n, path, scenarios.ErrType, "want a number, got %s", describe(n))
			return
		}
		v.SetFloat(x)
	case reflect.Int:
		x, err := strconv.ParseInt(strings.ReplaceAll(s, "_", ""), 10, 64)
		if err != nil || n.Tag != "!!int" || int64(int(x)) != x {
			d.errorf(n, path, scenarios.ErrType, "want a whole number, got %s", describe(n))
			return
		}
		v.SetInt(x)
	case reflect.Uint64:
		x, err := strconv.ParseUint(strings.ReplaceAll(s, "_", ""), 10, 64)
		if err != nil || n.Tag != "!!int" {
			d.errorf(n, path, scenarios.ErrType, "want a whole number from 0 to 18446744073709551615, got %s", describe(n))
			return
		}
		v.SetUint(x)
	default:
		d.errorf(n, path, scenarios.ErrType, "unsupported value")
	}
}

func kindName(k reflect.Kind) string {
	switch k {
	case reflect.String:
		return "a text value"
	case reflect.Float64:
		return "a number"
	case reflect.Int, reflect.Uint64:
		return "a whole number"
	}
	return "a value"
}

// describe names what a node is, for messages.
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		return fmt.Sprintf("%q", n.Value)
	}
	return "something else"
}

func fieldByKey(v reflect.Value, key string) (reflect.Value, bool) {
	t := v.Type()
	for i := range t.NumField() {
		if tag, _, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ","); tag == key && tag != "-" && t.Field(i).IsExported() {
			return v.Field(i), true
		}
	}
	return reflect.Value{}, false
}

func keysOf(t reflect.Type) []string {
	var ks []string
	for i := range t.NumField() {
		if tag, _, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ","); tag != "" && tag != "-" && t.Field(i).IsExported() {
			ks = append(ks, tag)
		}
	}
	return ks
}
