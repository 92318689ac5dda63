package sweep

import (
	"embed"
	"fmt"
	"io/fs"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/entrench/entrench/scenarios"
)

// builtinFS holds the built-in experiments.
//
//go:embed experiments/*.yaml
var builtinFS embed.FS

// BuiltinInfo describes a built-in experiment.
type BuiltinInfo struct {
	// Name is the experiment's file name without ".yaml", e.g. "grid-demo".
	Name string
	// Description is the file's description key.
	Description string
}

func builtinNames() []string {
	files, _ := fs.Glob(builtinFS, "experiments/*.yaml")
	names := make([]string, len(files))
	for i, f := range files {
		names[i] = strings.TrimSuffix(strings.TrimPrefix(f, "experiments/"), ".yaml")
	}
	slices.Sort(names)
	return names
}

// Builtins lists the built-in experiments, sorted by name.
func Builtins() []BuiltinInfo {
	names := builtinNames()
	infos := make([]BuiltinInfo, len(names))
	for i, name := range names {
		infos[i].Name = name
		data, _ := builtinFS.ReadFile("experiments/" + name + ".yaml")
		var head struct {
			Description string `yaml:"description"`
		}
		if yaml.Unmarshal(data, &head) == nil {
			infos[i].Description = strings.TrimSpace(head.Description)
		}
	}
	return infos
}

// IsBuiltin reports whether name (with or without ".yaml") is a built-in
// experiment.
func IsBuiltin(name string) bool {
	return slices.Contains(builtinNames(), strings.TrimSuffix(name, ".yaml"))
}

// BuiltinSource returns the YAML text of the built-in experiment name
// (with or without ".yaml"). For an unknown name its error wraps
// scenarios.ErrReference and lists the built-ins.
func BuiltinSource(name string) ([]byte, error) {
	name = strings.TrimSuffix(name, ".yaml")
	names := builtinNames()
	if !slices.Contains(names, name) {
		return nil, fmt.Errorf("%w: no built-in experiment %q; built-in experiments: %s", scenarios.ErrReference, name, strings.Join(names, ", "))
	}
	return builtinFS.ReadFile("experiments/" + name + ".yaml")
}

// LoadBuiltin loads the built-in experiment name with Load; its errors
// name the file "builtin:NAME.yaml" and its scenario must be a built-in.
func LoadBuiltin(name string) (*Experiment, error) {
	data, err := BuiltinSource(name)
	if err != nil {
		return nil, err
	}
	name = strings.TrimSuffix(name, ".yaml")
	return Load("builtin:"+name+".yaml", data, func(ref string) (string, []byte, error) {
		data, err := scenarios.BuiltinSource(ref)
		return "builtin:" + strings.TrimSuffix(ref, ".yaml") + ".yaml", data, err
	})
}
