package slug

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestMake(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"Reset your password", "reset-your-password"},
		{"  Crème brûlée & Co. ", "creme-brulee-co"},
		{"Straße öffnen", "strasse-offnen"},
		{"Ærø Łódź", "aero-lodz"},
		{"API v2.1: what's new?", "api-v2-1-what-s-new"},
		{"Lukitun kuukauden käyttäminen", "lukitun-kuukauden-kayttaminen"},
		{"Qu'est-ce que XPath ?", "qu-est-ce-que-xpath"},
		// As Intercom's own URLs spell them.
		{"Max プランでの Claude Code の使用", "max-プランでの-claude-code-の使用"},
		{"如何创建自定义 Skills", "如何创建自定义-skills"},
		{"원격 MCP를 사용하여", "원격-mcp를-사용하여"},
		{"إعادة تعيين كلمة المرور", "إعادة-تعيين-كلمة-المرور"},
		{"पासवर्ड रीसेट करें", "पासवर्ड-रीसेट-करें"},
		{"Привет, мир", "привет-мир"},
		{"ＡＢＣ　１２３", "abc-123"},
		{"東京 guide", "東京-guide"},
		{"!!!", ""},
		{"", ""},
	} {
		if got := Make(c.in); got != c.want {
			t.Errorf("Make(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestMakeIsBounded(t *testing.T) {
	for _, title := range []string{
		strings.Repeat("password reset ", 40),
		strings.Repeat("パスワードをリセットする方法 ", 30),
		strings.Repeat("パ", 200),                       // one long word
		strings.Repeat("कि", 200),                      // letters with vowel signs
		strings.Repeat("a", 99) + " " + "bcdef",        // the cut falls in the second word
		strings.Repeat("إعادة تعيين كلمة المرور ", 20), // Arabic
	} {
		got := Make(title)
		if len(got) > MaxBytes || got == "" || !utf8.ValidString(got) {
			t.Errorf("Make(%.20q…) = %q (%d bytes), want 1 to %d bytes of UTF-8", title, got, len(got), MaxBytes)
		}
		if strings.HasSuffix(got, "-") || strings.HasPrefix(got, "-") {
			t.Errorf("Make(%.20q…) = %q ends in a hyphen", title, got)
		}
		if words := strings.Fields(title); len(words) > 1 && len(words[0]) < MaxBytes {
			// Cut at a word boundary: the slug is whole words of the title.
			if full := Make(strings.Join(words[:strings.Count(got, "-")+1], " ")); full != got {
				t.Errorf("Make(%.20q…) = %q, not cut at a word boundary (%q)", title, got, full)
			}
		}
	}
	// A word of letters with vowel signs is cut before a letter, never
	// between a letter and its sign.
	got := Make(strings.Repeat("कि", 200))
	if r, _ := utf8.DecodeLastRuneInString(got); r != 'ि' {
		t.Errorf("cut leaves %q at the end, want the vowel sign of the last letter", r)
	}
}

func TestFromURL(t *testing.T) {
	long := strings.Repeat("%E3%83%91", 120)
	for _, c := range []struct{ url, id, want string }{
		{"https://intercom.help/acme/en/articles/123-reset-password", "123", "reset-password"},
		{"https://help.acme.test/fr/articles/123-r%C3%A9initialiser/", "123", "reinitialiser"},
		{"https://help.acme.test/ja/articles/123-%E3%83%91%E3%82%B9", "123", "パス"},
		{"https://help.acme.test/ja/articles/123-" + long, "123", strings.Repeat("パ", 33)},
		{"https://help.acme.test/en/articles/123", "123", ""},
		{"https://help.acme.test/en/articles/1234-other", "123", ""},
		{"", "123", ""},
		{"https://x/en/articles/-x", "", ""},
	} {
		if got := FromURL(c.url, c.id); got != c.want {
			t.Errorf("FromURL(%q, %q) = %q, want %q", c.url, c.id, got, c.want)
		}
	}
}
