// Package output writes run results as CSV files, a JSON manifest and
// gonum/plot figures.
//
// Every file is written through an AtomicFile: to a temporary name in the
// destination folder, renamed into place only when complete, so a reader
// never sees a half-written file and an interrupted run leaves no debris
// with a real file's name. Floats are formatted by one rule everywhere
// (strconv 'g' with FloatDigits significant digits, NaN as an empty field),
// so the same results always give the same bytes.
//
// Nothing in this package is safe for concurrent use unless its doc
// comment says so; the engine feeds sinks from one goroutine, in replicate
// order.
package output
