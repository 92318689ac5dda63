package scenarios

import (
	"embed"
	"fmt"
	"io/fs"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// builtinFS holds the built-in scenarios, the YAML files of this folder.
//
//go:embed *.yaml
var builtinFS embed.FS

// BuiltinInfo describes a built-in scenario.
type BuiltinInfo struct {
	// Name is the scenario's file name without ".yaml", e.g. "baseline".
	Name string
	// Description is the file's description key.
	Description string
}

// Builtins lists the built-in scenarios, sorted by name.
func Builtins() []BuiltinInfo {
	names := builtinNames()
	infos := make([]BuiltinInfo, len(names))
	for i, name := range names {
		infos[i].Name = name
		data, err := builtinFS.ReadFile(name + ".yaml")
		if err != nil {
			continue
		}
		var head struct {
			Description string `yaml:"description"`
		}
		if yaml.Unmarshal(data, &head) == nil {
			infos[i].Description = strings.TrimSpace(head.Description)
		}
	}
	return infos
}

// builtinNames returns the sorted names of the built-in scenarios.
func builtinNames() []string {
	files, _ := fs.Glob(builtinFS, "*.yaml")
	names := make([]string, len(files))
	for i, f := range files {
		names[i] = strings.TrimSuffix(f, ".yaml")
	}
	slices.Sort(names)
	return names
}

// BuiltinSource returns the YAML text of the built-in scenario name (with
// or without ".yaml"). For an unknown name its error wraps ErrReference
// and lists the built-ins, suggesting the nearest.
func BuiltinSource(name string) ([]byte, error) {
	name = strings.TrimSuffix(name, ".yaml")
	names := builtinNames()
	if !slices.Contains(names, name) {
		return nil, fmt.Errorf("%w: no built-in scenario %q%s", ErrReference, name, didYouMean(name, names, "built-in scenarios"))
	}
	return builtinFS.ReadFile(name + ".yaml")
}

// LoadBuiltin loads the built-in scenario name with Load, applying the
// overrides; its errors name the file "builtin:NAME.yaml".
func LoadBuiltin(name string, overrides []Override) (*Scenario, error) {
	data, err := BuiltinSource(name)
	if err != nil {
		return nil, err
	}
	return Load("builtin:"+strings.TrimSuffix(name, ".yaml")+".yaml", data, overrides)
}
