package fakeintercom

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

var benchLocales = []string{"en", "fr", "de", "ja", "ar"}

func BenchmarkGenerate10k(b *testing.B) {
	for b.Loop() {
		Generate(GenerateOptions{Articles: 10000, Locales: benchLocales, Seed: 1})
	}
}

// BenchmarkListArticles measures one full page of 250 articles in five
// locales, the fake's heaviest answer.
func BenchmarkListArticles(b *testing.B) {
	s := New(Generate(GenerateOptions{Articles: 1000, Locales: benchLocales, Seed: 1}), Options{RatePerMinute: 1 << 30})
	req := httptest.NewRequest(http.MethodGet, "/articles?per_page=250&page=2", nil)
	req.Header.Set("Authorization", "Bearer test-token")
	var n int
	for b.Loop() {
		w := httptest.NewRecorder()
		s.ServeHTTP(w, req)
		if w.Code != http.StatusOK {
			b.Fatalf("status %d", w.Code)
		}
		n = w.Body.Len()
	}
	b.SetBytes(int64(n))
}
