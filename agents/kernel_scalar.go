//go:build !(goexperiment.simd && amd64)

package agents

func kernelName() string { return "scalar" }

// updateRange runs the kernel on slots lo..hi-1.
func updateRange(p *Population, c *kernelConsts, lo, hi int) { scalarRange(p, c, lo, hi) }
