package sweep

import (
	_ "embed"
	"encoding/json"

	"github.com/entrench/entrench/scenarios"
	"github.com/entrench/entrench/sim"
)

// experimentSource is the experiment file's Go schema, parsed for the
// field descriptions of the JSON Schema.
//
//go:embed experiment.go
var experimentSource []byte

// JSONSchema returns the JSON Schema of experiment files, generated from
// the Go types and doc comments of Experiment, Design, Factor and Choice
// (scenarios.SchemaOf) with the experiment's defaults and the allowed
// design kinds, distributions, sequences, scramblings and metrics. Load
// checks more: that factors' paths and ranges fit the scenario, keys that
// belong to one design kind only, and the design's size.
func JSONSchema() ([]byte, error) {
	e := defaultExperiment()
	e.Metrics = []string{sim.SummaryNames[sim.SumFinalCooperation]}
	s := scenarios.SchemaOf(e, scenarios.FieldDocs(experimentSource))
	props := s["properties"].(map[string]any)
	design := props["design"].(map[string]any)["properties"].(map[string]any)
	design["kind"].(map[string]any)["enum"] = []string{Grid, LHS, Sobol, Morris}
	design["sequence"].(map[string]any)["enum"] = []string{SequenceSobol, SequenceRandom}
	design["scramble"].(map[string]any)["enum"] = []string{ScrambleOwen, ScrambleShift}
	design["order"].(map[string]any)["enum"] = []int{1, 2}
	design["confidence"].(map[string]any)["exclusiveMinimum"] = 0
	design["confidence"].(map[string]any)["exclusiveMaximum"] = 1
	factor := props["factors"].(map[string]any)["items"].(map[string]any)
	factor["properties"].(map[string]any)["distribution"].(map[string]any)["enum"] = []string{Uniform, LogUniform, Triangular, Normal}
	props["metrics"].(map[string]any)["items"].(map[string]any)["enum"] = sim.SummaryNames[:]
	props["replicates"].(map[string]any)["minimum"] = 1
	props["replicates"].(map[string]any)["maximum"] = MaxReplicates
	s["required"] = []string{"name", "scenario", "design", "factors"}
	design0 := props["design"].(map[string]any)
	design0["required"] = []string{"kind"}
	props["factors"].(map[string]any)["minItems"] = 1
	s["$schema"] = "https://json-schema.org/draft/2020-12/schema"
	s["$id"] = scenarios.ExperimentSchemaID
	s["title"] = "entrench sweep experiment"
	s["description"] = "An experiment file of entrench sweep (sweep/experiment.go). Loading it (entrench sweep) checks more than this schema: factor paths and ranges against the scenario, keys that belong to one design kind, the design's size, with file:line:column errors."
	return json.MarshalIndent(s, "", "  ")
}
