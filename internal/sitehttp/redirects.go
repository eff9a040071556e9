package sitehttp

import (
	"bufio"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path"
	"regexp"
	"strconv"
	"strings"
)

// The _redirects file, in the format of Netlify and Cloudflare Pages: one
// rule a line, "FROM TO [STATUS]", # for comments. FROM is a path, which
// may hold :placeholders, each matching one segment, and end in a * splat
// matching the rest; TO may use them (":splat"). STATUS is 301 (the
// default), 302, 303, 307 or 308 to redirect, 200 to serve TO's file at
// FROM, 404 or 410 to answer that status with TO's file; a trailing "!"
// (Netlify's force) is accepted. Rules apply before files, as on
// Cloudflare Pages and as forced rules on Netlify, and the first rule that
// matches wins; a trailing slash does not matter. Rules with conditions
// (query parameters, countries, languages) or a host in FROM are not
// supported and are skipped: applying them unconditionally would be wrong.
//
// helpsite writes the rules of its sites itself (render), and Intercom's
// URLs of an article, /{locale}/articles/{id}-{any slug}, are resolved by
// their id through the rule of the bare /{locale}/articles/{id}.

// rule is one rule of a _redirects file.
type rule struct {
	line   int
	from   []string // the path's segments, decoded
	splat  bool     // from ends in *
	to     string
	status int
}

// redirects are the rules of a _redirects file.
type redirects struct {
	// exact holds the rules without placeholders or splat by their path,
	// without a trailing slash; patterns the others, in file order.
	exact    map[string]*rule
	patterns []*rule
}

// parseRedirects reads a _redirects file.
func parseRedirects(r io.Reader) (*redirects, error) {
	rs := &redirects{exact: map[string]*rule{}}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for n := 1; sc.Scan(); n++ {
		fields := strings.Fields(sc.Text())
		if len(fields) < 2 || len(fields) > 3 || strings.HasPrefix(fields[0], "#") ||
			!strings.HasPrefix(fields[0], "/") || !strings.HasPrefix(fields[1], "/") && !strings.Contains(fields[1], "://") {
			continue
		}
		ru := &rule{line: n, to: fields[1], status: http.StatusMovedPermanently}
		if len(fields) == 3 {
			status, err := strconv.Atoi(strings.TrimSuffix(fields[2], "!"))
			if err != nil || !supportedStatus(status) {
				continue
			}
			ru.status = status
		}
		from, err := url.PathUnescape(fields[0])
		if err != nil {
			continue
		}
		from, ru.splat = strings.CutSuffix(from, "*")
		ru.from = segments(from)
		if !ru.splat && !strings.Contains(from, "/:") {
			key := "/" + strings.Join(ru.from, "/")
			if _, dup := rs.exact[key]; !dup {
				rs.exact[key] = ru
			}
			continue
		}
		rs.patterns = append(rs.patterns, ru)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("reading _redirects: %w", err)
	}
	return rs, nil
}

func supportedStatus(status int) bool {
	switch status {
	case 200, 301, 302, 303, 307, 308, 404, 410:
		return true
	}
	return false
}

// segments splits a path into its non-empty segments.
func segments(p string) []string {
	return strings.FieldsFunc(p, func(r rune) bool { return r == '/' })
}

// match returns the first rule matching the decoded path p and its target,
// placeholders and splat filled in.
func (rs *redirects) match(p string) (*rule, string, bool) {
	segs := segments(p)
	best, to := rs.exact["/"+strings.Join(segs, "/")], ""
	if best != nil {
		to = best.to
	}
	for _, ru := range rs.patterns {
		if best != nil && ru.line > best.line {
			break
		}
		if target, ok := ru.apply(segs, strings.HasSuffix(p, "/")); ok {
			best, to = ru, target
			break
		}
	}
	return best, to, best != nil
}

// apply matches the segments of a path against the rule and returns its
// target; slash says the path ends in one, which a splat keeps.
func (ru *rule) apply(segs []string, slash bool) (string, bool) {
	if len(segs) < len(ru.from) || !ru.splat && len(segs) != len(ru.from) {
		return "", false
	}
	var values []string // name, value pairs for strings.NewReplacer
	for i, f := range ru.from {
		if name, ok := strings.CutPrefix(f, ":"); ok && name != "" {
			values = append(values, ":"+name, url.PathEscape(segs[i]))
		} else if f != segs[i] {
			return "", false
		}
	}
	to := ru.to
	if ru.splat {
		rest := make([]string, len(segs)-len(ru.from))
		for i, s := range segs[len(ru.from):] {
			rest[i] = url.PathEscape(s)
		}
		splat := strings.Join(rest, "/")
		if slash && splat != "" {
			splat += "/"
		}
		values = append([]string{":splat", splat}, values...)
	}
	return strings.NewReplacer(values...).Replace(to), true
}

// pageByID matches Intercom's URLs of a page, /{locale}/articles/{id}-{slug}
// and /{locale}/collections/{id}-{slug}, whatever the slug.
var pageByID = regexp.MustCompile(`^/([^/]+)/(articles|collections)/([0-9]+)-[^/]*/?$`)

// byID returns the rule of the bare URL of the page that p, a URL of
// Intercom's shape, names by its id: Intercom resolves an article by its
// id whatever slug follows it.
func (rs *redirects) byID(p string) (*rule, bool) {
	m := pageByID.FindStringSubmatch(p)
	if m == nil {
		return nil, false
	}
	ru, ok := rs.exact["/"+m[1]+"/"+m[2]+"/"+m[3]]
	return ru, ok
}

// loops reports whether rule ru would redirect path p to itself, as a rule
// for an article's old URLs does for a moment while a release that deletes
// the article is applied file by file.
func loops(ru *rule, to, p string) bool {
	if ru.status == http.StatusOK || ru.status == http.StatusNotFound || ru.status == http.StatusGone {
		return false
	}
	u, err := url.Parse(to)
	return err == nil && u.Host == "" && u.Path == p
}

// serveRule answers a request that rule ru matched, with target to.
func (s *Site) serveRule(w http.ResponseWriter, r *http.Request, ru *rule, to string) {
	switch ru.status {
	case http.StatusOK, http.StatusNotFound, http.StatusGone:
		var name string
		ok := false
		if u, err := url.Parse(to); err == nil && u.Host == "" {
			p := path.Clean("/" + u.Path) // decoded, and kept inside the site
			if name, ok = s.resolve(p); !ok && !strings.HasSuffix(p, "/") {
				name, ok = s.resolve(p + "/")
			}
		}
		switch {
		case ok:
			s.serveFile(w, r, name, ru.status)
		case ru.status == http.StatusOK:
			s.notFound(w, r, r.URL.Path)
		default:
			http.Error(w, http.StatusText(ru.status), ru.status)
		}
		return
	}
	if u, err := url.Parse(to); err == nil && u.RawQuery == "" && r.URL.RawQuery != "" {
		to += "?" + r.URL.RawQuery // as Netlify does, the query goes along
	}
	http.Redirect(w, r, to, ru.status)
}
