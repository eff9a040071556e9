package images

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"strings"
	"syscall"
	"time"
)

// IntercomHosts are the hosts Intercom serves article images from, in
// every data-hosting region. Images may always be downloaded from them, on
// the scheme's default port.
var IntercomHosts = []string{
	"downloads.intercomcdn.com",
	"downloads.intercomcdn.eu",
	"downloads.au.intercomcdn.com",
	"uploads.intercomcdn.com",
	"uploads.intercomusercontent.com",
	"static.intercomassets.com",
}

// A Policy says where images may be downloaded from. Article bodies are
// written by anyone who can edit the help center, so an <img src> is a
// request the build machine would make on an editor's behalf: only the
// hosts the user allows are asked, and only at public addresses, checked
// on the address actually dialled so that DNS cannot route around it.
type Policy struct {
	// Hosts are the hosts images may come from besides IntercomHosts: a
	// name or IP address (on the scheme's default port) or host:port.
	// Their addresses must be public unless AllowPrivate.
	Hosts []string
	// Endpoints are host:port pairs allowed at whatever address they
	// have: the Intercom API's own, which the user chose (a proxy, or the
	// fake API on loopback in tests and the demo).
	Endpoints []string
	// AllowPrivate allows addresses that are not public: loopback,
	// private (RFC 1918, unique local), link-local and shared (CGNAT).
	// Cloud metadata endpoints, unspecified, multicast and reserved
	// addresses stay refused unless they are an Endpoint.
	AllowPrivate bool
	// Resolve looks up the addresses of a host name; nil means
	// net.DefaultResolver. Tests map names to addresses with it.
	Resolve func(ctx context.Context, host string) ([]netip.Addr, error)
}

// ErrRefused is wrapped by the errors of images that are never fetched or
// never kept: a host or address the Policy does not allow, content that is
// not an image, an image over the size limit.
var ErrRefused = errors.New("refused")

// refusedError is a download refused whatever the attempt.
type refusedError struct{ reason string }

func (e refusedError) Error() string { return e.reason }

func (e refusedError) Is(target error) bool { return target == ErrRefused }

func refusedf(format string, args ...any) error {
	return refusedError{fmt.Sprintf(format, args...)}
}

// defaultPort is the port of a URL's scheme.
func defaultPort(u *url.URL) string {
	if u.Scheme == "http" {
		return "80"
	}
	return "443"
}

// hostPort returns the host:port a URL is fetched from, the host in
// lower case and the port defaulting to the scheme's.
func hostPort(u *url.URL) string {
	return net.JoinHostPort(strings.ToLower(u.Hostname()), cmp.Or(u.Port(), defaultPort(u)))
}

// checkURL refuses a URL whose host the policy does not name.
func (p *Policy) checkURL(u *url.URL) error {
	if u.Scheme != "http" && u.Scheme != "https" {
		return refusedf("not an http(s) URL")
	}
	if u.Hostname() == "" {
		return refusedf("URL has no host")
	}
	hp := hostPort(u)
	if p.isEndpoint(hp) {
		return nil
	}
	name := strings.ToLower(u.Hostname())
	onDefaultPort := u.Port() == "" || u.Port() == defaultPort(u)
	if onDefaultPort && slices.Contains(IntercomHosts, name) {
		return nil
	}
	for _, h := range p.Hosts {
		h = strings.ToLower(h)
		if h == hp || (onDefaultPort && strings.Trim(h, "[]") == name) {
			return nil
		}
	}
	return refusedf("host %s is not an allowed image host (Intercom's, the API's, or images.allow_hosts in the configuration)", u.Host)
}

// isEndpoint reports whether hostPort is one of the Endpoints.
func (p *Policy) isEndpoint(hostPort string) bool {
	return slices.ContainsFunc(p.Endpoints, func(e string) bool { return strings.EqualFold(e, hostPort) })
}

// addressKind is what is special about an address that is not public.
type addressKind struct {
	name    string
	private bool // allowed by AllowPrivate
}

// specialPrefixes are the address blocks that are not the public internet.
// The more specific come first: metadata endpoints sit inside link-local
// and shared space.
var specialPrefixes = []struct {
	prefix netip.Prefix
	kind   addressKind
}{
	{netip.MustParsePrefix("169.254.169.254/32"), addressKind{"a cloud metadata endpoint", false}},
	{netip.MustParsePrefix("169.254.170.2/32"), addressKind{"a cloud metadata endpoint", false}},
	{netip.MustParsePrefix("100.100.100.200/32"), addressKind{"a cloud metadata endpoint", false}},
	{netip.MustParsePrefix("192.0.0.192/32"), addressKind{"a cloud metadata endpoint", false}},
	{netip.MustParsePrefix("fd00:ec2::254/128"), addressKind{"a cloud metadata endpoint", false}},
	{netip.MustParsePrefix("0.0.0.0/8"), addressKind{"unspecified", false}},
	{netip.MustParsePrefix("::/128"), addressKind{"unspecified", false}},
	{netip.MustParsePrefix("127.0.0.0/8"), addressKind{"loopback", true}},
	{netip.MustParsePrefix("::1/128"), addressKind{"loopback", true}},
	{netip.MustParsePrefix("10.0.0.0/8"), addressKind{"private", true}},
	{netip.MustParsePrefix("172.16.0.0/12"), addressKind{"private", true}},
	{netip.MustParsePrefix("192.168.0.0/16"), addressKind{"private", true}},
	{netip.MustParsePrefix("fc00::/7"), addressKind{"private", true}},
	{netip.MustParsePrefix("fec0::/10"), addressKind{"private", true}},
	{netip.MustParsePrefix("100.64.0.0/10"), addressKind{"shared (CGNAT)", true}},
	{netip.MustParsePrefix("169.254.0.0/16"), addressKind{"link-local", true}},
	{netip.MustParsePrefix("fe80::/10"), addressKind{"link-local", true}},
	{netip.MustParsePrefix("224.0.0.0/4"), addressKind{"multicast", false}},
	{netip.MustParsePrefix("ff00::/8"), addressKind{"multicast", false}},
	{netip.MustParsePrefix("192.0.0.0/24"), addressKind{"reserved", false}},
	{netip.MustParsePrefix("192.0.2.0/24"), addressKind{"reserved", false}},
	{netip.MustParsePrefix("198.18.0.0/15"), addressKind{"reserved", false}},
	{netip.MustParsePrefix("198.51.100.0/24"), addressKind{"reserved", false}},
	{netip.MustParsePrefix("203.0.113.0/24"), addressKind{"reserved", false}},
	{netip.MustParsePrefix("240.0.0.0/4"), addressKind{"reserved", false}},
	{netip.MustParsePrefix("100::/64"), addressKind{"reserved", false}},
	{netip.MustParsePrefix("2001:db8::/32"), addressKind{"reserved", false}},
}

// nat64 is the well-known NAT64 prefix, whose addresses embed an IPv4 one.
var nat64 = netip.MustParsePrefix("64:ff9b::/96")

// classify returns what is special about addr, if anything.
func classify(addr netip.Addr) (addressKind, bool) {
	addr = addr.Unmap().WithZone("")
	if nat64.Contains(addr) {
		b := addr.As16()
		addr = netip.AddrFrom4([4]byte(b[12:]))
	}
	for _, s := range specialPrefixes {
		if s.prefix.Contains(addr) {
			return s.kind, true
		}
	}
	return addressKind{}, false
}

// checkAddr refuses an address the policy does not allow to be dialled.
func (p *Policy) checkAddr(addr netip.Addr) error {
	kind, special := classify(addr)
	if !special || (kind.private && p.AllowPrivate) {
		return nil
	}
	hint := ""
	if kind.private {
		hint = " (images.allow_private allows it)"
	}
	return refusedf("address %s is %s%s", addr.Unmap(), kind.name, hint)
}

// dialContext dials addr, a host:port, for an image download: an Endpoint
// as it is, anything else only at the addresses checkAddr allows, each
// checked again as the socket connects.
func (p *Policy) dialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	if p.isEndpoint(addr) {
		var d net.Dialer
		return d.DialContext(ctx, network, addr)
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, refusedf("bad address %q: %v", addr, err)
	}
	var addrs []netip.Addr
	if ip, err := netip.ParseAddr(host); err == nil {
		addrs = []netip.Addr{ip}
	} else if addrs, err = p.resolve(ctx, strings.ToLower(host)); err != nil {
		return nil, fmt.Errorf("looking up %s: %w", host, err)
	}
	d := net.Dialer{Control: p.control}
	var errs []error
	for _, ip := range addrs {
		if err := p.checkAddr(ip); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", host, err))
			continue
		}
		conn, err := d.DialContext(ctx, network, net.JoinHostPort(ip.Unmap().String(), port))
		if err == nil {
			return conn, nil
		}
		errs = append(errs, err)
	}
	if len(errs) == 0 {
		return nil, fmt.Errorf("looking up %s: no addresses", host)
	}
	return nil, errors.Join(errs...)
}

// control checks the address a socket is about to connect to, whatever
// resolved it.
func (p *Policy) control(_, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return refusedf("bad address %q: %v", address, err)
	}
	return p.checkAddr(ap.Addr())
}

func (p *Policy) resolve(ctx context.Context, host string) ([]netip.Addr, error) {
	if p.Resolve != nil {
		return p.Resolve(ctx, host)
	}
	return net.DefaultResolver.LookupNetIP(ctx, "ip", host)
}

// maxRedirects bounds the redirects of one download.
const maxRedirects = 5

// checkRedirect checks where a download is redirected as it checks the
// URL it started from; the dialer checks the address.
func (p *Policy) checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) >= maxRedirects {
		return refusedf("stopped after %d redirects", maxRedirects)
	}
	if err := p.checkURL(req.URL); err != nil {
		return fmt.Errorf("redirected to %s: %w", redact(req.URL.String()), err)
	}
	return nil
}

// client returns an HTTP client that downloads under the policy. It uses
// no proxy: the address a proxy would dial cannot be checked.
func (p *Policy) client(timeout time.Duration) *http.Client {
	return &http.Client{
		Timeout: timeout,
		Transport: &http.Transport{
			DialContext:           p.dialContext,
			ForceAttemptHTTP2:     true,
			MaxIdleConnsPerHost:   DefaultConcurrency,
			IdleConnTimeout:       90 * time.Second,
			TLSHandshakeTimeout:   10 * time.Second,
			ResponseHeaderTimeout: 30 * time.Second,
		},
		CheckRedirect: p.checkRedirect,
	}
}

// Endpoint returns the host:port of a base URL, for Policy.Endpoints, or
// "" if it is not an http(s) URL.
func Endpoint(baseURL string) string {
	u, err := url.Parse(baseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" {
		return ""
	}
	return hostPort(u)
}
