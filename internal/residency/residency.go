// Package residency keeps a long-running `serve` process to the pages of its own binary that it
// uses. Imported for its side effect by main, it runs before the packages whose initialisation
// touches most of the binary (client-go's API types, the JSON-schema validator), which sort after
// it: package initialisation follows import-path order where dependencies allow.
//
// Why: the binary is ~46 MB and usually in the page cache. On each page fault in a file mapping,
// Linux maps the neighbouring cached pages too (fault-around, large folios), so a process touching
// a few thousand scattered pages kept ~29 MB of the binary resident. madvise(MADV_RANDOM) says the
// access is scattered, and the kernel maps the faulting page only. Measured on `serve` up to the
// tools/list answer: max RSS 35.5 -> 33.2 MiB, start-up unchanged (docs/performance.md).
//
// Only for serve: MADV_RANDOM also turns off read-ahead, and a one-shot command started from a
// cold page cache would fault its pages in one by one.
package residency

import "os"

func init() {
	if servesMCP(os.Args) {
		adviseRandom()
	}
}

// servesMCP says whether the command line runs the MCP server (`serve` or `mcp serve`, flags
// anywhere). A wrong guess costs nothing but the memory or the read-ahead.
func servesMCP(args []string) bool {
	for _, a := range args[min(1, len(args)):] {
		if a == "serve" {
			return true
		}
	}
	return false
}
