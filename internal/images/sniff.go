package images

import (
	"bytes"
	"encoding/xml"
	"image"
	_ "image/gif" // decoders for image.DecodeConfig
	_ "image/jpeg"
	_ "image/png"
	"math"
	"net/http"
	"strconv"
	"strings"

	_ "golang.org/x/image/bmp"
	_ "golang.org/x/image/webp"
)

const svgType = "image/svg+xml"

// extensions are the image types accepted and their file extensions.
var extensions = map[string]string{
	"image/png":    ".png",
	"image/jpeg":   ".jpg",
	"image/gif":    ".gif",
	"image/webp":   ".webp",
	"image/bmp":    ".bmp",
	"image/x-icon": ".ico",
	svgType:        ".svg",
}

// sniff returns the type of an image from its bytes, whatever the server
// said it was.
func sniff(data []byte, allowSVG bool) (string, bool) {
	typ := http.DetectContentType(data)
	if _, ok := extensions[typ]; ok && typ != svgType {
		return typ, true
	}
	if allowSVG && isSVG(data) {
		return svgType, true
	}
	return "", false
}

// dimensions returns an image's size in pixels, or zeros if it cannot tell.
func dimensions(typ string, data []byte) (width, height int) {
	if typ == svgType {
		return svgSize(data)
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return 0, 0
	}
	return cfg.Width, cfg.Height
}

// svgRoot reads the root element of an XML document, if it is an <svg>.
func svgRoot(data []byte) (xml.StartElement, bool) {
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = false
	for {
		tok, err := d.Token()
		if err != nil {
			return xml.StartElement{}, false
		}
		switch t := tok.(type) {
		case xml.StartElement:
			return t, t.Name.Local == "svg"
		case xml.CharData:
			if len(bytes.TrimSpace(t)) > 0 {
				return xml.StartElement{}, false
			}
		}
	}
}

func isSVG(data []byte) bool {
	_, ok := svgRoot(data)
	return ok
}

// svgSize returns the size an SVG asks for: its width and height in
// pixels, or else those of its viewBox.
func svgSize(data []byte) (width, height int) {
	root, ok := svgRoot(data)
	if !ok {
		return 0, 0
	}
	attrs := map[string]string{}
	for _, a := range root.Attr {
		attrs[a.Name.Local] = a.Value
	}
	w, wok := pixels(attrs["width"])
	h, hok := pixels(attrs["height"])
	if wok && hok {
		return w, h
	}
	box := strings.FieldsFunc(attrs["viewBox"], func(r rune) bool { return r == ' ' || r == ',' })
	if len(box) != 4 {
		return 0, 0
	}
	w, wok = pixels(box[2])
	h, hok = pixels(box[3])
	if !wok || !hok {
		return 0, 0
	}
	return w, h
}

// pixels parses an SVG length in pixels ("120", "120.5px"), rounded.
func pixels(s string) (int, bool) {
	f, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(s), "px"), 64)
	if err != nil || f <= 0 || f > 1e6 || math.IsNaN(f) {
		return 0, false
	}
	return max(1, int(math.Round(f))), true
}
