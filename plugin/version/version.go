// Package version knows the plugin's own version: stamped at link time by the release build
// (-ldflags "-X …/plugin/version.Version=v1.2.3"), or read from the module when built by `go install`.
package version

import "runtime/debug"

// Version is set by the linker; left empty, the module version is used.
var Version = ""

// Get returns the plugin version.
func Get() string {
	if Version != "" {
		return Version
	}
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" && info.Main.Version != "(devel)" {
		return info.Main.Version
	}
	return "dev"
}
