package fakeintercom

import (
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"go.yaml.in/yaml/v3"
)

// specDir holds Intercom's OpenAPI descriptions, outside the module.
const specDir = "../../../shared/intercom-openapi"

// spec is one version's OpenAPI description, parsed once per test binary.
type spec struct {
	paths   map[string]any
	schemas map[string]any
}

var specs sync.Map // version → func() (*spec, error)

func loadSpec(t *testing.T, version string) *spec {
	t.Helper()
	load, _ := specs.LoadOrStore(version, sync.OnceValues(func() (*spec, error) {
		data, err := os.ReadFile(filepath.Join(specDir, version, "api.intercom.io.yaml"))
		if err != nil {
			return nil, err
		}
		var doc map[string]any
		if err := yaml.Unmarshal(data, &doc); err != nil {
			return nil, fmt.Errorf("parsing the %s spec: %w", version, err)
		}
		return &spec{paths: object(doc["paths"]), schemas: object(object(doc["components"])["schemas"])}, nil
	}))
	sp, err := load.(func() (*spec, error))()
	if os.IsNotExist(err) {
		t.Skipf("no OpenAPI description for %s: %v", version, err)
	}
	if err != nil {
		t.Fatal(err)
	}
	return sp
}

func object(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

// responseSchema is the schema the spec gives for GET path answered with
// status; for a path or status it does not describe, the error schema.
func (sp *spec) responseSchema(path string, status int) map[string]any {
	item := sp.paths[path] // a literal path wins over templates
	for template, it := range sp.paths {
		if item == nil && matchTemplate(template, path) {
			item = it
		}
	}
	resp := object(object(object(object(item)["get"])["responses"])[strconv.Itoa(status)])
	if s := object(object(object(resp["content"])["application/json"])["schema"]); s != nil {
		return s
	}
	return object(sp.schemas["error"])
}

func matchTemplate(template, path string) bool {
	ts, ps := strings.Split(template, "/"), strings.Split(path, "/")
	if len(ts) != len(ps) {
		return false
	}
	for i := range ts {
		if ts[i] != ps[i] && !strings.HasPrefix(ts[i], "{") {
			return false
		}
	}
	return true
}

func (sp *spec) resolve(s map[string]any) map[string]any {
	for s["$ref"] != nil {
		s = object(sp.schemas[strings.TrimPrefix(s["$ref"].(string), "#/components/schemas/")])
	}
	return s
}

// merged flattens allOf into one schema's properties and required list.
func (sp *spec) merged(s map[string]any) (props map[string]any, required []string) {
	s = sp.resolve(s)
	props = map[string]any{}
	for k, v := range object(s["properties"]) {
		props[k] = v
	}
	for _, r := range asSlice(s["required"]) {
		required = append(required, r.(string))
	}
	for _, part := range asSlice(s["allOf"]) {
		p, r := sp.merged(object(part))
		for k, v := range p {
			props[k] = v
		}
		required = append(required, r...)
	}
	return props, required
}

func asSlice(v any) []any {
	s, _ := v.([]any)
	return s
}

// check validates a JSON value (decoded with UseNumber) against a schema:
// every field must be declared with a matching type, enum values must be
// allowed, and declared required fields must be present.
func (sp *spec) check(v any, schema map[string]any, at string) []string {
	s := sp.resolve(schema)
	if v == nil {
		if s["nullable"] == true || slices.Contains(asSlice(s["enum"]), nil) || len(s) == 0 {
			return nil
		}
		return []string{at + ": null where the spec does not allow it"}
	}
	for _, key := range []string{"oneOf", "anyOf"} {
		if alts := asSlice(s[key]); alts != nil {
			for _, alt := range alts {
				if sp.check(v, object(alt), at) == nil {
					return nil
				}
			}
			return []string{fmt.Sprintf("%s: %v matches no %s alternative", at, v, key)}
		}
	}
	props, required := sp.merged(s)
	typ, _ := s["type"].(string)
	if typ == "" && len(props) > 0 {
		typ = "object"
	}
	var errs []string
	fail := func(format string, args ...any) { errs = append(errs, at+": "+fmt.Sprintf(format, args...)) }
	switch typ {
	case "string":
		str, ok := v.(string)
		if !ok {
			fail("%v is not a string", v)
		} else if enum := asSlice(s["enum"]); enum != nil && !slices.Contains(enum, any(str)) {
			fail("%q is not one of %v", str, enum)
		}
	case "integer":
		if n, ok := v.(json.Number); !ok || strings.ContainsAny(string(n), ".eE") {
			fail("%v is not an integer", v)
		}
	case "number":
		if _, ok := v.(json.Number); !ok {
			fail("%v is not a number", v)
		}
	case "boolean":
		if _, ok := v.(bool); !ok {
			fail("%v is not a boolean", v)
		}
	case "array":
		items, ok := v.([]any)
		if !ok {
			fail("%v is not an array", v)
		}
		for i, item := range items {
			errs = append(errs, sp.check(item, object(s["items"]), fmt.Sprintf("%s[%d]", at, i))...)
		}
	case "object":
		obj, ok := v.(map[string]any)
		if !ok {
			fail("%v is not an object", v)
			break
		}
		for k, fv := range obj {
			if ps, declared := props[k]; declared {
				errs = append(errs, sp.check(fv, object(ps), at+"."+k)...)
			} else if extra := object(s["additionalProperties"]); extra != nil {
				errs = append(errs, sp.check(fv, extra, at+"."+k)...)
			} else {
				fail("field %q is not in the spec", k)
			}
		}
		for _, r := range required {
			// Some required lists name fields their schema does not
			// declare (2.11's article_list_item requires statistics);
			// only declared ones are enforced.
			if _, declared := props[r]; declared {
				if _, ok := obj[r]; !ok {
					fail("required field %q is missing", r)
				}
			}
		}
	}
	return errs
}

// TestSchemaFaithful fetches every endpoint in every version with a spec
// and checks each answer against the spec's schema for it.
func TestSchemaFaithful(t *testing.T) {
	site := testSite(t)
	var draft, twoParents, noParent, nested string
	for _, a := range site.Articles {
		switch {
		case !a.Translations[a.DefaultLocale].Published():
			draft = a.ID
		case len(a.ParentIDs) > 1:
			twoParents = a.ID
		case len(a.ParentIDs) == 0:
			noParent = a.ID
		}
	}
	for _, c := range site.Collections {
		if c.ParentID != "" {
			nested = c.ID
		}
	}
	if draft == "" || twoParents == "" || noParent == "" || nested == "" {
		t.Fatalf("test site lacks a case: draft %q, two parents %q, no parent %q, nested %q", draft, twoParents, noParent, nested)
	}
	top := site.Collections[0].ID
	for _, c := range site.Collections {
		if c.ParentID == "" {
			top = c.ID
		}
	}
	_, ts := start(t, site, Options{})

	for _, version := range []string{"2.7", "2.9", "2.11", "2.16"} {
		t.Run(version, func(t *testing.T) {
			sp := loadSpec(t, version)
			v, _ := parseVersion(version)
			want := map[string]int{
				"/help_center/help_centers":                                 200,
				"/help_center/help_centers/" + site.HelpCenters[1].ID:       200,
				"/help_center/collections?per_page=3":                       200,
				"/help_center/collections?per_page=250":                     200,
				"/help_center/collections/" + top:                           200,
				"/articles?per_page=7":                                      200,
				"/articles?per_page=7&page=12":                              200,
				"/articles/" + draft:                                        200,
				"/articles/" + twoParents:                                   200,
				"/articles/" + noParent:                                     200,
				"/articles/99999999":                                        404,
				"/help_center/collections/99999999":                         404,
				"/help_center/sections?per_page=2":                          400,
				"/help_center/sections/" + nested:                           400,
				"/articles/search?phrase=account&highlight=true&per_page=3": 400,
				"/articles/search?state=draft":                              400,
				"/help_center/collections/" + nested:                        404,
			}
			if v.sections() {
				want["/help_center/sections?per_page=2"] = 200
				want["/help_center/sections/"+nested] = 200
			} else {
				want["/articles/search?phrase=account&highlight=true&per_page=3"] = 200
				want["/articles/search?state=draft"] = 200
				want["/help_center/collections/"+nested] = 200
			}
			for path, status := range want {
				r := call(t, ts.URL+path, "test-token", version)
				if r.status != status {
					t.Errorf("GET %s: status %d, want %d", path, r.status, status)
				}
				checkAnswer(t, sp, path, r)
			}
			checkAnswer(t, sp, "/articles", call(t, ts.URL+"/articles", "bad-token", version))
		})
	}
}

func checkAnswer(t *testing.T, sp *spec, path string, r response) {
	t.Helper()
	if r.err != nil {
		t.Fatalf("GET %s: %v", path, r.err)
	}
	u, _ := url.Parse(path)
	schema := sp.responseSchema(u.Path, r.status)
	for _, e := range sp.check(r.decode(t), schema, fmt.Sprintf("GET %s (%d)", path, r.status)) {
		t.Error(e)
	}
}

// TestSchemaCheckerRejects makes sure the checker used above can fail.
func TestSchemaCheckerRejects(t *testing.T) {
	sp := loadSpec(t, "2.11")
	schema := sp.responseSchema("/articles/1", 200)
	good := map[string]any{"id": "1", "type": "article", "workspace_id": "w", "title": "t", "description": "",
		"body": "", "author_id": json.Number("5"), "state": "published", "created_at": json.Number("1"),
		"updated_at": json.Number("1"), "url": nil, "parent_id": nil, "parent_type": nil,
		"default_locale": "en", "translated_content": map[string]any{"type": "article_translated_content"},
		"statistics": map[string]any{"type": "article_statistics", "views": json.Number("1"), "conversions": json.Number("0"),
			"reactions": json.Number("0"), "happy_reaction_percentage": json.Number("0"),
			"neutral_reaction_percentage": json.Number("0"), "sad_reaction_percentage": json.Number("0")}}
	if errs := sp.check(good, schema, "article"); errs != nil {
		t.Fatalf("a valid article fails: %v", errs)
	}
	for name, change := range map[string]func(map[string]any){
		"id as number":       func(a map[string]any) { a["id"] = json.Number("1") },
		"unknown field":      func(a map[string]any) { a["bogus"] = true },
		"missing title":      func(a map[string]any) { delete(a, "title") },
		"bad state":          func(a map[string]any) { a["state"] = "archived" },
		"null title":         func(a map[string]any) { a["title"] = nil },
		"float author":       func(a map[string]any) { a["author_id"] = json.Number("5.5") },
		"unknown locale":     func(a map[string]any) { a["translated_content"].(map[string]any)["xx"] = map[string]any{} },
		"translation fields": func(a map[string]any) { a["translated_content"].(map[string]any)["fr"] = map[string]any{"x": 1} },
	} {
		a := map[string]any{}
		for k, v := range good {
			a[k] = v
		}
		a["translated_content"] = map[string]any{"type": "article_translated_content"}
		change(a)
		if sp.check(a, schema, "article") == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
