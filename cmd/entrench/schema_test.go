package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"go.yaml.in/yaml/v3"

	"github.com/entrench/entrench/scenarios"
	"github.com/entrench/entrench/sweep"
)

// compileSchema compiles the JSON Schema that `entrench schema what`
// prints.
func compileSchema(t *testing.T, what string) *jsonschema.Schema {
	t.Helper()
	code, out, stderr := run(t, "schema", what)
	if code != 0 {
		t.Fatalf("entrench schema %s: exit %d: %s", what, code, stderr)
	}
	doc, err := jsonschema.UnmarshalJSON(strings.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource(what+".json", doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile(what + ".json")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// yamlToJSON decodes a YAML document into the values a JSON Schema
// validator takes; ok is false when the text is not one YAML mapping.
func yamlToJSON(data []byte) (any, bool) {
	var v any
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&v); err != nil {
		return nil, false
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, false
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	return doc, err == nil
}

// TestSchemaBuiltins validates every built-in scenario and experiment
// against the schemas.
func TestSchemaBuiltins(t *testing.T) {
	sc := compileSchema(t, "scenario")
	for _, b := range scenarios.Builtins() {
		data, err := scenarios.BuiltinSource(b.Name)
		if err == nil {
			checkSchemaLine(t, filepath.Join("../../scenarios", b.Name+".yaml"), data, "../docs/reference/schema/scenario.json")
		}
		if err != nil {
			t.Fatal(err)
		}
		doc, ok := yamlToJSON(data)
		if !ok {
			t.Fatalf("%s: not YAML", b.Name)
		}
		if err := sc.Validate(doc); err != nil {
			t.Errorf("built-in scenario %s: %v", b.Name, err)
		}
	}
	ex := compileSchema(t, "experiment")
	files, _ := filepath.Glob("../../sweep/experiments/*.yaml")
	if len(files) < 4 {
		t.Fatalf("found %d built-in experiments", len(files))
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		checkSchemaLine(t, f, data, "../../docs/reference/schema/experiment.json")
		doc, _ := yamlToJSON(data)
		if err := ex.Validate(doc); err != nil {
			t.Errorf("built-in experiment %s: %v", f, err)
		}
	}
}

// checkSchemaLine checks that the built-in file f (read as data) names, on
// its first line, the generated schema at the path rel from its folder,
// and that the schema file is there.
func checkSchemaLine(t *testing.T, f string, data []byte, rel string) {
	t.Helper()
	if first, _, _ := strings.Cut(string(data), "\n"); first != "# yaml-language-server: $schema="+rel {
		t.Errorf("%s: first line %q does not declare the schema %s", f, first, rel)
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(f), rel)); err != nil {
		t.Errorf("%s names a schema that is not there: %v (run make docs)", f, err)
	}
}

// Bad files the schema accepts, so that only the loader refuses them:
// what a JSON Schema of single keys cannot see. Every other file of
// testdata/bad must be refused by the schema too. Keep docs in step: the
// help of `entrench schema` states the division.
var (
	// scenarios/testdata/bad: references between names, uniqueness,
	// dates inside the simulated period and after each other, rules
	// across keys, lever paths of lever events, YAML the decoder refuses
	// before validation (two documents, duplicate keys, tabs, syntax).
	scenarioLoaderOnly = []string{
		// dates against the simulated period and each other
		"date_outside.yaml", "date_until_before_from.yaml", "date_until_before_start.yaml", "range_end_after_9999.yaml",
		// uniqueness and references between names
		"dup_name.yaml", "ref_event_channel.yaml", "ref_event_side.yaml", "ref_one_bloc.yaml", "ref_opposes.yaml", "ref_participant.yaml",
		"ref_side.yaml", "ref_side_without_orgs.yaml", "ref_us_attention.yaml", "required_bloc_side.yaml",
		// lever events: the keys of set are lever paths with their ranges
		"lever_no_set.yaml", "lever_path.yaml", "lever_value.yaml",
		// name syntax and reserved names
		"name_reserved.yaml", "name_syntax.yaml",
		// rules across keys (fall_rate >= build_rate; officials per rank)
		"range_fall_rate.yaml", "range_officials_ranks.yaml",
		// a second YAML document, which the test's decoder does not read
		"two_documents.yaml",
	}
	// sweep/testdata/bad: the factors against the scenario (paths,
	// ranges, integer keys, reserved keys), keys that belong to one
	// design kind or distribution, cross-key rules (values with a range,
	// round within the range, the normal's tail, a triangular mode
	// inside the range), the base scenario's file, and set entries.
	experimentLoaderOnly = []string{
		"choices_path.yaml", "dup_factor.yaml", "factor_outside.yaml", "factor_path.yaml", "factor_range.yaml",
		"factor_seed.yaml", "grid_distribution.yaml", "integer_round.yaml", "lhs_points.yaml", "morris_levels.yaml",
		"normal_tail.yaml", "order_lhs.yaml", "round_outside.yaml", "scenario_missing.yaml", "set_bad.yaml",
		"set_runs.yaml", "sobol_scramble_random.yaml", "triangular_mode.yaml", "values_and_range.yaml",
	}
)

// TestSchemaBad checks that every bad file is refused by the schema or,
// for the documented list above, only by the loader; a file on the list
// that the schema starts refusing must leave it.
func TestSchemaBad(t *testing.T) {
	for _, tc := range []struct {
		what, glob string
		loaderOnly []string
		load       func(path string, data []byte) error
	}{
		{"scenario", "../../scenarios/testdata/bad/*.yaml", scenarioLoaderOnly, func(path string, data []byte) error {
			_, err := scenarios.Load(path, data, nil)
			return err
		}},
		{"experiment", "../../sweep/testdata/bad/*.yaml", experimentLoaderOnly, func(path string, data []byte) error {
			_, err := sweep.Load(path, data, sweep.DirResolver("../../sweep/testdata"))
			return err
		}},
	} {
		s := compileSchema(t, tc.what)
		files, _ := filepath.Glob(tc.glob)
		var only []string
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			if tc.load(f, data) == nil {
				t.Errorf("%s: the loader accepts it", f)
			}
			doc, ok := yamlToJSON(data)
			if ok && s.Validate(doc) == nil {
				only = append(only, filepath.Base(f))
			}
		}
		slices.Sort(only)
		want := slices.Sorted(slices.Values(tc.loaderOnly))
		if !slices.Equal(only, want) {
			t.Errorf("%s: bad files only the loader refuses:\n got %q\nwant %q", tc.what, only, want)
		}
	}
}
