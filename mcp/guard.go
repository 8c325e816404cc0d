package mcp

import (
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
)

// hostGuard rejects requests that a web page could make a browser send to the server: a page on
// evil.example can rebind its name to 127.0.0.1 (the request then carries Host: evil.example) or
// post to http://localhost directly (the request then carries Origin: http://evil.example).
// mcp-go checks the Host of loopback connections but not the Origin, so the guard does both.
type hostGuard struct {
	// hosts are the Host names accepted besides the loopback ones: the --address when it is one host.
	hosts map[string]bool
	// anyHost is set when the server listens on a wildcard address: it is then meant to be reached
	// under whatever name the network gives it, and only the Origin is checked.
	anyHost bool
}

func newHostGuard(address string) hostGuard {
	g := hostGuard{hosts: map[string]bool{}}
	a := strings.ToLower(strings.Trim(address, "[]"))
	if a == "" {
		return g
	}
	if ip, err := netip.ParseAddr(a); err == nil && ip.IsUnspecified() {
		g.anyHost = true
		return g
	}
	g.hosts[a] = true
	return g
}

func (g hostGuard) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host := hostname(r.Host)
		if !g.anyHost && !isLoopback(host) && !g.hosts[host] {
			http.Error(w, fmt.Sprintf("forbidden: Host %q is not a name of this server (DNS rebinding protection); use localhost", r.Host), http.StatusForbidden)
			return
		}
		if origin := r.Header.Get("Origin"); origin != "" && !sameOrLocalOrigin(origin, r.Host) {
			http.Error(w, fmt.Sprintf("forbidden: requests from origin %q are not accepted", origin), http.StatusForbidden)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// sameOrLocalOrigin accepts an Origin on a loopback host or on the host the request was sent to.
func sameOrLocalOrigin(origin, requestHost string) bool {
	u, err := url.Parse(origin)
	if err != nil || u.Host == "" {
		// "null" (sandboxed frames, file:) and garbage are not a page of ours.
		return false
	}
	return isLoopback(strings.ToLower(u.Hostname())) || strings.EqualFold(u.Host, requestHost)
}

// hostname is the lower-cased host of a Host header, without port and brackets.
func hostname(hostport string) string {
	h, _, err := net.SplitHostPort(hostport)
	if err != nil {
		h = hostport
	}
	return strings.ToLower(strings.Trim(h, "[]"))
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.IsLoopback()
}
