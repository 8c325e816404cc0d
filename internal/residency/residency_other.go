//go:build !linux

package residency

// adviseRandom does nothing where the fault-around it works against is not known to happen.
func adviseRandom() {}
