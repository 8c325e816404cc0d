package mcp

import (
	"strings"
	"testing"
)

// --confirm and --confirm-fallback take their documented values and refuse others with one line
// naming the choices.
func TestServeOptionsValidateConfirm(t *testing.T) {
	for _, c := range []struct {
		confirm, fallback, wantErr string
	}{
		{ConfirmDestructive, FallbackAllow, ""},
		{ConfirmAll, FallbackDeny, ""},
		{ConfirmNone, FallbackAllow, ""},
		{"always", FallbackAllow, `unknown --confirm "always": use destructive, all or none`},
		{"", FallbackAllow, `unknown --confirm ""`},
		{ConfirmAll, "ask", `unknown --confirm-fallback "ask": use allow or deny`},
		{ConfirmAll, "", `unknown --confirm-fallback ""`},
	} {
		o := &ServeOptions{Transport: TransportStdio, Options: Options{Confirm: c.confirm, ConfirmFallback: c.fallback}}
		err := o.Validate()
		if c.wantErr == "" && err != nil || c.wantErr != "" && (err == nil || !strings.Contains(err.Error(), c.wantErr)) {
			t.Errorf("--confirm %q --confirm-fallback %q: %v, want %q", c.confirm, c.fallback, err, c.wantErr)
		}
	}
}
