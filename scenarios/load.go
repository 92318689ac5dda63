package scenarios

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// maxVisits bounds the values the decoder visits, so that a small file
// whose aliases expand to a huge tree is rejected instead of exhausting
// time and memory. Real scenarios have a few thousand values.
const maxVisits = 1 << 18

// maxProblems bounds the problems Load reports for one file.
const maxProblems = 100

// LoadFile reads the scenario file at path and loads it with Load.
func LoadFile(path string, overrides []Override) (*Scenario, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Load(path, data, overrides)
}

// Load parses data, the text of the scenario file named file, applies the
// overrides in order, decodes the result onto Default, fills list
// defaults with Normalize and checks it with Validate.
//
// Absent keys keep their defaults, and so do keys whose value is null. A
// list element starts from its type's SetDefaults. Anchors, aliases and
// merge keys (<<) are followed.
//
// Load reports every problem it finds, not only the first: its error is
// then always an Errors whose elements are *FieldError, positioned in file
// (or in SetFile for a value that came from an override) and wrapping one
// of the sentinels ErrSyntax, ErrUnknownKey, ErrType, ErrRange,
// ErrRequired, ErrDuplicate, ErrReference, ErrDate or ErrOverride. Load
// never panics, whatever data holds.
func Load(file string, data []byte, overrides []Override) (*Scenario, error) {
	root, ferr := parse(file, data)
	if ferr != nil {
		return nil, Errors{ferr}
	}
	var errs Errors
	for _, o := range overrides {
		if err := setPath(root, o.Path, o.Value); err != nil {
			errs = append(errs, err)
		}
	}
	d := &decoder{file: file, pos: make(map[string]origin)}
	s := Default()
	d.decode(root, reflect.ValueOf(&s).Elem(), "")
	errs = append(errs, d.errs...)
	// Past maxProblems the list is cut anyway, and checking a tree that
	// broken would mostly repeat what is already said.
	if !d.exhausted && len(d.errs) <= maxProblems {
		s.Normalize()
		for _, e := range s.validate(file, d.place, d.broken) {
			if !d.covers(e.Path) {
				errs = append(errs, e)
			}
		}
	}
	if len(errs) == 0 {
		return &s, nil
	}
	errs.sort()
	if n := len(errs) - maxProblems; n > 0 {
		errs = errs[:maxProblems]
		errs[maxProblems-1].Msg += fmt.Sprintf(" (and %d more problems not shown)", n)
	}
	return nil, errs
}

// parse reads the single YAML document of data and returns its top-level
// mapping.
func parse(file string, data []byte) (*yaml.Node, *FieldError) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, &FieldError{File: file, Line: 1, Err: ErrSyntax,
				Msg: "empty file: a scenario is a YAML mapping with at least name, sides, organizations and channels"}
		}
		return nil, syntaxError(file, data, err)
	}
	var extra yaml.Node
	switch err := dec.Decode(&extra); {
	case errors.Is(err, io.EOF):
	case err != nil:
		return nil, syntaxError(file, data, err)
	default:
		line := extra.Line
		if len(extra.Content) > 0 {
			line = extra.Content[0].Line
		}
		return nil, &FieldError{File: file, Line: line, Err: ErrSyntax,
			Msg: "a second YAML document: a scenario file holds exactly one (remove the '---' separator)"}
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		return nil, &FieldError{File: file, Line: 1, Err: ErrSyntax, Msg: "empty document: a scenario is a YAML mapping"}
	}
	root := resolve(doc.Content[0])
	switch {
	case root == nil:
		return nil, &FieldError{File: file, Line: doc.Content[0].Line, Column: doc.Content[0].Column, Err: ErrSyntax,
			Msg: "alias without an anchor"}
	case root.Kind == yaml.ScalarNode && root.ShortTag() == nullTag:
		return nil, &FieldError{File: file, Line: max(root.Line, 1), Column: root.Column, Err: ErrSyntax,
			Msg: "empty document: a scenario is a YAML mapping with at least name, sides, organizations and channels"}
	case root.Kind != yaml.MappingNode:
		return nil, &FieldError{File: file, Line: root.Line, Column: root.Column, Err: ErrType,
			Msg: "the top level must be a mapping of keys (name, sides, ...), got " + describe(root)}
	}
	return root, nil
}

var (
	syntaxLine    = regexp.MustCompile(`^(?:yaml: )?line (\d+): `)
	unknownAnchor = regexp.MustCompile(`^(?:yaml: )?unknown anchor '(.*)' referenced$`)
)

// parserProblems are the problems the YAML parser (rather than its
// scanner) reports. The parser counts their lines from 0 where the scanner
// counts from 1, and names no line for a problem on the first line.
var parserProblems = map[string]bool{
	"did not find expected ',' or ']'":       true,
	"did not find expected ',' or '}'":       true,
	"did not find expected '-' indicator":    true,
	"did not find expected <document start>": true,
	"did not find expected <stream-start>":   true,
	"did not find expected key":              true,
	"did not find expected node content":     true,
	"found duplicate %TAG directive":         true,
	"found duplicate %YAML directive":        true,
	"found incompatible YAML document":       true,
	"found undefined tag handle":             true,
}

// syntaxError turns an error of the YAML parser into a *FieldError with
// the line it names, or, for the few errors that name none, the line of
// the alias or byte at fault.
func syntaxError(file string, data []byte, err error) *FieldError {
	msg := err.Error()
	fe := &FieldError{File: file, Err: ErrSyntax}
	if m := syntaxLine.FindStringSubmatch(msg); m != nil {
		fe.Line, _ = strconv.Atoi(m[1])
		msg = msg[len(m[0]):]
		if parserProblems[msg] {
			fe.Line++
		}
	} else if m := unknownAnchor.FindStringSubmatch(msg); m != nil {
		msg = strings.TrimPrefix(msg, "yaml: ")
		fe.Line, fe.Column = lineCol(data, bytes.Index(data, []byte("*"+m[1])))
	} else {
		msg = strings.TrimPrefix(msg, "yaml: ")
		fe.Line, fe.Column = badByte(data)
		if parserProblems[msg] {
			fe.Line, fe.Column = 1, 0
		}
	}
	fe.Msg = msg
	return fe
}

// lineCol returns the line and column of byte offset i of data, or 1, 0
// when i is negative.
func lineCol(data []byte, i int) (line, col int) {
	if i < 0 {
		return 1, 0
	}
	line = 1 + bytes.Count(data[:i], []byte("\n"))
	col = 1 + utf8.RuneCount(data[bytes.LastIndexByte(data[:i], '\n')+1:i])
	return line, col
}

// badByte returns the line and column of the first byte of data that is
// not valid UTF-8 or is a control character YAML forbids, or 1, 0.
func badByte(data []byte) (line, col int) {
	line, col = 1, 1
	for len(data) > 0 {
		r, size := utf8.DecodeRune(data)
		if r == utf8.RuneError && size <= 1 ||
			r != '\t' && r != '\n' && r != '\r' && r != 0x85 && r != 0xFEFF && unicode.IsControl(r) {
			return line, col
		}
		if r == '\n' {
			line, col = line+1, 0
		}
		col++
		data = data[size:]
	}
	return 1, 0
}

const (
	nullTag  = "!!null"
	strTag   = "!!str"
	intTag   = "!!int"
	floatTag = "!!float"
	mergeTag = "!!merge"
)

var monthType = reflect.TypeFor[Month]()

// origin is where the node at a key path came from: a line and column of
// the file, or an override.
type origin struct {
	line, col int
	set       bool
}

// decoder decodes a yaml.Node tree onto a Go value by reflection,
// collecting problems instead of stopping at the first.
type decoder struct {
	file      string
	errs      Errors
	pos       map[string]origin // key path -> origin of its value node
	visits    int
	exhausted bool
}

// place returns the file, line and column of the node at path, or of its
// nearest ancestor that the file has.
func (d *decoder) place(path string) (file string, line, col int) {
	for {
		if o, ok := d.pos[path]; ok {
			if o.set {
				return SetFile, 0, 0
			}
			return d.file, o.line, o.col
		}
		if path == "" {
			return d.file, 0, 0
		}
		path = parentPath(path)
	}
}

// covers reports whether the decoder already reported a problem at path or
// at one of its ancestors, so that validating the value left there would
// only repeat it.
func (d *decoder) covers(path string) bool {
	for _, e := range d.errs {
		if within(path, e.Path) {
			return true
		}
	}
	return false
}

// broken reports whether the decoder failed to read the list at path, or
// the name, bloc or side of one of its elements, so that a name looked up
// in the list may be missing because of a problem already reported.
func (d *decoder) broken(list string) bool {
	for _, e := range d.errs {
		if !within(e.Path, list) {
			continue
		}
		rest := e.Path[len(list):]
		if rest == "" {
			return true
		}
		if rest[0] == '[' {
			if i := strings.IndexByte(rest, ']'); i >= 0 {
				switch rest[i+1:] {
				case "", ".name", ".bloc", ".side":
					return true
				}
			}
		}
	}
	return false
}

// within reports whether path is ancestor or a key path below it.
func within(path, ancestor string) bool {
	if ancestor == "" || path == ancestor {
		return true
	}
	return strings.HasPrefix(path, ancestor) && len(path) > len(ancestor) &&
		(path[len(ancestor)] == '.' || path[len(ancestor)] == '[')
}

func (d *decoder) errorf(n *yaml.Node, path string, sentinel error, format string, args ...any) {
	e := &FieldError{File: d.file, Line: n.Line, Column: n.Column, Path: path, Msg: fmt.Sprintf(format, args...), Err: sentinel}
	if n.Line == 0 {
		e.File = SetFile
	}
	d.errs = append(d.errs, e)
}

func (d *decoder) typeError(n *yaml.Node, path string, t reflect.Type) {
	d.errorf(n, path, ErrType, "expected %s, got %s", expected(t), describe(n))
}

// resolve follows aliases to the node they name; nil for a broken alias.
func resolve(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode; i++ {
		if i > 1000 {
			return nil
		}
		n = n.Alias
	}
	return n
}

// decode decodes n onto v, whose key path is path.
func (d *decoder) decode(n *yaml.Node, v reflect.Value, path string) {
	if d.exhausted || len(d.errs) > maxProblems {
		return
	}
	if d.visits++; d.visits > maxVisits {
		d.exhausted = true
		d.errorf(n, path, ErrSyntax, "the document expands to more than %d values (through aliases?)", maxVisits)
		return
	}
	r := resolve(n)
	if r == nil {
		d.errorf(n, path, ErrSyntax, "alias without an anchor")
		return
	}
	n = r
	if _, ok := d.pos[path]; !ok {
		d.pos[path] = origin{line: n.Line, col: n.Column, set: n.Line == 0}
	}
	if n.Kind == yaml.ScalarNode && n.ShortTag() == nullTag {
		return // a null value keeps the default
	}
	t := v.Type()
	if t == monthType {
		if n.Kind != yaml.ScalarNode {
			d.typeError(n, path, t)
			return
		}
		m, err := ParseMonth(n.Value)
		if err != nil {
			d.errorf(n, path, ErrDate, "%v", err)
			return
		}
		v.SetInt(int64(m))
		return
	}
	switch t.Kind() {
	case reflect.Struct:
		d.decodeStruct(n, v, path)
	case reflect.Slice:
		d.decodeSlice(n, v, path)
	case reflect.Map:
		d.decodeMap(n, v, path)
	default:
		d.decodeScalar(n, v, path)
	}
}

func (d *decoder) decodeStruct(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind != yaml.MappingNode {
		d.typeError(n, path, v.Type())
		return
	}
	fields := structFields(v.Type())
	for _, kv := range d.pairs(n, path, true) {
		key := kv.key.Value
		i, ok := fieldIndex(fields, key)
		if !ok {
			if msg, gone := removedKey(v.Type(), key); gone {
				d.errorf(kv.key, joinPath(path, key), ErrUnknownKey, "key %q %s", key, msg)
				continue
			}
			d.errorf(kv.key, joinPath(path, key), ErrUnknownKey, "unknown key %q%s", key, didYouMean(key, fieldKeys(fields), "allowed keys"))
			continue
		}
		d.decode(kv.value, v.Field(fields[i].index), joinPath(path, key))
	}
}

func (d *decoder) decodeSlice(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind != yaml.SequenceNode {
		d.typeError(n, path, v.Type())
		return
	}
	if len(n.Content) == 0 {
		v.SetZero() // an empty list is the same as none
		return
	}
	s := reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
	for i, c := range n.Content {
		e := s.Index(i)
		if sd, ok := e.Addr().Interface().(interface{ SetDefaults() }); ok {
			sd.SetDefaults()
		}
		d.decode(c, e, indexPath(path, i))
	}
	v.Set(s)
}

func (d *decoder) decodeMap(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind != yaml.MappingNode {
		d.typeError(n, path, v.Type())
		return
	}
	t := v.Type()
	m := reflect.MakeMap(t)
	for _, kv := range d.pairs(n, path, true) {
		p := joinPath(path, kv.key.Value)
		if val := resolve(kv.value); val != nil && val.Kind == yaml.ScalarNode && val.ShortTag() == nullTag {
			d.errorf(kv.value, p, ErrRequired, "a value is required")
			continue
		}
		e := reflect.New(t.Elem()).Elem()
		d.decode(kv.value, e, p)
		m.SetMapIndex(reflect.ValueOf(kv.key.Value), e)
	}
	if m.Len() == 0 {
		v.SetZero() // an empty mapping is the same as none
		return
	}
	v.Set(m)
}

func (d *decoder) decodeScalar(n *yaml.Node, v reflect.Value, path string) {
	t := v.Type()
	if n.Kind != yaml.ScalarNode {
		d.typeError(n, path, t)
		return
	}
	tag := n.ShortTag()
	switch t.Kind() {
	case reflect.String:
		if tag != strTag {
			d.errorf(n, path, ErrType, "expected %s, got %s (quote it to make it a string)", expected(t), describe(n))
			return
		}
		v.SetString(n.Value)
	case reflect.Float64:
		var f float64
		if tag != intTag && tag != floatTag || n.Decode(&f) != nil {
			d.typeError(n, path, t)
			return
		}
		v.SetFloat(f)
	case reflect.Int:
		i, ok := d.integer(n, path, t)
		if !ok {
			return
		}
		if i > math.MaxInt || i < math.MinInt {
			d.errorf(n, path, ErrRange, "%s is too large", n.Value)
			return
		}
		v.SetInt(i)
	case reflect.Uint64:
		if tag == intTag && strings.HasPrefix(strings.TrimSpace(n.Value), "-") {
			d.errorf(n, path, ErrRange, "%s is out of range: must not be negative", n.Value)
			return
		}
		var u uint64
		if tag == intTag && n.Decode(&u) == nil {
			v.SetUint(u)
			return
		}
		i, ok := d.integer(n, path, t)
		if !ok {
			return
		}
		if i < 0 {
			d.errorf(n, path, ErrRange, "%s is out of range: must not be negative", n.Value)
			return
		}
		v.SetUint(uint64(i))
	case reflect.Bool:
		// Only true and false: YAML 1.1's yes/no/on/off are strings here.
		var b bool
		if tag != "!!bool" || n.Decode(&b) != nil {
			d.typeError(n, path, t)
			return
		}
		v.SetBool(b)
	default:
		d.errorf(n, path, ErrType, "cannot decode into Go type %s", t)
	}
}

// integer decodes an integer, accepting a number like 1e6 whose value is a
// whole number.
func (d *decoder) integer(n *yaml.Node, path string, t reflect.Type) (int64, bool) {
	switch n.ShortTag() {
	case intTag:
		var i int64
		if n.Decode(&i) != nil {
			d.errorf(n, path, ErrRange, "%s is too large", n.Value)
			return 0, false
		}
		return i, true
	case floatTag:
		var f float64
		if n.Decode(&f) == nil && f == math.Trunc(f) && math.Abs(f) <= 1<<53 {
			return int64(f), true
		}
	}
	d.typeError(n, path, t)
	return 0, false
}

// pair is one key and value of a mapping.
type pair struct{ key, value *yaml.Node }

// pairs returns the keys and values of the mapping n, with merge keys
// (<<) expanded: explicit keys win over merged ones, and earlier merged
// mappings over later ones. When report is set it reports duplicate and
// non-string keys and bad merge values; otherwise it skips them silently.
func (d *decoder) pairs(n *yaml.Node, path string, report bool) []pair {
	// Count the pairs against the budget: merge keys can expand a small
	// file as aliases do.
	if d.visits += len(n.Content) / 2; d.visits > maxVisits {
		return nil
	}
	var own, merged []pair
	seen := make(map[string]*yaml.Node)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := resolve(n.Content[i]), n.Content[i+1]
		if k == nil || k.Kind != yaml.ScalarNode {
			if report {
				d.errorf(n.Content[i], path, ErrType, "a key must be a string, got %s", describe(n.Content[i]))
			}
			continue
		}
		if k.ShortTag() == mergeTag {
			merged = append(merged, d.mergePairs(k, val, path, report)...)
			continue
		}
		if first, dup := seen[k.Value]; dup {
			if report {
				d.errorf(k, joinPath(path, k.Value), ErrDuplicate, "duplicate key %q (first at line %d)", k.Value, first.Line)
			}
			continue
		}
		seen[k.Value] = k
		own = append(own, pair{k, val})
	}
	for _, p := range merged {
		if _, dup := seen[p.key.Value]; !dup {
			seen[p.key.Value] = p.key
			own = append(own, p)
		}
	}
	return own
}

// mergePairs returns the pairs a merge key brings in.
func (d *decoder) mergePairs(k, val *yaml.Node, path string, report bool) []pair {
	if d.visits++; d.visits > maxVisits {
		return nil
	}
	m := resolve(val)
	switch {
	case m != nil && m.Kind == yaml.MappingNode:
		return d.pairs(m, path, false)
	case m != nil && m.Kind == yaml.SequenceNode:
		var ps []pair
		for _, c := range m.Content {
			if c := resolve(c); c != nil && c.Kind == yaml.MappingNode {
				ps = append(ps, d.pairs(c, path, false)...)
			} else if report {
				d.errorf(k, path, ErrType, "a merge key (<<) takes a mapping or a list of mappings, got a list holding %s", describe(c))
			}
		}
		return ps
	}
	if report {
		d.errorf(k, path, ErrType, "a merge key (<<) takes a mapping or a list of mappings, got %s", describe(val))
	}
	return nil
}

// field is a struct field with its YAML key.
type field struct {
	key   string
	index int
}

// structFields returns the YAML keys of t's fields in declaration order.
func structFields(t reflect.Type) []field {
	var fs []field
	for i := range t.NumField() {
		f := t.Field(i)
		key, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if key == "" || key == "-" || !f.IsExported() {
			continue
		}
		fs = append(fs, field{key, i})
	}
	return fs
}

func fieldIndex(fs []field, key string) (int, bool) {
	for i, f := range fs {
		if f.key == key {
			return i, true
		}
	}
	return 0, false
}

func fieldKeys(fs []field) []string {
	keys := make([]string, len(fs))
	for i, f := range fs {
		keys[i] = f.key
	}
	return keys
}

// expected names the YAML form a Go type decodes from.
func expected(t reflect.Type) string {
	if t == monthType {
		return `a date "YYYY-MM"`
	}
	switch t.Kind() {
	case reflect.Struct:
		return "a mapping"
	case reflect.Slice:
		if t.Elem().Kind() == reflect.String {
			return "a list of names"
		}
		return "a list"
	case reflect.Map:
		return "a mapping"
	case reflect.String:
		return "a string"
	case reflect.Float64:
		return "a number"
	case reflect.Int:
		return "an integer"
	case reflect.Uint64:
		return "a non-negative integer"
	case reflect.Bool:
		return "true or false"
	}
	return t.String()
}

// describe names what a node holds, for messages.
func describe(n *yaml.Node) string {
	if n = resolve(n); n == nil {
		return "a broken alias"
	}
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.DocumentNode:
		return "a document"
	}
	val := n.Value
	if utf8.RuneCountInString(val) > 40 {
		val = string([]rune(val)[:40]) + "..."
	}
	switch n.ShortTag() {
	case strTag:
		return fmt.Sprintf("string %q", val)
	case intTag:
		return "integer " + val
	case floatTag:
		return "number " + val
	case "!!bool":
		return "boolean " + val
	case nullTag:
		return "null"
	case "!!timestamp":
		return "timestamp " + val
	}
	return fmt.Sprintf("%s %q", n.ShortTag(), val)
}

// joinPath appends a key to a key path.
func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// indexPath appends a list index to a key path.
func indexPath(path string, i int) string {
	return path + "[" + strconv.Itoa(i) + "]"
}

// parentPath strips the last key or index of a key path.
func parentPath(path string) string {
	if strings.HasSuffix(path, "]") {
		if i := strings.LastIndexByte(path, '['); i >= 0 {
			return path[:i]
		}
	}
	if i := strings.LastIndexAny(path, ".["); i >= 0 {
		return path[:i]
	}
	return ""
}
