package scenarios

import (
	_ "embed"
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"math"
	"reflect"
	"regexp"
	"strconv"
	"strings"
)

// schemaSource is this package's schema file, parsed for the field
// descriptions of the JSON Schema.
//
//go:embed schema.go
var schemaSource []byte

// SchemaID is the $id of the scenario JSON Schema, and ExperimentSchemaID
// that of the sweep experiment schema: the URLs a YAML file names in its
// first line for yaml-language-server, "# yaml-language-server:
// $schema=...". Editors that cannot fetch them can use the files that
// `entrench schema scenario|experiment` writes.
const (
	SchemaID           = "https://entrench.github.io/schema/scenario.json"
	ExperimentSchemaID = "https://entrench.github.io/schema/experiment.json"
)

// FieldDocs returns the doc comment of every field of every struct type
// declared in a Go source file, keyed "Type.Field", each on one line.
func FieldDocs(src []byte) map[string]string {
	docs := map[string]string{}
	f, err := parser.ParseFile(token.NewFileSet(), "", src, parser.ParseComments)
	if err != nil {
		return docs
	}
	ast.Inspect(f, func(n ast.Node) bool {
		ts, ok := n.(*ast.TypeSpec)
		if !ok {
			return true
		}
		st, ok := ts.Type.(*ast.StructType)
		if !ok {
			return false
		}
		for _, fld := range st.Fields.List {
			if fld.Doc == nil {
				continue
			}
			text := strings.Join(strings.Fields(fld.Doc.Text()), " ")
			for _, name := range fld.Names {
				docs[ts.Name.Name+"."+name.Name] = text
			}
		}
		return false
	})
	return docs
}

// rangeInDoc finds "A to B" in a field's doc comment: its documented
// range. Commas in numbers are allowed (10,000,000).
var rangeInDoc = regexp.MustCompile(`(?:^|[ (,])(-?[0-9][0-9,]*(?:\.[0-9]+)?) to (-?[0-9][0-9,]*(?:\.[0-9]+)?)\b`)

// SchemaOf returns a JSON Schema (draft 2020-12) object for the Go struct
// value v, as the strict YAML loader reads it: keys are the yaml tags,
// unknown keys are refused (additionalProperties false), numbers, whole
// numbers, strings, lists and maps are typed, and a Month is "YYYY-MM".
// Each property's description is its field's doc comment from docs
// (FieldDocs), its default is the field's value in v when v's field is
// not zero (list elements take their SetDefaults values), a key whose
// doc comment says "Required." is required, and a range
// written "A to B" in the doc comment becomes minimum and maximum. The
// schema checks what a single key can get wrong; the loader checks
// references, uniqueness, cross-field rules and gives positioned errors.
func SchemaOf(v any, docs map[string]string) map[string]any {
	return structSchema(reflect.ValueOf(v), docs)
}

func structSchema(v reflect.Value, docs map[string]string) map[string]any {
	t := v.Type()
	props := map[string]any{}
	var required []string
	for i := range t.NumField() {
		f := t.Field(i)
		tag := strings.Split(f.Tag.Get("yaml"), ",")[0]
		if !f.IsExported() || tag == "" || tag == "-" {
			continue
		}
		p := typeSchema(f.Type, v.Field(i), docs)
		doc := docs[t.Name()+"."+f.Name]
		if doc != "" {
			p["description"] = doc
		}
		if requiredInDoc.MatchString(doc) {
			required = append(required, tag)
		}
		if f.Type.Kind() == reflect.Float64 || f.Type.Kind() == reflect.Int {
			if m := rangeInDoc.FindStringSubmatch(doc); m != nil {
				lo, err1 := strconv.ParseFloat(strings.ReplaceAll(m[1], ",", ""), 64)
				hi, err2 := strconv.ParseFloat(strings.ReplaceAll(m[2], ",", ""), 64)
				if err1 == nil && err2 == nil && lo < hi {
					p["minimum"], p["maximum"] = lo, hi
				}
			}
		}
		props[tag] = p
	}
	s := map[string]any{"type": "object", "properties": props, "additionalProperties": false}
	if len(required) > 0 {
		s["required"] = required
	}
	return s
}

// requiredInDoc finds "Required." (or ";", ","), the doc comments' mark of
// a key that must be given; "Required for ..." is conditional and left to
// the loader.
var requiredInDoc = regexp.MustCompile(`\bRequired[.;,]`)

// typeSchema returns the schema of a value of type t; v, when valid, is
// its default.
func typeSchema(t reflect.Type, v reflect.Value, docs map[string]string) map[string]any {
	if t == monthType {
		s := map[string]any{"type": "string", "pattern": `^[0-9]{4}-(0[1-9]|1[0-2])$`}
		if v.IsValid() && !v.IsZero() {
			m := Month(v.Int())
			s["default"] = m.String()
		}
		return s
	}
	var s map[string]any
	switch t.Kind() {
	case reflect.Struct:
		if !v.IsValid() {
			v = reflect.New(t).Elem()
		}
		return structSchema(v, docs)
	case reflect.Slice:
		return map[string]any{"type": "array", "items": typeSchema(t.Elem(), elemDefault(t.Elem()), docs)}
	case reflect.Map:
		return map[string]any{"type": "object", "additionalProperties": typeSchema(t.Elem(), reflect.Value{}, docs)}
	case reflect.String:
		s = map[string]any{"type": "string"}
	case reflect.Float64:
		s = map[string]any{"type": "number"}
	case reflect.Int:
		s = map[string]any{"type": "integer"}
	case reflect.Uint64:
		s = map[string]any{"type": "integer", "minimum": 0}
	case reflect.Bool:
		s = map[string]any{"type": "boolean"}
	default:
		s = map[string]any{}
	}
	if v.IsValid() && !v.IsZero() {
		d := v.Interface()
		if x, ok := d.(float64); !ok || !math.IsNaN(x) && !math.IsInf(x, 0) {
			s["default"] = d
		}
	}
	return s
}

// elemDefault returns a list element's defaults: the zero value after its
// SetDefaults method, if it has one.
func elemDefault(t reflect.Type) reflect.Value {
	if t.Kind() != reflect.Struct {
		return reflect.Value{}
	}
	p := reflect.New(t)
	if d, ok := p.Interface().(interface{ SetDefaults() }); ok {
		d.SetDefaults()
	}
	return p.Elem()
}

// JSONSchema returns the JSON Schema of scenario files, generated from the
// schema's Go types and doc comments, Default() and the lever registry
// (each lever's range, unit and help on its value key).
func JSONSchema() ([]byte, error) {
	s := SchemaOf(Default(), FieldDocs(schemaSource))
	for _, l := range LeverSpecs() {
		p := schemaAt(s, l.Path)
		if p == nil {
			continue
		}
		p["minimum"], p["maximum"] = l.Min, l.Max
		if l.Open {
			delete(p, "minimum")
			delete(p, "maximum")
			p["exclusiveMinimum"], p["exclusiveMaximum"] = l.Min, l.Max
		}
		if l.Integer {
			p["type"] = "integer"
		}
		p["description"] = strings.TrimSpace(l.Label + " (" + l.Unit + "). " + l.Help)
	}
	for path, enum := range map[string][]string{
		"organizations.kind": OrganizationKinds, "channels.kind": ChannelKinds, "events.kind": EventKinds, "events.crisis_kind": CrisisKinds,
		"sides.bloc": {BlocEast, BlocWest},
	} {
		list, key, _ := strings.Cut(path, ".")
		items, _ := schemaAt(s, list)["items"].(map[string]any)
		if p := schemaAt(items, key); p != nil {
			p["enum"] = enum
		}
	}
	s["$schema"] = "https://json-schema.org/draft/2020-12/schema"
	s["$id"] = SchemaID
	s["title"] = "entrench scenario"
	s["description"] = "A scenario file of entrench (scenarios/schema.go). The loader (entrench validate) checks more than this schema: references between names, uniqueness, rules across keys, and gives file:line:column errors."
	return json.MarshalIndent(s, "", "  ")
}

// schemaAt returns the property schema at a dotted key path, or nil.
func schemaAt(s map[string]any, path string) map[string]any {
	for _, k := range strings.Split(path, ".") {
		props, _ := s["properties"].(map[string]any)
		next, _ := props[k].(map[string]any)
		if next == nil {
			return nil
		}
		s = next
	}
	return s
}
