package intercomurl

import "testing"

func TestParse(t *testing.T) {
	m := NewMatcher([]string{"intercom.help/northwind", "help.northwind.example", "https://old.northwind.example:8443/docs/", ""})
	tests := []struct {
		href string
		want Ref
		ok   bool
	}{
		{"https://intercom.help/northwind/en/articles/1234567-reset-your-password", Ref{Kind: Article, Locale: "en", ID: "1234567"}, true},
		{"https://intercom.help/northwind/en/articles/1234567", Ref{Kind: Article, Locale: "en", ID: "1234567"}, true},
		{"https://intercom.help/northwind/en/articles/1234567-slug/", Ref{Kind: Article, Locale: "en", ID: "1234567"}, true},
		{"http://INTERCOM.help/Northwind/fr/articles/42-bonjour", Ref{Kind: Article, Locale: "fr", ID: "42"}, true},
		{"https://intercom.help/northwind/articles/42-no-locale", Ref{Kind: Article, ID: "42"}, true},
		{"https://intercom.help/northwind/pt-br/articles/42", Ref{Kind: Article, Locale: "pt-BR", ID: "42"}, true},
		{"https://intercom.help/northwind/zh_tw/articles/42", Ref{Kind: Article, Locale: "zh-TW", ID: "42"}, true},
		{"https://intercom.help/northwind/zh-hant/articles/42", Ref{Kind: Article, Locale: "zh-Hant", ID: "42"}, true},
		{"https://intercom.help/northwind/en/collections/987-billing", Ref{Kind: Collection, Locale: "en", ID: "987"}, true},
		{"https://intercom.help/northwind/en/articles/1-a?utm_source=x#h_5f2b3c9a1d", Ref{Kind: Article, Locale: "en", ID: "1", Query: "utm_source=x", Fragment: "h_5f2b3c9a1d"}, true},
		{"https://intercom.help/northwind/en/articles/1#caf%C3%A9", Ref{Kind: Article, Locale: "en", ID: "1", Fragment: "caf%C3%A9"}, true},
		{"https://help.northwind.example/de/articles/77-hallo", Ref{Kind: Article, Locale: "de", ID: "77"}, true},
		{"https://help.northwind.example./de/articles/77", Ref{Kind: Article, Locale: "de", ID: "77"}, true},
		{"https://help.northwind.example:443/de/articles/77", Ref{Kind: Article, Locale: "de", ID: "77"}, true},
		{"//help.northwind.example/en/collections/5", Ref{Kind: Collection, Locale: "en", ID: "5"}, true},
		{"https://old.northwind.example/docs/en/articles/8", Ref{Kind: Article, Locale: "en", ID: "8"}, true},
		{"/en/articles/1234567", Ref{Kind: Article, Locale: "en", ID: "1234567"}, true},
		{"/en/articles/1234567-slug?x=1", Ref{Kind: Article, Locale: "en", ID: "1234567", Query: "x=1"}, true},
		{"/northwind/en/articles/3-x", Ref{Kind: Article, Locale: "en", ID: "3"}, true},
		{"  /ar/articles/3  ", Ref{Kind: Article, Locale: "ar", ID: "3"}, true},

		{"https://intercom.help/other/en/articles/1-a", Ref{}, false},       // another help center
		{"https://intercom.help/northwindy/en/articles/1-a", Ref{}, false},  // prefix is whole segments
		{"https://evil.example/en/articles/1-a", Ref{}, false},              // unknown host
		{"https://old.northwind.example/en/articles/8", Ref{}, false},       // missing prefix
		{"https://help.northwind.example/en/articles/abc", Ref{}, false},    // id not numeric
		{"https://help.northwind.example/en/articles/", Ref{}, false},       // no id
		{"https://help.northwind.example/en/", Ref{}, false},                // home page
		{"https://help.northwind.example/en/articles/1/edit", Ref{}, false}, // extra segment
		{"https://help.northwind.example/english/articles/1", Ref{}, false}, // not a locale
		{"ftp://help.northwind.example/en/articles/1", Ref{}, false},
		{"javascript:/en/articles/1", Ref{}, false},
		{"en/articles/1", Ref{}, false}, // document-relative
		{"#h_123", Ref{}, false},
		{"mailto:help@northwind.example", Ref{}, false},
		{"https://user@help.northwind.example/en/articles/1", Ref{}, false},
		{"https://help.northwind.example/%zz", Ref{}, false},
		{"", Ref{}, false},
	}
	for _, tt := range tests {
		got, ok := m.Parse(tt.href)
		if ok != tt.ok || got != tt.want {
			t.Errorf("Parse(%q) = %+v, %v; want %+v, %v", tt.href, got, ok, tt.want, tt.ok)
		}
	}
}

func TestParseWithoutHosts(t *testing.T) {
	m := NewMatcher(nil)
	if _, ok := m.Parse("https://intercom.help/northwind/en/articles/1"); ok {
		t.Error("absolute URL matched with no hosts configured")
	}
	if ref, ok := m.Parse("/en/articles/1-x"); !ok || ref.ID != "1" {
		t.Errorf("root-relative URL: got %+v, %v", ref, ok)
	}
}

func TestSuffix(t *testing.T) {
	tests := []struct {
		ref  Ref
		want string
	}{
		{Ref{}, ""},
		{Ref{Query: "a=1"}, "?a=1"},
		{Ref{Fragment: "h_1"}, "#h_1"},
		{Ref{Query: "a=1", Fragment: "h_1"}, "?a=1#h_1"},
	}
	for _, tt := range tests {
		if got := tt.ref.Suffix(); got != tt.want {
			t.Errorf("%+v.Suffix() = %q, want %q", tt.ref, got, tt.want)
		}
	}
}

func TestKindString(t *testing.T) {
	for k, want := range map[Kind]string{Article: "article", Collection: "collection", 0: "unknown"} {
		if got := k.String(); got != want {
			t.Errorf("Kind(%d).String() = %q, want %q", k, got, want)
		}
	}
}
