package articlehtml

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
)

// Intercom URLs the test site knows.
const (
	articleURL  = "https://help.acme.example/en/articles/1234567-some-slug"
	draftURL    = "https://help.acme.example/en/articles/7654321-draft"
	signedImage = "https://downloads.intercomcdn.com/i/o/12345/abcdef0123/name.png?expires=1700000000&signature=sig&req=r"
	lostImage   = "https://downloads.intercomcdn.com/i/o/12345/lost/gone.png?expires=1700000000&signature=sig"
)

// siteOptions resolves like the renderer does for a site with one
// published article, one draft and one downloaded image.
func siteOptions() Options {
	return Options{
		ResolveLink: func(href string) (string, bool) {
			switch {
			case strings.HasPrefix(href, articleURL):
				return "/en/articles/1234567-some-slug/" + strings.TrimPrefix(href, articleURL), true
			case href == draftURL:
				return "", false
			}
			return href, true
		},
		ResolveImage: func(src string) (Image, bool) {
			if src == signedImage {
				return Image{Src: "/images/0123456789abcdef.png", Width: 1600, Height: 900}, true
			}
			return Image{}, false
		},
	}
}

// goldenTests are the constructs of Intercom's editor and what they become.
var goldenTests = []struct {
	name, body, want string
}{
	{
		"paragraph",
		`<p class="no-margin">Hello, <b>bold</b>, <i>italic</i>, <u>under</u> and <code>code</code>.</p>`,
		`<p>Hello, <b>bold</b>, <i>italic</i>, <u>under</u> and <code>code</code>.</p>`,
	},
	{
		"headings",
		`<h2 id="h_5f2b3c9a1d">Getting started</h2><h3 id="h_0a1b2c3d4e">Install</h3>`,
		`<h2 id="h_5f2b3c9a1d">Getting started</h2><h3 id="h_0a1b2c3d4e">Install</h3>`,
	},
	{
		"article link",
		`<p class="no-margin">See <a href="` + articleURL + `" target="_blank" class="intercom-content-link">the guide</a>.</p>`,
		`<p>See <a href="/en/articles/1234567-some-slug/">the guide</a>.</p>`,
	},
	{
		"article link with fragment",
		`<p><a href="` + articleURL + `#h_5f2b3c9a1d" target="_blank" class="intercom-content-link">step 2</a></p>`,
		`<p><a href="/en/articles/1234567-some-slug/#h_5f2b3c9a1d">step 2</a></p>`,
	},
	{
		"external link",
		`<p><a href="https://example.com/docs?q=1" target="_blank" class="intercom-content-link">docs</a></p>`,
		`<p><a href="https://example.com/docs?q=1" rel="noopener noreferrer" target="_blank">docs</a></p>`,
	},
	{
		"link to a draft",
		`<p>Read <a href="` + draftURL + `" target="_blank" class="intercom-content-link">the draft</a> later.</p>`,
		`<p>Read <span class="missing-link">the draft</span> later.</p>`,
	},
	{
		"mail and in-page links",
		`<p><a href="mailto:help@acme.example">mail</a> <a href="#h_5f2b3c9a1d">up</a></p>`,
		`<p><a href="mailto:help@acme.example">mail</a> <a href="#h_5f2b3c9a1d">up</a></p>`,
	},
	{
		"callout info",
		`<div class="intercom-interblocks-callout" style="background-color: #e3e7fa80; border-color: #334bfa33;"><p class="no-margin">Info</p></div>`,
		`<div class="callout callout-info"><p>Info</p></div>`,
	},
	{
		"callout warning",
		`<div class="intercom-interblocks-callout" style="background-color: #feedaf80; border-color: #fbc91633;"><p class="no-margin">Careful</p></div>`,
		`<div class="callout callout-warning"><p>Careful</p></div>`,
	},
	{
		"callout tip",
		`<div class="intercom-interblocks-callout" style="background-color: #d7efdc80; border-color: #0f9d5833;"><p class="no-margin">Tip</p></div>`,
		`<div class="callout callout-tip"><p>Tip</p></div>`,
	},
	{
		"callout danger",
		`<div class="intercom-interblocks-callout" style="background-color: #fed9db80; border-color: #e03e5233;"><p class="no-margin">Stop</p></div>`,
		`<div class="callout callout-danger"><p>Stop</p></div>`,
	},
	{
		"callout note",
		`<div class="intercom-interblocks-callout" style="background-color: #e8e8e8b3; border-color: #4a4a4a33;"><p class="no-margin">Note</p></div>`,
		`<div class="callout callout-note"><p>Note</p></div>`,
	},
	{
		"image",
		`<div class="intercom-container"><img src="` + strings.ReplaceAll(signedImage, "&", "&amp;") + `"></div>`,
		`<div class="image"><img src="/images/0123456789abcdef.png" alt="" width="1600" height="900" loading="lazy" decoding="async"/></div>`,
	},
	{
		"image sized in the editor",
		`<div class="intercom-container"><img src="` + strings.ReplaceAll(signedImage, "&", "&amp;") + `" alt="The dashboard" width="800" height="400" style="height: auto;"></div>`,
		`<div class="image"><img src="/images/0123456789abcdef.png" alt="The dashboard" width="800" height="450" loading="lazy" decoding="async"/></div>`,
	},
	{
		"image that failed to download",
		`<div class="intercom-container"><img src="` + lostImage + `" alt="Settings  page"></div>`,
		`<div class="image"><span class="image-missing">Settings page</span></div>`,
	},
	{
		"youtube",
		`<div class="intercom-h2b-video"><iframe src="https://www.youtube.com/embed/dQw4w9WgXcQ" frameborder="0" webkitallowfullscreen mozallowfullscreen allowfullscreen></iframe></div>`,
		`<div class="video"><a class="video-play" href="https://www.youtube.com/watch?v=dQw4w9WgXcQ" rel="noopener noreferrer" target="_blank" data-embed="https://www.youtube.com/embed/dQw4w9WgXcQ"><span class="video-title">YouTube video</span></a></div>`,
	},
	{
		"vimeo",
		`<div class="intercom-h2b-video"><iframe src="https://player.vimeo.com/video/76979871?h=8272103f6e" frameborder="0" allowfullscreen></iframe></div>`,
		`<div class="video"><a class="video-play" href="https://vimeo.com/76979871" rel="noopener noreferrer" target="_blank" data-embed="https://player.vimeo.com/video/76979871?h=8272103f6e"><span class="video-title">Vimeo video</span></a></div>`,
	},
	{
		"loom",
		`<div class="intercom-h2b-video"><iframe src="https://www.loom.com/embed/0281766fa2d04bb788eaf19e65135184" frameborder="0" allowfullscreen></iframe></div>`,
		`<div class="video"><a class="video-play" href="https://www.loom.com/share/0281766fa2d04bb788eaf19e65135184" rel="noopener noreferrer" target="_blank" data-embed="https://www.loom.com/embed/0281766fa2d04bb788eaf19e65135184"><span class="video-title">Loom video</span></a></div>`,
	},
	{
		"wistia",
		`<div class="intercom-h2b-video"><iframe src="https://fast.wistia.net/embed/iframe/e4a27b971d" title="Onboarding" frameborder="0" allowfullscreen></iframe></div>`,
		`<div class="video"><a class="video-play" href="https://fast.wistia.net/embed/iframe/e4a27b971d" rel="noopener noreferrer" target="_blank" data-embed="https://fast.wistia.net/embed/iframe/e4a27b971d"><span class="video-title">Onboarding</span><span class="video-provider">Wistia</span></a></div>`,
	},
	{
		"table",
		`<div class="intercom-interblocks-table-container"><table role="presentation"><tbody><tr><td><p class="no-margin">Plan</p></td><td colspan="2" style="width: 50%"><p class="no-margin">Price</p></td></tr></tbody></table></div>`,
		`<div class="table-wrap" tabindex="0"><table><tbody><tr><td><p>Plan</p></td><td colspan="2"><p>Price</p></td></tr></tbody></table></div>`,
	},
	{
		"code block",
		"<pre><code>if a &lt; b {\n\treturn &quot;x&quot;\n}</code></pre>",
		"<pre tabindex=\"0\"><code>if a &lt; b {\n\treturn &#34;x&#34;\n}</code></pre>",
	},
	{
		"accordion",
		`<details><summary>Question</summary><div><p class="no-margin">Answer</p></div></details>`,
		`<details><summary>Question</summary><div><p>Answer</p></div></details>`,
	},
	{
		"lists",
		`<ul><li><p class="no-margin">one</p><ul><li><p class="no-margin">nested</p></li></ul></li></ul><ol start="3"><li><p class="no-margin">three</p></li></ol>`,
		`<ul><li><p>one</p><ul><li><p>nested</p></li></ul></li></ul><ol start="3"><li><p>three</p></li></ol>`,
	},
	{
		"rule and breaks",
		`<p class="no-margin">a<br>b</p><hr><p class="no-margin">&nbsp;</p>`,
		"<p>a<br/>b</p><hr/><p>\u00a0</p>",
	},
	{
		"right to left",
		`<p dir="rtl" lang="ar">مرحبا</p>`,
		`<p dir="rtl" lang="ar">مرحبا</p>`,
	},
}

func TestRewriteGolden(t *testing.T) {
	rw := New(siteOptions())
	for _, tt := range goldenTests {
		if got := rw.Rewrite(tt.body).HTML; got != tt.want {
			t.Errorf("%s:\n got %s\nwant %s", tt.name, got, tt.want)
		}
	}
}

func TestLinks(t *testing.T) {
	tests := []struct {
		name, body, want string
		warnings         []Warning
	}{
		{"protocol-relative is external", `<a href="//example.com/x">x</a>`, `<a href="//example.com/x" rel="noopener noreferrer" target="_blank">x</a>`, nil},
		{"relative stays", `<a href="/en/">home</a>`, `<a href="/en/">home</a>`, nil},
		{"telephone", `<a href="tel:+441234">call</a>`, `<a href="tel:+441234">call</a>`, nil},
		{"title kept", `<a href="https://example.com" title="Example">x</a>`, `<a href="https://example.com" title="Example" rel="noopener noreferrer" target="_blank">x</a>`, nil},
		{"entities decoded", `<a href="https://example.com/?a=1&amp;b=2">x</a>`, `<a href="https://example.com/?a=1&amp;b=2" rel="noopener noreferrer" target="_blank">x</a>`, nil},
		{"spaces trimmed", "<a href=\" https://example.com/a \n\">x</a>", `<a href="https://example.com/a" rel="noopener noreferrer" target="_blank">x</a>`, nil},
		{"no href", `<a name="top">anchor</a>`, `anchor`, nil},
		{"javascript", `<a href="javascript:alert(1)">x</a>`, `x`, []Warning{{WarnContent, `removed link with unsupported URL "javascript:alert(1)"`}}},
		{"space in query", `<a href="https://example.com/?a b">x</a>`, `x`, []Warning{{WarnContent, `removed link with unsupported URL "https://example.com/?a b"`}}},
		{"draft", `<a href="` + draftURL + `"><b>draft</b></a>`, `<span class="missing-link"><b>draft</b></span>`, []Warning{{WarnLink, "link to a missing or unpublished page: " + draftURL}}},
		{"same draft twice, one warning", `<a href="` + draftURL + `">a</a><a href="` + draftURL + `">b</a>`, `<span class="missing-link">a</span><span class="missing-link">b</span>`, []Warning{{WarnLink, "link to a missing or unpublished page: " + draftURL}}},
		{"link to an image shows the local copy", `<a href="` + strings.ReplaceAll(signedImage, "&", "&amp;") + `"><img src="` + strings.ReplaceAll(signedImage, "&", "&amp;") + `" alt="A"></a>`, `<a href="/images/0123456789abcdef.png"><img src="/images/0123456789abcdef.png" alt="A" width="1600" height="900" loading="lazy" decoding="async"/></a>`, nil},
	}
	rw := New(siteOptions())
	for _, tt := range tests {
		res := rw.Rewrite(tt.body)
		if res.HTML != tt.want || !reflect.DeepEqual(res.Warnings, tt.warnings) {
			t.Errorf("%s:\n got %s %q\nwant %s %q", tt.name, res.HTML, res.Warnings, tt.want, tt.warnings)
		}
	}
}

func TestLinksWithoutResolver(t *testing.T) {
	res := New(Options{}).Rewrite(`<a href="` + articleURL + `" target="_blank">guide</a>`)
	want := `<a href="` + articleURL + `" rel="noopener noreferrer" target="_blank">guide</a>`
	if res.HTML != want || res.Warnings != nil {
		t.Errorf("got %s %q, want %s", res.HTML, res.Warnings, want)
	}
}

func TestResolverResultChecked(t *testing.T) {
	rw := New(Options{
		ResolveLink:  func(string) (string, bool) { return "javascript:alert(1)", true },
		ResolveImage: func(string) (Image, bool) { return Image{Src: "data:image/png;base64,AAAA"}, true },
	})
	res := rw.Rewrite(`<a href="/en/articles/1">a</a><img src="https://cdn.example/a.png" alt="A">`)
	want := `<span class="missing-link">a</span><span class="image-missing">A</span>`
	if res.HTML != want || len(res.Warnings) != 2 {
		t.Errorf("got %s %q, want %s and two warnings", res.HTML, res.Warnings, want)
	}
}

func TestImages(t *testing.T) {
	tests := []struct {
		name, body, want string
		asked            []string
		warnings         []string
	}{
		{"intrinsic size", `<img src="https://cdn.example/a.png" alt="A">`, `<img src="/i/a.png" alt="A" width="1600" height="900" loading="lazy" decoding="async"/>`, []string{"https://cdn.example/a.png"}, nil},
		{"editor width", `<img src="https://cdn.example/a.png" alt="A" width="400px">`, `<img src="/i/a.png" alt="A" width="400" height="225" loading="lazy" decoding="async"/>`, []string{"https://cdn.example/a.png"}, nil},
		{"editor height", `<img src="https://cdn.example/a.png" alt="A" height="90">`, `<img src="/i/a.png" alt="A" width="160" height="90" loading="lazy" decoding="async"/>`, []string{"https://cdn.example/a.png"}, nil},
		{"unknown size keeps the editor's", `<img src="https://cdn.example/b.svg" alt="A" width="300" height="abc">`, `<img src="/i/b.svg" alt="A" width="300" loading="lazy" decoding="async"/>`, []string{"https://cdn.example/b.svg"}, nil},
		{"protocol-relative asked as https", `<img src="//cdn.example/a.png" alt="A" title="T">`, `<img src="/i/a.png" alt="A" title="T" width="1600" height="900" loading="lazy" decoding="async"/>`, []string{"https://cdn.example/a.png"}, nil},
		{"srcset and handlers dropped", `<img src="https://cdn.example/a.png" alt="A" srcset="x.png 2x" onload="x()" class="c">`, `<img src="/i/a.png" alt="A" width="1600" height="900" loading="lazy" decoding="async"/>`, []string{"https://cdn.example/a.png"}, nil},
		{"unavailable with alt", `<p><img src="https://cdn.example/gone.png?expires=1&amp;signature=s" alt="Gone"></p>`, `<p><span class="image-missing">Gone</span></p>`, []string{"https://cdn.example/gone.png?expires=1&signature=s"}, []string{"image unavailable: https://cdn.example/gone.png"}},
		{"unavailable without alt", `<p>a<img src="https://cdn.example/gone.png">b</p>`, `<p>ab</p>`, []string{"https://cdn.example/gone.png"}, []string{"image unavailable: https://cdn.example/gone.png"}},
		{"data URL", `<img src="data:image/png;base64,iVBORw0KGgo=" alt="dot">`, `<span class="image-missing">dot</span>`, nil, []string{`removed image with unsupported source "data:image/png;base64,iVBORw0KGgo="`}},
		{"no src", `<img alt="">`, ``, nil, nil},
	}
	for _, tt := range tests {
		var asked []string
		rw := New(Options{ResolveImage: func(src string) (Image, bool) {
			asked = append(asked, src)
			switch {
			case strings.HasSuffix(src, ".svg"):
				return Image{Src: "/i/b.svg"}, true
			case strings.Contains(src, "gone"):
				return Image{}, false
			}
			return Image{Src: "/i/a.png", Width: 1600, Height: 900}, true
		}})
		res := rw.Rewrite(tt.body)
		if res.HTML != tt.want || !reflect.DeepEqual(messages(res.Warnings, WarnImage), tt.warnings) || !reflect.DeepEqual(asked, tt.asked) {
			t.Errorf("%s:\n got %s %q asked %q\nwant %s %q asked %q", tt.name, res.HTML, res.Warnings, asked, tt.want, tt.warnings, tt.asked)
		}
	}
}

func TestImagesWithoutResolver(t *testing.T) {
	res := New(Options{}).Rewrite(`<img src="https://cdn.example/a.png" alt="" width="10" height="20">`)
	want := `<img src="https://cdn.example/a.png" alt="" width="10" height="20" loading="lazy" decoding="async"/>`
	if res.HTML != want {
		t.Errorf("got %s, want %s", res.HTML, want)
	}
}

// TestImageWithoutAlt checks that an image without alt text is shown as
// decoration (alt="") and reported, so that an editor can describe it;
// an empty alt is the editor's choice and is kept silently.
func TestImageWithoutAlt(t *testing.T) {
	rw := New(Options{ResolveImage: func(string) (Image, bool) { return Image{Src: "/i/a.png"}, true }})
	res := rw.Rewrite(`<img src="https://cdn.example/a.png?signature=s"><img src="https://cdn.example/b.png" alt="">`)
	want := `<img src="/i/a.png" alt="" loading="lazy" decoding="async"/><img src="/i/a.png" alt="" loading="lazy" decoding="async"/>`
	wantWarnings := []Warning{{WarnContent, "image without alt text: https://cdn.example/a.png: describe it in Intercom, or it is treated as decoration"}}
	if res.HTML != want || !reflect.DeepEqual(res.Warnings, wantWarnings) {
		t.Errorf("got %s %q\nwant %s %q", res.HTML, res.Warnings, want, wantWarnings)
	}
}

func TestImageURLs(t *testing.T) {
	body := `<p><img src="https://cdn.example/b.png?expires=1&amp;signature=s"></p>
		<img src="https://cdn.example/a.png"><img src="https://cdn.example/b.png?expires=1&amp;signature=s">
		<img src="//cdn.example/c.png"><img src="/local.png"><img src="data:image/png;base64,AAAA">
		<img src="javascript:alert(1)"><img src=" HTTPS://cdn.example/d.png ">
		<template><img src="https://cdn.example/template.png"></template>
		<noscript><img src="https://cdn.example/noscript.png"></noscript>
		<svg><image href="https://cdn.example/svg.png"/></svg>`
	want := []string{
		"https://cdn.example/b.png?expires=1&signature=s",
		"https://cdn.example/a.png",
		"https://cdn.example/c.png",
		"https://cdn.example/d.png",
	}
	if got := ImageURLs(body); !reflect.DeepEqual(got, want) {
		t.Errorf("ImageURLs:\n got %q\nwant %q", got, want)
	}
	// Rewrite asks for exactly those.
	var asked []string
	New(Options{ResolveImage: func(src string) (Image, bool) {
		if !strings.HasPrefix(src, "/") {
			asked = append(asked, src)
		}
		return Image{Src: "/x.png"}, true
	}}).Rewrite(body)
	for _, src := range asked {
		if !slices.Contains(want, src) {
			t.Errorf("Rewrite asked for %q, which ImageURLs does not list", src)
		}
	}
}

func TestVideos(t *testing.T) {
	// frame is the facade of the video whose player is at src: a link to
	// its page (pages[src]) that names it and holds the player's URL.
	pages := map[string]string{
		"https://www.youtube.com/embed/dQw4w9WgXcQ?rel=0&amp;start=30":   "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
		"https://www.youtube.com/embed/dQw4w9WgXcQ":                      "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
		"https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ":             "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
		"https://player.vimeo.com/video/76979871":                        "https://vimeo.com/76979871",
		"https://www.loom.com/embed/0281766fa2d04bb788eaf19e65135184":    "https://www.loom.com/share/0281766fa2d04bb788eaf19e65135184",
		"https://fast.wistia.net/embed/iframe/e4a27b971d?videoFoam=true": "https://fast.wistia.net/embed/iframe/e4a27b971d",
	}
	frame := func(src, title string) string {
		return `<div class="video"><a class="video-play" href="` + pages[src] + `" rel="noopener noreferrer" target="_blank" data-embed="` + src +
			`"><span class="video-title">` + title + `</span></a></div>`
	}
	tests := []struct {
		src, want string
	}{
		{"https://www.youtube.com/embed/dQw4w9WgXcQ?start=30&amp;rel=0", frame("https://www.youtube.com/embed/dQw4w9WgXcQ?rel=0&amp;start=30", "YouTube video")},
		{"https://youtube.com/embed/dQw4w9WgXcQ", frame("https://www.youtube.com/embed/dQw4w9WgXcQ", "YouTube video")},
		{"//www.youtube-nocookie.com/embed/dQw4w9WgXcQ", frame("https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ", "YouTube video")},
		{"http://player.vimeo.com/video/76979871/", frame("https://player.vimeo.com/video/76979871", "Vimeo video")},
		{"https://loom.com/share/0281766fa2d04bb788eaf19e65135184", frame("https://www.loom.com/embed/0281766fa2d04bb788eaf19e65135184", "Loom video")},
		{"https://fast.wistia.com/embed/iframe/e4a27b971d?videoFoam=true", frame("https://fast.wistia.net/embed/iframe/e4a27b971d?videoFoam=true", "Wistia video")},
		{"HTTPS://WWW.YOUTUBE.COM/embed/dQw4w9WgXcQ", frame("https://www.youtube.com/embed/dQw4w9WgXcQ", "YouTube video")},
		{"https://www.youtube.com/watch?v=dQw4w9WgXcQ", ""},
		{"https://www.youtube.com/embed/a/b", ""},
		{"https://www.youtube.com/embed/", ""},
		{"https://www.youtube.com:444/embed/dQw4w9WgXcQ", ""},
		{"https://user@www.youtube.com/embed/dQw4w9WgXcQ", ""},
		{"https://evil.example/embed/dQw4w9WgXcQ", ""},
		{"https://player.vimeo.com.evil.example/video/1", ""},
		{"ftp://player.vimeo.com/video/1", ""},
		{"https://www.loom.com/embed/a%2Fb", ""},
		{"", ""},
	}
	rw := New(Options{})
	for _, tt := range tests {
		res := rw.Rewrite(`<div class="intercom-h2b-video"><iframe src="` + tt.src + `" frameborder="0" allowfullscreen></iframe></div>`)
		if res.HTML != tt.want {
			t.Errorf("%s:\n got %s\nwant %s", tt.src, res.HTML, tt.want)
		}
		if (tt.want == "") != (len(res.Warnings) == 1) {
			t.Errorf("%s: warnings %q", tt.src, res.Warnings)
		}
		if res.Text != "" {
			t.Errorf("%s: the facade's words %q are in the text", tt.src, res.Text)
		}
	}
}

func TestStripVideos(t *testing.T) {
	tests := []struct {
		iframe, want string
	}{
		{`<iframe src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"></iframe>`, `<div class="video-link"><a href="https://www.youtube.com/watch?v=dQw4w9WgXcQ" rel="noopener noreferrer" target="_blank">YouTube video</a></div>`},
		{`<iframe src="https://player.vimeo.com/video/76979871" title="Release  tour"></iframe>`, `<div class="video-link"><a href="https://vimeo.com/76979871" rel="noopener noreferrer" target="_blank">Release tour</a></div>`},
		{`<iframe src="https://www.loom.com/embed/abc123"></iframe>`, `<div class="video-link"><a href="https://www.loom.com/share/abc123" rel="noopener noreferrer" target="_blank">Loom video</a></div>`},
		{`<iframe src="https://fast.wistia.net/embed/iframe/e4a27b971d"></iframe>`, `<div class="video-link"><a href="https://fast.wistia.net/embed/iframe/e4a27b971d" rel="noopener noreferrer" target="_blank">Wistia video</a></div>`},
		{`<iframe src="https://evil.example/"></iframe>`, ``},
	}
	rw := New(Options{StripVideos: true})
	for _, tt := range tests {
		if got := rw.Rewrite(`<div class="intercom-h2b-video">` + tt.iframe + `</div>`).HTML; got != tt.want {
			t.Errorf("%s:\n got %s\nwant %s", tt.iframe, got, tt.want)
		}
	}
}

func TestHeadings(t *testing.T) {
	tests := []struct {
		name, body, want string
		headings         []Heading
	}{
		{
			"ids generated and kept",
			`<h2>Getting  <b>started</b></h2><h3 id="h_1">Install</h3><h4>Step 1: run it!</h4><h5>Small</h5>`,
			`<h2 id="getting-started">Getting  <b>started</b></h2><h3 id="h_1">Install</h3><h4 id="step-1-run-it">Step 1: run it!</h4><h5>Small</h5>`,
			[]Heading{{2, "getting-started", "Getting started"}, {3, "h_1", "Install"}, {4, "step-1-run-it", "Step 1: run it!"}},
		},
		{
			"h1 in the body demotes every heading",
			`<h1 id="h_a">Setup</h1><h2 id="h_b">Details</h2><h6>Deep</h6>`,
			`<h2 id="h_a">Setup</h2><h3 id="h_b">Details</h3><h6>Deep</h6>`,
			[]Heading{{2, "h_a", "Setup"}, {3, "h_b", "Details"}},
		},
		{
			"duplicates made unique, ids set later reserved",
			`<h2>FAQ</h2><h2>FAQ</h2><h2 id="faq-2">Other</h2><h2 id="h_x">A</h2><h2 id="h_x">B</h2>`,
			`<h2 id="faq">FAQ</h2><h2 id="faq-3">FAQ</h2><h2 id="faq-2">Other</h2><h2 id="h_x">A</h2><h2 id="b">B</h2>`,
			[]Heading{{2, "faq", "FAQ"}, {2, "faq-3", "FAQ"}, {2, "faq-2", "Other"}, {2, "h_x", "A"}, {2, "b", "B"}},
		},
		{
			"unicode text",
			`<h2>Über uns</h2><h2>设置</h2><h3>!!!</h3>`,
			`<h2 id="über-uns">Über uns</h2><h2 id="设置">设置</h2><h3 id="section">!!!</h3>`,
			[]Heading{{2, "über-uns", "Über uns"}, {2, "设置", "设置"}, {3, "section", "!!!"}},
		},
		{
			"invalid id replaced, empty heading skipped",
			`<h2 id="a b&quot;">Title</h2><h2><br></h2><h3 id="h_empty"></h3>`,
			`<h2 id="title">Title</h2><h2><br/></h2><h3 id="h_empty"></h3>`,
			[]Heading{{2, "title", "Title"}},
		},
		{
			"long text",
			`<h2>` + strings.Repeat("word ", 30) + `</h2>`,
			`<h2 id="` + strings.TrimSuffix(strings.Repeat("word-", 13), "-") + `">` + strings.Repeat("word ", 30) + `</h2>`,
			[]Heading{{2, strings.TrimSuffix(strings.Repeat("word-", 13), "-"), strings.TrimSpace(strings.Repeat("word ", 30))}},
		},
	}
	rw := New(Options{})
	for _, tt := range tests {
		res := rw.Rewrite(tt.body)
		if res.HTML != tt.want || !reflect.DeepEqual(res.Headings, tt.headings) {
			t.Errorf("%s:\n got %s %+v\nwant %s %+v", tt.name, res.HTML, res.Headings, tt.want, tt.headings)
		}
	}
}

func TestCalloutClass(t *testing.T) {
	tests := []struct{ style, want string }{
		{"background-color: #e3e7fa80; border-color: #334bfa33;", "info"},
		{"border-color: #fbc91633; background-color: #FEEDAF80", "warning"},
		{"background-color:#d7efdc", "tip"},
		{"background: rgba(254, 217, 219, 0.5)", "danger"},
		{"background-color: #eee", "note"},
		{"background-color: #fff3c4", "warning"}, // nearest
		{"background-color: #e0e4ff80", "info"},  // nearest
		{"background-color: red", "note"},
		{"background-color: #12", "note"},
		{"", "note"},
		{"xbackground-color: #feedaf80", "note"},
	}
	for _, tt := range tests {
		if got := calloutClass(tt.style); got != "callout callout-"+tt.want {
			t.Errorf("calloutClass(%q) = %q, want callout-%s", tt.style, got, tt.want)
		}
	}
}

func TestText(t *testing.T) {
	body := `<h2>Title</h2><p class="no-margin">One   <b>two</b>
		three</p><ul><li><p>item 1</p></li><li>item 2</li></ul>
		<table><tr><td>a</td><td>b</td></tr><tr><td>c</td><td>d</td></tr></table>
		<p>line<br>break</p><script>var secret</script><img src="https://cdn.example/a.png" alt="alt text">`
	want := "Title\nOne two three\nitem 1\nitem 2\na b\nc d\nline\nbreak"
	if got := New(Options{}).Rewrite(body).Text; got != want {
		t.Errorf("Text = %q, want %q", got, want)
	}
}

func TestDroppedAndUnwrapped(t *testing.T) {
	tests := []struct{ body, want string }{
		{`<p>a<script>b</script>c</p>`, `<p>ac</p>`},
		{`<section><article><p>kept</p></article></section>`, `<p>kept</p>`},
		{`<p><font color="red">red</font> <span style="color: red" class="x">span</span></p>`, `<p>red <span>span</span></p>`},
		{`<form action="/x"><p>inside a form</p></form>after`, `after`},
		{`<p>a<!-- comment -->b</p>`, `<p>ab</p>`},
		{`<blockquote cite="https://example.com"><p>q</p></blockquote>`, `<blockquote><p>q</p></blockquote>`},
		{`<table><tr><th scope="col" rowspan="2">h</th><th scope="bogus">i</th></tr></table>`, `<div class="table-wrap" tabindex="0"><table><tbody><tr><th scope="col" rowspan="2">h</th><th>i</th></tr></tbody></table></div>`},
		{`<div class="intercom-interblocks-table-container intercom-interblocks-table"><table><tr><td>x</td></tr></table></div>`, `<div class="table-wrap" tabindex="0"><table><tbody><tr><td>x</td></tr></tbody></table></div>`},
		{`<details open class="x"><summary>Q</summary>A</details>`, `<details open="">` + `<summary>Q</summary>A</details>`},
	}
	rw := New(Options{})
	for _, tt := range tests {
		if got := rw.Rewrite(tt.body).HTML; got != tt.want {
			t.Errorf("%s:\n got %s\nwant %s", tt.body, got, tt.want)
		}
	}
}

// TestPolicyKeepsRewrite checks that the bluemonday policy, the safety net,
// removes nothing the rewrite writes for Intercom's constructs.
func TestPolicyKeepsRewrite(t *testing.T) {
	for name, opts := range testOptions() {
		rw := New(opts)
		for _, tt := range goldenTests {
			unsanitized := rw.rewrite(tt.body).HTML
			if sanitized := rw.policy.Sanitize(unsanitized); sanitized != unsanitized {
				t.Errorf("%s, %s: the policy changed\n%s\nto\n%s", name, tt.name, unsanitized, sanitized)
			}
		}
	}
}

func TestDeterministicAndConcurrent(t *testing.T) {
	var body strings.Builder
	for i, tt := range goldenTests {
		fmt.Fprintf(&body, "<h2>Section %d</h2>%s", i%3, tt.body)
	}
	rw := New(siteOptions())
	want := rw.Rewrite(body.String())
	var wg sync.WaitGroup
	results := make([]Result, 8)
	for i := range results {
		wg.Go(func() { results[i] = rw.Rewrite(body.String()) })
	}
	wg.Wait()
	for _, got := range results {
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("results differ:\n%+v\n%+v", got, want)
		}
	}
}

// Result.Links and Images list what the resolvers were asked, once each.
func TestResultListsResolutions(t *testing.T) {
	rw := New(Options{
		ResolveLink:  func(href string) (string, bool) { return "/local" + href[len("https://x.example"):], true },
		ResolveImage: func(src string) (Image, bool) { return Image{Src: "/images/a.png"}, true },
	})
	res := rw.Rewrite(`<p><a href="https://x.example/a">a</a> <a href="https://x.example/b">b</a> <a href="https://x.example/a">again</a></p>` +
		`<img src="https://img.example/1.png"><img src="https://img.example/1.png">`)
	if want := []string{"https://x.example/a", "https://x.example/b"}; !slices.Equal(res.Links, want) {
		t.Errorf("Links = %q, want %q", res.Links, want)
	}
	if want := []string{"https://img.example/1.png"}; !slices.Equal(res.Images, want) {
		t.Errorf("Images = %q, want %q", res.Images, want)
	}
}

// messages returns the messages of warnings, or "wrong kind: " and the
// message for a warning not of kind.
func messages(warnings []Warning, kind WarningKind) []string {
	var msgs []string
	for _, w := range warnings {
		if w.Kind != kind {
			msgs = append(msgs, "wrong kind: "+w.Message)
			continue
		}
		msgs = append(msgs, w.Message)
	}
	return msgs
}
