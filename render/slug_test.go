package render

import "testing"

func TestSlugify(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"Reset your password", "reset-your-password"},
		{"  Crème brûlée & Co. ", "creme-brulee-co"},
		{"Straße öffnen", "strasse-offnen"},
		{"Ærø Łódź", "aero-lodz"},
		{"API v2.1: what's new?", "api-v2-1-what-s-new"},
		{"東京 guide", "東京-guide"},
		{"Café 東京 guide", "cafe-東京-guide"},
		{"مرحبا", "مرحبا"},
		{"!?", ""},
		{"", ""},
	} {
		if got := Slugify(c.in); got != c.want {
			t.Errorf("Slugify(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestURLSlug(t *testing.T) {
	for _, c := range []struct{ url, id, want string }{
		{"https://intercom.help/acme/en/articles/123-reset-password", "123", "reset-password"},
		{"https://help.acme.test/fr/articles/123-r%C3%A9initialiser/", "123", "reinitialiser"},
		{"https://help.acme.test/en/articles/123", "123", ""},
		{"https://help.acme.test/en/articles/1234-other", "123", ""},
		{"", "123", ""},
	} {
		if got := urlSlug(c.url, c.id); got != c.want {
			t.Errorf("urlSlug(%q, %q) = %q, want %q", c.url, c.id, got, c.want)
		}
	}
}
