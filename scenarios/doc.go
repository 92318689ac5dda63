// Package scenarios defines the scenario schema, loads and validates
// scenario YAML with positioned errors, and embeds the built-in scenarios.
//
// A scenario file is one YAML mapping decoded strictly onto Scenario: every
// key must be known, every value must have the field's type and range, and
// every name a file refers to must exist. Load reports all problems of a
// file at once as Errors, each a *FieldError carrying the file, line,
// column and key path of the offending node.
//
// Key paths name a value from the top of the file: keys are joined by dots
// and list elements are given by index, as in organizations[3].influence or
// events[0].set.defense_sales.count (a key of the set mapping may itself
// contain dots). Error paths always use indices, never element names, so
// that any path in an error can be passed back to an override unchanged.
// Overrides (see Override) also accept an element's name in place of its
// index: organizations.gazprom.influence.
//
// The functions of this package are safe for concurrent use; a *Scenario is
// a plain value that the caller owns.
package scenarios
