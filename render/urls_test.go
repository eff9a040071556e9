package render

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/helpsite/helpsite/internal/content"
)

// urlSite is a help center whose articles test URLs: titles that make the
// same slug, or none, or a very long one, an Intercom URL that names
// another article's page, and an unpublished article with former slugs.
func urlSite() *content.Site {
	at := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	pub := func(title, url string) content.Translation {
		return content.Translation{Title: title, URL: url, Body: "<p>" + title + "</p>", State: content.Published, CreatedAt: at, UpdatedAt: at}
	}
	long := strings.Repeat("パスワードを安全にリセットする方法 ", 20)
	articles := []content.Article{
		{ID: "1", Translations: map[string]content.Translation{"en": pub("Reset password", ""), "zh-CN": pub("重置密码", "")}},
		{ID: "2", Translations: map[string]content.Translation{"en": pub("Reset password", ""), "zh-CN": pub("重置密码", "")}},
		{ID: "3", Translations: map[string]content.Translation{"en": pub("!!!", ""), "zh-CN": pub("???", "")}},
		{ID: "4", Translations: map[string]content.Translation{"en": pub(long, ""), "zh-CN": pub(long, "https://help.test/zh-CN/articles/4-"+long)}},
		// Its Intercom URL and a former slug name article 1's page.
		{ID: "5", FormerSlugs: map[string][]string{"en": {"old-title"}},
			Translations: map[string]content.Translation{"en": pub("Other", "https://help.test/en/articles/1-reset-password")}},
		// Unpublished: its draft title is not public, its former slugs lead to the collection.
		{ID: "6", FormerSlugs: map[string][]string{"en": {"was-public"}}, Translations: map[string]content.Translation{
			"en": {Title: secret, Body: secret, State: content.Draft, CreatedAt: at, UpdatedAt: at}}},
	}
	for i := range articles {
		articles[i].ParentIDs, articles[i].DefaultLocale = []string{"10"}, "en"
	}
	return &content.Site{
		HelpCenters: []content.HelpCenter{{ID: "1", DisplayName: "Help"}},
		Collections: []content.Collection{{ID: "10", DefaultLocale: "en", URL: "https://help.test/en/collections/10-basics",
			FormerSlugs:  map[string][]string{"en": {"start-here"}},
			Translations: map[string]content.GroupText{"en": {Name: "Basics"}, "zh-CN": {Name: "基础"}}}},
		Articles: articles,
		// Deleted: its URLs lead to the collection on servers, and are no
		// page on a plain host. The one that takes a page's URL does not.
		Deleted: []content.DeletedArticle{
			{ID: "7", ParentIDs: []string{"10"}, Slugs: map[string][]string{"en": {"gone-for-good"}, "zh-CN": {"已删除"}}},
			{ID: "1", ParentIDs: []string{"10"}, Slugs: map[string][]string{"en": {"reset-password"}}},
		},
	}
}

func TestArticleURLs(t *testing.T) {
	out := filepath.Join(t.TempDir(), "site")
	if _, err := Build(context.Background(), urlSite(), out, Options{BaseURL: "https://help.example.com/"}); err != nil {
		t.Fatal(err)
	}
	files := readTree(t, out)
	isPage := func(name string) bool {
		data, ok := files[name]
		return ok && !bytes.Contains(data, []byte(`http-equiv="refresh"`))
	}
	redirectsTo := func(name, target string) bool {
		return bytes.Contains(files[name], []byte(`http-equiv="refresh" content="0; url=`+target+`"`))
	}

	t.Run("one page per article, no two alike", func(t *testing.T) {
		for l, want := range map[string]int{"en": 5, "zh-CN": 4} {
			dirs := map[string]string{}
			for name := range files {
				if dir, ok := strings.CutPrefix(name, l+"/articles/"); ok && strings.HasSuffix(name, "/index.html") && isPage(name) {
					id, _, _ := strings.Cut(dir, "-")
					id, _, _ = strings.Cut(id, "/")
					if other, dup := dirs[id]; dup {
						t.Errorf("article %s has two pages in %s: %s and %s", id, l, other, name)
					}
					dirs[id] = name
				}
			}
			if len(dirs) != want {
				t.Errorf("%s has pages for %v, want %d articles", l, dirs, want)
			}
		}
		for _, want := range []string{"en/articles/1-reset-password/index.html", "en/articles/2-reset-password/index.html",
			"en/articles/3/index.html", "zh-CN/articles/1-重置密码/index.html", "zh-CN/collections/10-基础/index.html"} {
			if !isPage(want) {
				t.Errorf("%s is not a page", want)
			}
		}
	})
	t.Run("path components stay short", func(t *testing.T) {
		for name := range files {
			for _, part := range strings.Split(name, "/") {
				if len(part) > 120 {
					t.Errorf("%s has a component of %d bytes", name, len(part))
				}
			}
		}
		// The long Intercom URL, which no folder could hold, is redirected
		// by the redirect files.
		if !bytes.Contains(files[RedirectsFile], []byte("/zh-CN/articles/4-%E3%83%91")) {
			t.Errorf("_redirects does not redirect the long Intercom URL of article 4:\n%s", files[RedirectsFile])
		}
	})
	t.Run("no redirect over a page", func(t *testing.T) {
		if !isPage("en/articles/1-reset-password/index.html") {
			t.Error("article 1's page is a redirect")
		}
		if bytes.Contains(files[RedirectsFile], []byte("\n/en/articles/1-reset-password/ ")) ||
			bytes.Contains(files[RedirectsFile], []byte("\n/en/articles/1-reset-password ")) {
			t.Errorf("_redirects takes article 1's URL:\n%s", files[RedirectsFile])
		}
		if !redirectsTo("en/articles/5-old-title/index.html", "/en/articles/5-other/") {
			t.Error("article 5's former slug does not lead to its page")
		}
	})
	t.Run("unpublished", func(t *testing.T) {
		for _, name := range []string{"en/articles/6-was-public/index.html", "en/articles/6/index.html"} {
			if !redirectsTo(name, "/en/collections/10-basics/") {
				t.Errorf("%s does not lead to the collection:\n%s", name, files[name])
			}
		}
		for name, data := range files {
			if bytes.Contains(data, []byte(secret)) || strings.Contains(name, strings.ToLower(secret)) {
				t.Errorf("%s shows the draft's title", name)
			}
		}
	})
	t.Run("deleted", func(t *testing.T) {
		for _, rule := range []string{
			"/en/articles/7-gone-for-good/ /en/collections/10-basics/ 301\n",
			"/en/articles/7/ /en/collections/10-basics/ 301\n",
			"/zh-CN/articles/7-%E5%B7%B2%E5%88%A0%E9%99%A4/ /zh-CN/collections/10-%E5%9F%BA%E7%A1%80/ 301\n",
		} {
			if !bytes.Contains(files[RedirectsFile], []byte(rule)) {
				t.Errorf("_redirects lacks %q", rule)
			}
		}
		for name := range files {
			if strings.HasPrefix(name, "en/articles/7") || strings.HasPrefix(name, "zh-CN/articles/7") {
				t.Errorf("%s was written for a deleted article", name)
			}
		}
		if !isPage("en/articles/1-reset-password/index.html") || bytes.Contains(files[RedirectsFile], []byte("/en/articles/1/ /en/collections")) {
			t.Error("a deleted article's record takes the URLs of a published one")
		}
	})
	t.Run("collections", func(t *testing.T) {
		for _, name := range []string{"en/collections/10-start-here/index.html", "en/collections/10/index.html"} {
			if !redirectsTo(name, "/en/collections/10-basics/") {
				t.Errorf("%s does not lead to the collection's page", name)
			}
		}
		if !redirectsTo("zh-CN/collections/10/index.html", "/zh-CN/collections/10-基础/") {
			t.Error("the bare collection does not lead to its page in zh-CN")
		}
	})
}
