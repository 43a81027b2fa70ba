package api

import (
	"net/netip"
	"strings"
	"testing"
)

// The client address behind a trusted proxy is the right-most forwarded
// entry that is not one of our proxies, and only ever a valid IP (issue 16,
// medium 3).
func TestClientAddressBehindProxies(t *testing.T) {
	trust, err := newProxyTrust("X-Forwarded-For", []string{"127.0.0.1", "10.0.0.0/8", "::1"})
	if err != nil {
		t.Fatal(err)
	}
	proxy := netip.MustParseAddr("127.0.0.1")
	tests := []struct {
		name      string
		peer      netip.Addr
		forwarded string
		want      string
	}{
		{"the proxy's own entry wins over a forged first one", proxy, "203.0.113.66, 198.51.100.7", "198.51.100.7"},
		{"free text in a forged entry is never the address", proxy, "203.0.113.66 (admin workstation), 198.51.100.7", "198.51.100.7"},
		{"free text behind our proxies stops at the nearest one", proxy, "203.0.113.66 (admin workstation), 10.77.0.9", "10.77.0.9"},
		{"a chain of our proxies is walked past", proxy, "198.51.100.7, 10.1.2.3", "198.51.100.7"},
		{"garbage left of a good entry is ignored", proxy, "not-an-ip, 198.51.100.7", "198.51.100.7"},
		{"garbage at the right end stops at the peer", proxy, "198.51.100.7, 10.1.2.3, nonsense", "127.0.0.1"},
		{"no header: the proxy itself, not an empty string", proxy, "", "127.0.0.1"},
		{"an address with a port", proxy, "198.51.100.7:4711", "198.51.100.7"},
		{"IPv6", netip.MustParseAddr("::1"), "2001:db8::1", "2001:db8::1"},
		{"an IPv4-mapped peer counts as its IPv4 address", netip.MustParseAddr("::ffff:127.0.0.1"), "198.51.100.7", "198.51.100.7"},
		{"an untrusted peer's header is ignored", netip.MustParseAddr("192.0.2.9"), "198.51.100.7", "192.0.2.9"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var entries []string
			if tt.forwarded != "" {
				entries = strings.Split(tt.forwarded, ",")
			}
			if got := trust.client(tt.peer, entries).String(); got != tt.want {
				t.Fatalf("client(%s, %q) = %s, want %s", tt.peer, tt.forwarded, got, tt.want)
			}
		})
	}
	if _, err := newProxyTrust("X-Forwarded-For", []string{"proxy.example"}); err == nil {
		t.Fatal("a trusted proxy that is not an address or prefix was accepted")
	}
}
