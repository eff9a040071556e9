package render

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io/fs"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/helpsite/helpsite/internal/content"
	"github.com/helpsite/helpsite/internal/demo"
	"github.com/helpsite/helpsite/internal/images"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// secret marks draft content: it must appear in no output file.
const secret = "SECRETDRAFT"

// png is a 1×1 PNG image.
var png = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")

// testSite is a small help center with the awkward cases: a draft article,
// a draft translation, an RTL locale, a locale with a region, nested
// collections, a collection with only a draft, an article in two
// collections, one in none, links between articles and an image.
func testSite(imageURL string) *content.Site {
	at := func(day int) time.Time { return time.Date(2025, 3, day, 10, 0, 0, 0, time.UTC) }
	pub := func(title, url, body string, day int) content.Translation {
		return content.Translation{Title: title, URL: url, Body: body, State: content.Published, AuthorID: "7", CreatedAt: at(1), UpdatedAt: at(day)}
	}
	draft := func(title string) content.Translation {
		return content.Translation{Title: title, Body: "<p>" + secret + " body</p>", State: content.Draft, CreatedAt: at(1), UpdatedAt: at(20)}
	}
	group := func(name string) content.GroupText {
		return content.GroupText{Name: name, Description: name + " description"}
	}
	welcome := `<h1>Welcome</h1><p>Start by <a href="https://help.acme.test/en/articles/101-reset-password">resetting your password</a>
or read <a href="https://intercom.help/acme/en/articles/102-secret">the draft</a>.</p>
<h2>First steps</h2><p><img src="` + imageURL + `" alt="Dashboard"></p>
<h2>Safety</h2><p>Text {{% shortcode %}} and {{< other >}}.</p><script>alert("xss")</script>
<img src="x" onerror="alert('xss')"><a href="javascript:alert('xss')">bad link</a>
<h3>More</h3><p>See <a href="/fr/collections/11-account">the account collection</a>.</p>`
	return &content.Site{
		HelpCenters: []content.HelpCenter{{ID: "1", DisplayName: "Acme Help", URL: "https://intercom.help/acme", CustomDomain: "help.acme.test", WebsiteTurnedOn: true}},
		Collections: []content.Collection{
			{ID: "10", Order: 1, Icon: "rocket", DefaultLocale: "en", URL: "https://intercom.help/acme/en/collections/10-getting-started",
				Translations: map[string]content.GroupText{"en": group("Getting started"), "fr": group("Premiers pas"), "ar": group("البدء"), "pt-BR": group("Primeiros passos")}},
			{ID: "11", ParentID: "10", Order: 1, DefaultLocale: "en",
				Translations: map[string]content.GroupText{"en": group("Account"), "fr": group("Compte"), "ar": group("الحساب")}},
			{ID: "12", Order: 2, DefaultLocale: "en", Translations: map[string]content.GroupText{"en": group(secret + " billing")}},
			{ID: "13", Order: 3, DefaultLocale: "en", Translations: map[string]content.GroupText{"en": group(secret + " empty")}},
		},
		Articles: []content.Article{
			{ID: "100", ParentIDs: []string{"10"}, DefaultLocale: "en", Translations: map[string]content.Translation{
				"en":    pub("Welcome", "https://intercom.help/acme/en/articles/100-welcome", welcome, 5),
				"fr":    pub("Bienvenue à bord", "https://intercom.help/acme/fr/articles/100-bienvenue", "<p>Bonjour</p>", 6),
				"ar":    pub("مرحبا", "", `<p>أهلا <a href="https://help.acme.test/ar/articles/101">كلمة المرور</a></p>`, 7),
				"pt-BR": pub("Bem-vindo", "https://intercom.help/acme/pt-BR/articles/100-bem-vindo", "<p>Olá</p>", 8),
			}},
			{ID: "101", ParentIDs: []string{"11"}, DefaultLocale: "en", FormerSlugs: map[string][]string{"en": {"old-reset"}}, Translations: map[string]content.Translation{
				"en": pub("Reset your password", "https://help.acme.test/en/articles/101-reset-password", "<h2>Steps</h2><p>Click.</p><h2>Help</h2><p>Ask.</p>", 9),
				"fr": draft("Réinitialiser " + secret),
				"ar": pub("إعادة تعيين كلمة المرور", "", "<p>انقر.</p>", 10),
			}},
			{ID: "102", ParentIDs: []string{"12"}, DefaultLocale: "en", Translations: map[string]content.Translation{
				"en": draft(secret + " pricing"),
				"de": draft(secret + " Preise"),
			}},
			{ID: "103", DefaultLocale: "en", Translations: map[string]content.Translation{
				"en": pub("Standalone notes", "", `<p>Back to <a href="https://help.acme.test/en/articles/100-welcome#first-steps">welcome</a>.</p>`, 11),
			}},
			{ID: "104", ParentIDs: []string{"11", "10"}, DefaultLocale: "en", Translations: map[string]content.Translation{
				"en": pub("Two homes", "https://help.acme.test/en/articles/104-two-homes-old", "<p>In two collections.</p>", 12),
			}},
		},
	}
}

// buildTestSite builds testSite into a new directory and returns it.
func buildTestSite(t *testing.T) (string, *Result) {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/dashboard.png" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "image/png")
		w.Write(png)
	}))
	defer srv.Close()
	out := filepath.Join(t.TempDir(), "site")
	res, err := Build(context.Background(), testSite(srv.URL+"/dashboard.png?expires=1&signature=abc"), out, Options{
		BaseURL: "https://help.example.com/",
		Colors:  Colors{Primary: "#123456"},
		// The footer shows them on every page, as written.
		FooterLinks: []Link{{"Status", "https://status.example.com/"}, {"Contact", "mailto:help@example.com"}},
		Images:      &images.Store{Dir: t.TempDir(), Policy: images.Policy{Endpoints: []string{srv.Listener.Addr().String()}}},
		Authors:     map[string]string{"7": "Ada Lovelace"},
	})
	if err != nil {
		t.Fatal(err)
	}
	return out, res
}

// readTree returns every file below dir by slash path.
func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		files[filepath.ToSlash(rel)] = data
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func TestBuild(t *testing.T) {
	out, res := buildTestSite(t)
	files := readTree(t, out)
	t.Run("golden", func(t *testing.T) {
		var listing strings.Builder
		for _, name := range slices.Sorted(maps.Keys(files)) {
			fmt.Fprintln(&listing, name)
		}
		checkGolden(t, "files.txt", []byte(listing.String()))
		for _, name := range []string{
			"en/index.html", "en/articles/100-welcome/index.html", "ar/articles/101-إعادة-تعيين-كلمة-المرور/index.html",
			"fr/collections/10-premiers-pas/index.html", "en/404.html", "en/search/index.html",
			"en/articles/100/index.html", "_redirects", "redirects.map", "sitemap.xml", "en/sitemap.xml", "robots.txt",
		} {
			data, ok := files[name]
			if !ok {
				t.Errorf("%s was not written", name)
				continue
			}
			checkGolden(t, strings.ReplaceAll(name, "/", "_"), data)
		}
	})
	t.Run("only published", func(t *testing.T) {
		for name, data := range files {
			if bytes.Contains(data, []byte(secret)) {
				t.Errorf("%s holds draft content", name)
			}
			if strings.Contains(name, "/102") || strings.Contains(name, "12-") || strings.Contains(name, "13-") || strings.HasPrefix(name, "de/") {
				t.Errorf("%s is a page of draft content", name)
			}
		}
		for _, name := range []string{"fr/articles/101-reset-password/index.html", "fr/collections/11-compte/index.html"} {
			if _, ok := files[name]; ok {
				t.Errorf("%s was written, but nothing in it is published", name)
			}
		}
	})
	t.Run("no script from articles", func(t *testing.T) {
		page := string(files["en/articles/100-welcome/index.html"])
		for _, bad := range []string{`alert(`, "onerror", "javascript:"} {
			if strings.Contains(page, bad) {
				t.Errorf("article page holds %q", bad)
			}
		}
		if !strings.Contains(page, "{&#123;% shortcode %}}") {
			t.Error("text that looks like a Hugo shortcode was not kept as text")
		}
	})
	t.Run("links", func(t *testing.T) {
		checkLinks(t, files, "https://help.example.com/")
	})
	t.Run("pages", func(t *testing.T) {
		want := map[string]int{"en": 4 + 2 + 3, "fr": 1 + 1 + 3, "ar": 2 + 2 + 3, "pt-BR": 1 + 1 + 3}
		if !maps.Equal(res.Pages, want) {
			t.Errorf("pages per locale = %v, want %v", res.Pages, want)
		}
		if res.Images != 1 {
			t.Errorf("images = %d, want 1", res.Images)
		}
		var missing int
		for _, w := range res.Warnings {
			if w.Article == "100" && strings.Contains(w.Message, "102-secret") && w.Kind == WarnLink {
				missing++
			}
		}
		if missing != 1 {
			t.Errorf("warnings %v: want one about the link to the draft", res.Warnings)
		}
	})
	t.Run("behaviour", func(t *testing.T) {
		for _, c := range []struct{ file, want string }{
			{"ar/articles/101-إعادة-تعيين-كلمة-المرور/index.html", `<html lang="ar" dir="rtl" data-root="/" data-locale="ar"`},
			{"en/articles/100-welcome/index.html", `<html lang="en" dir="ltr" data-root="/" data-locale="en"`},
			{"pt-BR/articles/100-bem-vindo/index.html", `<html lang="pt-BR" dir="ltr" data-root="/" data-locale="pt-BR"`},
			{"pt-BR/articles/100-bem-vindo/index.html", `Pular para o conteúdo`},
			{"pt-BR/index.html", `<link rel="canonical" href="https://help.example.com/pt-BR/">`},
			{"pt-BR/index.html", `<a class="brand" href="/pt-BR/">`},
			{"pt-BR/404.html", `href="/pt-BR/"`},
			// The switcher leads to the same article where it is published, else home.
			{"en/articles/101-reset-password/index.html", `href="/ar/articles/101-%d8%a5%d8%b9%d8%a7%d8%af%d8%a9-`},
			{"en/articles/101-reset-password/index.html", `href="/fr/" hreflang="fr"`},
			{"en/articles/101-reset-password/index.html", `hreflang="x-default" href="https://help.example.com/en/articles/101-reset-password/"`},
			{"en/articles/100-welcome/index.html", `href="/en/articles/101-reset-password/"`},
			{"en/articles/100-welcome/index.html", `src="/images/`},
			{"en/articles/100-welcome/index.html", `Ada Lovelace`},
			{"en/articles/103-standalone-notes/index.html", `href="/en/articles/100-welcome/#first-steps"`},
			// Redirects are relative, to work on any host and port; canonical
			// links name the base URL.
			{"ar/articles/100/index.html", `url=/ar/articles/100-مرحبا/`},
			{"en/articles/101-old-reset/index.html", `url=/en/articles/101-reset-password/`},
			{"en/articles/101-old-reset/index.html", `<link rel="canonical" href="https://help.example.com/en/articles/101-reset-password/">`},
			{"en/collections/10/index.html", `url=/en/collections/10-getting-started/`},
			{"index.html", `url=/en/`},
			{"_redirects", "/acme/pt-BR/articles/100-bem-vindo /pt-BR/articles/100-bem-vindo/ 301"},
			{"_redirects", "/en/articles/101-old-reset/ /en/articles/101-reset-password/ 301"},
			{"en/articles/104-two-homes/index.html", `url=/en/articles/104-two-homes-old/`},
			{"_redirects", "/pt-br/* /pt-BR/:splat 301"},
			{"_redirects", "/acme/pt-BR/ /pt-BR/ 301"},
			{"_redirects", "/acme/ /en/ 301"},
			{"redirects.map", `"~^/pt-br(/.*)?$" "/pt-BR$1";`},
			// Colours are in a stylesheet: the Content-Security-Policy allows no inline style.
			{"en/index.html", `<link rel="stylesheet" href="/css/colors.min.`},
			{"index.html", `<meta http-equiv="Content-Security-Policy" content="default-src &#39;self&#39;;`},
			{"fr/collections/10-premiers-pas/index.html", `<li><a href="mailto:help@example.com">Contact</a></li>`},
		} {
			if !strings.Contains(string(files[c.file]), c.want) {
				t.Errorf("%s does not hold %s", c.file, c.want)
			}
		}
		var colors []string
		for name, data := range files {
			if strings.HasPrefix(name, "css/colors.") && strings.Contains(string(data), "--primary:#123456") {
				colors = append(colors, name)
			}
		}
		if len(colors) != 1 {
			t.Errorf("stylesheets with the primary colour: %q, want one", colors)
		}
	})
}

// TestRootRelativeLinks checks the root-relative links of an article
// body: those that name a page of the site are kept, those that name an
// Intercom article or collection by its path (with or without the help
// center's prefix) lead to the local page, and those that name nothing are
// warned about as broken links and shown as text.
func TestRootRelativeLinks(t *testing.T) {
	site := testSite("https://images.example/a.png")
	links := []struct{ href, want string }{ // want is the link's attributes, "" for a broken link
		{"/", `href="/"`},
		{"/en/", `href="/en/"`},
		{"/fr/index.html", `href="/fr/index.html"`},
		{"/pt-BR/", `href="/pt-BR/"`},
		{"/en/search/?q=password", `href="/en/search/?q=password"`},
		{"/en/articles/101-reset-password/", `href="/en/articles/101-reset-password/"`},
		{"/en/articles/101-an-old-slug", `href="/en/articles/101-reset-password/"`},
		{"/acme/en/articles/100-welcome#safety", `href="/en/articles/100-welcome/#safety"`},
		{"/en/collections/11", `href="/en/collections/11-account/"`},
		{"/acme/fr/collections/10-getting-started", `href="/fr/collections/10-premiers-pas/"`},
		{"/en/reference/configuration/", ""},
		{"/en/articles/", ""},
		{"/docs/setup.html?x=1", ""},
		{"/en/articles/999-gone", ""},
	}
	var body strings.Builder
	for i, l := range links {
		fmt.Fprintf(&body, `<p><a href="%s">link %d</a></p>`, l.href, i)
	}
	for i := range site.Articles {
		if site.Articles[i].ID == "103" {
			tr := site.Articles[i].Translations["en"]
			tr.Body = body.String()
			site.Articles[i].Translations["en"] = tr
		}
	}
	out := filepath.Join(t.TempDir(), "site")
	res, err := Build(context.Background(), site, out, Options{BaseURL: "https://help.example.com/"})
	if err != nil {
		t.Fatal(err)
	}
	page, err := os.ReadFile(filepath.Join(out, "en", "articles", "103-standalone-notes", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	var broken []string
	for i, l := range links {
		want := fmt.Sprintf(`<a %s>link %d</a>`, l.want, i)
		if l.want == "" {
			want = fmt.Sprintf(`<span class="missing-link">link %d</span>`, i)
			broken = append(broken, "link to a missing or unpublished page: "+l.href)
		}
		if !strings.Contains(string(page), want) {
			t.Errorf("the page does not hold %s", want)
		}
	}
	var warned []string
	for _, w := range res.Warnings {
		if w.Article == "103" {
			if w.Kind != WarnLink {
				t.Errorf("warning %q has kind %q, want %q", w.Message, w.Kind, WarnLink)
			}
			warned = append(warned, w.Message)
		}
	}
	if !slices.Equal(warned, broken) {
		t.Errorf("warnings about article 103:\n%s\nwant:\n%s", strings.Join(warned, "\n"), strings.Join(broken, "\n"))
	}
}

func TestBuildIsDeterministic(t *testing.T) {
	first, _ := buildTestSite(t)
	second, _ := buildTestSite(t)
	a, b := readTree(t, first), readTree(t, second)
	if !slices.Equal(slices.Sorted(maps.Keys(a)), slices.Sorted(maps.Keys(b))) {
		t.Fatalf("two builds wrote different files")
	}
	for name := range a {
		if !bytes.Equal(a[name], b[name]) {
			t.Errorf("%s differs between two builds", name)
		}
	}
}

// TestDemoSite builds the demo help center and checks that every internal
// link and image of it leads to a file, and that an article page with its
// stylesheet and script, uncompressed, stays within the 60 KB budget.
func TestDemoSite(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the whole demo site")
	}
	site, err := demo.Site()
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "site")
	res, err := Build(context.Background(), site, out, Options{BaseURL: "https://help.example.com/"})
	if err != nil {
		t.Fatal(err)
	}
	files := readTree(t, out)
	checkLinks(t, files, "https://help.example.com/")
	// The demo's screenshots have no alt text: each is reported, naming
	// its article, and shown as decoration.
	noAlt := 0
	for _, w := range res.Warnings {
		if strings.HasPrefix(w.Message, "image without alt text: ") {
			noAlt++
			if w.Kind != WarnContent || w.Article == "" || w.Locale == "" {
				t.Errorf("warning %+v: want a content warning naming the article and locale", w)
			}
		}
	}
	if noAlt == 0 {
		t.Error("no warning about an image without alt text")
	}
	for name, data := range files {
		for _, img := range imgTag.FindAll(data, -1) {
			if path.Ext(name) == ".html" && !strings.Contains(string(img), ` alt="`) {
				t.Errorf("%s has an image without alt: %s", name, img)
			}
		}
	}
	assets := 0
	for name, data := range files {
		if path.Ext(name) == ".css" && !strings.Contains(name, "print") || path.Ext(name) == ".js" {
			assets += len(data)
		}
	}
	const budget = 60 << 10
	for name, data := range files {
		if strings.Contains(name, "/articles/") && assets+len(data) > budget {
			t.Errorf("%s weighs %d bytes with its assets, over %d", name, assets+len(data), budget)
		}
	}
}

var imgTag = regexp.MustCompile(`<img [^>]*>`)

var linkAttr = regexp.MustCompile(`(?:href|src)="([^"]*)"`)

// checkLinks fails for every link or image in an HTML file of files that
// points inside the site (root-relative or below baseURL) at no file.
func checkLinks(t *testing.T, files map[string][]byte, baseURL string) {
	t.Helper()
	checked := 0
	for name, data := range files {
		if path.Ext(name) != ".html" {
			continue
		}
		for _, m := range linkAttr.FindAllSubmatch(data, -1) {
			link := string(m[1])
			if rest, ok := strings.CutPrefix(link, baseURL); ok {
				link = "/" + rest
			}
			if !strings.HasPrefix(link, "/") || strings.HasPrefix(link, "//") {
				continue
			}
			link, _, _ = strings.Cut(link, "#")
			link, _, _ = strings.Cut(link, "?")
			link, err := url.PathUnescape(link)
			if err != nil {
				t.Errorf("%s links to %s: %v", name, m[1], err)
				continue
			}
			target := strings.TrimPrefix(link, "/")
			if target == "" || strings.HasSuffix(target, "/") {
				target += "index.html"
			}
			checked++
			if _, ok := files[target]; !ok {
				t.Errorf("%s links to %s, which does not exist", name, m[1])
			}
		}
	}
	if checked == 0 {
		t.Error("no internal link found")
	}
}

func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	file := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(file, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from %s (run go test -update after checking the change):\n%s", name, file, firstDiff(want, got))
	}
}

// firstDiff shows the first line where want and got differ.
func firstDiff(want, got []byte) string {
	w, g := strings.Split(string(want), "\n"), strings.Split(string(got), "\n")
	for i := range max(len(w), len(g)) {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return fmt.Sprintf("line %d:\nwant %q\ngot  %q", i+1, wl, gl)
		}
	}
	return ""
}

// TestRebuild rebuilds with one Renderer after a change, as the server
// does, and checks that the second site shows the change and nothing of
// what was unpublished.
func TestRebuild(t *testing.T) {
	site := testSite("https://downloads.intercomcdn.com/i/o/1/dashboard.png")
	r, err := New(Options{BaseURL: "https://help.example.com/"})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if _, err := r.Build(context.Background(), mustPlan(t, r, site), filepath.Join(t.TempDir(), "first")); err != nil {
		t.Fatal(err)
	}
	a := site.Article("101")
	ar := a.Translations["ar"]
	ar.State = content.Draft
	a.Translations["ar"] = ar
	en := a.Translations["en"]
	en.Title = "Change your password"
	a.Translations["en"] = en
	out := filepath.Join(t.TempDir(), "second")
	if _, err := r.Build(context.Background(), mustPlan(t, r, site), out); err != nil {
		t.Fatal(err)
	}
	files := readTree(t, out)
	for name := range files {
		if strings.HasPrefix(name, "ar/articles/101") {
			t.Errorf("%s is still written after the translation became a draft", name)
		}
	}
	if page := string(files["en/articles/101-reset-password/index.html"]); !strings.Contains(page, "<h1 id=\"article-title\">Change your password</h1>") {
		t.Error("the article page does not show the new title")
	}
	if _, ok := files["en/articles/101-change-your-password/index.html"]; !ok {
		t.Error("no redirect from the slug of the new title")
	}
}

func TestNewChecksOptions(t *testing.T) {
	for _, opts := range []Options{
		{},
		{BaseURL: "https://help.example.com/", Colors: Colors{Primary: "red;}body{display:none"}},
	} {
		if r, err := New(opts); err == nil {
			r.Close()
			t.Errorf("New(%+v) accepted the options", opts)
		}
	}
}

func TestBuildTakesOnlyItsOwnPlans(t *testing.T) {
	opts := Options{BaseURL: "https://help.example.com/"}
	r, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	plan, err := NewPlan(testSite(""), opts)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Build(context.Background(), plan, t.TempDir()); err == nil {
		t.Error("Build rendered a plan the Renderer did not make")
	}
}

// mustPlan returns r's plan of site.
func mustPlan(t testing.TB, r *Renderer, site *content.Site) *Plan {
	t.Helper()
	plan, err := r.Plan(site)
	if err != nil {
		t.Fatal(err)
	}
	return plan
}

// The pages stage reports the pages Hugo writes as it writes them, not
// only its start and end.
func TestHugoPageProgress(t *testing.T) {
	site, err := demo.Site()
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var seen []int
	total := 0
	progress := func(stage string, done, n int) {
		if stage == hugoStage {
			mu.Lock()
			seen, total = append(seen, done), n
			mu.Unlock()
		}
	}
	res, err := Build(context.Background(), site, filepath.Join(t.TempDir(), "site"), Options{BaseURL: "https://help.example.com/", Progress: progress})
	if err != nil {
		t.Fatal(err)
	}
	between := 0
	for i, d := range seen {
		if i > 0 && d < seen[i-1] {
			t.Fatalf("pages went back: %v", seen)
		}
		if d > 0 && d < total {
			between++
		}
	}
	if total != res.TotalPages() || seen[len(seen)-1] != total || between < res.TotalPages()/2 {
		t.Errorf("total %d (site %d), %d counts between 0 and the total, last %d", total, res.TotalPages(), between, seen[len(seen)-1])
	}
}
