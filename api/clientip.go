package api

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// clientIPKey caches the client address of a request.
const clientIPKey ctxKey = 110 // 100 and 101 are the actor and the session

// proxyTrust decides the client address of a request. Fiber's c.IP() with a
// proxy header answers the header's first entry unchecked — a value the
// client chose (a forged "203.0.113.66 (admin workstation)" went into the
// audit log and reset every per-IP limit) — and "" when the header is
// missing. We take the right-most entry that is not one of our own proxies:
// the address the trusted proxy itself saw and appended.
type proxyTrust struct {
	header  string
	proxies []netip.Prefix
}

func newProxyTrust(header string, proxies []string) (proxyTrust, error) {
	p := proxyTrust{header: header}
	for _, s := range proxies {
		s = strings.TrimSpace(s)
		if strings.Contains(s, "/") {
			prefix, err := netip.ParsePrefix(s)
			if err != nil {
				return p, fmt.Errorf("trusted proxy %q: %w", s, err)
			}
			p.proxies = append(p.proxies, prefix.Masked())
			continue
		}
		addr, err := netip.ParseAddr(s)
		if err != nil {
			return p, fmt.Errorf("trusted proxy %q: %w", s, err)
		}
		addr = addr.Unmap()
		p.proxies = append(p.proxies, netip.PrefixFrom(addr, addr.BitLen()))
	}
	return p, nil
}

func (p proxyTrust) trusted(a netip.Addr) bool {
	for _, prefix := range p.proxies {
		if prefix.Contains(a) {
			return true
		}
	}
	return false
}

// client walks the forwarded entries from the right, past our own proxies,
// and answers the first other address. An entry that is not an IP address
// ends the walk: no proxy of ours writes one, so everything left of it is
// the client's word, and the nearest proxy is answered instead. Without a
// trusted peer or a header the peer itself is the client.
func (p proxyTrust) client(peer netip.Addr, forwarded []string) netip.Addr {
	peer = peer.Unmap()
	if p.header == "" || !p.trusted(peer) {
		return peer
	}
	for i := len(forwarded) - 1; i >= 0; i-- {
		addr, ok := parseForwarded(forwarded[i])
		if !ok {
			break
		}
		if !p.trusted(addr) {
			return addr
		}
		peer = addr
	}
	return peer
}

// parseForwarded reads one entry: an address, possibly with a port.
func parseForwarded(s string) (netip.Addr, bool) {
	s = strings.TrimSpace(s)
	if addr, err := netip.ParseAddr(s); err == nil && addr.Zone() == "" {
		return addr.Unmap(), true
	}
	if ap, err := netip.ParseAddrPort(s); err == nil && ap.Addr().Zone() == "" {
		return ap.Addr().Unmap(), true
	}
	return netip.Addr{}, false
}

// clientIP is the request's client address (see proxyTrust), computed once.
func (s *Server) clientIP(c *fiber.Ctx) string {
	if ip, ok := c.Locals(clientIPKey).(string); ok {
		return ip
	}
	peer, _ := netip.AddrFromSlice(c.Context().RemoteIP())
	var forwarded []string
	if s.proxy.header != "" {
		c.Request().Header.VisitAll(func(key, value []byte) {
			if strings.EqualFold(string(key), s.proxy.header) {
				forwarded = append(forwarded, strings.Split(string(value), ",")...)
			}
		})
	}
	ip := s.proxy.client(peer, forwarded).String()
	c.Locals(clientIPKey, ip)
	return ip
}
