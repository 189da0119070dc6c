package dataset

import (
	"fmt"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// ids is the set of ids a track defines for one kind of entry (parties,
// people or sources); references are checked against it.
type ids struct {
	what    string         // "party", "person", "source"
	section string         // the key that defines them: "parties", ...
	lines   map[string]int // id -> line of its definition
	known   string         // sorted list for messages, built on first use
}

func newIDs(what, section string) *ids {
	return &ids{what: what, section: section, lines: map[string]int{}}
}

// define records an id; defining it twice is an error.
func (d *decoder) define(set *ids, id string, n *yaml.Node) {
	if id == "" {
		return
	}
	if line, dup := set.lines[id]; dup {
		d.errorf(n, "duplicate %s id %q (first at line %d): ids must be unique within a track", set.what, id, line)
		return
	}
	set.lines[id] = n.Line
}

// ref checks that a single reference names an id of set.
func (d *decoder) ref(o *object, key string, set *ids, required bool) string {
	s, n := d.text(o, key, required)
	if n == nil {
		return ""
	}
	if !d.resolves(n, s, set) {
		return ""
	}
	return s
}

// refs checks a list of references; naming the same id twice is an error
// because the store keeps each link once.
func (d *decoder) refs(o *object, key string, set *ids) []string {
	var out []string
	items := d.items(o, key)
	var seen map[string]bool // only for long lists; short ones are scanned
	if len(items) > 16 {
		seen = make(map[string]bool, len(items))
	}
	for _, n := range items {
		if !d.kind(n, yaml.ScalarNode, "each entry of "+quote(key)) {
			continue
		}
		if isNull(n) || n.Value == "" {
			d.errorf(n, "empty entry in %q: write a %s id or remove the line", key, set.what)
			continue
		}
		if !d.resolves(n, n.Value, set) {
			continue
		}
		if seen[n.Value] || seen == nil && slices.Contains(out, n.Value) {
			d.errorf(n, "%s %q is listed twice in %q: keep one", set.what, n.Value, key)
			continue
		}
		if seen != nil {
			seen[n.Value] = true
		}
		out = append(out, n.Value)
	}
	return out
}

// nonEmptyRefs is refs for lists that must name at least one id.
func (d *decoder) nonEmptyRefs(o *object, key string, set *ids) []string {
	n := o.get(key)
	if n == nil {
		d.errorf(o.node, "missing required field %q", key)
		return nil
	}
	if isNull(n) || n.Kind == yaml.SequenceNode && len(n.Content) == 0 {
		d.errorf(n, "%q is empty: list at least one %s id", key, set.what)
		return nil
	}
	return d.refs(o, key, set)
}

func (d *decoder) resolves(n *yaml.Node, id string, set *ids) bool {
	if _, ok := set.lines[id]; ok {
		return true
	}
	if len(set.lines) == 0 {
		d.errorf(n, "unknown %s %q: the track lists no %s under %q", set.what, id, set.section, set.section)
		return false
	}
	d.errorf(n, "unknown %s %q %s", set.what, id, d.knownList(id, set))
	return false
}

// maxKnown caps how many ids an error message lists.
const maxKnown = 10

func (d *decoder) knownList(id string, set *ids) string {
	if set.known == "" {
		all := make([]string, 0, len(set.lines))
		for k := range set.lines {
			all = append(all, k)
		}
		slices.Sort(all)
		if len(all) > maxKnown {
			set.known = fmt.Sprintf("%s and %d more", strings.Join(all[:maxKnown], ", "), len(all)-maxKnown)
		} else {
			set.known = strings.Join(all, ", ")
		}
	}
	if len(set.lines) > maxKnown {
		// The short list likely misses the intended id; look for a near one.
		if best := d.nearest(id, set.lines); best != "" {
			return fmt.Sprintf("(did you mean %q? known: %s)", best, set.known)
		}
	}
	return "(known: " + set.known + ")"
}

// suggestionBudget caps the ids compared for "did you mean" per file, so
// that a file full of bad references over thousands of ids stays quick to
// check.
const suggestionBudget = 1_000_000

func (d *decoder) nearest(s string, set map[string]int) string {
	if d.suggestions+len(set) > suggestionBudget {
		return ""
	}
	d.suggestions += len(set)
	best, bestDist := "", 0
	for k := range set {
		if len(k) > len(s)+2 || len(s) > len(k)+2 {
			continue // more than two edits apart
		}
		if dist := distance(s, k); isTypo(s, dist) && (best == "" || dist < bestDist || dist == bestDist && k < best) {
			best, bestDist = k, dist
		}
	}
	return best
}

// suggestKey names the allowed key closest to key, preferring keys the
// mapping does not have yet (vals[i] == nil), else lists them all.
func suggestKey(key string, keys []string, vals []*yaml.Node) string {
	best, bestDist, bestAbsent := "", 0, false
	for i, k := range keys {
		dist, absent := distance(key, k), vals[i] == nil
		if !isTypo(key, dist) {
			continue
		}
		if best == "" || absent && !bestAbsent || absent == bestAbsent && dist < bestDist {
			best, bestDist, bestAbsent = k, dist, absent
		}
	}
	if best != "" {
		return fmt.Sprintf("(did you mean %q?)", best)
	}
	return "(allowed: " + strings.Join(keys, ", ") + ")"
}

// isTypo reports whether an edit distance is small enough, for a word of
// s's length, to be a typo rather than a different word.
func isTypo(s string, dist int) bool {
	return dist <= 2 && dist*3 <= len(s)
}

// distance is the edit distance between a and b counting a swap of two
// neighbouring letters as one edit (optimal string alignment), or a large
// number when either is too long to be worth comparing.
func distance(a, b string) int {
	const limit = 64
	if len(a) > limit || len(b) > limit {
		return limit
	}
	// rows[i%3] is row i of the usual dynamic-programming table.
	var rows [3][limit + 1]int
	for j := 0; j <= len(b); j++ {
		rows[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur, prev, prev2 := &rows[i%3], &rows[(i-1)%3], &rows[(i+1)%3]
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
	}
	return rows[len(a)%3][len(b)]
}
