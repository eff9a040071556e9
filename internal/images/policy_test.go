package images

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
)

// resolver maps host names to addresses, as a DNS server an editor
// controls could; no name resolves through the network.
func resolver(names map[string]string) func(context.Context, string) ([]netip.Addr, error) {
	return func(_ context.Context, host string) ([]netip.Addr, error) {
		a, ok := names[host]
		if !ok {
			return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
		}
		return []netip.Addr{netip.MustParseAddr(a)}, nil
	}
}

// counting is a test server, on loopback, that counts its requests and
// answers every one with an image.
func counting(t *testing.T) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	png := encode(t, "png", 4, 3)
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		w.Header().Set("Content-Type", "image/png")
		w.Write(png)
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

func port(srv *httptest.Server) string {
	return strconv.Itoa(srv.Listener.Addr().(*net.TCPAddr).Port)
}

// fetchOne fetches rawURL with policy and returns its error, if any.
func fetchOne(t *testing.T, p Policy, rawURL string) error {
	t.Helper()
	s := &Store{Dir: t.TempDir(), Policy: p, Retries: -1}
	got, errs := s.Fetch(context.Background(), []string{rawURL})
	if len(errs) > 0 {
		return errs[0]
	}
	if got[rawURL].Name == "" {
		t.Fatalf("%s: no image and no error", rawURL)
	}
	return nil
}

func TestPolicyRefusesNonPublicAddresses(t *testing.T) {
	srv, requests := counting(t)
	p := port(srv)
	tests := []struct {
		name   string
		policy Policy
		url    string
		reason string
	}{
		{"host not allowed", Policy{}, srv.URL + "/a.png", "not an allowed image host"},
		{"loopback address", Policy{Hosts: []string{"127.0.0.1:" + p}}, srv.URL + "/a.png", "loopback"},
		{"localhost", Policy{Hosts: []string{"localhost:" + p}}, "http://localhost:" + p + "/a.png", "loopback"},
		{"name resolving to loopback", Policy{Hosts: []string{"cdn.example.com:" + p}, Resolve: resolver(map[string]string{"cdn.example.com": "127.0.0.1"})},
			"http://cdn.example.com:" + p + "/a.png", "loopback"},
		{"name resolving to IPv4-mapped loopback", Policy{Hosts: []string{"cdn.example.com:" + p}, Resolve: resolver(map[string]string{"cdn.example.com": "::ffff:127.0.0.1"})},
			"http://cdn.example.com:" + p + "/a.png", "loopback"},
		{"allowed Intercom host resolving to loopback", Policy{Resolve: resolver(map[string]string{"downloads.intercomcdn.com": "127.0.0.2"})},
			"http://downloads.intercomcdn.com/i/o/1/a.png", "loopback"},
		{"private", Policy{Hosts: []string{"intranet.example.com"}, Resolve: resolver(map[string]string{"intranet.example.com": "10.1.2.3"})},
			"https://intranet.example.com/a.png", "private"},
		{"private 192.168", Policy{Hosts: []string{"192.168.1.1"}}, "http://192.168.1.1/a.png", "private"},
		{"unique local", Policy{Hosts: []string{"v6.example.com"}, Resolve: resolver(map[string]string{"v6.example.com": "fd12:3456::1"})},
			"https://v6.example.com/a.png", "private"},
		{"link-local", Policy{Hosts: []string{"ll.example.com"}, Resolve: resolver(map[string]string{"ll.example.com": "169.254.10.20"})},
			"https://ll.example.com/a.png", "link-local"},
		{"IPv6 link-local", Policy{Hosts: []string{"fe80::1"}}, "http://[fe80::1]/a.png", "link-local"},
		{"CGNAT", Policy{Hosts: []string{"cg.example.com"}, Resolve: resolver(map[string]string{"cg.example.com": "100.64.0.9"})},
			"https://cg.example.com/a.png", "CGNAT"},
		{"metadata", Policy{Hosts: []string{"169.254.169.254"}}, "http://169.254.169.254/latest/meta-data/a.png", "metadata"},
		{"metadata with AllowPrivate", Policy{Hosts: []string{"meta.example.com"}, AllowPrivate: true, Resolve: resolver(map[string]string{"meta.example.com": "169.254.169.254"})},
			"http://meta.example.com/a.png", "metadata"},
		{"AWS IPv6 metadata with AllowPrivate", Policy{Hosts: []string{"fd00:ec2::254"}, AllowPrivate: true}, "http://[fd00:ec2::254]/a.png", "metadata"},
		{"metadata through NAT64", Policy{Hosts: []string{"n.example.com"}, AllowPrivate: true, Resolve: resolver(map[string]string{"n.example.com": "64:ff9b::a9fe:a9fe"})},
			"http://n.example.com/a.png", "metadata"},
		{"unspecified", Policy{Hosts: []string{"0.0.0.0:" + p}}, "http://0.0.0.0:" + p + "/a.png", "unspecified"},
		{"multicast", Policy{Hosts: []string{"m.example.com"}, AllowPrivate: true, Resolve: resolver(map[string]string{"m.example.com": "239.1.1.1"})},
			"http://m.example.com/a.png", "multicast"},
		{"another port of an endpoint", Policy{Endpoints: []string{"127.0.0.1:1"}}, srv.URL + "/a.png", "not an allowed image host"},
		{"not http", Policy{Hosts: []string{"127.0.0.1"}}, "file:///etc/passwd", "not an http(s) URL"},
	}
	for _, tt := range tests {
		err := fetchOne(t, tt.policy, tt.url)
		if !errors.Is(err, ErrRefused) || !strings.Contains(err.Error(), tt.reason) {
			t.Errorf("%s: error %v, want one that wraps ErrRefused and says %q", tt.name, err, tt.reason)
		}
	}
	if n := requests.Load(); n != 0 {
		t.Errorf("the refused downloads reached the server %d times", n)
	}
}

func TestPolicyAllows(t *testing.T) {
	srv, requests := counting(t)
	p := port(srv)
	tests := []struct {
		name   string
		policy Policy
		url    string
	}{
		{"the API's endpoint", Policy{Endpoints: []string{srv.Listener.Addr().String()}}, srv.URL + "/a.png"},
		{"the API's endpoint by name", Policy{Endpoints: []string{"LocalHost:" + p}}, "http://localhost:" + p + "/b.png"},
		{"a configured host, private allowed", Policy{Hosts: []string{"cdn.example.com:" + p}, AllowPrivate: true,
			Resolve: resolver(map[string]string{"cdn.example.com": "127.0.0.1"})}, "http://CDN.example.com:" + p + "/c.png"},
	}
	for _, tt := range tests {
		if err := fetchOne(t, tt.policy, tt.url); err != nil {
			t.Errorf("%s: %v", tt.name, err)
		}
	}
	if n := requests.Load(); n != int64(len(tests)) {
		t.Errorf("%d requests, want %d", n, len(tests))
	}
}

func TestPolicyChecksRedirects(t *testing.T) {
	target, requests := counting(t)
	p := port(target)
	png := encode(t, "png", 1, 1)
	var redirect atomic.Value
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/final.png" {
			w.Write(png)
			return
		}
		http.Redirect(w, r, redirect.Load().(string), http.StatusFound)
	}))
	defer srv.Close()
	names := resolver(map[string]string{"cdn.example.com": "127.0.0.1"})
	base := Policy{Endpoints: []string{srv.Listener.Addr().String()}, Hosts: []string{"cdn.example.com:" + p}, Resolve: names}

	for _, to := range []string{
		target.URL + "/a.png",                           // a loopback host:port nobody allowed
		"http://cdn.example.com:" + p + "/a.png",        // an allowed name that resolves to loopback
		"http://169.254.169.254/latest/meta-data/a.png", // metadata
	} {
		redirect.Store(to)
		err := fetchOne(t, base, srv.URL+"/start.png")
		if !errors.Is(err, ErrRefused) {
			t.Errorf("redirect to %s: error %v, want ErrRefused", to, err)
		}
	}
	if n := requests.Load(); n != 0 {
		t.Errorf("redirects reached a refused server %d times", n)
	}

	redirect.Store("/final.png") // the same endpoint
	if err := fetchOne(t, base, srv.URL+"/start.png"); err != nil {
		t.Errorf("redirect within the endpoint: %v", err)
	}
	redirect.Store(srv.URL + "/start.png") // a loop
	if err := fetchOne(t, base, srv.URL+"/start.png"); !errors.Is(err, ErrRefused) || !strings.Contains(err.Error(), "redirects") {
		t.Errorf("redirect loop: error %v, want a refusal after too many redirects", err)
	}
}

// TestPolicyCachedImage checks that an image the cache holds is used with
// no request, whatever the policy (a build from a snapshot alone does not
// know the API it came from), and that one it lacks is then refused.
func TestPolicyCachedImage(t *testing.T) {
	srv, requests := counting(t)
	dir := t.TempDir()
	u := srv.URL + "/a.png?expires=1&signature=old"
	want := mustFetch(t, newStore(dir, srv), u)[u]
	fresh := srv.URL + "/a.png?expires=2&signature=new"
	other := srv.URL + "/b.png"
	got, errs := (&Store{Dir: dir}).Fetch(context.Background(), []string{fresh, other})
	if got[fresh] != want || len(errs) != 1 || !errors.Is(errs[0], ErrRefused) {
		t.Errorf("got %v, %v; want the cached image and %s refused", got, errs, other)
	}
	if n := requests.Load(); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
}

func TestCheckURL(t *testing.T) {
	p := Policy{Hosts: []string{"cdn.example.com", "img.example.com:8443", "[2001:db8::1]:8080"}, Endpoints: []string{"127.0.0.1:9999"}}
	for raw, ok := range map[string]bool{
		"https://downloads.intercomcdn.com/i/o/1/a.png":      true,
		"https://DOWNLOADS.intercomcdn.eu/i/o/1/a.png":       true,
		"https://downloads.au.intercomcdn.com/a.png":         true,
		"http://uploads.intercomusercontent.com/a.png":       true,
		"https://static.intercomassets.com:443/a.png":        true,
		"https://downloads.intercomcdn.com:8443/a.png":       false,
		"https://intercomcdn.com.evil.example/a.png":         false,
		"https://cdn.example.com/a.png":                      true,
		"https://cdn.example.com:444/a.png":                  false,
		"https://img.example.com:8443/a.png":                 true,
		"https://img.example.com/a.png":                      false,
		"http://[2001:db8::1]:8080/a.png":                    true,
		"http://127.0.0.1:9999/cdn/a.png":                    true,
		"http://127.0.0.1:9998/cdn/a.png":                    false,
		"http://localhost:9999/cdn/a.png":                    false,
		"https://user:pass@downloads.intercomcdn.com/a.png":  true,
		"javascript://downloads.intercomcdn.com/%0aalert(1)": false,
	} {
		u, err := url.Parse(raw)
		if err != nil {
			t.Fatal(err)
		}
		if err := p.checkURL(u); (err == nil) != ok {
			t.Errorf("%s: %v, want allowed=%v", raw, err, ok)
		}
	}
}

func TestCheckAddr(t *testing.T) {
	for _, tt := range []struct {
		addr                 string
		strict, allowPrivate bool
	}{
		{"93.184.215.14", true, true},
		{"2606:2800:21f:cb07:6820:80da:af6b:8b2c", true, true},
		{"127.0.0.1", false, true},
		{"::1", false, true},
		{"10.0.0.1", false, true},
		{"172.31.255.255", false, true},
		{"172.32.0.1", true, true},
		{"192.168.0.1", false, true},
		{"fd00::1", false, true},
		{"fe80::1%eth0", false, true},
		{"169.254.1.1", false, true},
		{"100.64.0.1", false, true},
		{"169.254.169.254", false, false},
		{"169.254.170.2", false, false},
		{"100.100.100.200", false, false},
		{"fd00:ec2::254", false, false},
		{"::ffff:169.254.169.254", false, false},
		{"0.0.0.0", false, false},
		{"::", false, false},
		{"224.0.0.1", false, false},
		{"ff02::1", false, false},
		{"255.255.255.255", false, false},
	} {
		a := netip.MustParseAddr(tt.addr)
		if err := (&Policy{}).checkAddr(a); (err == nil) != tt.strict {
			t.Errorf("%s: %v, want allowed=%v", tt.addr, err, tt.strict)
		}
		if err := (&Policy{AllowPrivate: true}).checkAddr(a); (err == nil) != tt.allowPrivate {
			t.Errorf("%s with AllowPrivate: %v, want allowed=%v", tt.addr, err, tt.allowPrivate)
		}
	}
	// The dialer's last check, on the socket's address.
	if err := (&Policy{}).control("tcp4", "127.0.0.1:80", nil); !errors.Is(err, ErrRefused) {
		t.Errorf("control: %v, want ErrRefused", err)
	}
}

func TestExpired(t *testing.T) {
	c := newCDN(t)
	c.images["/a.png"] = encode(t, "png", 2, 2)
	s := newStore(t.TempDir(), c.Server)
	s.Retries = -1
	for _, tt := range []struct {
		status  int
		query   string
		expired bool
	}{
		{http.StatusForbidden, "?expires=99999999999&signature=s", true},
		{http.StatusNotFound, "", true},
		{http.StatusGone, "", true},
		{http.StatusBadRequest, "?expires=1&signature=s", true},
		{http.StatusBadRequest, "?expires=99999999999&signature=s", false},
		{http.StatusInternalServerError, "?expires=1&signature=s", false},
	} {
		c.mu.Lock()
		c.failures["/a.png"] = []int{tt.status}
		c.mu.Unlock()
		_, errs := s.Fetch(context.Background(), []string{c.URL + "/a.png" + tt.query})
		if len(errs) != 1 || errors.Is(errs[0], ErrExpired) != tt.expired || errors.Is(errs[0], ErrRefused) {
			t.Errorf("%d %s: %v, want expired=%v", tt.status, tt.query, errs, tt.expired)
		}
	}
}
