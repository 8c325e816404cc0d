package mcp

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// The in-process tests cover the default (loopback) guard end to end; this covers --address.
func TestHostGuardFollowsAddress(t *testing.T) {
	ok := http.HandlerFunc(func(http.ResponseWriter, *http.Request) {})
	cases := []struct {
		address, host, origin string
		want                  int
	}{
		{"", "localhost:8080", "", 200},
		{"", "10.0.0.5:8080", "", 403},
		{"192.0.2.7", "192.0.2.7:8080", "", 200},
		{"192.0.2.7", "192.0.2.7:8080", "http://192.0.2.7:8080", 200},
		{"192.0.2.7", "evil.example:8080", "", 403},
		{"192.0.2.7", "192.0.2.7:8080", "http://evil.example", 403},
		{"mcp.internal", "MCP.internal:8080", "", 200},
		{"0.0.0.0", "anything.example:8080", "", 200},
		{"::", "anything.example:8080", "http://anything.example:8080", 200},
		{"::", "anything.example:8080", "http://evil.example", 403},
	}
	for _, c := range cases {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodGet, "/healthz", nil)
		req.Host = c.host
		if c.origin != "" {
			req.Header.Set("Origin", c.origin)
		}
		newHostGuard(c.address).wrap(ok).ServeHTTP(rec, req)
		if rec.Code != c.want {
			t.Errorf("address %q Host %q Origin %q: %d, want %d", c.address, c.host, c.origin, rec.Code, c.want)
		}
	}
}
