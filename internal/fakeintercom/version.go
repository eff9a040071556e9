package fakeintercom

import (
	"fmt"
	"strconv"
	"strings"
)

// version is an Intercom-Version the fake serves: 2.7 to 2.16. Each method
// names one way the API shape changed between versions.
type version struct{ minor int }

const (
	oldestMinor = 7
	newestMinor = 16
)

func parseVersion(s string) (version, error) {
	minor, ok := strings.CutPrefix(strings.TrimSpace(s), "2.")
	n, err := strconv.Atoi(minor)
	if !ok || err != nil || n < oldestMinor || n > newestMinor {
		return version{}, fmt.Errorf("unsupported Intercom-Version %q: the fake serves 2.%d to 2.%d", s, oldestMinor, newestMinor)
	}
	return version{n}, nil
}

func (v version) String() string { return "2." + strconv.Itoa(v.minor) }

// sections reports whether nested collections are served as sections
// (/help_center/sections) and collections have no parent_id.
func (v version) sections() bool { return v.minor <= 9 }

// search reports whether /articles/search exists.
func (v version) search() bool { return v.minor >= 10 }

// parentIDs reports whether articles name all their parents in parent_ids
// instead of the first one in parent_id and parent_type.
func (v version) parentIDs() bool { return v.minor >= 16 }

// helpCenterLocales reports whether help centers carry default and locales.
func (v version) helpCenterLocales() bool { return v.minor >= 16 }

// collectionType reports whether collections carry "type": "collection".
func (v version) collectionType() bool { return v.minor <= 9 }

// tags reports whether articles carry a tag.list.
func (v version) tags() bool { return v.minor >= 16 }

// Versions returns the Intercom-Version values the fake serves, oldest
// first.
func Versions() []string {
	var out []string
	for minor := oldestMinor; minor <= newestMinor; minor++ {
		out = append(out, version{minor}.String())
	}
	return out
}
