//go:build !(goexperiment.simd && amd64)

package agents

// dueScan is TurnoverRanks's scan (dueScanScalar in this build).
func dueScan(retire []int32, now int32) (int, int32) { return dueScanScalar(retire, now) }
