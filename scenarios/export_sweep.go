package scenarios

import (
	"bytes"
	"errors"
	"io"
	"reflect"

	"go.yaml.in/yaml/v3"
)

// Locator returns the line and column, counting from 1, of the value at a
// key path of a decoded file, or of its nearest ancestor present in the
// file; 0, 0 when not even the top level has a position.
type Locator func(path string) (line, col int)

// DecodeStrict decodes the single YAML document of data, the text of the
// file named file, onto *v (a pointer to a struct) with the rules of Load:
// keys are the fields' yaml tags, unknown and duplicate keys, wrong types
// and syntax errors are reported with their positions, absent or null keys
// keep the value *v held before, list elements start from their type's
// SetDefaults, and anchors, aliases and merge keys are followed. The field
// types it decodes are those of Scenario: structs, slices, maps with
// string keys, string, float64, int, uint64 and Month.
//
// It lets other packages (the sweep experiment files) read their own
// schemas as strictly as scenarios are read. It does not validate values:
// the caller does, positioning its problems with the returned Locator. Its
// error is an Errors of *FieldError wrapping ErrSyntax, ErrUnknownKey,
// ErrType, ErrRange, ErrDuplicate, ErrRequired or ErrDate. It never
// panics, whatever data holds.
func DecodeStrict(file string, data []byte, v any) (Locator, error) {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() || rv.Elem().Kind() != reflect.Struct {
		return nil, errors.New("scenarios: DecodeStrict needs a non-nil pointer to a struct")
	}
	// An empty document gets a message that does not talk of scenarios.
	var doc yaml.Node
	if err := yaml.NewDecoder(bytes.NewReader(data)).Decode(&doc); errors.Is(err, io.EOF) ||
		err == nil && (len(doc.Content) == 0 || doc.Content[0].Kind == yaml.ScalarNode && doc.Content[0].ShortTag() == nullTag) {
		return nil, Errors{&FieldError{File: file, Line: 1, Err: ErrSyntax, Msg: "empty file: expected a YAML mapping of keys"}}
	}
	root, ferr := parse(file, data)
	if ferr != nil {
		if ferr.Err == ErrType && ferr.Path == "" {
			ferr.Msg = "the top level must be a mapping of keys, got " + describe(resolve(doc.Content[0]))
		}
		return nil, Errors{ferr}
	}
	d := &decoder{file: file, pos: make(map[string]origin)}
	d.decode(root, rv.Elem(), "")
	locate := func(path string) (int, int) {
		_, line, col := d.place(path)
		return line, col
	}
	if len(d.errs) > 0 {
		errs := d.errs
		errs.sort()
		if len(errs) > maxProblems {
			errs = errs[:maxProblems]
		}
		return locate, errs
	}
	return locate, nil
}

// SortErrors orders problems by line then column, as Load does, and
// returns es (nil when it is empty) as an error.
func SortErrors(es Errors) error { return es.err() }
