package render

import (
	"reflect"
	"testing"
	"time"
)

// TestFrontMatterKeyCoversEveryField changes every field of front matter,
// of each kind of page, one at a time, and expects the key to change: a
// field the key missed would leave a page stale after an Update.
func TestFrontMatterKeyCoversEveryField(t *testing.T) {
	for _, params := range []any{&articleParams{}, &collectionParams{}, &printParams{}, &homeParams{}, &otherParams{}, &struct{ X string }{}} {
		fm := &frontMatter{}
		fill(reflect.ValueOf(fm).Elem())
		fill(reflect.ValueOf(params).Elem())
		key := func() uint64 {
			fm.Params = reflect.ValueOf(params).Elem().Interface()
			return fm.key()
		}
		base := key()
		if key() != base {
			t.Fatal("the key of the same front matter changed")
		}
		changes := 0
		for _, v := range []reflect.Value{reflect.ValueOf(fm).Elem(), reflect.ValueOf(params).Elem()} {
			mutate(v, "", func(field string) {
				changes++
				if key() == base {
					t.Errorf("%T: changing %s leaves the key as it was", params, field)
				}
			})
		}
		if key() != base {
			t.Fatalf("%T: the test did not restore the front matter", params)
		}
		if changes < 2 {
			t.Fatalf("%T: only %d fields changed", params, changes)
		}
	}
}

// fill sets every field below v: strings, numbers and times to a value,
// pointers to a filled value, slices to one filled element.
func fill(v reflect.Value) {
	switch {
	case v.Type() == reflect.TypeFor[time.Time]():
		v.Set(reflect.ValueOf(time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)))
		return
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString("a")
	case reflect.Int:
		v.SetInt(1)
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fill(v.Elem())
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 1, 1))
		fill(v.Index(0))
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fill(v.Field(i))
			}
		}
	}
}

// mutate changes each field below v in turn, calls changed with its name,
// and puts it back.
func mutate(v reflect.Value, name string, changed func(field string)) {
	set := func(to reflect.Value) {
		old := reflect.New(v.Type()).Elem()
		old.Set(v)
		v.Set(to)
		changed(name)
		v.Set(old)
	}
	if v.Type() == reflect.TypeFor[time.Time]() {
		set(reflect.ValueOf(v.Interface().(time.Time).Add(time.Second)))
		return
	}
	switch v.Kind() {
	case reflect.String:
		set(reflect.ValueOf(v.String() + "b").Convert(v.Type()))
	case reflect.Int:
		set(reflect.ValueOf(int(v.Int() + 1)).Convert(v.Type()))
	case reflect.Bool:
		set(reflect.ValueOf(!v.Bool()))
	case reflect.Pointer:
		set(reflect.Zero(v.Type()))
		mutate(v.Elem(), name, changed)
	case reflect.Slice:
		set(reflect.Zero(v.Type()))
		mutate(v.Index(0), name+"[0]", changed)
	case reflect.Struct:
		for i := range v.NumField() {
			if f := v.Type().Field(i); f.IsExported() {
				mutate(v.Field(i), name+"."+f.Name, changed)
			}
		}
	}
}
