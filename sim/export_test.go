package sim

// SetFault installs a fault-injection hook for tests: f runs at the start
// of every replicate, and may panic to simulate a failing rule.
func SetFault(o *Options, f func(rep int)) { o.fault = f }
