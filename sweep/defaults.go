package sweep

// DefaultGridLevels is the number of evenly spaced levels of a grid factor
// given as a range without levels.
const DefaultGridLevels = 5

// DefaultExperiment returns the values an experiment file's absent keys
// take (Seed 0 means the base scenario's seed). The reference documents are
// generated from it.
func DefaultExperiment() Experiment { return defaultExperiment() }

// DefaultFactor returns the values a factor's absent keys take: NaN marks
// min, max, mode, mean and sd as not given, and a grid factor given as a
// range has DefaultGridLevels levels.
func DefaultFactor() Factor {
	var f Factor
	f.SetDefaults()
	f.Levels = DefaultGridLevels
	return f
}
