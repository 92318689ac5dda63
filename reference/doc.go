// Package reference generates the reference documents of the scenario and
// experiment formats, and the parameter tables of docs/ODD.md, from the code:
// the schema's Go doc comments (read from the source with go/parser), the
// defaults (scenarios.Default, the SetDefaults methods,
// sweep.DefaultExperiment) and the lever registry (scenarios.LeverSpecs).
//
// Nothing here is written by hand, so a reference cannot drift from the
// schema: cmd/entrench's hidden gendocs command (make docs) writes the files,
// and a test regenerates them and fails when a committed file is stale. A doc
// comment that states a default ("Default 0.3.") is checked against the
// default the code sets, so the comments cannot drift either.
//
// The functions take the repository's root folder, where they read the Go
// source of scenarios/ and sweep/; they are for the documentation tooling,
// not for simulation code.
package reference
