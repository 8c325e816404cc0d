package mcp

import "testing"

// The pre-checks only skip work: with or without them every string masks the same.
func FuzzMaskPrecheckChangesNothing(f *testing.F) {
	for _, s := range []string{
		"Applied revision: main@sha1:8b2f1c4e",
		"failed to clone https://git:hunter2secret@git.example.internal/repo.git",
		"Authorization: Bearer abcdefghijklmnop", "BASIC dXNlcjpwYXNzd29yZA==", "bEaReR\tabcdefghij==",
		"password=hunter2", `"client_secret": "xyz123"`, "API-KEY: k", "toKen=abc", "PWD:x",
		"-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----",
		"jwt eyJhbGciOiJIUzI1.eyJzdWIiOiIxMjM0.SflKxwRJSMeKKF2QT4", "plain text, nothing here",
		"to\u212aen=abc", "pa\u017f\u017fword=abc", "",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want := s
		for _, p := range patterns {
			want = p.re.ReplaceAllString(want, p.repl)
		}
		if got := maskPatterns(s); got != want {
			t.Fatalf("maskPatterns(%q) = %q, the regexps alone give %q", s, got, want)
		}
	})
}
