package fakeintercom

import (
	"strconv"
	"unicode/utf8"
)

// jsonWriter appends JSON to a buffer value by value, so that responses keep
// the field order Intercom writes and each version's shape stays readable as
// a list of fields. It is far cheaper than marshalling maps.
type jsonWriter struct {
	b []byte
	// comma says whether the next value or key needs a separator.
	comma bool
	// escapeHTML writes <, > and & as \u003c, \u003e and \u0026, as some
	// JSON encoders do.
	escapeHTML bool
}

func (w *jsonWriter) sep() {
	if w.comma {
		w.b = append(w.b, ',')
	}
}

func (w *jsonWriter) key(k string) {
	w.sep()
	w.b = appendJSONString(w.b, k, false)
	w.b = append(w.b, ':')
	w.comma = false
}

func (w *jsonWriter) beginObject() { w.sep(); w.b = append(w.b, '{'); w.comma = false }
func (w *jsonWriter) endObject()   { w.b = append(w.b, '}'); w.comma = true }
func (w *jsonWriter) beginArray()  { w.sep(); w.b = append(w.b, '['); w.comma = false }
func (w *jsonWriter) endArray()    { w.b = append(w.b, ']'); w.comma = true }

func (w *jsonWriter) str(s string) {
	w.sep()
	w.b = appendJSONString(w.b, s, w.escapeHTML)
	w.comma = true
}

func (w *jsonWriter) int(n int64) {
	w.sep()
	w.b = strconv.AppendInt(w.b, n, 10)
	w.comma = true
}

func (w *jsonWriter) float(f float64) {
	w.sep()
	w.b = strconv.AppendFloat(w.b, f, 'f', -1, 64)
	w.comma = true
}

func (w *jsonWriter) bool(v bool) {
	w.sep()
	w.b = strconv.AppendBool(w.b, v)
	w.comma = true
}

func (w *jsonWriter) null() {
	w.sep()
	w.b = append(w.b, "null"...)
	w.comma = true
}

// raw writes v, which must be valid JSON, as it is.
func (w *jsonWriter) raw(v string) {
	w.sep()
	w.b = append(w.b, v...)
	w.comma = true
}

// strOrNull writes s, or null when it is empty.
func (w *jsonWriter) strOrNull(s string) {
	if s == "" {
		w.null()
		return
	}
	w.str(s)
}

const hexDigits = "0123456789abcdef"

// appendJSONString appends s as a JSON string. Invalid UTF-8 becomes U+FFFD;
// U+2028 and U+2029 are escaped so that the output is also valid JavaScript.
func appendJSONString(b []byte, s string, escapeHTML bool) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && (!escapeHTML || (c != '<' && c != '>' && c != '&')) {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
