//go:build !(goexperiment.simd && amd64)

package agents

// cutRange is CutDispositions' loop (cutScalar in this build).
func cutRange(disp []float64, loss float64) { cutScalar(disp, loss) }
