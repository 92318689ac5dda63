package reference

import (
	"bytes"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"

	"github.com/entrench/entrench/scenarios"
	"github.com/entrench/entrench/sim"
	"github.com/entrench/entrench/sweep"
)

// ErrDrift is wrapped by the errors of a doc comment that disagrees with
// the code, or a schema field with no doc comment.
var ErrDrift = errors.New("reference: doc comment disagrees with the code")

// Row is one key of a reference table.
type Row struct {
	// Key is the key path in the file, e.g. "crises.rate_per_year" or
	// "sides[].attention".
	Key string
	// Type is the YAML type in words, e.g. "number" or "month YYYY-MM".
	Type string
	// Default is the value an absent key takes, formatted for a table.
	Default string
	// Doc is the field's doc comment in one paragraph: meaning, unit and
	// range.
	Doc string
}

// Section is a titled table of keys: the top level of a file, or one
// mapping or list element inside it.
type Section struct {
	// Key is the key path of the mapping ("" for the top level; "sides[]"
	// for the elements of a list).
	Key string
	// Title is the section's heading: the key path in code format, or words
	// for the top level and for a type several keys share.
	Title string
	// Type is the Go type the section documents, e.g. "Side".
	Type string
	// Doc is the Go type's doc comment.
	Doc string
	// Rows are the keys, in file order.
	Rows []Row
}

// comments holds the doc comments of a package's struct types and fields.
type comments struct {
	types  map[string]string            // type name -> doc
	fields map[string]map[string]string // type name -> field name -> doc
}

// readComments parses the non-test Go files of dir and collects the doc
// comments of struct types and their fields.
func readComments(dir string) (*comments, error) {
	fset := token.NewFileSet()
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("reference: reading the source of %s: %w", dir, err)
	}
	c := &comments{types: map[string]string{}, fields: map[string]map[string]string{}}
	for _, e := range ents {
		name := e.Name()
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, filepath.Join(dir, name), nil, parser.ParseComments)
		if err != nil {
			return nil, fmt.Errorf("reference: %w", err)
		}
		for _, d := range f.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok || gd.Tok != token.TYPE {
				continue
			}
			for _, s := range gd.Specs {
				ts := s.(*ast.TypeSpec)
				st, ok := ts.Type.(*ast.StructType)
				if !ok {
					continue
				}
				doc := ts.Doc
				if doc == nil && len(gd.Specs) == 1 {
					doc = gd.Doc
				}
				c.types[ts.Name.Name] = paragraph(doc.Text())
				fm := map[string]string{}
				for _, fld := range st.Fields.List {
					for _, n := range fld.Names {
						fm[n.Name] = paragraph(fld.Doc.Text())
					}
				}
				c.fields[ts.Name.Name] = fm
			}
		}
	}
	return c, nil
}

// paragraph joins a comment's lines into one paragraph.
func paragraph(s string) string { return strings.Join(strings.Fields(s), " ") }

// leadRE matches the Go field name that opens a doc comment ("Horizon is
// the number..."), which a reader of YAML does not need.
var leadRE = regexp.MustCompile(`^[A-Z][A-Za-z0-9]* (is|are) `)

// yamlDoc rewrites a field's doc comment for a reader of YAML: without the
// leading Go name.
func yamlDoc(doc string) string {
	if loc := leadRE.FindStringIndex(doc); loc != nil {
		rest := doc[loc[1]:]
		if rest != "" {
			return strings.ToUpper(rest[:1]) + rest[1:]
		}
	}
	return doc
}

// monthType is the type of calendar months, shown as YYYY-MM.
var monthType = reflect.TypeFor[scenarios.Month]()

// defaulter is implemented by list elements that set their own defaults.
type defaulter interface{ SetDefaults() }

// walker turns a struct type and its default value into sections.
type walker struct {
	c        *comments
	typeName string // Go type name prefix for messages, e.g. "scenarios."
	elem     map[reflect.Type]reflect.Value
	shared   map[reflect.Type]bool // struct types documented once, by type
	sections []Section
	done     map[reflect.Type]bool
	errs     []error
}

// walk documents the struct value v (of a struct type) under key path key.
func (w *walker) walk(key string, v reflect.Value) {
	t := v.Type()
	sec := Section{Key: key, Title: "`" + key + "`", Type: t.Name(), Doc: w.c.types[t.Name()]}
	if key == "" {
		sec.Title = "Top-level keys"
	}
	idx := len(w.sections)
	w.sections = append(w.sections, sec)
	var later []func()
	prevDoc := ""
	for i := range t.NumField() {
		f := t.Field(i)
		tag := strings.Split(f.Tag.Get("yaml"), ",")[0]
		if !f.IsExported() || tag == "" || tag == "-" {
			continue
		}
		k := tag
		if key != "" {
			k = key + "." + tag
		}
		doc := w.c.fields[t.Name()][f.Name]
		fv := v.Field(i)
		w.check(t.Name()+"."+f.Name, doc, fv)
		row := Row{Key: k, Type: typeWords(f.Type), Default: format(fv), Doc: yamlDoc(doc)}
		if doc == "" {
			// A field may share the comment of the one before it ("Min and
			// Max bound ..."), which must then name it.
			if rows := w.sections[idx].Rows; len(rows) > 0 && strings.Contains(prevDoc, f.Name) {
				row.Doc = "See `" + rows[len(rows)-1].Key + "`."
			} else {
				w.errs = append(w.errs, fmt.Errorf("%w: %s%s.%s has no doc comment", ErrDrift, w.typeName, t.Name(), f.Name))
			}
		}
		prevDoc = doc
		switch {
		case f.Type.Kind() == reflect.Struct && w.shared[f.Type]:
			row.Type = "mapping: a " + strings.ToLower(f.Type.Name()) + " (below)"
			row.Default = "see below"
			if !w.done[f.Type] {
				w.done[f.Type] = true
				ft, zero := f.Type, reflect.New(f.Type).Elem()
				later = append(later, func() { w.walkShared(ft, zero) })
			}
		case f.Type.Kind() == reflect.Struct:
			row.Type = "mapping (below)"
			row.Default = "see below"
			later = append(later, func() { w.walk(k, fv) })
		case f.Type.Kind() == reflect.Slice && f.Type.Elem().Kind() == reflect.Struct:
			et := f.Type.Elem()
			ev := reflect.New(et)
			if d, ok := ev.Interface().(defaulter); ok {
				d.SetDefaults()
			}
			if e, ok := w.elem[et]; ok {
				ev = e.Addr()
			}
			later = append(later, func() { w.walk(k+"[]", ev.Elem()) })
		}
		w.sections[idx].Rows = append(w.sections[idx].Rows, row)
	}
	for _, f := range later {
		f()
	}
}

// walkShared documents a struct type used by several keys once, under its
// type name.
func (w *walker) walkShared(t reflect.Type, v reflect.Value) {
	n := len(w.sections)
	name := strings.ToLower(t.Name())
	w.walk("<"+name+">", v)
	w.sections[n].Title = "Each " + name + " (the keys of `<" + name + ">` above)"
}

// defaultRE finds a default a doc comment states: a number or a quoted
// string after "Default".
var defaultRE = regexp.MustCompile(`Default:? ([0-9]{4}-[0-9]{2}|-?[0-9][0-9,]*(?:\.[0-9]+)?|"[^"]*")`)

// check compares the default a doc comment states with the code's.
func (w *walker) check(field, doc string, v reflect.Value) {
	m := defaultRE.FindStringSubmatch(doc)
	if m == nil {
		return
	}
	said := m[1]
	var ok bool
	switch {
	case v.Type() == monthType:
		ok = said == scenarios.Month(v.Int()).String()
	default:
		ok = w.checkKind(said, v)
	}
	if !ok {
		w.errs = append(w.errs, fmt.Errorf("%w: %s%s: the doc comment says default %s, the code sets %s", ErrDrift, w.typeName, field, said, format(v)))
	}
}

// checkKind compares a stated default with a number or string value; other
// kinds always agree.
func (w *walker) checkKind(said string, v reflect.Value) bool {
	var ok bool
	switch v.Kind() {
	case reflect.Float64, reflect.Int, reflect.Int64, reflect.Uint64:
		x, err := strconv.ParseFloat(strings.ReplaceAll(said, ",", ""), 64)
		ok = err == nil && x == number(v)
	case reflect.String:
		ok = said == strconv.Quote(v.String())
	default:
		return true
	}
	return ok
}

// number returns a numeric value as a float64.
func number(v reflect.Value) float64 {
	switch v.Kind() {
	case reflect.Float64:
		return v.Float()
	case reflect.Int, reflect.Int64:
		return float64(v.Int())
	case reflect.Uint64:
		return float64(v.Uint())
	}
	return math.NaN()
}

// typeWords names a Go field type in the words of a YAML reader.
func typeWords(t reflect.Type) string {
	if t == monthType {
		return "month YYYY-MM"
	}
	switch t.Kind() {
	case reflect.String:
		return "string"
	case reflect.Int, reflect.Int64:
		return "integer"
	case reflect.Uint64:
		return "integer ≥ 0"
	case reflect.Float64:
		return "number"
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Struct {
			return "list (below)"
		}
		return "list of " + typeWords(t.Elem()) + "s"
	case reflect.Map:
		return "mapping: " + typeWords(t.Key()) + " → " + typeWords(t.Elem())
	}
	return t.Kind().String()
}

// format writes a default value for a table.
func format(v reflect.Value) string {
	if v.Type() == monthType {
		if v.Int() == 0 {
			return "unset"
		}
		return "`" + scenarios.Month(v.Int()).String() + "`"
	}
	switch v.Kind() {
	case reflect.String:
		if v.String() == "" {
			return "—"
		}
		return "`" + v.String() + "`"
	case reflect.Int, reflect.Int64, reflect.Uint64, reflect.Float64:
		x := number(v)
		if math.IsNaN(x) {
			return "unset"
		}
		return strconv.FormatFloat(x, 'g', -1, 64)
	case reflect.Slice:
		if v.Len() == 0 {
			return "—"
		}
		parts := make([]string, v.Len())
		for i := range v.Len() {
			e := v.Index(i)
			if e.Kind() == reflect.Struct {
				if n := e.FieldByName("Name"); n.IsValid() {
					parts[i] = n.String()
					continue
				}
			}
			parts[i] = strings.Trim(format(e), "`")
		}
		return "`[" + strings.Join(parts, ", ") + "]`"
	case reflect.Map:
		if v.Len() == 0 {
			return "—"
		}
	}
	return fmt.Sprint(v.Interface())
}

// ScenarioSections documents every key of a scenario file: the schema's
// doc comments from root/scenarios, and the defaults of scenarios.Default
// (normalized) and of the list elements' SetDefaults methods. Its error
// wraps ErrDrift when a field has no doc comment or a comment states a
// default the code does not set.
func ScenarioSections(root string) ([]Section, error) {
	c, err := readComments(filepath.Join(root, "scenarios"))
	if err != nil {
		return nil, err
	}
	def := scenarios.Default()
	def.Normalize()
	w := &walker{c: c, typeName: "scenarios.", done: map[reflect.Type]bool{},
		shared: map[reflect.Type]bool{reflect.TypeFor[scenarios.Lever](): true}}
	w.walk("", reflect.ValueOf(&def).Elem())
	return w.sections, errors.Join(w.errs...)
}

// ExperimentSections documents every key of an experiment file, from the
// doc comments in root/sweep and sweep.DefaultExperiment and
// sweep.DefaultFactor.
func ExperimentSections(root string) ([]Section, error) {
	c, err := readComments(filepath.Join(root, "sweep"))
	if err != nil {
		return nil, err
	}
	def := sweep.DefaultExperiment()
	f := sweep.DefaultFactor()
	w := &walker{c: c, typeName: "sweep.", done: map[reflect.Type]bool{},
		elem: map[reflect.Type]reflect.Value{reflect.TypeFor[sweep.Factor](): reflect.ValueOf(&f).Elem()}}
	w.walk("", reflect.ValueOf(&def).Elem())
	return w.sections, errors.Join(w.errs...)
}

// Lever is one row of the lever table.
type Lever struct {
	// Key is the lever path a lever event's set mapping uses.
	Key string
	// Path is the key path of its value in a scenario file.
	Path string
	// Label, Unit and Help are the registry's.
	Label, Unit, Help string
	// Range states the accepted values in words.
	Range string
	// Default is the lever's value in a scenario that does not set it.
	Default string
}

// Levers returns the lever registry as table rows, with the values of the
// default scenario.
func Levers() []Lever {
	def := scenarios.Default()
	def.Normalize()
	var out []Lever
	for _, l := range scenarios.LeverSpecs() {
		out = append(out, Lever{
			Key: l.Key, Path: l.Path, Label: l.Label, Unit: l.Unit, Help: l.Help,
			Range:   leverRange(l),
			Default: strconv.FormatFloat(l.Setting(&def).Value, 'g', -1, 64),
		})
	}
	return out
}

// leverRange states a lever's accepted values, as LeverSpec.Check checks
// them.
func leverRange(l scenarios.LeverSpec) string {
	lo, hi := strconv.FormatFloat(l.Min, 'g', -1, 64), strconv.FormatFloat(l.Max, 'g', -1, 64)
	switch {
	case l.Keep:
		return "−1 (keep the side's own) or " + lo + " to " + hi
	case l.Integer:
		return "whole " + l.Noun + ", " + lo + " to " + hi
	case l.Open:
		return "strictly between " + lo + " and " + hi
	}
	return lo + " to " + hi
}

// cell escapes text for a Markdown table cell.
func cell(s string) string {
	return strings.NewReplacer("|", `\|`, "\n", " ").Replace(s)
}

// writeSections writes sections as Markdown tables under headings of the
// given level.
func writeSections(b *bytes.Buffer, secs []Section, level int) {
	h := strings.Repeat("#", level)
	for _, s := range secs {
		fmt.Fprintf(b, "%s %s\n\n", h, s.Title)
		if s.Doc != "" {
			fmt.Fprintf(b, "%s\n\n", s.Doc)
		}
		b.WriteString("| key | type | default | meaning, unit and range |\n|---|---|---|---|\n")
		for _, r := range s.Rows {
			fmt.Fprintf(b, "| `%s` | %s | %s | %s |\n", r.Key, r.Type, cell(r.Default), cell(r.Doc))
		}
		b.WriteString("\n")
	}
}

// writeLevers writes the lever table.
func writeLevers(b *bytes.Buffer) {
	b.WriteString("| lever path (`set` key of a lever event) | scenario key | unit | range | default | what it does |\n|---|---|---|---|---|---|\n")
	for _, l := range Levers() {
		fmt.Fprintf(b, "| `%s` | `%s` | %s | %s | %s | %s: %s |\n", l.Key, l.Path, cell(l.Unit), l.Range, l.Default, cell(l.Label), cell(l.Help))
	}
	b.WriteString("\n")
}

// generatedNote opens every generated file.
const generatedNote = "<!-- Generated by `make docs` (entrench gendocs) from the code. Do not edit: edit the doc comments, defaults or lever registry and regenerate. -->\n\n"

// ScenarioMarkdown returns docs/reference/scenario.md.
func ScenarioMarkdown(root string) ([]byte, error) {
	secs, err := ScenarioSections(root)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.WriteString(generatedNote)
	b.WriteString("# Scenario file reference\n\n")
	b.WriteString("A scenario is one YAML mapping decoded strictly onto `scenarios.Scenario`: an unknown key, a wrong type or a value out of range is an error naming the file, line, column and key path. An absent key takes the default below. List elements (`sides`, `organizations`, `channels`, `events`, `ranks`) start from their own defaults. Every table is generated from the Go doc comments of `scenarios/schema.go`, the defaults of `scenarios/defaults.go` and the lever registry of `scenarios/levers.go`. How to write a scenario is in the [modelers' guide](../guide/modelers.md).\n\n")
	fmt.Fprintf(&b, "Allowed values: blocs `%s`, `%s`; organization kinds %s; channel kinds %s; event kinds %s.\n\n",
		scenarios.BlocEast, scenarios.BlocWest, codeList(scenarios.OrganizationKinds), codeList(scenarios.ChannelKinds), codeList(scenarios.EventKinds))
	writeSections(&b, secs, 2)
	b.WriteString("## Levers\n\n")
	b.WriteString("The lever registry (`scenarios.LeverSpecs`): every value a `lever` event may set at a date (its `set` mapping takes the lever paths of the first column), and the key in the scenario file that sets it from the start. The lab's sliders, validation and the sweep's factor checks read the same table.\n\n")
	writeLevers(&b)
	return b.Bytes(), nil
}

// ExperimentMarkdown returns docs/reference/experiment.md.
func ExperimentMarkdown(root string) ([]byte, error) {
	secs, err := ExperimentSections(root)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.WriteString(generatedNote)
	b.WriteString("# Experiment file reference\n\n")
	b.WriteString("An experiment file (for `entrench sweep`) is YAML loaded as strictly as a scenario. Every table is generated from the Go doc comments of `sweep/experiment.go` and `sweep.DefaultExperiment`. How to run a sweep, on a workstation or as a Slurm job array, is in the [sweeps and cluster guide](../guide/cluster.md).\n\n")
	fmt.Fprintf(&b, "Design kinds: `%s`, `%s`, `%s`, `%s`. Distributions: `%s` (default), `%s`, `%s`, `%s`. Limits: at most %d design points, %d replicates per point, %d bootstrap resamples.\n\n",
		sweep.Grid, sweep.LHS, sweep.Sobol, sweep.Morris, sweep.Uniform, sweep.LogUniform, sweep.Triangular, sweep.Normal,
		sweep.MaxPoints, sweep.MaxReplicates, sweep.MaxBootstrap)
	fmt.Fprintf(&b, "Metrics (`metrics`, the columns of `runs.csv`): %s.\n\n", codeList(sim.SummaryNames[:]))
	b.WriteString("A factor's `path` is any scenario key path that `--set` accepts (see the [scenario reference](scenario.md)); the usual ones are the lever keys.\n\n")
	writeSections(&b, secs, 2)
	return b.Bytes(), nil
}

// ODDParameters returns the generated parameter section of docs/ODD.md:
// every scenario key with its default and its doc comment, and the levers.
func ODDParameters(root string) ([]byte, error) {
	secs, err := ScenarioSections(root)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.WriteString("**Every key, default and range as the code has them** (generated by `make docs` from `scenarios/schema.go`, `scenarios/defaults.go` and the lever registry; the tables above add symbols and effects). The [scenario reference](reference/scenario.md) holds the same tables for readers of YAML.\n\n")
	writeSections(&b, secs, 4)
	b.WriteString("#### Levers\n\n")
	writeLevers(&b)
	return bytes.TrimRight(b.Bytes(), "\n"), nil
}

func codeList(xs []string) string {
	q := make([]string, len(xs))
	for i, x := range xs {
		q[i] = "`" + x + "`"
	}
	return strings.Join(q, ", ")
}

// ErrMarkers is wrapped when a document lacks a generated section's markers.
var ErrMarkers = errors.New("reference: generated section markers missing")

// Begin and End mark a generated section in a hand-written document; the
// name after BEGIN GENERATED says which section.
const (
	Begin = "<!-- BEGIN GENERATED: %s -->"
	End   = "<!-- END GENERATED -->"
)

// Replace returns doc with the text between the markers of section name
// replaced by content (a blank line on each side).
func Replace(doc []byte, name string, content []byte) ([]byte, error) {
	begin := []byte(fmt.Sprintf(Begin, name))
	i := bytes.Index(doc, begin)
	if i < 0 {
		return nil, fmt.Errorf("%w: no %q", ErrMarkers, begin)
	}
	j := bytes.Index(doc[i:], []byte(End))
	if j < 0 {
		return nil, fmt.Errorf("%w: no %q after %q", ErrMarkers, End, begin)
	}
	var b bytes.Buffer
	b.Write(doc[:i+len(begin)])
	b.WriteString("\n\n")
	b.Write(content)
	b.WriteString("\n\n")
	b.Write(doc[i+j:])
	return b.Bytes(), nil
}
