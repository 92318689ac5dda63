package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/entrench/entrench/scenarios"
	"github.com/entrench/entrench/sweep"
)

func (a *app) newSchemaCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "schema scenario|experiment",
		Short: "Print the JSON Schema of scenario or experiment files, for editors",
		Long: `Print the JSON Schema (draft 2020-12) of scenario files or of sweep
experiment files, generated from the Go schema, its doc comments, the
defaults and the lever registry. An editor with yaml-language-server
(VS Code's YAML extension, Neovim, Helix) completes and checks a file whose
first line names the schema:
  # yaml-language-server: $schema=` + scenarios.SchemaID + `
or a local copy:
  entrench schema scenario > scenario.schema.json
  # yaml-language-server: $schema=./scenario.schema.json
The schema checks each key's type and range; "entrench validate" (and
loading an experiment) checks the rest: references between names,
uniqueness, rules across keys, with file:line:column errors.`,
		Example: `  entrench schema scenario > scenario.schema.json
  entrench schema experiment > experiment.schema.json`,
		Args:      cobra.ExactArgs(1),
		ValidArgs: []string{"scenario", "experiment"},
		RunE: func(cmd *cobra.Command, args []string) error {
			var b []byte
			var err error
			switch args[0] {
			case "scenario":
				b, err = scenarios.JSONSchema()
			case "experiment":
				b, err = sweep.JSONSchema()
			default:
				return usageErr(fmt.Errorf("schema %q: want scenario or experiment", args[0]))
			}
			if err != nil {
				return err
			}
			_, err = fmt.Fprintf(a.stdout, "%s\n", b)
			return err
		},
	}
}
