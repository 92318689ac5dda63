package scenarios

import (
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Override sets the value at a key path of a scenario file before it is
// decoded, so that it is checked like the file itself; the command line's
// --set flag makes one per use.
//
// Path is dot-separated keys from the top of the file. A list element is
// chosen by index, channels[2].capacity, or by the value of its name key,
// channels.tapi.capacity or organizations.gazprom.influence. The key of a
// lever event's set mapping is the rest of the path, dots included:
// events[4].set.defense_sales.count. Keys missing from the file are
// created (levers.tapi_stake.value when the file has no levers); list
// elements are not.
//
// Value is YAML: a scalar such as 0.5, 2010-06 or gazprom, or a flow
// collection such as [gazprom, dhs] or {value: 1, from: 2011-01}. An empty
// value is null, which restores the default.
type Override struct {
	Path, Value string
}

// String formats the override as path=value.
func (o Override) String() string { return o.Path + "=" + o.Value }

// ParseOverride parses "key.path=value". Its errors are *FieldError with
// File SetFile wrapping ErrOverride.
func ParseOverride(s string) (Override, error) {
	path, value, ok := strings.Cut(s, "=")
	path = strings.TrimSpace(path)
	if !ok || path == "" {
		return Override{}, &FieldError{File: SetFile, Err: ErrOverride,
			Msg: fmt.Sprintf("%q is not of the form key.path=value", s)}
	}
	if _, err := parsePath(path); err != nil {
		return Override{}, &FieldError{File: SetFile, Path: path, Err: ErrOverride, Msg: err.Error()}
	}
	return Override{Path: path, Value: strings.TrimSpace(value)}, nil
}

// SetPath sets the value at path of the scenario YAML tree doc (a document
// node or its top-level mapping) to value, parsed as YAML, following the
// Override rules. It knows the schema: a key the schema lacks is an error
// with a suggestion. The new nodes have line 0, which Load reports as
// SetFile. Nodes reached through an alias or carrying an anchor are copied
// first, so the change stays at path. Its error is a *FieldError with File
// SetFile wrapping ErrOverride (and ErrUnknownKey or ErrType when those
// are the cause).
func SetPath(doc *yaml.Node, path, value string) error {
	if doc == nil {
		return &FieldError{File: SetFile, Path: path, Err: ErrOverride, Msg: "no document"}
	}
	if doc.Kind == yaml.DocumentNode {
		if len(doc.Content) == 0 {
			return &FieldError{File: SetFile, Path: path, Err: ErrOverride, Msg: "empty document"}
		}
		doc = doc.Content[0]
	}
	if err := setPath(doc, path, value); err != nil {
		return err
	}
	return nil
}

// step is one component of a key path: a key, or an index when index >= 0.
type step struct {
	key   string
	index int
}

// parsePath splits a key path into steps.
func parsePath(path string) ([]step, error) {
	if path == "" {
		return nil, errors.New("empty key path")
	}
	var steps []step
	for seg := range strings.SplitSeq(path, ".") {
		key, rest, _ := strings.Cut(seg, "[")
		if key == "" {
			return nil, fmt.Errorf("empty key in key path %q", path)
		}
		if strings.Contains(key, "]") {
			return nil, fmt.Errorf("unbalanced ']' in key path %q", path)
		}
		steps = append(steps, step{key: key, index: -1})
		for rest != "" {
			num, after, ok := strings.Cut(rest, "]")
			i, err := strconv.Atoi(num)
			if !ok || err != nil || i < 0 || num != strconv.Itoa(i) {
				return nil, fmt.Errorf("bad list index [%s in key path %q", rest, path)
			}
			steps = append(steps, step{index: i})
			if after == "" {
				break
			}
			if after[0] != '[' {
				return nil, fmt.Errorf("unexpected %q after ] in key path %q (use a dot before a key)", after, path)
			}
			rest = after[1:]
		}
	}
	return steps, nil
}

// parseValue parses an override's value as a YAML node with no position.
func parseValue(value string) (*yaml.Node, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(value), &doc); err != nil {
		return nil, fmt.Errorf("value %q is not valid YAML: %s", value, strings.TrimPrefix(err.Error(), "yaml: "))
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: nullTag}, nil
	}
	n := doc.Content[0]
	clearPositions(n, 0)
	return n, nil
}

// clearPositions marks n and its children as coming from an override.
func clearPositions(n *yaml.Node, depth int) {
	if n == nil || depth > 10000 {
		return
	}
	n.Line, n.Column = 0, 0
	for _, c := range n.Content {
		clearPositions(c, depth+1)
	}
}

// setPath is SetPath on a top-level mapping.
func setPath(root *yaml.Node, path, value string) *FieldError {
	fail := func(sentinel error, format string, args ...any) *FieldError {
		err := ErrOverride
		if sentinel != nil {
			err = fmt.Errorf("%w: %w", ErrOverride, sentinel)
		}
		return &FieldError{File: SetFile, Path: path, Msg: fmt.Sprintf(format, args...), Err: err}
	}
	steps, err := parsePath(path)
	if err != nil {
		return fail(nil, "%v", err)
	}
	val, err := parseValue(value)
	if err != nil {
		return fail(nil, "%v", err)
	}
	slot := &root
	t := reflect.TypeFor[Scenario]()
	canon := "" // the index form of the path reached so far
	for i := 0; i < len(steps); i++ {
		st := steps[i]
		at := canon
		if at == "" {
			at = "the top level"
		}
		n := root // the caller holds the top level: change it in place
		if i > 0 {
			n = own(slot)
		}
		if n == nil {
			return fail(ErrSyntax, "alias without an anchor at %s", at)
		}
		switch {
		case t == monthType || t.Kind() != reflect.Struct && t.Kind() != reflect.Slice && t.Kind() != reflect.Map:
			return fail(ErrUnknownKey, "%s is %s and has no keys or elements", at, expected(t))

		case t.Kind() == reflect.Struct:
			if st.index >= 0 {
				return fail(ErrType, "%s is a mapping, not a list: use a key, not [%d]", at, st.index)
			}
			fields := structFields(t)
			fi, ok := fieldIndex(fields, st.key)
			if !ok {
				if msg, gone := removedKey(t, st.key); gone {
					return fail(ErrUnknownKey, "%s: key %q %s", at, st.key, msg)
				}
				return fail(ErrUnknownKey, "%s has no key %q%s", at, st.key, didYouMean(st.key, fieldKeys(fields), "allowed keys"))
			}
			if !toMapping(n) {
				return fail(ErrType, "%s is %s in the file, not a mapping", at, describe(n))
			}
			slot = mappingSlot(n, st.key)
			t = t.Field(fields[fi].index).Type
			canon = joinPath(canon, st.key)

		case t.Kind() == reflect.Slice:
			if n.Kind != yaml.SequenceNode {
				if n.Kind == yaml.ScalarNode && n.ShortTag() == nullTag {
					return fail(nil, "%s has no elements to choose from", at)
				}
				return fail(ErrType, "%s is %s in the file, not a list", at, describe(n))
			}
			idx := st.index
			if idx < 0 {
				var used int
				idx, used = byName(n, steps[i:])
				if idx < 0 {
					names := elementNames(n)
					if t.Elem().Kind() != reflect.Struct || len(names) == 0 {
						return fail(nil, "%s has no named elements: choose one by index, as in %s[0]", at, at)
					}
					return fail(nil, "%s has no element named %q%s", at, st.key, didYouMean(st.key, names, "names"))
				}
				i += used - 1
			} else if idx >= len(n.Content) {
				return fail(nil, "index %d is out of range: %s has %d elements", idx, at, len(n.Content))
			}
			slot = &n.Content[idx]
			t = t.Elem()
			canon = indexPath(canon, idx)

		case t.Kind() == reflect.Map:
			keys := make([]string, 0, len(steps)-i)
			for _, s := range steps[i:] {
				if s.index >= 0 {
					return fail(ErrType, "%s is a mapping, not a list: use a key, not [%d]", at, s.index)
				}
				keys = append(keys, s.key)
			}
			if !toMapping(n) {
				return fail(ErrType, "%s is %s in the file, not a mapping", at, describe(n))
			}
			key := strings.Join(keys, ".")
			slot = mappingSlot(n, key)
			t = t.Elem()
			canon = joinPath(canon, key)
			i = len(steps)
		}
	}
	*slot = val
	return nil
}

// own makes the node in *slot safe to change in place: an alias is
// replaced by a copy of what it names, and an anchored node by a copy
// without the anchor, so that the aliases elsewhere keep the old value.
func own(slot **yaml.Node) *yaml.Node {
	n := *slot
	switch {
	case n.Kind == yaml.AliasNode:
		r := resolve(n)
		if r == nil {
			return nil
		}
		n = copyNode(r)
	case n.Anchor != "":
		n = copyNode(n)
	default:
		return n
	}
	n.Anchor = ""
	*slot = n
	return n
}

// copyNode copies n and its content; aliases inside still point to the
// nodes they named.
func copyNode(n *yaml.Node) *yaml.Node {
	c := *n
	c.Content = make([]*yaml.Node, len(n.Content))
	for i, x := range n.Content {
		c.Content[i] = copyNode(x)
	}
	return &c
}

// toMapping turns a null node into an empty mapping and reports whether n
// is a mapping.
func toMapping(n *yaml.Node) bool {
	if n.Kind == yaml.ScalarNode && n.ShortTag() == nullTag {
		*n = yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: n.Line, Column: n.Column}
	}
	return n.Kind == yaml.MappingNode
}

// mappingSlot returns the value slot of key in the mapping n, adding the
// key when missing. A key only present through a merge key (<<) is added
// with a copy of the merged value.
func mappingSlot(n *yaml.Node, key string) **yaml.Node {
	for i := 0; i+1 < len(n.Content); i += 2 {
		if k := resolve(n.Content[i]); k != nil && k.Kind == yaml.ScalarNode && k.ShortTag() != mergeTag && k.Value == key {
			return &n.Content[i+1]
		}
	}
	value := &yaml.Node{Kind: yaml.ScalarNode, Tag: nullTag}
	var d decoder
	for _, p := range d.pairs(n, "", false) {
		if p.key.Value == key {
			if r := resolve(p.value); r != nil {
				value = copyNode(r)
				value.Anchor = ""
			}
			break
		}
	}
	n.Content = append(n.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: strTag, Value: key}, value)
	return &n.Content[len(n.Content)-1]
}

// byName finds the element of the list n whose name key equals the first
// key of steps or, for names with dots, the first several keys joined by
// dots. It returns the element's index and how many steps the name used,
// or -1.
func byName(n *yaml.Node, steps []step) (index, used int) {
	names := make(map[string]int)
	for i, e := range n.Content {
		if name, ok := elementName(e); ok {
			if _, dup := names[name]; !dup {
				names[name] = i
			}
		}
	}
	key := ""
	for j, s := range steps {
		if s.index >= 0 {
			break
		}
		key = joinPath(key, s.key)
		if i, ok := names[key]; ok {
			return i, j + 1
		}
	}
	return -1, 0
}

// elementName returns the value of the name key of a list element.
func elementName(e *yaml.Node) (string, bool) {
	e = resolve(e)
	if e == nil || e.Kind != yaml.MappingNode {
		return "", false
	}
	var d decoder
	for _, p := range d.pairs(e, "", false) {
		if p.key.Value == "name" {
			if v := resolve(p.value); v != nil && v.Kind == yaml.ScalarNode {
				return v.Value, true
			}
		}
	}
	return "", false
}

// elementNames lists the names of a list's elements, for messages.
func elementNames(n *yaml.Node) []string {
	var names []string
	for _, e := range n.Content {
		if name, ok := elementName(e); ok {
			names = append(names, name)
		}
	}
	return names
}
